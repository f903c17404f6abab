import type pg from 'pg';
import type { AcknowledgedWrite } from '../zero-downtime/workload.ts';
import { ksuid } from './ids.ts';
import { written } from './written.ts';

/**
 * Ticket operations of the old application, against the legacy columns only: the customer copied
 * onto the ticket, one inline engineer, and the status written first with its history row in a
 * separate statement afterwards (never in the same transaction: flaw #6 as it really happened).
 */
export const TIERS = ['Manufacturer', 'Dealer', 'Distributor', 'Service provider', 'Hospital BME'] as const;

const SLA_HOURS: Record<string, [number, number]> = { critical: [1, 4], high: [2, 8], medium: [4, 24], low: [8, 72] };

export interface EquipmentCopy {
  id: string;
  qr_code: string | null;
  serial_number: string;
  equipment_name: string | null;
  customer_id: string | null;
  customer_name: string | null;
}

export interface CreateTicketInput {
  id?: string;
  ticketNumber: string;
  equipment: EquipmentCopy;
  customerPhone: string | null;
  issueCategory: string;
  issueDescription: string;
  priority: 'critical' | 'high' | 'medium' | 'low';
  source: 'whatsapp' | 'web' | 'phone' | 'email' | 'scheduled';
  createdBy: string;
}

const TICKET_COLUMNS = [
  'ticket_number',
  'equipment_id',
  'qr_code',
  'serial_number',
  'equipment_name',
  'customer_id',
  'customer_name',
  'customer_phone',
  'customer_whatsapp',
  'issue_category',
  'issue_description',
  'priority',
  'source',
  'status',
  'sla_response_due',
  'sla_resolution_due',
  'created_by',
];

/** POST /tickets: the equipment's customer is copied onto the ticket, then the first history row. */
export async function createTicket(db: pg.ClientBase, input: CreateTicketInput): Promise<AcknowledgedWrite[]> {
  const id = input.id ?? ksuid();
  const [resp, res] = SLA_HOURS[input.priority] ?? [4, 24];
  const e = input.equipment;
  const acks = await written(
    db,
    'service_tickets',
    ['id'],
    TICKET_COLUMNS,
    `insert into service_tickets (id, ticket_number, equipment_id, qr_code, serial_number, equipment_name, customer_id,
       customer_name, customer_phone, customer_whatsapp, issue_category, issue_description, priority, source, status,
       sla_response_due, sla_resolution_due, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13, 'new',
       now() + make_interval(hours => $14), now() + make_interval(hours => $15), $16)`,
    [
      id,
      input.ticketNumber,
      e.id,
      e.qr_code,
      e.serial_number,
      e.equipment_name ?? e.serial_number,
      e.customer_id,
      e.customer_name ?? 'Unknown customer',
      input.customerPhone,
      input.issueCategory,
      input.issueDescription,
      input.priority,
      input.source,
      resp,
      res,
      input.createdBy,
    ],
  );
  return [...acks, ...(await writeHistory(db, id, null, 'new', input.createdBy, 'ticket created'))];
}

export interface AssignInput {
  ticketId: string;
  engineer: { id: string; full_name: string };
  tier: number;
  fromStatus: string;
  by: string;
}

/** Assign or reassign: overwrites the inline engineer (the previous one is lost, flaw #1). */
export async function assignEngineer(db: pg.ClientBase, input: AssignInput): Promise<AcknowledgedWrite[]> {
  const acks = await written(
    db,
    'service_tickets',
    ['id'],
    ['assigned_engineer_id', 'assigned_engineer_name', 'assignment_tier', 'assignment_tier_name', 'assigned_at', 'status'],
    `update service_tickets set assigned_engineer_id = $2, assigned_engineer_name = $3, assignment_tier = $4,
       assignment_tier_name = $5, assigned_at = now(), status = 'assigned' where id = $1`,
    [input.ticketId, input.engineer.id, input.engineer.full_name, input.tier, TIERS[input.tier - 1] ?? 'Hospital BME'],
  );
  if (input.fromStatus === 'assigned') return acks;
  return [
    ...acks,
    ...(await writeHistory(db, input.ticketId, input.fromStatus, 'assigned', input.by, `assigned to ${input.engineer.full_name}`)),
  ];
}

export interface StatusInput {
  ticketId: string;
  from: string;
  to: 'in_progress' | 'on_hold' | 'resolved' | 'closed' | 'cancelled';
  by: string;
  notes?: string;
}

const STAMP: Record<string, string> = { in_progress: 'started_at', resolved: 'resolved_at', closed: 'closed_at' };

/** PATCH /tickets/:id/status: the ticket first, then (separately) the history row. */
export async function changeStatus(db: pg.ClientBase, input: StatusInput): Promise<AcknowledgedWrite[]> {
  const stamp = STAMP[input.to];
  const columns = ['status', ...(stamp ? [stamp] : []), ...(input.to === 'resolved' ? ['resolution_notes', 'labor_hours'] : [])];
  const sets = [
    'status = $2',
    ...(stamp ? [`${stamp} = now()`] : []),
    ...(input.to === 'resolved' ? ['resolution_notes = $3', 'labor_hours = $4'] : []),
  ];
  const params: unknown[] = [input.ticketId, input.to];
  if (input.to === 'resolved') params.push(input.notes ?? 'resolved', '1.50');
  const acks = await written(db, 'service_tickets', ['id'], columns, `update service_tickets set ${sets.join(', ')} where id = $1`, params);
  return [...acks, ...(await writeHistory(db, input.ticketId, input.from, input.to, input.by, input.notes ?? null))];
}

export function writeHistory(db: pg.ClientBase, ticketId: string, from: string | null, to: string, by: string, reason: string | null) {
  return written(
    db,
    'ticket_status_history',
    ['id'],
    ['ticket_id', 'from_status', 'to_status', 'changed_by', 'reason'],
    `insert into ticket_status_history (id, ticket_id, from_status, to_status, changed_by, reason) values ($1, $2, $3, $4, $5, $6)`,
    [ksuid(), ticketId, from, to, by.slice(0, 32), reason],
  );
}

export function addComment(db: pg.ClientBase, ticketId: string, type: 'customer' | 'engineer' | 'internal', author: string, text: string) {
  return written(
    db,
    'ticket_comments',
    ['id'],
    ['ticket_id', 'comment_type', 'author_name', 'comment'],
    `insert into ticket_comments (id, ticket_id, comment_type, author_name, comment) values ($1, $2, $3, $4, $5)`,
    [ksuid(), ticketId, type, author, text],
  );
}
