import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';

/**
 * Where a ticket names its customer: `service_tickets.customer_uuid` while the legacy copies exist
 * (0020–0024), `service_tickets.customer_id` (uuid, NOT NULL) once the contract 0920 ran. The API
 * runs against both shapes during a zero-downtime rollout, so it asks the catalog, in the caller's
 * transaction (a cheap lookup by index), instead of caching an answer a migration can change.
 */
export type TicketCustomerColumn = 'customer_uuid' | 'customer_id';

export async function ticketCustomerColumn(tx: Tx): Promise<TicketCustomerColumn> {
  const { rows } = await sql<{ legacy: boolean }>`
    select exists (select 1 from pg_attribute where attrelid = 'service_tickets'::regclass and attname = 'customer_uuid'
                    and not attisdropped) as legacy`.execute(tx);
  return rows[0]?.legacy ? 'customer_uuid' : 'customer_id';
}

/** Whether devices still carry their customer link (dropped by the contract 0920). */
export async function equipmentHasCustomerLink(tx: Tx): Promise<boolean> {
  const { rows } = await sql<{ present: boolean }>`
    select exists (select 1 from pg_attribute where attrelid = 'equipment'::regclass and attname = 'customer_uuid'
                    and not attisdropped) as present`.execute(tx);
  return rows[0]?.present ?? false;
}
