import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedT13Counts, expectedT13Items, generateLegacyProcurement, rfqId } from '../../bench/data/procurement.ts';
import { diffSnapshots, hashData, snapshotCatalog } from '../../src/db/catalog.ts';
import type { StepResult } from '../../src/db/migrate/runner.ts';
import { compareWithManifest, reportT13 } from '../../src/procurement/validation.ts';
import { useFreshDatabase } from '../support/database.ts';
import { BEFORE_T13, T13, t13MigrationsDir } from './support.ts';

/**
 * T1.3 from the legacy shape: the validation report finds exactly the seeded defects, the backfill
 * does what the report said, the JSONB and the rows stay in step both ways while the legacy
 * application writes, and the database enforces quote lines and totals.
 */
const t = useFreshDatabase('none');
const SCALE = { rfqs: 400 };
let dir: string;
let c: pg.Client;
let legacyCatalog: Awaited<ReturnType<typeof snapshotCatalog>>;

const ok = (results: StepResult[]) => {
  const failed = results.filter((r) => r.status !== 'applied');
  if (failed.length) throw new Error(`migration failed: ${JSON.stringify(failed)}`);
  return results;
};

beforeAll(async () => {
  dir = await t13MigrationsDir();
  ok(await t.db.runner({ dir }).up({ to: BEFORE_T13 }));
  c = await t.db.client();
  await generateLegacyProcurement(c, SCALE);
  legacyCatalog = await snapshotCatalog(c);
  ok(await t.db.runner({ dir }).up({ to: T13.expand }));
});
afterAll(async () => {
  await c?.end();
});

describe('validation report (before anything moves)', () => {
  it('counts every seeded defect class exactly', async () => {
    const report = await reportT13(c);
    const expected = expectedT13Counts(SCALE);
    const found = Object.fromEntries(report.classes.map((x) => [x.id, x.count]));
    for (const [id, n] of Object.entries(expected)) expect({ id, n: found[id] ?? 0 }).toEqual({ id, n });
    const items = expectedT13Items(SCALE);
    expect(report.totals.rfqs.items).toBe(items.rfqs);
    expect(report.totals.quotes.items).toBe(items.quotes);
    expect(report.totals.rfqs.rows).toBe(SCALE.rfqs);
  });

  it('compares with a manifest by its keys', async () => {
    const report = await reportT13(c);
    const manifest = Object.fromEntries(Object.entries(expectedT13Counts(SCALE)).map(([k, rows]) => [k, { rows }]));
    const rows = compareWithManifest(report, { ...manifest, 'customers.name_variants': { rows: 3 } });
    expect(rows.map((r) => r.id)).not.toContain('customers.name_variants');
    for (const r of rows) expect(r.reported).toBe(r.expected);
  });

  it('says per class what the backfill will do', async () => {
    const report = await reportT13(c);
    const byId = Object.fromEntries(report.classes.map((x) => [x.id, x]));
    expect(byId['rfq_items.quantity_string']?.verdict).toBe('normalised');
    expect(byId['quote_items.indian_number_format']?.verdict).toBe('normalised');
    expect(byId['rfq_items.name_only']?.verdict).toBe('remark');
    for (const id of [
      'rfqs.items_not_array',
      'rfq_items.quantity_negative',
      'rfq_items.quantity_missing',
      'rfq_items.unknown_sku',
      'quote_items.total_mismatch',
      'quote_items.rfq_line_missing',
    ]) {
      expect(byId[id]?.verdict, id).toBe('quarantined');
      expect(byId[id]?.action, id).toMatch(/^quarantine/);
      expect(byId[id]?.example, id).toBeTruthy();
    }
  });

  it('is read-only: schema and data are unchanged by it', async () => {
    const before = { catalog: await snapshotCatalog(c), data: await hashData(c) };
    await reportT13(c);
    expect(diffSnapshots(before.catalog, await snapshotCatalog(c))).toEqual([]);
    expect((await hashData(c)).total).toBe(before.data.total);
  });
});

describe('backfill does what the report said', () => {
  let reportBefore: Awaited<ReturnType<typeof reportT13>>;
  beforeAll(async () => {
    reportBefore = await reportT13(c);
    ok(await t.db.runner({ dir }).up({ to: T13.quoteBackfill }));
  });

  it('writes one row per convertible item and quarantines every other item with its original JSON', async () => {
    const { rows } = await c.query(`
      select (select count(*)::int from rfq_items) as rfq_rows, (select count(*)::int from quote_items) as quote_rows,
             (select count(*)::int from procurement_item_quarantine where source_table = 'rfqs' and resolved_at is null) as rfq_q,
             (select count(*)::int from procurement_item_quarantine where source_table = 'quotes' and resolved_at is null) as quote_q`);
    const r = reportBefore.totals;
    expect(rows[0]).toEqual({
      rfq_rows: r.rfqs.asIs + r.rfqs.normalised,
      quote_rows: r.quotes.asIs + r.quotes.normalised,
      rfq_q: r.rfqs.quarantined,
      quote_q: r.quotes.quarantined,
    });
    const byDefect = await c.query<{ id: string; n: number }>(`
      select case when item_index is null then source_table when source_table = 'rfqs' then 'rfq_items' else 'quote_items' end || '.' || defect as id,
             count(*)::int as n
        from procurement_item_quarantine where resolved_at is null group by 1`);
    for (const row of byDefect.rows) {
      expect({ id: row.id, n: row.n }).toEqual({ id: row.id, n: reportBefore.classes.find((x) => x.id === row.id)?.count });
    }
  });

  it('keeps the original JSON of a quarantined item byte for byte', async () => {
    const { rows } = await c.query(`
      select count(*)::int as n from procurement_item_quarantine q
        join rfqs r on q.source_table = 'rfqs' and r.id = q.source_id
       where q.original is distinct from (case when q.item_index is null then r.items else r.items -> (q.item_index - 1) end)`);
    expect(rows[0].n).toBe(0);
  });

  it('applies the stated normalisations', async () => {
    const { rows } = await c.query(`
      select i.quantity, (r.items -> (i.line_number - 1) ->> 'quantity') as raw
        from rfq_items i join rfqs r on r.id = i.rfq_id
       where jsonb_typeof(r.items -> (i.line_number - 1) -> 'quantity') = 'string' limit 5`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.quantity).toBe(Number(row.raw));
    const indian = await c.query(`
      select i.unit_price::text as price, q.line_items -> (i.line_number - 1) ->> 'unit_price' as raw
        from quote_items i join quotes q on q.id = i.quote_id
       where jsonb_typeof(q.line_items -> (i.line_number - 1) -> 'unit_price') = 'string' limit 5`);
    expect(indian.rows.length).toBeGreaterThan(0);
    for (const row of indian.rows) {
      expect(row.raw).toContain(',');
      expect(row.price).toBe(row.raw.replaceAll(',', ''));
    }
  });

  it('links every converted quote line with an rfq_line to that RFQ line', async () => {
    const { rows } = await c.query(`
      select count(*)::int as n from quote_items i join quotes q on q.id = i.quote_id
       where (q.line_items -> (i.line_number - 1) ->> 'rfq_line') is not null and i.rfq_item_id is null`);
    expect(rows[0].n).toBe(0);
  });

  it('leaves the two shapes in step', async () => {
    expect((await c.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });

  it('is idempotent: running the jobs again changes nothing', async () => {
    const before = await hashData(c);
    const { rows } = await c.query(`select coalesce(sum(t13_sync_rfq(id)), 0)::int as n from rfqs`);
    expect(rows[0].n).toBe(0);
    expect((await hashData(c)).tables).toEqual(before.tables);
  });
});

describe('during the transition (legacy and new application side by side)', () => {
  it('shows an RFQ and a quote created by the legacy application as rows, with bad items quarantined', async () => {
    await c.query(`insert into rfqs (id, title, items) values ('LEGACY-RFQ-1', 'ICU monitors',
      '[{"line": 1, "name": "Patient monitor", "quantity": "4", "unit": "piece"}, {"line": 2, "name": "Cable", "quantity": -2}]')`);
    await c.query(`insert into quotes (id, rfq_id, line_items) values ('LEGACY-Q-1', 'LEGACY-RFQ-1',
      '[{"rfq_line": 1, "name": "Patient monitor", "quantity": 4, "unit_price": "1,25,000.00", "tax_amount": 90000, "total_price": 590000},
        {"rfq_line": 2, "name": "Cable", "quantity": 2, "unit_price": 500, "total_price": 1000}]')`);
    const rows = await c.query(`select line_number, name, quantity from rfq_items where rfq_id = 'LEGACY-RFQ-1'`);
    expect(rows.rows).toEqual([{ line_number: 1, name: 'Patient monitor', quantity: 4 }]);
    const quote = await c.query(
      `select line_number, total_price, rfq_item_id is not null as linked from quote_items where quote_id = 'LEGACY-Q-1'`,
    );
    expect(quote.rows).toEqual([{ line_number: 1, total_price: '590000.00', linked: true }]);
    const q = await c.query(`select source_table, item_index, defect from procurement_item_quarantine
      where source_id in ('LEGACY-RFQ-1', 'LEGACY-Q-1') and resolved_at is null order by 1, 2`);
    expect(q.rows).toEqual([
      { source_table: 'quotes', item_index: 2, defect: 'rfq_line_quarantined' },
      { source_table: 'rfqs', item_index: 2, defect: 'quantity_negative' },
    ]);
  });

  it('follows a legacy update: fixing the bad line converts it and its quote line, removing a line deletes its row', async () => {
    await c.query(`update rfqs set items = '[{"line": 1, "name": "Patient monitor", "quantity": 4}, {"line": 2, "name": "Cable", "quantity": 2}]'
      where id = 'LEGACY-RFQ-1'`);
    expect((await c.query(`select count(*)::int as n from quote_items where quote_id = 'LEGACY-Q-1'`)).rows[0].n).toBe(2);
    const open = await c.query(
      `select count(*)::int as n from procurement_item_quarantine where source_id in ('LEGACY-RFQ-1', 'LEGACY-Q-1') and resolved_at is null`,
    );
    expect(open.rows[0].n).toBe(0);
    await c.query(`update rfqs set items = '[{"line": 1, "name": "Patient monitor", "quantity": 4}]' where id = 'LEGACY-RFQ-1'`);
    expect((await c.query(`select line_number from rfq_items where rfq_id = 'LEGACY-RFQ-1'`)).rows).toEqual([{ line_number: 1 }]);
    // The quote still names line 2 in its JSONB: that line is now quarantined as missing, not dropped.
    const q = await c.query(`select defect from procurement_item_quarantine where source_id = 'LEGACY-Q-1' and resolved_at is null`);
    expect(q.rows).toEqual([{ defect: 'rfq_line_missing' }]);
    expect((await c.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });

  it('never fails a legacy write, whatever the JSONB holds', async () => {
    await c.query(`insert into rfqs (id, title, items) values ('LEGACY-RFQ-2', 'garbage', '"not even an object"')`);
    await c.query(`insert into quotes (id, rfq_id, line_items) values ('LEGACY-Q-2', 'NO-SUCH-RFQ', '[1, null, {"quantity": "many"}]')`);
    const q = await c.query(`select source_id, item_index, defect from procurement_item_quarantine
      where source_id in ('LEGACY-RFQ-2', 'LEGACY-Q-2') order by 1, 2`);
    expect(q.rows).toEqual([
      { source_id: 'LEGACY-Q-2', item_index: 1, defect: 'item_not_object' },
      { source_id: 'LEGACY-Q-2', item_index: 2, defect: 'item_not_object' },
      { source_id: 'LEGACY-Q-2', item_index: 3, defect: 'quantity_invalid' },
      { source_id: 'LEGACY-RFQ-2', item_index: null, defect: 'items_not_array' },
    ]);
  });

  it('follows a legacy delete of an RFQ: its lines go, its quotes keep their JSONB and quarantine the orphaned lines', async () => {
    await c.query(
      `insert into rfqs (id, title, items) values ('LEGACY-RFQ-3', 'to delete', '[{"line": 1, "name": "Defibrillator", "quantity": 1}]')`,
    );
    await c.query(`insert into quotes (id, rfq_id, line_items) values ('LEGACY-Q-3', 'LEGACY-RFQ-3',
      '[{"rfq_line": 1, "name": "Defibrillator", "quantity": 1, "unit_price": 300000, "tax_amount": 54000, "total_price": 354000}]')`);
    const before = (await c.query(`select line_items from quotes where id = 'LEGACY-Q-3'`)).rows[0].line_items;
    expect((await c.query(`select count(*)::int as n from quote_items where quote_id = 'LEGACY-Q-3'`)).rows[0].n).toBe(1);
    await c.query(`delete from rfqs where id = 'LEGACY-RFQ-3'`);
    expect((await c.query(`select line_items from quotes where id = 'LEGACY-Q-3'`)).rows[0].line_items).toEqual(before);
    expect((await c.query(`select count(*)::int as n from quote_items where quote_id = 'LEGACY-Q-3'`)).rows[0].n).toBe(0);
    const q = await c.query(`select defect from procurement_item_quarantine where source_id = 'LEGACY-Q-3' and resolved_at is null`);
    expect(q.rows).toEqual([{ defect: 'rfq_line_missing' }]);
    expect((await c.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });

  it('writes rows created by the new application into the JSONB, keeping quarantined originals', async () => {
    const rfq = rfqId(3); // line 3 of RFQ 3 holds a seeded defect? whichever: its quarantined items must survive
    const before = await c.query(`select items from rfqs where id = $1`, [rfq]);
    await c.query(`insert into rfq_items (rfq_id, line_number, name, quantity, unit) values ($1, 7, 'Spare battery', 3, 'piece')`, [rfq]);
    const after = await c.query(`select items from rfqs where id = $1`, [rfq]);
    const items = after.rows[0].items as { line: number; name: string; quantity: number }[];
    const row = await c.query(`select id from rfq_items where rfq_id = $1 and line_number = 7`, [rfq]);
    // A line the new application wrote carries its row id, so a rollback past 0030 derives it back under the same id.
    expect(items.at(-1)).toEqual({ id: row.rows[0].id, line: 7, name: 'Spare battery', quantity: 3, unit: 'piece' });
    expect(items.length).toBe((before.rows[0].items as unknown[]).length + 1);
    const item = await c.query(`select id from rfq_items where rfq_id = $1 and line_number = 7`, [rfq]);
    const quote = await c.query(`select id from quotes where rfq_id = $1 order by id limit 1`, [rfq]);
    await c.query(
      `insert into quote_items (quote_id, line_number, rfq_item_id, name, quantity, unit_price, tax_amount, discount_percentage, total_price)
       values ($1, 4, $2, 'Spare battery', 3, 2000, 1080, 10, 6480)`,
      [quote.rows[0].id, item.rows[0].id],
    );
    const li = await c.query(`select line_items -> -1 as last from quotes where id = $1`, [quote.rows[0].id]);
    expect(li.rows[0].last).toMatchObject({ rfq_line: 7, name: 'Spare battery', quantity: 3, total_price: 6480 });
    expect((await c.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });
});

describe('rules the database enforces', () => {
  it("rejects a quote line pointing to another RFQ's line, even when the client claims that RFQ", async () => {
    const other = await c.query(`select id, rfq_id from rfq_items where rfq_id <> $1 limit 1`, [rfqId(1)]);
    const quote = await c.query(`select id from quotes where rfq_id = $1 limit 1`, [rfqId(1)]);
    const attempt = (rfq: string | null) =>
      c.query(
        `insert into quote_items (quote_id, line_number, rfq_id, rfq_item_id, name, quantity, unit_price, total_price)
         values ($1, 99, $2, $3, 'x', 1, 10, 10)`,
        [quote.rows[0].id, rfq, other.rows[0].id],
      );
    await expect(attempt(null)).rejects.toMatchObject({ code: '23503' });
    await expect(attempt(other.rows[0].rfq_id)).rejects.toMatchObject({ code: '23503' });
  });

  it('rejects a total that does not add up, a negative price, a discount over 100 and a zero quantity', async () => {
    const quote = await c.query(`select id from quotes limit 1`);
    const insert = (qty: number, price: number, tax: number, discount: number, total: number) =>
      c.query(
        `insert into quote_items (quote_id, line_number, name, quantity, unit_price, tax_amount, discount_percentage, total_price)
         values ($1, 98, 'x', $2, $3, $4, $5, $6)`,
        [quote.rows[0].id, qty, price, tax, discount, total],
      );
    await expect(insert(2, 100, 18, 0, 200)).rejects.toMatchObject({ code: '23514', constraint: 'quote_items_total_price_check' });
    await expect(insert(1, -5, 0, 0, -5)).rejects.toMatchObject({ code: '23514' });
    await expect(insert(1, 100, 0, 101, -1)).rejects.toMatchObject({ code: '23514' });
    await expect(insert(0, 100, 0, 0, 0)).rejects.toMatchObject({ code: '23514' });
    await expect(
      c.query(`insert into rfq_items (rfq_id, line_number, name, quantity) values ($1, 50, 'x', -1)`, [rfqId(1)]),
    ).rejects.toMatchObject({
      code: '23514',
    });
  });

  it('rejects a second line with the same number on one RFQ', async () => {
    await expect(
      c.query(`insert into rfq_items (rfq_id, line_number, name, quantity) values ($1, 1, 'dup', 1)`, [rfqId(1)]),
    ).rejects.toMatchObject({
      code: '23505',
    });
  });
});

describe('rollback', () => {
  it('T1.3 down restores the legacy schema and data exactly; up again gives the same rows', async () => {
    const legacyTables = ['public.rfqs', 'public.quotes', 'public.products', 'public.skus'];
    const content = async () =>
      (
        await c.query(`select (select jsonb_agg(jsonb_build_array(rfq_id, line_number, product_id, sku_id, name, quantity, unit, required_by_date,
                         specifications, notes) order by rfq_id, line_number) from rfq_items) as rfq,
                              (select jsonb_agg(jsonb_build_array(quote_id, line_number, rfq_id, product_id, name, quantity, unit_price,
                         tax_amount, discount_percentage, total_price) order by quote_id, line_number) from quote_items) as quote,
                              (select count(*)::int from procurement_item_quarantine where resolved_at is null) as open`)
      ).rows[0];
    const upData = await hashData(c);
    const upCatalog = await snapshotCatalog(c);
    const upContent = await content();
    ok(await t.db.runner({ dir }).down({ to: BEFORE_T13 }));
    expect(diffSnapshots(legacyCatalog, await snapshotCatalog(c))).toEqual([]);
    const downData = await hashData(c);
    expect(Object.keys(downData.tables).some((n) => /rfq_items|quote_items|quarantine/.test(n))).toBe(false);
    for (const table of legacyTables) expect(downData.tables[table]).toBe(upData.tables[table]);
    ok(await t.db.runner({ dir }).up({ to: T13.quoteBackfill }));
    expect(diffSnapshots(upCatalog, await snapshotCatalog(c))).toEqual([]);
    expect(await content()).toEqual(upContent);
  });
});

describe('contract (0930)', () => {
  const legacyContent = async () =>
    (
      await c.query(`select (select md5(string_agg(to_jsonb(r)::text, '' order by id)) from rfqs r) as rfqs,
                            (select md5(string_agg(to_jsonb(q)::text, '' order by id)) from quotes q) as quotes`)
    ).rows[0];

  it('drops the JSONB and the sync, keeps rows and quarantine; its down gives back the exact JSONB', async () => {
    const before = { catalog: await snapshotCatalog(c), content: await legacyContent() };
    const counts = async () =>
      (
        await c.query(`select (select count(*)::int from rfq_items) as r, (select count(*)::int from quote_items) as q,
                              (select count(*)::int from procurement_item_quarantine) as x`)
      ).rows[0];
    const rowCounts = await counts();
    ok(await t.db.runner({ dir }).up({ to: T13.contract }));
    const cols = await c.query(`select table_name, column_name from information_schema.columns
      where (table_name, column_name) in (('rfqs', 'items'), ('quotes', 'line_items'))`);
    expect(cols.rows).toEqual([]);
    expect(await counts()).toEqual(rowCounts);
    ok(await t.db.runner({ dir }).down({ to: T13.quoteBackfill }));
    expect(diffSnapshots(before.catalog, await snapshotCatalog(c))).toEqual([]);
    expect(await legacyContent()).toEqual(before.content);
    expect((await c.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });

  it('a line written after the contract is in the JSONB after its down, quarantined originals too', async () => {
    ok(await t.db.runner({ dir }).up({ to: T13.contract }));
    await c.query(`insert into rfq_items (rfq_id, line_number, name, quantity) values ('LEGACY-RFQ-1', 9, 'Written after contract', 2)`);
    ok(await t.db.runner({ dir }).down({ to: T13.quoteBackfill }));
    const { rows } = await c.query(`select items from rfqs where id = 'LEGACY-RFQ-1'`);
    expect(rows[0].items).toContainEqual(expect.objectContaining({ line: 9, name: 'Written after contract', quantity: 2 }));
    const garbage = await c.query(`select items from rfqs where id = 'LEGACY-RFQ-2'`);
    expect(garbage.rows[0].items).toBe('not even an object');
    expect((await c.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });
});
