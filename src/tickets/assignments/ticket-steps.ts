import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertAssignmentStep, assertTicketStep, type TicketStep } from './state-machine.ts';
import { type AssignmentRow, activeAssignment, lockTicket, markCoreWrite, moveTicket, stateOf } from './work-context.ts';

/**
 * The ticket's own status steps (origin-facts §1.5: acknowledge, start, hold, resume, resolve,
 * close, cancel), each checked against the state machine under the ticket lock, with the active
 * assignment following in the same transaction:
 *   start needs an engineer, whose assignment starts too; resolve completes the engineer's work
 *   (success); cancel closes the active assignment (rejected before work began, failed after).
 */
export type TicketStatusStep = Exclude<TicketStep, 'assign' | 'escalate'>;

export interface TicketStepOptions {
  ticketId: string;
  by: string;
  reason?: string | null;
  /** resolve only */
  resolutionNotes?: string | null;
  laborHours?: number | null;
  cost?: string | null;
  partsUsed?: unknown[];
}

export interface TicketStepResult {
  ticket_id: string;
  from_status: string;
  status: string;
  assignment: AssignmentRow | null;
}

export async function moveTicketStatus(tx: Tx, step: TicketStatusStep, o: TicketStepOptions): Promise<TicketStepResult> {
  await markCoreWrite(tx, o.reason ?? step, o.by);
  const ticket = await lockTicket(tx, o.ticketId);
  const from = ticket.status;
  const active = await activeAssignment(tx, ticket.id);
  const state = stateOf(ticket, active);
  assertTicketStep(step, state);
  let assignment: AssignmentRow | null = active ?? null;

  if (step === 'acknowledge') {
    await tx
      .updateTable('service_tickets')
      .set({ acknowledged_at: sql`coalesce(acknowledged_at, now())` })
      .where('id', '=', ticket.id)
      .execute();
  } else if (step === 'start') {
    if (!active)
      throw new AppError('invalid_transition', `ticket ${ticket.id} has no engineer to start the work; assign one first`, {
        current: state,
      });
    if (active.status !== 'in_progress') {
      assertAssignmentStep('start', state);
      assignment = await setAssignment(tx, active.id, {
        status: 'in_progress',
        started_at: sql`now()`,
        accepted_at: sql`coalesce(accepted_at, now())`,
      });
    }
    await moveTicket(tx, ticket, step, {}, state);
  } else if (step === 'resolve') {
    if (active) {
      assertAssignmentStep('complete', state);
      assignment = await setAssignment(tx, active.id, {
        status: 'completed',
        completion_status: 'success',
        completed_at: sql`now()`,
        actions_taken: o.resolutionNotes ?? null,
        time_spent_hours: o.laborHours ?? null,
        parts_used: sql`${JSON.stringify(o.partsUsed ?? [])}::jsonb`,
      });
    }
    await moveTicket(
      tx,
      ticket,
      step,
      {
        resolution_notes: o.resolutionNotes ?? null,
        labor_hours: o.laborHours ?? null,
        cost: o.cost ?? null,
        parts_used: sql`${JSON.stringify(o.partsUsed ?? [])}::jsonb`,
      },
      state,
    );
  } else if (step === 'cancel') {
    if (active) {
      const reason = o.reason ? `ticket cancelled: ${o.reason}` : 'ticket cancelled';
      assignment = await setAssignment(
        tx,
        active.id,
        active.status === 'in_progress'
          ? { status: 'failed', completion_status: 'failed', completed_at: sql`now()`, escalation_reason: reason }
          : { status: 'rejected', rejected_at: sql`now()`, rejection_reason: reason },
      );
    }
    await moveTicket(tx, ticket, step, {}, state);
  } else {
    await moveTicket(tx, ticket, step, {}, state);
  }
  return { ticket_id: ticket.id, from_status: from, status: ticket.status, assignment };
}

async function setAssignment(tx: Tx, id: string, set: Record<string, unknown>): Promise<AssignmentRow> {
  return (await tx
    .updateTable('engineer_assignments')
    .set(set)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as AssignmentRow;
}
