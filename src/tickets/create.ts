import { sql } from 'kysely';
import { ticketCustomerColumn } from '../customers/link-column.ts';
import { customerForNewTicket } from '../customers/new-ticket-customer.ts';
import type { Tx } from '../db/database.ts';
import { newLegacyId } from '../ids.ts';
import { readTicket } from './select.ts';
import { slaDue } from './sla.ts';

/**
 * Opens a ticket on a device, in the caller's transaction: the number comes from the database
 * (`next_ticket_number()`, never colliding), the device's details are copied as the ticket row
 * holds them, the customer is named by uuid (T1.2: customerForNewTicket), SLA due times follow the
 * priority, and the first status-history row is written in the same transaction as the ticket
 * (never "best effort" after it, issue #6). The answer is the ticket as the API reads it.
 */
export interface DeviceForTicket {
  id: string;
  qr_code: string | null;
  serial_number: string;
  equipment_name: string | null;
  status: string | null;
}

export interface OpenTicketInput {
  issue_description: string;
  issue_category?: string;
  priority?: string;
  source: string;
  customer_name?: string;
  customer_phone?: string;
  created_by: string;
  /** Who opens it, as the legacy varchar(32) author/changed_by columns hold it. */
  actor_id: string | null;
  actor_name: string;
  initial_comment?: string;
  comment_type?: 'customer' | 'engineer' | 'internal' | 'system';
}

/** A user id as the legacy varchar(32) actor columns can hold it: the UUID's 32 hex digits. */
export const actorId = (userId: string) => userId.replaceAll('-', '');

export async function openTicket(tx: Tx, device: DeviceForTicket, input: OpenTicketInput) {
  const now = new Date();
  // origin-facts §1: a device that is down is high priority unless the caller says otherwise.
  const priority = input.priority ?? (device.status === 'down' ? 'high' : 'medium');
  const due = slaDue(priority, now);
  const ticket = await tx
    .insertInto('service_tickets')
    .values({
      id: newLegacyId(now),
      ticket_number: sql`next_ticket_number()`,
      equipment_id: device.id,
      qr_code: device.qr_code,
      serial_number: device.serial_number,
      equipment_name: device.equipment_name ?? device.serial_number,
      [await ticketCustomerColumn(tx)]: await customerForNewTicket(tx, {
        equipmentId: device.id,
        name: input.customer_name,
        phone: input.customer_phone,
        reporterName: input.actor_name,
      }),
      issue_category: input.issue_category ?? null,
      issue_description: input.issue_description,
      priority,
      source: input.source,
      status: 'new',
      sla_response_due: due.response,
      sla_resolution_due: due.resolution,
      created_by: input.created_by.slice(0, 255),
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  // The first history row, unless the database already wrote it (T3.2's trigger does, once applied).
  await sql`
    insert into ticket_status_history (id, ticket_id, from_status, to_status, changed_by, reason)
    select ${newLegacyId(now)}, ${ticket.id}, null, 'new', ${input.actor_id}, 'opened'
     where not exists (select 1 from ticket_status_history where ticket_id = ${ticket.id})`.execute(tx);
  if (input.initial_comment) {
    await addComment(tx, ticket.id, {
      comment: input.initial_comment,
      comment_type: input.comment_type ?? 'customer',
      author_id: input.actor_id,
      author_name: input.actor_name,
    });
  }
  return readTicket(tx, ticket.id);
}

export async function addComment(
  tx: Tx,
  ticketId: string,
  c: { comment: string; comment_type: string; author_id: string | null; author_name: string },
) {
  return tx
    .insertInto('ticket_comments')
    .values({
      id: newLegacyId(),
      ticket_id: ticketId,
      comment: c.comment,
      comment_type: c.comment_type,
      author_id: c.author_id,
      author_name: c.author_name.slice(0, 255),
    })
    .returning(['id', 'ticket_id', 'comment_type', 'author_id', 'author_name', 'comment', 'created_at'])
    .executeTakeFirstOrThrow();
}
