import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { findEngineer } from './engineers.ts';
import { assertTicketStep } from './state-machine.ts';
import { type AssignmentRow, activeAssignment, lockTicket, markCoreWrite, moveTicket, stateOf } from './work-context.ts';

export interface AssignEngineerOptions {
  ticketId: string;
  engineerId: string;
  /** (Default: the tier of the ticket's previous assignment, else 1) */
  tier?: number;
  tierName?: string | null;
  reason?: string | null;
  /** (Default: manual) */
  type?: 'auto' | 'manual';
  /** Who assigns: a user id or a name, kept on the assignment and in the status history. */
  assignedBy: string;
}

/**
 * Assigns an engineer to a ticket that has no active assignment; the ticket becomes `assigned` in
 * the same transaction. A second assignment while one is active is a 409 naming the active one:
 * checked here under the ticket lock, and enforced by the partial unique index for any other writer.
 */
export async function assignEngineer(tx: Tx, o: AssignEngineerOptions): Promise<AssignmentRow> {
  await markCoreWrite(tx, o.reason ?? 'engineer assigned', o.assignedBy);
  const ticket = await lockTicket(tx, o.ticketId);
  const active = await activeAssignment(tx, ticket.id);
  if (active) {
    throw new AppError('conflict', `ticket ${ticket.id} already has an active assignment (${active.engineer_name}, ${active.status})`, {
      current: stateOf(ticket, active),
      active_assignment_id: active.id,
    });
  }
  assertTicketStep('assign', stateOf(ticket));
  const engineer = await findEngineer(tx, o.engineerId);
  const { rows } = await sql<AssignmentRow>`
    insert into engineer_assignments (ticket_id, engineer_id, engineer_name, engineer_org_id, assignment_tier, assignment_tier_name,
                                      assignment_type, assignment_reason, assigned_by)
    values (${ticket.id}, ${engineer.id}, ${engineer.full_name}, ${engineer.org_id},
            coalesce(${o.tier ?? null}::int, (select assignment_tier from engineer_assignments where ticket_id = ${ticket.id}
                                               order by assignment_sequence desc limit 1), 1),
            ${o.tierName ?? null}, ${o.type ?? 'manual'}, ${o.reason ?? null}, ${o.assignedBy})
    returning *`.execute(tx);
  await moveTicket(tx, ticket, 'assign');
  return rows[0] as AssignmentRow;
}
