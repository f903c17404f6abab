import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';
import { ASSIGNMENT_STATUSES, COMPLETE_OUTCOMES, COMPLETION_STATUSES } from './assignments/state-machine.ts';

/** Request and response schemas of the T1.1 routes (origin-facts §6, docs/api/ASSIGNMENT-API.md paths). */
const Str = Nullable(Type.String());
const At = Nullable(Timestamp);

export const Assignment = Type.Object({
  id: Uuid,
  ticket_id: Type.String(),
  engineer_id: Nullable(Uuid),
  engineer_name: Type.String(),
  engineer_org_id: Nullable(Uuid),
  assignment_sequence: Type.Integer(),
  assignment_tier: Type.Integer(),
  assignment_tier_name: Str,
  assignment_type: StringEnum(['auto', 'manual', 'escalation'] as const),
  assignment_reason: Str,
  assigned_by: Str,
  assigned_at: Timestamp,
  status: StringEnum(ASSIGNMENT_STATUSES),
  accepted_at: At,
  rejected_at: At,
  rejection_reason: Str,
  started_at: At,
  completed_at: At,
  completion_status: Nullable(StringEnum(COMPLETION_STATUSES)),
  escalation_reason: Str,
  time_spent_hours: Nullable(Type.String({ description: 'Decimal hours as a string' })),
  diagnosis: Str,
  actions_taken: Str,
  parts_used: Type.Array(Type.Unknown()),
  customer_rating: Nullable(Type.Integer()),
  customer_feedback: Str,
});

export const TimelineEntry = Type.Object({
  ...Assignment.properties,
  ended_at: At,
  duration_minutes: Nullable(Type.Integer()),
  moved_on_because: Str,
});

export const AssignmentIdParams = Type.Object({ id: Uuid });
export const EngineerIdParams = Type.Object({ id: Uuid });

export const AssignBody = Type.Object(
  {
    engineer_id: Uuid,
    equipment_id: Type.Optional(Type.String({ description: 'Accepted for compatibility; the ticket names its equipment' })),
    tier: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })),
    tier_name: Type.Optional(Type.String({ maxLength: 100 })),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    type: Type.Optional(StringEnum(['auto', 'manual'] as const, { default: 'manual' })),
    assigned_by: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const EscalateBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    next_engineer_id: Type.Optional(Uuid),
    next_tier_name: Type.Optional(Type.String({ maxLength: 100 })),
    escalated_by: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const EngineerBody = Type.Object({ engineer_id: Type.Optional(Uuid) }, { additionalProperties: false });
export const RejectBody = Type.Object(
  { engineer_id: Type.Optional(Uuid), reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
export const FailBody = RejectBody;

export const Part = Type.Object({
  part_number: Type.Optional(Type.String()),
  part_name: Type.Optional(Type.String()),
  quantity: Type.Optional(Type.Number({ minimum: 0 })),
  cost: Type.Optional(Type.Number({ minimum: 0 })),
});

export const CompleteBody = Type.Object(
  {
    engineer_id: Type.Optional(Uuid),
    completion_status: StringEnum(COMPLETE_OUTCOMES),
    diagnosis: Type.Optional(Type.String({ maxLength: 5000 })),
    actions_taken: Type.Optional(Type.String({ maxLength: 5000 })),
    parts_used: Type.Optional(Type.Array(Part)),
    time_spent_hours: Type.Optional(Type.Number({ minimum: 0, maximum: 999.99 })),
  },
  { additionalProperties: false },
);

export const FeedbackBody = Type.Object(
  { rating: Type.Integer({ minimum: 1, maximum: 5 }), feedback: Type.Optional(Type.String({ maxLength: 5000 })) },
  { additionalProperties: false },
);

export const TicketStepBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    resolution_notes: Type.Optional(Type.String({ maxLength: 5000 })),
    labor_hours: Type.Optional(Type.Number({ minimum: 0, maximum: 999.99 })),
    cost: Type.Optional(Type.String({ pattern: '^\\d+(\\.\\d{1,2})?$' })),
    parts_used: Type.Optional(Type.Array(Part)),
  },
  { additionalProperties: false },
);

export const TicketStepResult = Type.Object({
  ticket_id: Type.String(),
  from_status: Type.String(),
  status: Type.String(),
  assignment: Nullable(Assignment),
});

export const SuggestedEngineer = Type.Object({
  rank: Type.Integer(),
  engineer_id: Uuid,
  full_name: Type.String(),
  org_id: Uuid,
  org_name: Type.String(),
  tier: Type.Integer(),
  tier_name: Type.String(),
  engineer_level: Type.Integer(),
  min_level: Type.Integer(),
  skill_match: Type.Boolean(),
  active_assignments: Type.Integer(),
  max_daily_tickets: Nullable(Type.Integer()),
});

export const Workload = Type.Object({
  engineer_id: Uuid,
  active_count: Type.Integer(),
  completed_count: Type.Integer(),
  avg_hours: Str,
});

export const LimitQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });
