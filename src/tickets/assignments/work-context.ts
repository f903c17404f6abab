import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { notFound } from '../../errors.ts';
import { assertTicketStep, type CurrentState, TICKET_STEPS, type TicketStep } from './state-machine.ts';

/**
 * What every workflow step does first: mark the transaction as the new application's (the legacy
 * sync trigger then leaves engineer_assignments to us, and the status trigger records who and why),
 * and lock the ticket row. Every writer of a ticket's assignments locks that row first, legacy
 * writes included, so steps on one ticket take turns and see each other's results.
 */
export interface LockedTicket {
  id: string;
  status: string;
  priority: string | null;
  equipment_id: string;
}

/** One engineer_assignments row as the driver returns it (numeric as a string, timestamps as Date). */
export interface AssignmentRow {
  id: string;
  ticket_id: string;
  engineer_id: string | null;
  engineer_name: string;
  engineer_org_id: string | null;
  assignment_sequence: number;
  assignment_tier: number;
  assignment_tier_name: string | null;
  assignment_type: 'auto' | 'manual' | 'escalation';
  assignment_reason: string | null;
  assigned_by: string | null;
  assigned_at: Date;
  status: 'assigned' | 'accepted' | 'rejected' | 'in_progress' | 'completed' | 'failed' | 'escalated';
  accepted_at: Date | null;
  rejected_at: Date | null;
  rejection_reason: string | null;
  started_at: Date | null;
  completed_at: Date | null;
  completion_status: 'success' | 'failed' | 'escalated' | 'parts_required' | 'customer_unavailable' | null;
  escalation_reason: string | null;
  time_spent_hours: string | null;
  diagnosis: string | null;
  actions_taken: string | null;
  parts_used: unknown[];
  customer_rating: number | null;
  customer_feedback: string | null;
  feedback_at: Date | null;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
}

/** ticket_status_history.changed_by is varchar(32): a user's uuid is recorded without its dashes. */
const compactActor = (actor: string | null) =>
  actor && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(actor)
    ? actor.replaceAll('-', '')
    : (actor?.slice(0, 32) ?? null);

export async function markCoreWrite(tx: Tx, reason: string | null = null, actorName: string | null = null): Promise<void> {
  const actor = compactActor(actorName);
  await sql`select set_config('abymed.writer', 'core', true), set_config('abymed.status_reason', ${reason ?? ''}, true),
                   set_config('abymed.actor', ${actor ?? ''}, true)`.execute(tx);
}

export async function lockTicket(tx: Tx, ticketId: string): Promise<LockedTicket> {
  const { rows } = await sql<LockedTicket>`
    select id, status, priority, equipment_id from service_tickets where id = ${ticketId} for no key update`.execute(tx);
  const ticket = rows[0];
  if (!ticket) throw notFound('ticket', ticketId);
  return ticket;
}

export async function activeAssignment(tx: Tx, ticketId: string): Promise<AssignmentRow | undefined> {
  const { rows } = await sql<AssignmentRow>`
    select * from engineer_assignments where ticket_id = ${ticketId} and status in ('assigned', 'accepted', 'in_progress')`.execute(tx);
  return rows[0];
}

/** The assignment and its ticket, both locked (ticket first, the order every writer uses). */
export async function lockAssignment(tx: Tx, assignmentId: string): Promise<{ ticket: LockedTicket; assignment: AssignmentRow }> {
  const { rows: found } = await sql<{ ticket_id: string }>`select ticket_id from engineer_assignments where id = ${assignmentId}`.execute(
    tx,
  );
  if (!found[0]) throw notFound('assignment', assignmentId);
  const ticket = await lockTicket(tx, found[0].ticket_id);
  const { rows } = await sql<AssignmentRow>`select * from engineer_assignments where id = ${assignmentId} for update`.execute(tx);
  return { ticket, assignment: rows[0] as AssignmentRow };
}

export const stateOf = (ticket: LockedTicket, assignment?: AssignmentRow | null): CurrentState => ({
  ticket_id: ticket.id,
  ticket_status: ticket.status,
  assignment_id: assignment?.id ?? null,
  assignment_status: assignment?.status ?? null,
});

const STAMPS: Partial<Record<string, string>> = { in_progress: 'started_at', resolved: 'resolved_at', closed: 'closed_at' };

/**
 * Moves the ticket one step along its state machine, in the caller's transaction; the status
 * trigger writes the history row (with the reason set by markCoreWrite). A step whose target is the
 * current status changes nothing.
 */
export async function moveTicket(
  tx: Tx,
  ticket: LockedTicket,
  step: TicketStep,
  extra: Record<string, unknown> = {},
  state: CurrentState = stateOf(ticket),
): Promise<void> {
  assertTicketStep(step, state);
  const to = TICKET_STEPS[step].to;
  if (!to || to === ticket.status) {
    if (Object.keys(extra).length > 0) await tx.updateTable('service_tickets').set(extra).where('id', '=', ticket.id).execute();
    return;
  }
  const stamp = STAMPS[to];
  const set: Record<string, unknown> = { status: to, ...extra };
  if (stamp && !(stamp in extra)) set[stamp] = stamp === 'started_at' ? sql`coalesce(started_at, now())` : sql`now()`;
  await tx.updateTable('service_tickets').set(set).where('id', '=', ticket.id).execute();
  ticket.status = to;
}
