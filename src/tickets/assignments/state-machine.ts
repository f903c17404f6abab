import { AppError } from '../../errors.ts';

/**
 * The two state machines of a ticket's work, as data. The assignment machine is also enforced by
 * the database (t1_1_transition_allowed in migration 0010), so no client can break it; checking it
 * here first lets a refused step answer 409 with the current state before anything is written.
 */
export const ASSIGNMENT_STATUSES = ['assigned', 'accepted', 'rejected', 'in_progress', 'completed', 'failed', 'escalated'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
export const ACTIVE_ASSIGNMENT_STATUSES = ['assigned', 'accepted', 'in_progress'] as const satisfies readonly AssignmentStatus[];
export const COMPLETION_STATUSES = ['success', 'failed', 'escalated', 'parts_required', 'customer_unavailable'] as const;
export type CompletionStatus = (typeof COMPLETION_STATUSES)[number];
/** The outcomes Complete may record; failed and escalated have their own steps. */
export const COMPLETE_OUTCOMES = ['success', 'parts_required', 'customer_unavailable'] as const;

export type AssignmentStep = 'accept' | 'reject' | 'start' | 'complete' | 'escalate' | 'fail' | 'feedback';

/** origin-facts §4, assignment.go: the statuses each step may start from. */
export const ASSIGNMENT_STEPS: Record<AssignmentStep, { from: readonly AssignmentStatus[]; to: AssignmentStatus | null }> = {
  accept: { from: ['assigned'], to: 'accepted' },
  reject: { from: ['assigned', 'accepted'], to: 'rejected' },
  start: { from: ['assigned', 'accepted'], to: 'in_progress' },
  complete: { from: ['in_progress'], to: 'completed' },
  escalate: { from: ['accepted', 'in_progress'], to: 'escalated' },
  fail: { from: ['in_progress'], to: 'failed' },
  feedback: { from: ['completed'], to: null },
};

export const isActiveAssignment = (status: string) => (ACTIVE_ASSIGNMENT_STATUSES as readonly string[]).includes(status);

export const TICKET_STATUSES = ['new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketStep = 'assign' | 'acknowledge' | 'start' | 'hold' | 'resume' | 'resolve' | 'close' | 'cancel' | 'escalate';

/**
 * origin-facts §1.5 (the ticket status machine). Assign also works on a ticket whose engineer
 * rejected, failed or was escalated away (in_progress, on_hold): it gets a new engineer and waits
 * for them to start, as the legacy application did. Acknowledge only stamps acknowledged_at.
 */
export const TICKET_STEPS: Record<TicketStep, { from: readonly TicketStatus[]; to: TicketStatus | null }> = {
  assign: { from: ['new', 'assigned', 'in_progress', 'on_hold'], to: 'assigned' },
  escalate: { from: ['assigned', 'in_progress', 'on_hold'], to: 'assigned' },
  acknowledge: { from: ['new'], to: null },
  start: { from: ['assigned'], to: 'in_progress' },
  hold: { from: ['in_progress'], to: 'on_hold' },
  resume: { from: ['on_hold'], to: 'in_progress' },
  resolve: { from: ['in_progress'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  cancel: { from: ['new', 'assigned', 'in_progress', 'on_hold', 'resolved'], to: 'cancelled' },
};

export interface CurrentState {
  ticket_id: string;
  ticket_status: string;
  assignment_id?: string | null;
  assignment_status?: string | null;
}

export function assertTicketStep(step: TicketStep, state: CurrentState): void {
  if (!(TICKET_STEPS[step].from as readonly string[]).includes(state.ticket_status)) {
    throw new AppError('invalid_transition', `cannot ${step} ticket ${state.ticket_id}: it is ${state.ticket_status}`, {
      step,
      allowed_from: TICKET_STEPS[step].from,
      current: state,
    });
  }
}

export function assertAssignmentStep(step: AssignmentStep, state: CurrentState): void {
  const status = state.assignment_status ?? '';
  if (!(ASSIGNMENT_STEPS[step].from as readonly string[]).includes(status)) {
    throw new AppError('invalid_transition', `cannot ${step} assignment ${state.assignment_id}: it is ${status || 'missing'}`, {
      step,
      allowed_from: ASSIGNMENT_STEPS[step].from,
      current: state,
    });
  }
}
