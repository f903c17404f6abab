import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { equipmentHasCustomerLink, ticketCustomerColumn } from './link-column.ts';

export interface NewTicketCustomer {
  equipmentId: string;
  /** The customer as the caller names it, if it does. */
  name?: string;
  phone?: string;
  /** Who reports the problem: the customer of last resort, as the legacy application did. */
  reporterName: string;
}

/**
 * The customer a new ticket names (T1.2), by uuid — the only way once 0920 dropped the copies:
 * one the caller names (resolved by t1_2_resolve_customer, the rule every legacy copy goes through);
 * else the device's customer: its link while devices have one (before 0920), else the customer of
 * its latest ticket; else its current owner organization (T1.4), by name; else the reporter.
 */
export async function customerForNewTicket(tx: Tx, o: NewTicketCustomer): Promise<string> {
  if (o.name) return resolve(tx, o.name, o.phone);
  const ticketLink = sql.ref(await ticketCustomerColumn(tx));
  const deviceLink = (await equipmentHasCustomerLink(tx))
    ? sql`(select e.customer_uuid from equipment e where e.id = ${o.equipmentId})`
    : sql`null::uuid`;
  const { rows } = await sql<{ id: string | null; owner: string | null }>`
    select coalesce(${deviceLink},
                    (select t.${ticketLink} from service_tickets t where t.equipment_id = ${o.equipmentId}
                      order by t.created_at desc, t.id desc limit 1)) as id,
           (select g.name from equipment_relationships r join organizations g on g.id = r.organization_id
             where r.equipment_id = ${o.equipmentId} and r.relationship_type = 'owned_by' and r.valid_to is null
             limit 1) as owner`.execute(tx);
  const found = rows[0];
  if (found?.id) return found.id;
  return found?.owner ? resolve(tx, found.owner) : resolve(tx, o.reporterName, o.phone);
}

async function resolve(tx: Tx, name: string, phone?: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    select t1_2_resolve_customer(null, ${name}, ${phone ?? null}, null, 'api') as id`.execute(tx);
  return rows[0]?.id as string;
}
