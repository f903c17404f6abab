import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { ticketCustomerColumn } from './link-column.ts';

/**
 * How the tickets module reads a ticket's customer (T1.2): through customers, by the ticket's link
 * column, never from the legacy copies (service_tickets.customer_name/_phone), which the contract
 * 0920 drops. Scalar subqueries instead of a join keep every other column of the caller's query
 * unqualified, and row-level security still applies to customers (a tenant sees the customers of
 * the tickets it sees).
 */
export async function ticketCustomerSelection(tx: Tx) {
  const link = sql.ref(`service_tickets.${await ticketCustomerColumn(tx)}`);
  return {
    link,
    columns: [
      sql<string>`${link}`.as('customer_id'),
      sql<string>`coalesce((select c.name from customers c where c.id = ${link}), '')`.as('customer_name'),
      sql<string | null>`(select c.primary_phone from customers c where c.id = ${link})`.as('customer_phone'),
    ],
    /** A ticket whose customer's name contains `like` (an ILIKE pattern). */
    nameLike: (like: string) => sql<boolean>`exists (select 1 from customers c where c.id = ${link} and c.name ilike ${like})`,
  };
}
