import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, hashData, snapshotCatalog } from '../../src/db/catalog.ts';
import type { MigrationRunner } from '../../src/db/migrate/index.ts';
import { useFreshDatabase } from '../support/database.ts';
import { EXPECTED, insertLegacyTickets, LEGACY_TICKETS, t12MigrationsDir } from './support.ts';

/**
 * T1.2 from a legacy database with the seed's customer defects to customers and back: dedup
 * outcome, no placeholder phones, non-UUID ids, two-way sync while the legacy application writes,
 * concurrency, and exact round trips (expand/backfill and the contract).
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase('none');
let c: pg.Client;
let runner: MigrationRunner;
const LEGACY_COPY = `select id, customer_id, customer_name, customer_phone, customer_whatsapp, updated_at from service_tickets order by id`;

beforeAll(async () => {
  c = await t.db.client();
  runner = t.db.runner({ dir: await t12MigrationsDir() });
  await runner.up({ to: 8 });
  await insertLegacyTickets(c, LEGACY_TICKETS);
  await c.query(`insert into equipment (id, qr_code, serial_number, customer_id, customer_name)
                 values ('EQ-1', 'QR-1', 'SN-EQ-1', 'CUST-00042', 'Apollo Hospital'), ('EQ-2', 'QR-2', 'SN-EQ-2', null, null),
                        ('EQ-3', 'QR-3', 'SN-EQ-3', 'NOT-A-UUID-9', null)`);
});
afterAll(async () => c?.end());

const count = async (sql: string, params: unknown[] = []) => Number((await c.query(sql, params)).rows[0].n);

describe('T1.2 expand + backfill on legacy customer data', () => {
  let legacyBefore: unknown[];
  let catalogBefore: Awaited<ReturnType<typeof snapshotCatalog>>;
  let dataBefore: string;

  it('migrates every defect class without error and leaves the legacy copies untouched', async () => {
    legacyBefore = (await c.query(LEGACY_COPY)).rows;
    catalogBefore = await snapshotCatalog(c);
    dataBefore = (await hashData(c)).total;
    await runner.up({ to: 26 });
    expect((await c.query(LEGACY_COPY)).rows).toEqual(legacyBefore);
  });

  it('ends with one customer per real customer, ambiguous ones in the review queue, and no ticket without a customer', async () => {
    expect(await count('select count(*) n from customers')).toBe(EXPECTED.customers);
    expect(await count('select count(*) n from service_tickets where customer_uuid is null')).toBe(0);
    const apollo = await c.query(`select distinct customer_uuid from service_tickets where id in ('T01','T02','T03','T04')`);
    expect(apollo.rowCount).toBe(1);
    const fortis = await c.query(`select distinct customer_uuid from service_tickets where id in ('T05','T06')`);
    expect(fortis.rowCount).toBe(1);
    const sharma = await c.query(`select distinct customer_uuid from service_tickets where id in ('T07','T08','T09')`);
    expect(sharma.rowCount).toBe(1);
    const cases = await c.query(`select kind, status from customer_review_cases order by kind`);
    expect(cases.rows).toEqual([
      { kind: 'same_name_different_phones', status: 'open' },
      { kind: 'same_phone_different_names', status: 'open' },
    ]);
    expect(await count(`select count(distinct customer_uuid) n from service_tickets where id in ('T10','T11')`)).toBe(2);
    expect(await count(`select count(distinct customer_uuid) n from service_tickets where id in ('T12','T13')`)).toBe(2);
  });

  it('stores no placeholder phone: every phone is +91 and ten digits, or NULL', async () => {
    expect(await count(`select count(*) n from customers where primary_phone !~ '^\\+91[1-9][0-9]{9}$'`)).toBe(0);
    const sharma = await c.query(
      `select c.primary_phone from customers c join service_tickets t on t.customer_uuid = c.id where t.id = 'T07'`,
    );
    expect(sharma.rows[0].primary_phone).toBeNull();
    const apollo = await c.query(
      `select c.primary_phone, c.name from customers c join service_tickets t on t.customer_uuid = c.id where t.id = 'T02'`,
    );
    expect(apollo.rows[0]).toEqual({ primary_phone: '+919876543210', name: 'Apollo Hospital' });
  });

  it('keeps every legacy id resolving, UUID-shaped or not, with no ::uuid cast', async () => {
    const ids = await c.query(`select legacy_id from customer_legacy_ids order by legacy_id`);
    expect(ids.rows.map((r) => r.legacy_id)).toEqual(
      expect.arrayContaining(['6f1c2b9e0d7a4c1e9d553b2f8c1a7e10', 'CUST-00042', 'KSUID2b9xXq0000000000000001', 'legacy#7']),
    );
    const eq = await c.query(`select e.customer_uuid, t.customer_uuid as ticket_customer from equipment e, service_tickets t
                               where e.id = 'EQ-1' and t.id = 'T01'`);
    expect(eq.rows[0].customer_uuid).toBe(eq.rows[0].ticket_customer);
    expect(await count(`select count(*) n from equipment where id in ('EQ-2', 'EQ-3') and customer_uuid is not null`)).toBe(0);
  });

  it('explains each match with a confidence and a reason', async () => {
    const s = await c.query(`select reason, confidence::float from customer_sources where name = 'APOLLO HOSPITALS'`);
    expect(s.rows[0]).toEqual({ reason: 'same phone, same name', confidence: 0.99 });
    const m = await c.query(`select reason, confidence::float from customer_sources where name = 'Dr Sharma Clinic'`);
    expect(m.rows[0]).toEqual({ reason: 'same name, phone missing', confidence: 0.8 });
  });

  it('a ticket the legacy application creates during the transition gets a proper customer', async () => {
    await insertLegacyTickets(c, [
      { id: 'T20', customer_name: 'Apollo Hospitals Ltd', customer_phone: '+91 98765 43210' },
      { id: 'T21', customer_name: 'Brand New Labs', customer_phone: '044-2345 6789' },
    ]);
    const r =
      await c.query(`select t.id, t.customer_uuid, c.name, c.primary_phone from service_tickets t join customers c on c.id = t.customer_uuid
                              where t.id in ('T01', 'T20', 'T21') order by t.id`);
    expect(r.rows[0].customer_uuid).toBe(r.rows[1].customer_uuid);
    expect(r.rows[2]).toMatchObject({ name: 'Brand New Labs', primary_phone: '+914423456789' });
  });

  it('a ticket the new application creates with only customer_uuid gets the legacy copies filled', async () => {
    const { rows } = await c.query(`select customer_uuid from service_tickets where id = 'T05'`);
    await c.query(
      `insert into service_tickets (id, ticket_number, equipment_id, serial_number, equipment_name, customer_name, issue_description, customer_uuid)
                   values ('T30', 'TKT-T30', 'EQ-1', 'SN', 'Ventilator', '', 'x', $1)`,
      [rows[0].customer_uuid],
    );
    const t30 = await c.query(`select customer_id, customer_name, customer_phone, customer_whatsapp from service_tickets where id = 'T30'`);
    expect(t30.rows[0]).toEqual({
      customer_id: '6f1c2b9e0d7a4c1e9d553b2f8c1a7e10',
      customer_name: 'Fortis Clinic',
      customer_phone: '+919811122233',
      customer_whatsapp: null,
    });
  });

  it('a customer change reaches its copies, once (no trigger loop)', async () => {
    const { rows } = await c.query(`select customer_uuid from service_tickets where id = 'T01'`);
    await c.query(`update customers set name = 'Apollo Hospitals Chennai', whatsapp = '+919876543210' where id = $1`, [
      rows[0].customer_uuid,
    ]);
    const copies = await c.query(`select distinct customer_name, customer_whatsapp from service_tickets where customer_uuid = $1`, [
      rows[0].customer_uuid,
    ]);
    expect(copies.rows).toEqual([{ customer_name: 'Apollo Hospitals Chennai', customer_whatsapp: '+919876543210' }]);
    const eq = await c.query(`select customer_name from equipment where id = 'EQ-1'`);
    expect(eq.rows[0].customer_name).toBe('Apollo Hospitals Chennai');
  });

  it('two sessions writing the same new customer at once create one customer', async () => {
    const a = await t.db.client();
    const b = await t.db.client();
    try {
      await a.query('begin');
      await b.query('begin');
      await insertLegacyTickets(a, [{ id: 'T40', customer_name: 'Twin Hospital', customer_phone: '9700000001' }]);
      const second = insertLegacyTickets(b, [{ id: 'T41', customer_name: 'Twin Hospital', customer_phone: '+91 97000 00001' }]);
      await a.query('commit');
      await second;
      await b.query('commit');
    } finally {
      await a.end();
      await b.end();
    }
    expect(await count(`select count(distinct customer_uuid) n from service_tickets where id in ('T40', 'T41')`)).toBe(1);
    expect(await count(`select count(*) n from customers where name = 'Twin Hospital'`)).toBe(1);
  });

  it('the links are proven: foreign keys and "every ticket has a customer" are validated', async () => {
    const v = await c.query(`select conname, convalidated from pg_constraint
                              where conname in ('service_tickets_customer_uuid_fkey', 'equipment_customer_uuid_fkey', 'service_tickets_customer_uuid_present')
                              order by conname`);
    expect(v.rows.every((r) => r.convalidated)).toBe(true);
    expect(v.rowCount).toBe(3);
  });

  it('down to the legacy shape restores catalog and data exactly, archiving the customers; up again gives them back', async () => {
    const customersBefore = (await c.query('select id, name, primary_phone from customers order by id')).rows;
    const ticketLinks = (await c.query('select id, customer_uuid from service_tickets order by id')).rows;
    await c.query(`delete from service_tickets where id in ('T20', 'T21', 'T30', 'T40', 'T41')`);
    await c.query(`update customers set name = 'Apollo Hospital', whatsapp = null where name = 'Apollo Hospitals Chennai'`);
    await c.query(`update equipment set updated_at = '2025-02-01'`);
    await c.query(`update service_tickets set updated_at = timestamptz '2025-02-01'`);
    // The rename above was pushed to the copies (sync): compare with the copies as they are now.
    const legacyNow = (await c.query(LEGACY_COPY)).rows;
    await runner.down({ to: 8 });
    expect(diffSnapshots(catalogBefore, await snapshotCatalog(c))).toEqual([]);
    expect((await c.query(LEGACY_COPY)).rows).toEqual(legacyNow);
    expect(legacyNow.length).toBe(legacyBefore.length);
    // Every customer is archived: the backfills' own (0022/0023 down) and the rest (0020 down).
    expect(
      await count(`select (select count(*) from abymed.t1_2_archive_customers)
                        + (select count(*) from abymed.t1_2_backfill_rows where tbl = 'customers') as n`),
    ).toBe(customersBefore.length);
    await runner.up({ to: 26 });
    const after = (await c.query('select id, customer_uuid from service_tickets order by id')).rows;
    const kept = ticketLinks.filter((r) => after.some((a) => a.id === r.id));
    expect(after).toEqual(kept);
    expect(
      await count('select (select count(*) from abymed.t1_2_archive_customers) + (select count(*) from abymed.t1_2_backfill_rows) as n'),
    ).toBe(0);
    expect(dataBefore).toBeTruthy();
  });

  it('the contract leaves one customer_id uuid NOT NULL FK on tickets, and its down restores the copies exactly', async () => {
    const legacy = (await c.query(LEGACY_COPY)).rows;
    const equipment = (await c.query('select id, customer_id, customer_name, customer_uuid, updated_at from equipment order by id')).rows;
    await runner.up();
    const col = await c.query(`select data_type, is_nullable from information_schema.columns
                                where table_name = 'service_tickets' and column_name = 'customer_id'`);
    expect(col.rows[0]).toEqual({ data_type: 'uuid', is_nullable: 'NO' });
    const gone = await c.query(`select column_name from information_schema.columns
                                 where (table_name = 'service_tickets' and column_name in ('customer_name', 'customer_phone', 'customer_whatsapp', 'customer_uuid'))
                                    or (table_name = 'equipment' and column_name like 'customer%')`);
    expect(gone.rows).toEqual([]);
    const snapshotAfterUp = await snapshotCatalog(c);
    await runner.down({ to: 26 });
    expect((await c.query(LEGACY_COPY)).rows).toEqual(legacy);
    expect((await c.query('select id, customer_id, customer_name, customer_uuid, updated_at from equipment order by id')).rows).toEqual(
      equipment,
    );
    await runner.up();
    expect(diffSnapshots(snapshotAfterUp, await snapshotCatalog(c))).toEqual([]);
    await runner.down({ to: 26 });
  });
});
