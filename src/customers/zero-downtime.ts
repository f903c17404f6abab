import { newLegacyId } from '../ids.ts';
import { ticketsWithArchivedColumns } from '../tickets/assignments/zero-downtime.ts';
import type { ConsistencyCheck, FindAgainRule, OpContext, Workload } from '../zero-downtime/workload.ts';

/**
 * T1.2 + T3.3 in the zero-downtime harness (src/zero-downtime/registry.ts): one row per
 * disagreement, at every checkpoint while the shapes coexist.
 *   * every ticket has a customer once the link backfill is proven (0024) — the legacy
 *     application's inserts included (the 0020 triggers resolve them);
 *   * a linked ticket's copies describe its customer: either the copies are one of the customer's
 *     recorded legacy identities (customer_sources, how the backfill and triggers matched them), or
 *     they equal the customer's current fields (written or pushed from customers);
 *   * no ticket points to a merged customer (the review queue's merge re-points them all);
 *   * is_primary is true exactly when the contact holds its organization's open primary period.
 * Contract versions: 0920 (customers) and 0921 (is_primary).
 */
const CUSTOMERS_CONTRACT = 920;
const CONTACTS_CONTRACT = 921;

export const customerConsistencyChecks: ConsistencyCheck[] = [
  {
    name: 't1.2 every ticket has a customer',
    from: 24,
    until: CUSTOMERS_CONTRACT,
    sql: 'select id from service_tickets where customer_uuid is null',
  },
  {
    name: "t1.2 ticket copies describe the ticket's customer",
    from: 22,
    until: CUSTOMERS_CONTRACT,
    sql: `select t.id, t.customer_uuid, t.customer_name, t.customer_phone
            from service_tickets t join customers c on c.id = t.customer_uuid
           where not exists (select 1 from customer_sources s
                              where s.identity_key = customer_identity_key(t.customer_id, t.customer_name, t.customer_phone)
                                and s.customer_id = t.customer_uuid)
             and (t.customer_name, t.customer_phone, t.customer_whatsapp) is distinct from (left(c.name, 500), c.primary_phone, c.whatsapp)`,
  },
  {
    name: 't1.2 no ticket on a merged customer',
    from: 20,
    until: CUSTOMERS_CONTRACT,
    sql: `select t.id, t.customer_uuid from service_tickets t join customers c on c.id = t.customer_uuid where c.status = 'merged'`,
  },
  {
    name: 't3.3 is_primary = holds the open primary period',
    from: 26,
    until: CONTACTS_CONTRACT,
    sql: `select c.id, c.org_id, c.is_primary from contact_persons c
           where coalesce(c.is_primary, false) <> exists (select 1 from contact_primary_periods p
                                                           where p.contact_id = c.id and p.effective_to is null)`,
  },
];

/**
 * From the customers contract (0920) on, service_tickets keeps only `customer_id uuid` (the renamed
 * customer_uuid). The legacy application wrote the copies only before the first contract, so its
 * writes are found again in the archive 0920 took of every ticket's copies, under their legacy
 * names; the legacy `customer_id` (varchar) is listed after `t.*` so it is the one the row's JSON
 * keeps (jsonb keeps the last of duplicate keys). The rule keeps 0910's inline engineer columns.
 */
export const customerFindAgainRules: FindAgainRule[] = [
  {
    table: 'service_tickets',
    from: CUSTOMERS_CONTRACT,
    relation: ticketsWithArchivedColumns({
      columns: 'c.customer_id, c.customer_name, c.customer_phone, c.customer_whatsapp',
      joins: 'left join abymed.t1_2_archive_ticket_copies c on c.id = t.id',
    }),
  },
];

/**
 * From the contacts contract (0921) on, contact_persons.is_primary is gone: the legacy application's
 * acknowledged flips are found again as "holds the open primary period".
 */
export const contactFindAgainRules: FindAgainRule[] = [
  {
    table: 'contact_persons',
    from: CONTACTS_CONTRACT,
    relation: `(select c.*, exists (select 1 from contact_primary_periods p where p.contact_id = c.id and p.effective_to is null) as is_primary
                  from contact_persons c)`,
  },
];

interface State extends Record<string, unknown> {
  devices: { id: string; serial: string; name: string }[];
  phones: string[];
  customers: string[];
}

const pick = <T>(ctx: OpContext, list: T[]): T | undefined => list[Math.floor(ctx.rng() * list.length)];

/** The new application: a customer, then a ticket that names only it (the triggers fill the copies). */
async function customerWithTicket(ctx: OpContext): Promise<boolean> {
  const s = ctx.state as State;
  const device = pick(ctx, s.devices);
  if (!device) return false;
  const n = Math.floor(ctx.rng() * 1e9);
  const phone = `+9196${String(n).padStart(8, '0').slice(-8)}`;
  const c = await ctx.db.query(
    `insert into customers (name, primary_phone, created_by) values ($1, $2, 'customers-app')
     returning id, jsonb_build_object('name', name, 'primary_phone', primary_phone) as w`,
    [`New-app Clinic ${n}`, phone],
  );
  ctx.ack({ table: 'customers', key: { id: c.rows[0].id }, values: c.rows[0].w });
  await ctx.db.query(
    `insert into service_tickets (id, ticket_number, equipment_id, serial_number, equipment_name, customer_name, issue_description, customer_uuid)
     values ($1, next_ticket_number(), $2, $3, $4, '', 'opened by the customers app', $5)`,
    [newLegacyId(), device.id, device.serial, device.name, c.rows[0].id],
  );
  s.customers.push(c.rows[0].id);
  s.phones.push(phone);
  return true;
}

/** Renames one of this worker's customers: the name reaches its tickets' copies (push trigger). */
async function renameCustomer(ctx: OpContext): Promise<boolean> {
  const s = ctx.state as State;
  const id = pick(ctx, s.customers);
  if (!id) return false;
  const res = await ctx.db.query(
    `update customers set name = 'New-app Clinic renamed ' || floor(random() * 1e6)::int where id = $1
     returning jsonb_build_object('name', name, 'primary_phone', primary_phone) as w`,
    [id],
  );
  ctx.ack({ table: 'customers', key: { id }, values: res.rows[0].w });
  return true;
}

async function lookups(ctx: OpContext): Promise<boolean> {
  const phone = pick(ctx, (ctx.state as State).phones) ?? '+919400000000';
  await ctx.db.query('select id, name from customers where primary_phone = normalize_in_phone($1)', [phone]);
  await ctx.db.query(
    `select id, name from customers where name_key % customer_name_key($1) order by similarity(name_key, customer_name_key($1)) desc limit 10`,
    ['Apolo Hospitl'],
  );
  return true;
}

export const customersWorkload: Workload = {
  name: 'customers-app',
  from: 24,
  until: CUSTOMERS_CONTRACT,
  async prepare(db) {
    const devices = (
      await db.query<{ id: string; serial: string; name: string }>(
        `select id, serial_number as serial, coalesce(equipment_name, serial_number) as name from equipment order by id limit 50`,
      )
    ).rows;
    return { devices, phones: [], customers: [] } satisfies State;
  },
  ops: [
    { name: 'customer_with_ticket', kind: 'write', weight: 2, run: customerWithTicket },
    { name: 'rename_customer', kind: 'write', weight: 1, run: renameCustomer },
    { name: 'customer_lookups', kind: 'read', weight: 2, run: lookups },
  ],
};
