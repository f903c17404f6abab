import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../http/schemas.ts';
import {
  AssignBody,
  Assignment,
  AssignmentIdParams,
  CompleteBody,
  EngineerBody,
  EngineerIdParams,
  EscalateBody,
  FailBody,
  FeedbackBody,
  LimitQuery,
  RejectBody,
  SuggestedEngineer,
  TicketStepBody,
  TicketStepResult,
  TimelineEntry,
  Workload,
} from './assignment-schemas.ts';
import { assignEngineer } from './assignments/assign-engineer.ts';
import * as steps from './assignments/assignment-steps.ts';
import { escalateAssignment } from './assignments/escalate-assignment.ts';
import * as read from './assignments/queries.ts';
import { suggestEngineers } from './assignments/suggest-engineers.ts';
import { moveTicketStatus, type TicketStatusStep } from './assignments/ticket-steps.ts';
import { TicketIdParams } from './schemas.ts';

/**
 * T1.1 routes under /api/v1, with the original platform's paths (origin-facts §6): assignments by
 * ticket, by assignment and by engineer, and the ticket status steps. Each route is one call into
 * src/tickets/assignments inside the caller's transaction; a refused step is a 409 whose details
 * carry the current state.
 */
const tags = ['assignments'];

/** The acting engineer: an engineer caller is always itself; others may name one (the original's body field). */
const actingEngineer = (req: FastifyRequest, bodyEngineerId?: string) => req.caller?.engineerId ?? bodyEngineerId ?? null;
const actor = (req: FastifyRequest) => req.caller?.userId ?? 'api';

const TICKET_STEPS: TicketStatusStep[] = ['acknowledge', 'start', 'hold', 'resume', 'resolve', 'close', 'cancel'];

export async function assignmentRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/tickets/:id/assign',
    {
      schema: {
        tags,
        summary: 'Assign an engineer (the ticket becomes assigned)',
        params: TicketIdParams,
        body: AssignBody,
        response: { 201: Assignment, ...errors(404, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const row = await req.withCaller((tx) =>
        assignEngineer(tx, {
          ticketId: req.params.id,
          engineerId: b.engineer_id,
          tier: b.tier,
          tierName: b.tier_name,
          reason: b.reason,
          type: b.type,
          assignedBy: b.assigned_by ?? actor(req),
        }),
      );
      return reply.status(201).send(row);
    },
  );

  r.post(
    '/tickets/:id/escalate',
    {
      schema: {
        tags,
        summary: 'Escalate to the next tier (sequence + 1, tier + 1)',
        params: TicketIdParams,
        body: EscalateBody,
        response: { 201: Assignment, ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const row = await req.withCaller((tx) =>
        escalateAssignment(tx, {
          ticketId: req.params.id,
          reason: b.reason,
          nextEngineerId: b.next_engineer_id,
          nextTierName: b.next_tier_name,
          escalatedBy: b.escalated_by ?? actor(req),
        }),
      );
      return reply.status(201).send(row);
    },
  );

  r.get(
    '/tickets/:id/current-assignment',
    {
      schema: { tags, summary: 'The active assignment of a ticket', params: TicketIdParams, response: { 200: Assignment, ...errors(404) } },
    },
    (req) => req.withCaller((tx) => read.currentAssignment(tx, req.params.id)),
  );

  for (const path of ['/tickets/:id/assignments', '/tickets/:id/assignments/history']) {
    r.get(
      path,
      {
        schema: {
          tags,
          summary: 'Every assignment of a ticket, in sequence, with durations and why each moved on',
          params: TicketIdParams,
          response: { 200: Type.Array(TimelineEntry), ...errors(404) },
        },
      },
      (req) => req.withCaller((tx) => read.listTicketAssignments(tx, req.params.id)),
    );
  }

  r.get(
    '/tickets/:id/suggested-engineers',
    {
      schema: {
        tags,
        summary: 'Eligible engineers by service tier, minimum level and workload',
        params: TicketIdParams,
        response: { 200: Type.Array(SuggestedEngineer), ...errors(404) },
      },
    },
    (req) => req.withCaller((tx) => suggestEngineers(tx, req.params.id)),
  );

  r.post(
    '/assignments/:id/accept',
    {
      schema: {
        tags,
        summary: 'Accept (assigned → accepted)',
        params: AssignmentIdParams,
        body: EngineerBody,
        response: { 200: Assignment, ...errors(404, 409) },
      },
    },
    (req) =>
      req.withCaller((tx) =>
        steps.acceptAssignment(tx, req.params.id, { engineerId: actingEngineer(req, req.body.engineer_id), by: actor(req) }),
      ),
  );
  r.post(
    '/assignments/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject (assigned|accepted → rejected)',
        params: AssignmentIdParams,
        body: RejectBody,
        response: { 200: Assignment, ...errors(404, 409) },
      },
    },
    (req) =>
      req.withCaller((tx) =>
        steps.rejectAssignment(tx, req.params.id, {
          engineerId: actingEngineer(req, req.body.engineer_id),
          by: actor(req),
          reason: req.body.reason,
        }),
      ),
  );
  r.post(
    '/assignments/:id/start',
    {
      schema: {
        tags,
        summary: 'Start work (the ticket goes in progress)',
        params: AssignmentIdParams,
        body: EngineerBody,
        response: { 200: Assignment, ...errors(404, 409) },
      },
    },
    (req) =>
      req.withCaller((tx) =>
        steps.startAssignment(tx, req.params.id, { engineerId: actingEngineer(req, req.body.engineer_id), by: actor(req) }),
      ),
  );
  r.post(
    '/assignments/:id/complete',
    {
      schema: {
        tags,
        summary: 'Complete (success resolves the ticket)',
        params: AssignmentIdParams,
        body: CompleteBody,
        response: { 200: Assignment, ...errors(404, 409) },
      },
    },
    (req) => {
      const b = req.body;
      return req.withCaller((tx) =>
        steps.completeAssignment(tx, req.params.id, {
          engineerId: actingEngineer(req, b.engineer_id),
          by: actor(req),
          completionStatus: b.completion_status,
          diagnosis: b.diagnosis,
          actionsTaken: b.actions_taken,
          partsUsed: b.parts_used,
          timeSpentHours: b.time_spent_hours,
        }),
      );
    },
  );
  r.post(
    '/assignments/:id/fail',
    {
      schema: {
        tags,
        summary: 'Fail (in_progress → failed)',
        params: AssignmentIdParams,
        body: FailBody,
        response: { 200: Assignment, ...errors(404, 409) },
      },
    },
    (req) =>
      req.withCaller((tx) =>
        steps.failAssignment(tx, req.params.id, {
          engineerId: actingEngineer(req, req.body.engineer_id),
          by: actor(req),
          reason: req.body.reason,
        }),
      ),
  );
  r.post(
    '/assignments/:id/feedback',
    {
      schema: {
        tags,
        summary: "The customer's rating of completed work",
        params: AssignmentIdParams,
        body: FeedbackBody,
        response: { 200: Assignment, ...errors(404, 409) },
      },
    },
    (req) =>
      req.withCaller((tx) =>
        steps.addCustomerFeedback(tx, req.params.id, { rating: req.body.rating, feedback: req.body.feedback, by: actor(req) }),
      ),
  );

  r.get(
    '/engineers/:id/assignments',
    {
      schema: {
        tags,
        summary: "An engineer's assignments, newest first",
        params: EngineerIdParams,
        querystring: LimitQuery,
        response: { 200: Type.Array(Assignment) },
      },
    },
    (req) => req.withCaller((tx) => read.listEngineerAssignments(tx, req.params.id, { limit: req.query.limit })),
  );
  r.get(
    '/engineers/:id/assignments/active',
    { schema: { tags, summary: "An engineer's active assignments", params: EngineerIdParams, response: { 200: Type.Array(Assignment) } } },
    (req) => req.withCaller((tx) => read.listEngineerAssignments(tx, req.params.id, { activeOnly: true, limit: 200 })),
  );
  r.get(
    '/engineers/:id/workload',
    { schema: { tags, summary: 'Active and completed counts, average hours', params: EngineerIdParams, response: { 200: Workload } } },
    (req) => req.withCaller((tx) => read.engineerWorkload(tx, req.params.id)),
  );

  for (const step of TICKET_STEPS) {
    r.post(
      `/tickets/:id/${step}`,
      {
        schema: {
          tags: ['tickets'],
          summary: `Ticket status step: ${step}`,
          params: TicketIdParams,
          body: Type.Optional(TicketStepBody),
          response: { 200: TicketStepResult, ...errors(404, 409) },
        },
      },
      (req) => {
        const b = req.body ?? {};
        return req.withCaller((tx) =>
          moveTicketStatus(tx, step, {
            ticketId: req.params.id,
            by: actor(req),
            reason: b.reason,
            resolutionNotes: b.resolution_notes,
            laborHours: b.labor_hours,
            cost: b.cost,
            partsUsed: b.parts_used,
          }),
        );
      },
    );
  }
}
