import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AssignmentRow } from './work-context.ts';

/**
 * Reads of assignments (row-level security applies: a caller sees the assignments of the tickets
 * it sees). The timeline adds what a dispatcher asks of each step: how long it lasted and why it
 * moved on.
 */
export interface TimelineEntry extends AssignmentRow {
  ended_at: Date | null;
  duration_minutes: number | null;
  moved_on_because: string | null;
}

async function assertTicketVisible(tx: Tx, ticketId: string): Promise<void> {
  const { rows } = await sql`select 1 from service_tickets where id = ${ticketId}`.execute(tx);
  if (rows.length === 0) throw notFound('ticket', ticketId);
}

export async function listTicketAssignments(tx: Tx, ticketId: string): Promise<TimelineEntry[]> {
  await assertTicketVisible(tx, ticketId);
  const { rows } = await sql<TimelineEntry>`
    select a.*, coalesce(a.completed_at, a.rejected_at) as ended_at,
           round(extract(epoch from (coalesce(a.completed_at, a.rejected_at, now()) - a.assigned_at)) / 60)::int as duration_minutes,
           case a.status when 'escalated' then a.escalation_reason when 'failed' then a.escalation_reason
                         when 'rejected' then a.rejection_reason when 'completed' then 'completed: ' || a.completion_status end
             as moved_on_because
      from engineer_assignments a where a.ticket_id = ${ticketId} order by a.assignment_sequence`.execute(tx);
  return rows;
}

export async function currentAssignment(tx: Tx, ticketId: string): Promise<AssignmentRow> {
  await assertTicketVisible(tx, ticketId);
  const { rows } = await sql<AssignmentRow>`select * from current_ticket_assignments where ticket_id = ${ticketId}`.execute(tx);
  if (!rows[0]) throw new AppError('not_found', 'No active assignment found', { resource: 'assignment', ticket_id: ticketId });
  return rows[0];
}

export async function getAssignment(tx: Tx, assignmentId: string): Promise<AssignmentRow> {
  const { rows } = await sql<AssignmentRow>`select * from engineer_assignments where id = ${assignmentId}`.execute(tx);
  if (!rows[0]) throw notFound('assignment', assignmentId);
  return rows[0];
}

export async function listEngineerAssignments(tx: Tx, engineerId: string, o: { activeOnly?: boolean; limit?: number } = {}) {
  const { rows } = await sql<AssignmentRow>`
    select * from engineer_assignments
     where engineer_id = ${engineerId}::uuid
       and (not ${o.activeOnly ?? false} or status in ('assigned', 'accepted', 'in_progress'))
     order by assigned_at desc, id desc limit ${o.limit ?? 50}`.execute(tx);
  return rows;
}

export interface Workload {
  engineer_id: string;
  active_count: number;
  completed_count: number;
  avg_hours: string | null;
}

/** origin-facts §4: active (non-terminal) count, completed count, average hours over completed work. */
export async function engineerWorkload(tx: Tx, engineerId: string): Promise<Workload> {
  const { rows } = await sql<Workload>`
    select ${engineerId}::uuid as engineer_id,
           count(*) filter (where status in ('assigned', 'accepted', 'in_progress'))::int as active_count,
           count(*) filter (where status = 'completed')::int as completed_count,
           round(avg(time_spent_hours) filter (where status = 'completed'), 2)::text as avg_hours
      from engineer_assignments where engineer_id = ${engineerId}::uuid`.execute(tx);
  return rows[0] as Workload;
}
