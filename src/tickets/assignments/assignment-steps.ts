import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { type AssignmentStep, assertAssignmentStep, assertTicketStep, type CompletionStatus, type TicketStep } from './state-machine.ts';
import { type AssignmentRow, type LockedTicket, lockAssignment, markCoreWrite, moveTicket, stateOf } from './work-context.ts';

/**
 * An engineer's steps on an assignment (origin-facts §4): accept, reject, start, complete, fail,
 * and the customer's feedback. Each locks the ticket then the assignment, checks the step against
 * both state machines before writing anything, updates the assignment, and moves the ticket the
 * way the step implies, all in the caller's transaction:
 *   start → the ticket is in progress (from assigned, or resumed from on hold);
 *   complete with success → resolved (actions become the resolution notes, with parts and hours);
 *   complete with parts_required / customer_unavailable → on hold.
 */
export interface StepActor {
  /** The engineer acting; must be the assignment's own. (Default: not checked, e.g. a dispatcher's API call) */
  engineerId?: string | null;
  /** Who acts (user id or name) for the status history. */
  by: string;
}

export interface CompleteOptions extends StepActor {
  completionStatus: Extract<CompletionStatus, 'success' | 'parts_required' | 'customer_unavailable'>;
  diagnosis?: string | null;
  actionsTaken?: string | null;
  partsUsed?: unknown[];
  timeSpentHours?: number | null;
}

async function begin(tx: Tx, assignmentId: string, step: AssignmentStep, actor: StepActor, reason: string) {
  await markCoreWrite(tx, reason, actor.by);
  const { ticket, assignment } = await lockAssignment(tx, assignmentId);
  const state = stateOf(ticket, assignment);
  if (actor.engineerId && actor.engineerId !== assignment.engineer_id) {
    throw new AppError('invalid_transition', `assignment ${assignment.id} belongs to another engineer`, {
      step,
      current: { ...state, engineer_id: assignment.engineer_id },
    });
  }
  assertAssignmentStep(step, state);
  return { ticket, assignment, state };
}

async function update(tx: Tx, id: string, set: Record<string, unknown>): Promise<AssignmentRow> {
  const row = await tx.updateTable('engineer_assignments').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return row as AssignmentRow;
}

/** The ticket step a start implies, or none when the ticket is already in progress. */
function ticketStepForStart(ticket: LockedTicket): TicketStep | null {
  if (ticket.status === 'in_progress') return null;
  return ticket.status === 'on_hold' ? 'resume' : 'start';
}

export async function acceptAssignment(tx: Tx, assignmentId: string, actor: StepActor): Promise<AssignmentRow> {
  const { assignment } = await begin(tx, assignmentId, 'accept', actor, 'assignment accepted');
  return update(tx, assignment.id, { status: 'accepted', accepted_at: sql`now()` });
}

export async function rejectAssignment(tx: Tx, assignmentId: string, actor: StepActor & { reason: string }): Promise<AssignmentRow> {
  const { assignment } = await begin(tx, assignmentId, 'reject', actor, `assignment rejected: ${actor.reason}`);
  return update(tx, assignment.id, { status: 'rejected', rejected_at: sql`now()`, rejection_reason: actor.reason });
}

export async function startAssignment(tx: Tx, assignmentId: string, actor: StepActor): Promise<AssignmentRow> {
  const { ticket, assignment, state } = await begin(tx, assignmentId, 'start', actor, 'work started');
  const ticketStep = ticketStepForStart(ticket);
  if (ticketStep) assertTicketStep(ticketStep, state);
  const row = await update(tx, assignment.id, {
    status: 'in_progress',
    started_at: sql`now()`,
    accepted_at: sql`coalesce(accepted_at, now())`,
  });
  if (ticketStep) await moveTicket(tx, ticket, ticketStep, {}, state);
  return row;
}

export async function completeAssignment(tx: Tx, assignmentId: string, o: CompleteOptions): Promise<AssignmentRow> {
  const { ticket, assignment, state } = await begin(tx, assignmentId, 'complete', o, `work completed: ${o.completionStatus}`);
  const ticketStep: TicketStep | null = o.completionStatus === 'success' ? 'resolve' : ticket.status === 'in_progress' ? 'hold' : null;
  if (ticketStep) assertTicketStep(ticketStep, state);
  const parts = JSON.stringify(o.partsUsed ?? []);
  const row = await update(tx, assignment.id, {
    status: 'completed',
    completed_at: sql`now()`,
    completion_status: o.completionStatus,
    diagnosis: o.diagnosis ?? null,
    actions_taken: o.actionsTaken ?? null,
    parts_used: sql`${parts}::jsonb`,
    time_spent_hours: o.timeSpentHours ?? null,
  });
  if (ticketStep === 'resolve') {
    await moveTicket(
      tx,
      ticket,
      'resolve',
      {
        resolution_notes: o.actionsTaken ?? null,
        parts_used: sql`${parts}::jsonb`,
        labor_hours: o.timeSpentHours ?? null,
      },
      state,
    );
  } else if (ticketStep) {
    await moveTicket(tx, ticket, ticketStep, {}, state);
  }
  return row;
}

export async function failAssignment(tx: Tx, assignmentId: string, actor: StepActor & { reason: string }): Promise<AssignmentRow> {
  const { assignment } = await begin(tx, assignmentId, 'fail', actor, `work failed: ${actor.reason}`);
  return update(tx, assignment.id, {
    status: 'failed',
    completion_status: 'failed',
    completed_at: sql`now()`,
    escalation_reason: actor.reason,
  });
}

export async function addCustomerFeedback(
  tx: Tx,
  assignmentId: string,
  o: { rating: number; feedback?: string | null; by: string },
): Promise<AssignmentRow> {
  const { assignment, state } = await begin(tx, assignmentId, 'feedback', { by: o.by }, 'customer feedback');
  if (assignment.customer_rating !== null && assignment.customer_rating !== undefined) {
    throw new AppError('invalid_transition', `assignment ${assignment.id} already has the customer's rating`, { current: state });
  }
  return update(tx, assignment.id, { customer_rating: o.rating, customer_feedback: o.feedback ?? null, feedback_at: sql`now()` });
}
