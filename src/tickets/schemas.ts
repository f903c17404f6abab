import { Type } from 'typebox';
import { LegacyId, Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';

export const TICKET_STATUSES = ['new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'] as const;
/** Statuses in which a ticket is still being worked on. */
export const OPEN_STATUSES = ['new', 'assigned', 'in_progress', 'on_hold'] as const;
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export const SOURCES = ['whatsapp', 'web', 'phone', 'email', 'scheduled'] as const;
export const COMMENT_TYPES = ['customer', 'engineer', 'internal', 'system'] as const;

const Str = Nullable(Type.String());
const At = Nullable(Timestamp);

export const Ticket = Type.Object({
  id: Type.String(),
  ticket_number: Type.String(),
  equipment_id: Type.String(),
  qr_code: Str,
  serial_number: Type.String(),
  equipment_name: Type.String(),
  customer_id: Type.Optional(Nullable(Uuid)),
  customer_name: Type.String(),
  customer_phone: Str,
  issue_category: Str,
  issue_description: Type.String(),
  priority: Str,
  source: Str,
  status: Type.String(),
  assigned_engineer_id: Str,
  assigned_engineer_name: Str,
  assignment_tier: Nullable(Type.Integer()),
  assignment_tier_name: Str,
  created_at: Timestamp,
  updated_at: Timestamp,
  acknowledged_at: At,
  resolved_at: At,
  closed_at: At,
  sla_response_due: At,
  sla_resolution_due: At,
  sla_breached: Nullable(Type.Boolean()),
  created_by: Type.String(),
});

const Phone = Type.String({ pattern: '^\\+?[0-9][0-9 -]{6,18}$', description: 'e.g. +91 98765 43210' });

export const NewTicket = Type.Object(
  {
    equipment_id: Type.Optional(LegacyId),
    qr_code: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    serial_number: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    issue_description: Type.String({ minLength: 3, maxLength: 5000 }),
    issue_category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    priority: Type.Optional(StringEnum(PRIORITIES)),
    source: Type.Optional(StringEnum(SOURCES)),
    customer_name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    customer_phone: Type.Optional(Phone),
    initial_comment: Type.Optional(Type.String({ minLength: 1, maxLength: 5000 })),
  },
  { additionalProperties: false, description: 'Name the device by exactly one of equipment_id, qr_code or serial_number.' },
);

export const TicketQuery = Type.Object({
  status: Type.Optional(StringEnum(TICKET_STATUSES)),
  open: Type.Optional(Type.Boolean({ description: 'Only tickets still being worked on (new, assigned, in_progress, on_hold)' })),
  priority: Type.Optional(StringEnum(PRIORITIES)),
  source: Type.Optional(StringEnum(SOURCES)),
  equipment_id: Type.Optional(LegacyId),
  assigned_engineer_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  created_from: Type.Optional(Type.String({ format: 'date-time' })),
  created_to: Type.Optional(Type.String({ format: 'date-time' })),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Ticket number, customer or equipment name contains' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const TicketIdParams = Type.Object({ id: LegacyId });
export const TicketNumberParams = Type.Object({ number: Type.String({ minLength: 1, maxLength: 50 }) });

export const Comment = Type.Object({
  id: Type.String(),
  ticket_id: Type.String(),
  comment_type: Str,
  author_id: Str,
  author_name: Str,
  comment: Type.String(),
  created_at: Timestamp,
});

export const NewComment = Type.Object(
  {
    comment: Type.String({ minLength: 1, maxLength: 5000 }),
    comment_type: Type.Optional(StringEnum(['engineer', 'internal', 'customer'] as const, { default: 'internal' })),
  },
  { additionalProperties: false },
);

export const StatusChange = Type.Object({
  id: Type.String(),
  from_status: Str,
  to_status: Type.String(),
  changed_by: Str,
  changed_at: Timestamp,
  reason: Str,
});
