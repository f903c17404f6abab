import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { findEngineer } from './engineers.ts';
import { assertAssignmentStep, assertTicketStep } from './state-machine.ts';
import { suggestEngineers } from './suggest-engineers.ts';
import { type AssignmentRow, activeAssignment, lockTicket, markCoreWrite, moveTicket, stateOf } from './work-context.ts';

export interface EscalateOptions {
  ticketId: string;
  reason: string;
  /** (Default: the first suggestion at the next tier or beyond) */
  nextEngineerId?: string | null;
  nextTierName?: string | null;
  escalatedBy: string;
}

/** Tiers run 1…6 (origin-facts §5a); there is nobody above the last. */
const LAST_TIER = 6;

/**
 * Closes the ticket's accepted or in-progress assignment as escalated (with the reason) and opens
 * the next one at tier + 1 (sequence + 1, type escalation) in one transaction; the ticket waits for
 * the new engineer (`assigned`). Escalating a closed ticket, or a ticket whose engineer has not
 * accepted, is a 409 with the current state and changes nothing.
 */
export async function escalateAssignment(tx: Tx, o: EscalateOptions): Promise<AssignmentRow> {
  await markCoreWrite(tx, `escalated: ${o.reason}`, o.escalatedBy);
  const ticket = await lockTicket(tx, o.ticketId);
  const current = await activeAssignment(tx, ticket.id);
  const state = stateOf(ticket, current);
  assertTicketStep('escalate', state);
  assertAssignmentStep('escalate', state);
  const from = current as AssignmentRow;
  if (from.assignment_tier >= LAST_TIER) {
    throw new AppError('invalid_transition', `assignment ${from.id} is at the last tier (${LAST_TIER}); assign an engineer instead`, {
      current: state,
    });
  }
  let tier = from.assignment_tier + 1;
  let tierName = o.nextTierName ?? null;
  let engineerId = o.nextEngineerId ?? null;
  if (!engineerId) {
    const [best] = await suggestEngineers(tx, ticket.id, { fromTier: tier, limit: 1, exclude: from.engineer_id ? [from.engineer_id] : [] });
    if (!best) throw new AppError('conflict', `no eligible engineer at tier ${tier} or beyond for ticket ${ticket.id}`, { current: state });
    engineerId = best.engineer_id;
    tier = Math.max(tier, best.tier);
    tierName ??= best.tier_name;
  }
  const engineer = await findEngineer(tx, engineerId);
  await sql`
    update engineer_assignments
       set status = 'escalated', completion_status = 'escalated', completed_at = now(), escalation_reason = ${o.reason}
     where id = ${from.id}`.execute(tx);
  const { rows } = await sql<AssignmentRow>`
    insert into engineer_assignments (ticket_id, engineer_id, engineer_name, engineer_org_id, assignment_tier, assignment_tier_name,
                                      assignment_type, assignment_reason, assigned_by)
    values (${ticket.id}, ${engineer.id}, ${engineer.full_name}, ${engineer.org_id}, ${tier}, ${tierName}, 'escalation',
            ${`Escalation from tier ${from.assignment_tier}: ${o.reason}`}, ${o.escalatedBy})
    returning *`.execute(tx);
  await moveTicket(tx, ticket, 'escalate', {}, state);
  return rows[0] as AssignmentRow;
}
