import { sql } from 'kysely';
import { ticketCustomerSelection } from '../customers/ticket-customer.ts';
import type { Tx } from '../db/database.ts';

/**
 * How the API reads a ticket, on any schema from "everything expanded" to "everything contracted":
 * the ticket's own columns, its customer through customers (T1.2) and its engineer through
 * engineer_assignments (T1.1), never the legacy copies and inline columns the contracts 0910 and
 * 0920 drop.
 */
export const OWN_COLUMNS = [
  'id',
  'ticket_number',
  'equipment_id',
  'qr_code',
  'serial_number',
  'equipment_name',
  'issue_category',
  'issue_description',
  'priority',
  'source',
  'status',
  'created_at',
  'updated_at',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'sla_response_due',
  'sla_resolution_due',
  'sla_breached',
  'created_by',
] as const;

/**
 * The engineer a ticket shows: t1_1_inline_assignment(), the one rule (0010) of what the inline
 * columns showed — the active assignment, else a completed last one (who resolved it), else nobody.
 */
const shown = (column: string) => sql`(select a.${sql.ref(column)} from t1_1_inline_assignment(service_tickets.id) a)`;

export const engineerColumns = [
  sql<string | null>`${shown('engineer_id')}::text`.as('assigned_engineer_id'),
  sql<string | null>`${shown('engineer_name')}`.as('assigned_engineer_name'),
  sql<number | null>`${shown('assignment_tier')}`.as('assignment_tier'),
  sql<string | null>`${shown('assignment_tier_name')}`.as('assignment_tier_name'),
];

/** Tickets whose shown engineer is `engineerId`. */
export const shownEngineerIs = (engineerId: string) => sql<boolean>`${shown('engineer_id')}::text = ${engineerId}`;

export async function selectTickets(tx: Tx) {
  const customer = await ticketCustomerSelection(tx);
  return {
    customer,
    query: tx.selectFrom('service_tickets').select([...OWN_COLUMNS, ...customer.columns, ...engineerColumns]),
  };
}

/** One ticket as the API answers it, by id (after a write in the same transaction). */
export async function readTicket(tx: Tx, id: string) {
  return (await selectTickets(tx)).query.where('id', '=', id).executeTakeFirstOrThrow();
}
