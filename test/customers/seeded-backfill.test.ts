import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatT12Report, reportT12, summariseCustomers, type T12Report } from '../../src/customers/validation.ts';
import { customerConsistencyChecks } from '../../src/customers/zero-downtime.ts';
import { hashData } from '../../src/db/catalog.ts';
import type { MigrationRunner } from '../../src/db/migrate/index.ts';
import { type DefectCount, type SeedManifest, seedLegacyData } from '../../src/seed/index.ts';
import { useFreshDatabase } from '../support/database.ts';
import { t12MigrationsDir } from './support.ts';

/**
 * T1.2 on real seeded legacy data (scale 0.2: 600 tickets, 150 devices): `abymed validate t1.2`
 * changes nothing and predicts exactly what the backfill then does; the backfill turns the seed
 * manifest's customer defects into one customer per customer organization, puts every number shared
 * by two customers in the review queue, and links every ticket.
 *
 * The seed's ground truth (src/seed/manifest.ts, CANONICAL): a ticket's customer is the owner of its
 * device (equipment.owned_by_org_id), and customer_whatsapp always holds that owner's canonical phone.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase('none');
let c: pg.Client;
let runner: MigrationRunner;
let manifest: SeedManifest;
let report: T12Report;

beforeAll(async () => {
  c = await t.db.client();
  runner = t.db.runner({ dir: await t12MigrationsDir() });
  await runner.up({ to: 8 });
  manifest = await seedLegacyData(t.db.pool, { scale: 0.2, seed: 20_240_611 });
  await runner.up({ to: 21 });
});
afterAll(async () => c?.end());

const rows = async (sql: string) => (await c.query(sql)).rows;
const count = async (sql: string) => Number((await c.query(sql)).rows[0].n);

describe('T1.2 on seeded legacy data', () => {
  it('abymed validate t1.2 reads only: the data is byte-identical after the report', async () => {
    const before = await hashData(c, ['public']);
    report = await reportT12(c);
    if (process.env.SHOW_REPORT) console.log(formatT12Report(report));
    expect((await hashData(c, ['public'])).total).toBe(before.total);
    expect(report.before.ticketsToLink).toBe(manifest.rows.service_tickets);
    expect(report.forecast.created).toBeGreaterThan(0);
    expect(report.forecast.merged).toBeGreaterThan(0);
    expect(report.examples.merged.length).toBeGreaterThan(0);
    expect(report.contacts.organizationsWithSeveralPrimaries).toBe(manifest.defects['contacts.two_primaries']?.units?.organizations);
  });

  it('the backfill does exactly what the report said (forecast = outcome, grouping included)', async () => {
    await runner.up({ to: 26 });
    const outcome = await summariseCustomers(c);
    const { created, merged, quarantined, devicesWithoutCustomer, ...forecast } = report.forecast;
    expect(outcome).toEqual(forecast);
    expect(await count('select count(*) n from customers')).toBe(created);
    expect(await count(`select count(*) n from customer_review_cases`)).toBe(quarantined);
    expect(
      await count(`select count(*) n from customer_sources where reason <> 'new customer' and reason not like '%held for review'`),
    ).toBe(merged);
    const demoted = await count('select count(*) n from contact_primary_conflicts');
    expect(demoted).toBe(report.contacts.demotions);
    expect(devicesWithoutCustomer).toBeGreaterThanOrEqual(0);
  });

  it('missing phones, non-UUID legacy ids and Indian phone formats migrate without error: nothing quarantined, no ticket without a customer', async () => {
    expect(await count('select count(*) n from service_tickets where customer_uuid is null')).toBe(0);
    expect(await count(`select count(*) n from abymed.quarantine where job like 't1_2_%'`)).toBe(0);
    const done = await rows(`select job, status from abymed.backfill_progress where job like 't1_2_%' order by job`);
    expect(done).toEqual([
      { job: 't1_2_equipment_customers', status: 'done' },
      { job: 't1_2_ticket_customers', status: 'done' },
    ]);
    // Every seeded class is present, so each was really exercised.
    for (const k of [
      'customers.phone_missing',
      'customers.non_uuid_id',
      'customers.phone_formats.dashed',
      'customers.phone_formats.leading_zero',
      'customers.phone_formats.spaces',
    ] as const) {
      expect(manifest.defects[k]?.rows, k).toBeGreaterThan(0);
    }
    expect(await count(`select count(*) n from customers where primary_phone !~ '^\\+91[1-9][0-9]{9}$'`)).toBe(0);
    // A non-UUID id (CUST-…) resolves to the same customer as the owner's uuid.
    expect(await count(`select count(*) n from customer_legacy_ids where legacy_id like 'CUST-%'`)).toBeGreaterThan(0);
  });

  it("the manifest's duplicate customers end as one customer each: one customer per owning organization, and the reverse", async () => {
    const owners = `select t.id, 'service_tickets' as source_table, e.owned_by_org_id as org, t.customer_uuid as customer
                      from service_tickets t join equipment e on e.id = t.equipment_id
                    union all
                    select e.id, 'equipment', e.owned_by_org_id, e.customer_uuid from equipment e where e.customer_uuid is not null`;
    expect(await count(`select count(*) n from (select org from (${owners}) o group by org having count(distinct customer) > 1) x`)).toBe(
      0,
    );
    expect(
      await count(`select count(*) n from (select customer from (${owners}) o group by customer having count(distinct org) > 1) x`),
    ).toBe(0);
    expect(await count(`select count(distinct org) n from (${owners}) o`)).toBe(await count('select count(*) n from customers'));
    // The name variants of the manifest all sit on their owner's one customer.
    const variants = manifest.defects['customers.name_variants'] as DefectCount;
    expect(variants.units?.customers).toBeGreaterThan(0);
    expect(
      await count(`select count(*) n from service_tickets t join customers c on c.id = t.customer_uuid where t.customer_name <> c.name`),
    ).toBeGreaterThanOrEqual(variants.byTable?.service_tickets ?? 0);
  });

  it('a number shared by two customers (same phone, two names) is in the review queue, for every such ticket', async () => {
    const shared = manifest.defects['customers.same_phone_two_names'] as DefectCount;
    expect(shared.rows).toBeGreaterThan(0);
    // The borrowed number is another customer's canonical one: find whose, by its whatsapp.
    const pairs = await rows(`
      select distinct t.customer_uuid as customer, o.customer_uuid as owner_of_phone
        from service_tickets t
        join lateral (select customer_uuid from service_tickets x
                       where normalize_in_phone(x.customer_whatsapp) = normalize_in_phone(t.customer_phone) limit 1) o on true
       where normalize_in_phone(t.customer_phone) <> normalize_in_phone(t.customer_whatsapp)`);
    expect(pairs.length).toBe(shared.units?.phones);
    for (const p of pairs) {
      expect(p.customer).not.toBe(p.owner_of_phone);
      const cases = await c.query(
        `select kind, status from customer_review_cases
          where (customer_id, candidate_customer_id) in (($1::uuid, $2::uuid), ($2::uuid, $1::uuid))`,
        [p.customer, p.owner_of_phone],
      );
      expect(cases.rows).toEqual([{ kind: 'same_phone_different_names', status: 'open' }]);
    }
    expect(await count(`select count(*) n from customer_review_cases`)).toBe(pairs.length);
  });

  it("the zero-downtime harness's T1.2/T3.3 consistency checks hold after the backfills and a legacy write", async () => {
    await c.query(`update service_tickets set customer_name = 'APOLLO HOSPITALS' where id = (select min(id) from service_tickets)`);
    await c.query(
      `update contact_persons set is_primary = true where id = (select min(id::text)::uuid from contact_persons where not is_primary)`,
    );
    for (const check of customerConsistencyChecks) {
      expect((await c.query(check.sql)).rows, check.name).toEqual([]);
    }
  });
});
