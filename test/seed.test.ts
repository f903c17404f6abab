import { spawnSync } from 'node:child_process';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, hashData, snapshotCatalog } from '../src/db/catalog.ts';
import { isAppError } from '../src/errors.ts';
import { repoRoot } from '../src/paths.ts';
import { LEGACY_TABLES, type SeedManifest, seedLegacyData } from '../src/seed/index.ts';
import { CITIES } from '../src/seed/reference.ts';
import { freshDatabase, type TestDatabase, useFreshDatabase } from './support/database.ts';

/**
 * The legacy data generator. Every count of the manifest is checked against what SQL finds in the
 * seeded tables, with queries written from the rules of legacy-schema.md and the manifest's
 * `canonical` section, not from the generator's code.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase({ to: 1 });
const others: TestDatabase[] = [];

const SCALE = 0.2;
const SEED = 7;
const HEX32 = '^[0-9a-f]{32}$';

const PINCODES = CITIES.flatMap((c) => [...c.pincodes]);
const CITY_NAMES = CITIES.map((c) => c.city);
const STATES = [...new Set(CITIES.map((c) => c.state))];

// biome-ignore lint/suspicious/noExplicitAny: rows are read by column name; a missing column fails the assertion it feeds
type Row = any;

async function one<T = Row>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await pool.query(sql, params);
  return rows[0] as T;
}

/** Every defect class as SQL finds it: key → { rows, units… }. */
async function findDefects(pool: pg.Pool): Promise<Record<string, Record<string, number>>> {
  const found: Record<string, Record<string, number>> = {};

  // Customers copied into tickets (#7): resolve the customer by uuid (32 hex digits) or legacy code.
  const tk = await one(
    pool,
    `with t as (
       select t.*, o.id as o_id, o.name as o_name, o.metadata->>'phone' as o_phone, e.owned_by_org_id
         from service_tickets t
         join organizations o on case when t.customer_id ~ '${HEX32}' then o.id = t.customer_id::uuid else o.external_ref = t.customer_id end
         left join equipment e on e.id = t.equipment_id)
     select count(*)::int as total,
            count(*) filter (where owned_by_org_id is distinct from o_id)::int as wrong_owner,
            count(*) filter (where customer_whatsapp is distinct from o_phone)::int as whatsapp_off,
            count(*) filter (where customer_id !~ '${HEX32}')::int as non_uuid,
            count(*) filter (where customer_id ~ '${HEX32}' and customer_name <> o_name)::int as name_variants,
            count(*) filter (where customer_phone ~ '^\\+91-[0-9]{10}$' and replace(customer_phone, '-', '') = o_phone)::int as dashed,
            count(*) filter (where customer_phone ~ '^0[0-9]{10}$' and '+91' || substr(customer_phone, 2) = o_phone)::int as leading_zero,
            count(*) filter (where customer_phone ~ '^\\+91 [0-9]{5} [0-9]{5}$' and replace(customer_phone, ' ', '') = o_phone)::int as spaces,
            count(*) filter (where customer_phone is null)::int as missing,
            count(*) filter (where customer_phone ~ '^\\+91[0-9]{10}$' and customer_phone <> o_phone
                               and exists (select 1 from organizations x where x.metadata->>'phone' = customer_phone and x.id <> o_id))::int as same_phone,
            count(distinct customer_phone) filter (where customer_phone ~ '^\\+91[0-9]{10}$' and customer_phone <> o_phone)::int as same_phone_phones,
            count(distinct o_id) filter (where customer_phone ~ '^\\+91[0-9]{10}$' and customer_phone <> o_phone)::int as same_phone_customers,
            count(*) filter (where customer_id = replace(o_id::text, '-', '') and customer_name = o_name and customer_phone = o_phone)::int as clean
       from t`,
  );
  expect(tk.total, 'every ticket resolves to one customer organization').toBe(await count(pool, 'service_tickets'));
  expect(tk.wrong_owner, "a ticket's customer is its device's owner").toBe(0);
  expect(tk.whatsapp_off, 'customer_whatsapp always holds the canonical phone').toBe(0);
  const eq = await one(
    pool,
    `select count(*)::int as total,
            count(*) filter (where customer_id !~ '${HEX32}' and customer_id = o.external_ref and customer_name = o.name)::int as non_uuid,
            count(*) filter (where customer_id = replace(o.id::text, '-', '') and customer_name <> o.name)::int as name_variants,
            count(*) filter (where customer_id = replace(o.id::text, '-', '') and customer_name = o.name)::int as clean
       from equipment e join organizations o on o.id = e.owned_by_org_id`,
  );
  expect(eq.total).toBe(await count(pool, 'equipment'));
  expect(eq.non_uuid + eq.name_variants + eq.clean, 'an equipment row is clean or has exactly one customer defect').toBe(eq.total);
  const variants = await one(
    pool,
    `with v as (
       select o.id, t.customer_name from service_tickets t join organizations o on o.id = t.customer_id::uuid
        where t.customer_id ~ '${HEX32}' and t.customer_name <> o.name
       union all
       select o.id, e.customer_name from equipment e join organizations o on o.id = e.owned_by_org_id
        where e.customer_id ~ '${HEX32}' and e.customer_name <> o.name)
     select count(distinct id)::int as customers, count(distinct (id, customer_name))::int as spellings from v`,
  );
  found['customers.name_variants'] = {
    rows: tk.name_variants + eq.name_variants,
    service_tickets: tk.name_variants,
    equipment: eq.name_variants,
    ...variants,
  };
  found['customers.non_uuid_id'] = { rows: tk.non_uuid + eq.non_uuid, service_tickets: tk.non_uuid, equipment: eq.non_uuid };
  found['customers.phone_formats.dashed'] = { rows: tk.dashed };
  found['customers.phone_formats.leading_zero'] = { rows: tk.leading_zero };
  found['customers.phone_formats.spaces'] = { rows: tk.spaces };
  found['customers.phone_missing'] = { rows: tk.missing };
  found['customers.same_phone_two_names'] = { rows: tk.same_phone, phones: tk.same_phone_phones, customers: tk.same_phone_customers };
  const customerClasses = ['non_uuid', 'name_variants', 'dashed', 'leading_zero', 'spaces', 'missing', 'same_phone', 'clean'] as const;
  expect(
    customerClasses.reduce((s, k) => s + (tk[k] as number), 0),
    'a ticket is clean or has exactly one customer defect',
  ).toBe(tk.total);

  // Status in two places (#6).
  const st = await one(
    pool,
    `with last as (
       select distinct on (ticket_id) ticket_id, to_status, changed_at from ticket_status_history order by ticket_id, changed_at desc, id desc)
     select count(*) filter (where l.ticket_id is null)::int as no_history,
            count(*) filter (where l.to_status <> t.status)::int as disagree,
            count(*) filter (where l.to_status <> t.status and l.changed_at < t.updated_at)::int as history_behind,
            count(*) filter (where l.to_status <> t.status and l.changed_at > t.updated_at)::int as ticket_behind
       from service_tickets t left join last l on l.ticket_id = t.id`,
  );
  found['tickets.status_disagrees_with_history'] = {
    rows: st.disagree,
    history_behind: st.history_behind,
    ticket_behind: st.ticket_behind,
  };
  found['tickets.no_history'] = { rows: st.no_history };
  const chain = await one(
    pool,
    `select count(*)::int as broken from (
       select from_status, to_status, lag(to_status) over (partition by ticket_id order by changed_at, id) as prev,
              row_number() over (partition by ticket_id order by changed_at, id) as n
         from ticket_status_history) h
      where (n = 1 and (from_status is not null or to_status <> 'new')) or (n > 1 and from_status is distinct from prev)`,
  );
  expect(chain.broken, 'history rows of a ticket form one chain from (null → new)').toBe(0);

  // The inline engineer (#1).
  const en = await one(
    pool,
    `select count(*) filter (where t.assigned_engineer_id is not null and e.id is null)::int as missing,
            count(distinct t.assigned_engineer_id) filter (where t.assigned_engineer_id is not null and e.id is null)::int as missing_engineers,
            count(*) filter (where e.id is not null and t.assigned_engineer_name <> e.full_name)::int as renamed,
            count(distinct e.id) filter (where e.id is not null and t.assigned_engineer_name <> e.full_name)::int as renamed_engineers,
            count(*) filter (where (t.assigned_engineer_id is null) <> (t.assigned_at is null))::int as inconsistent,
            count(*) filter (where t.status = 'new' and t.assigned_engineer_id is not null)::int as new_with_engineer
       from service_tickets t left join engineers e on e.id::text = t.assigned_engineer_id`,
  );
  expect([en.inconsistent, en.new_with_engineer]).toEqual([0, 0]);
  found['tickets.engineer_missing'] = { rows: en.missing, engineers: en.missing_engineers };
  found['tickets.engineer_renamed'] = { rows: en.renamed, engineers: en.renamed_engineers };

  // RFQ items inline (#4).
  const rf = await one(
    pool,
    `with el as (select r.id as rfq_id, e, ord from rfqs r, jsonb_array_elements(r.items) with ordinality x(e, ord) where jsonb_typeof(r.items) = 'array')
     select (select count(*) from rfqs where jsonb_typeof(items) = 'object')::int as not_array,
            (select count(*) from rfqs where jsonb_typeof(items) not in ('object', 'array'))::int as other_shape,
            count(*)::int as total,
            count(*) filter (where (e->>'line')::int <> ord)::int as misnumbered,
            count(*) filter (where jsonb_typeof(e->'quantity') = 'string')::int as quantity_string,
            count(*) filter (where jsonb_typeof(e->'quantity') = 'number' and (e->>'quantity')::numeric < 0)::int as quantity_negative,
            count(*) filter (where not e ? 'quantity')::int as quantity_missing,
            count(*) filter (where e ? 'sku_id' and not exists (select 1 from skus s where s.id::text = e->>'sku_id'))::int as unknown_sku,
            count(*) filter (where not e ? 'product_id' and not e ? 'sku_id')::int as name_only,
            count(*) filter (where jsonb_typeof(e->'quantity') = 'number' and (e->>'quantity')::numeric > 0
                               and exists (select 1 from skus s where s.id::text = e->>'sku_id' and s.product_id::text = e->>'product_id'))::int as clean,
            count(distinct rfq_id) filter (where jsonb_typeof(e->'quantity') = 'string')::int as quantity_string_rfqs,
            count(distinct rfq_id) filter (where not e ? 'product_id' and not e ? 'sku_id')::int as name_only_rfqs
       from el`,
  );
  expect([rf.other_shape, rf.misnumbered]).toEqual([0, 0]);
  const rfqClasses = ['quantity_string', 'quantity_negative', 'quantity_missing', 'unknown_sku', 'name_only', 'clean'] as const;
  expect(
    rfqClasses.reduce((s, k) => s + (rf[k] as number), 0),
    'an RFQ element is clean or in exactly one class',
  ).toBe(rf.total);
  const objects = await one(
    pool,
    `select count(*)::int as n from rfqs r
      where jsonb_typeof(items) = 'object' and jsonb_typeof(items->'quantity') = 'number' and (items->>'quantity')::numeric > 0
        and exists (select 1 from skus s where s.id::text = items->>'sku_id')`,
  );
  expect(objects.n, 'an object-shaped items holds one clean element').toBe(rf.not_array);
  found['rfqs.items_not_array'] = { rows: rf.not_array };
  for (const k of ['quantity_string', 'quantity_negative', 'quantity_missing', 'unknown_sku', 'name_only'] as const)
    found[`rfq_items.${k}`] = { rows: rf[k] };
  (found['rfq_items.quantity_string'] as Record<string, number>).rfqs = rf.quantity_string_rfqs;
  (found['rfq_items.name_only'] as Record<string, number>).rfqs = rf.name_only_rfqs;

  // Quote line items inline (#4).
  const INDIAN = '^[0-9]{1,2}(,[0-9]{2})*,[0-9]{3}[.][0-9]{2}$';
  const qt = await one(
    pool,
    `with el as (select q.id as quote_id, q.rfq_id, r.items as rfq_items, e from quotes q join rfqs r on r.id = q.rfq_id, jsonb_array_elements(q.line_items) e),
          n as (select *, jsonb_typeof(e->'unit_price') = 'number' and jsonb_typeof(e->'total_price') = 'number' as numeric_prices,
                       not exists (select 1 from jsonb_array_elements(rfq_items) ri where ri->>'line' = e->>'rfq_line') as line_missing from el)
     select (select count(*) from quotes)::int as quotes,
            (select count(*) from quotes q where not exists (select 1 from rfqs r where r.id = q.rfq_id and jsonb_typeof(r.items) = 'array'))::int as orphan_quotes,
            count(*)::int as total,
            count(*) filter (where numeric_prices and (e->>'total_price')::numeric <> (e->>'quantity')::numeric * (e->>'unit_price')::numeric + (e->>'tax_amount')::numeric)::int as total_mismatch,
            count(*) filter (where e->>'unit_price' ~ '${INDIAN}' and e->>'total_price' ~ '${INDIAN}'
                               and replace(e->>'total_price', ',', '')::numeric = (e->>'quantity')::numeric * replace(e->>'unit_price', ',', '')::numeric + (e->>'tax_amount')::numeric)::int as indian_number_format,
            count(*) filter (where line_missing)::int as rfq_line_missing,
            count(*) filter (where numeric_prices and not line_missing and (e->>'total_price')::numeric = (e->>'quantity')::numeric * (e->>'unit_price')::numeric + (e->>'tax_amount')::numeric
                               and exists (select 1 from skus s where s.id::text = e->>'sku_id'))::int as clean,
            count(*) filter (where not line_missing and exists (
              select 1 from jsonb_array_elements(rfq_items) ri
               where ri->>'line' = e->>'rfq_line'
                 and (jsonb_typeof(ri->'quantity') is distinct from 'number' or (ri->>'quantity')::numeric <= 0
                      or not exists (select 1 from skus s where s.id::text = ri->>'sku_id'))))::int as answers_defective,
            count(distinct quote_id) filter (where line_missing)::int as rfq_line_missing_quotes
       from n`,
  );
  expect(qt.orphan_quotes, 'every quote answers an RFQ whose items are an array').toBe(0);
  expect(
    qt.total_mismatch + qt.indian_number_format + qt.rfq_line_missing + qt.clean,
    'a quote element is clean or in exactly one class',
  ).toBe(qt.total);
  const totals = await one(
    pool,
    `select count(*)::int as off from quotes q
      where total_amount <> (select sum(replace(e->>'total_price', ',', '')::numeric) from jsonb_array_elements(q.line_items) e)`,
  );
  expect(totals.off, 'quotes.total_amount is the sum of the stored line totals').toBe(0);
  found['quote_items.total_mismatch'] = { rows: qt.total_mismatch };
  found['quote_items.indian_number_format'] = { rows: qt.indian_number_format };
  found['quote_items.rfq_line_missing'] = { rows: qt.rfq_line_missing, quotes: qt.rfq_line_missing_quotes };
  found.derived = { 'quote_items.answers_defective_rfq_item': qt.answers_defective, rfqElements: rf.total, quoteElements: qt.total };

  // Coverage arrays (#5).
  const cv = await one(
    pool,
    `select count(*)::int as total,
            count(*) filter (where cardinality(coverage_pincodes) <> (select count(distinct x) from unnest(coverage_pincodes) x))::int as duplicates,
            count(*) filter (where exists (select 1 from unnest(coverage_pincodes) x where x <> btrim(x)))::int as stray_spaces,
            count(*) filter (where exists (select 1 from unnest(coverage_cities) c where not c = any($1::text[])
                                             and lower(c) = any(select lower(x) from unnest($1::text[]) x)))::int as mixed_case,
            count(*) filter (where exists (select 1 from unnest(coverage_pincodes) x where x ~ '^ *[0-9]{6} *$' and not btrim(x) = any($2::text[])))::int as unknown_pincode,
            count(*) filter (where coverage_pincodes <@ $2::text[] and coverage_cities <@ $1::text[] and coverage_states <@ $3::text[]
                               and cardinality(coverage_pincodes) = (select count(distinct x) from unnest(coverage_pincodes) x))::int as clean
       from engineers`,
    [CITY_NAMES, PINCODES, STATES],
  );
  const coverageClasses = ['duplicates', 'stray_spaces', 'mixed_case', 'unknown_pincode', 'clean'] as const;
  expect(
    coverageClasses.reduce((s, k) => s + (cv[k] as number), 0),
    'an engineer is clean or has exactly one coverage defect',
  ).toBe(cv.total);
  for (const k of ['duplicates', 'stray_spaces', 'mixed_case', 'unknown_pincode'] as const)
    found[`engineers.coverage_${k}`] = { rows: cv[k] };

  // Contacts (#12), certifications (#8), territories (#13), price rules (#9).
  const ct = await one(
    pool,
    `select count(*) filter (where p = 2)::int as two, count(*) filter (where p = 1)::int as one, count(*) filter (where p not in (1, 2))::int as other
       from (select o.id, count(c.id) filter (where c.is_primary) as p from organizations o left join contact_persons c on c.org_id = o.id group by o.id) x`,
  );
  expect(ct.other, 'every other organization has exactly one primary contact').toBe(0);
  found['contacts.two_primaries'] = { rows: ct.two, organizations: ct.two };
  const ce = await one(
    pool,
    `select count(*)::int as groups, coalesce(sum(n - 1), 0)::int as extra, coalesce(max(n), 0)::int as biggest
       from (select count(*) as n from organization_certifications group by org_id, facility_id, certification_type having count(*) > 1) g`,
  );
  expect(ce.biggest === 0 || ce.biggest === 2).toBe(true);
  found['certifications.renewal_unlinked'] = { rows: ce.extra, groups: ce.groups };
  const te = await one(
    pool,
    `with claims as (select t.id, p from territories t, unnest(t.pincodes) p),
          shared as (select p from claims group by p having count(distinct id) > 1)
     select (select count(distinct id) from claims where p in (select p from shared))::int as territories,
            (select count(*) from shared)::int as pincodes,
            (select count(*) from (select p from claims group by p having count(distinct id) > 2) x)::int as over_claimed`,
  );
  expect(te.over_claimed).toBe(0);
  found['territories.pincode_shared'] = { rows: te.territories, pincodes: te.pincodes };
  const pr = await one(
    pool,
    `select count(*) filter (where valid_to < valid_from)::int as reversed, count(*) filter (where valid_to = valid_from)::int as equal from price_rules`,
  );
  expect(pr.equal).toBe(0);
  found['price_rules.valid_to_before_valid_from'] = { rows: pr.reversed };
  return found;
}

async function count(pool: pg.Pool, table: string): Promise<number> {
  return (await one<{ n: number }>(pool, `select count(*)::int as n from ${table}`)).n;
}

/** Compares what SQL finds with the manifest, class by class, and the row counts table by table. */
async function expectManifestMatchesData(pool: pg.Pool, manifest: SeedManifest): Promise<void> {
  for (const table of LEGACY_TABLES) expect([table, manifest.rows[table]]).toEqual([table, await count(pool, table)]);
  const found = await findDefects(pool);
  for (const [key, d] of Object.entries(manifest.defects)) {
    const f = found[key];
    expect(f, `no query for ${key}`).toBeDefined();
    const expected: Record<string, number> = { rows: d.rows, ...(d.byTable ?? {}) };
    for (const [unit, n] of Object.entries(d.units ?? {})) if (unit in (f as object)) expected[unit] = n;
    const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, (f as Record<string, number>)[k]]));
    expect([key, actual]).toEqual([key, expected]);
    // Defects are real: every class is present at the test's scale, at about its rate.
    expect(d.rows, key).toBeGreaterThan(0);
  }
  const derived = found.derived as Row;
  expect(manifest.derived['quote_items.answers_defective_rfq_item']).toBe(derived['quote_items.answers_defective_rfq_item']);
  expect(manifest.defects['rfq_items.name_only']?.population).toBe(derived.rfqElements);
  expect(manifest.defects['quote_items.total_mismatch']?.population).toBe(derived.quoteElements);
  const stored = await one<{ manifest: SeedManifest; seeded_at: Date }>(
    pool,
    'select manifest, seeded_at from abymed.seed_manifest where id = 1',
  );
  expect(stored.manifest).toEqual(manifest);
  expect(stored.seeded_at).toBeInstanceOf(Date);
}

let manifest: SeedManifest;
let hash: string;

beforeAll(async () => {
  manifest = await seedLegacyData(t.db.pool, { scale: SCALE, seed: SEED });
  hash = (await hashData(t.db.pool)).total;
});

afterAll(async () => {
  for (const db of others) await db.close();
});

describe('seedLegacyData', () => {
  it('writes what its manifest says, defect by defect, at scale 0.2', async () => {
    expect(manifest.seed).toBe(SEED);
    expect(manifest.scale).toBe(SCALE);
    await expectManifestMatchesData(t.db.pool, manifest);
  });

  it('gives the same data for the same seed and scale (also when loaded in bulk), and other data for another seed', async () => {
    // The second database is loaded the bulk way (indexes and foreign keys dropped, then rebuilt):
    // same data, and the catalog comes back exactly as the migration left it.
    const same = await freshDatabase({ to: 1 });
    others.push(same);
    const catalogBefore = await snapshotCatalog(same.pool);
    const again = await seedLegacyData(same.pool, { scale: SCALE, seed: SEED, deferIndexes: true });
    expect(again).toEqual(manifest);
    expect(diffSnapshots(catalogBefore, await snapshotCatalog(same.pool))).toEqual([]);
    const sameHash = await hashData(same.pool);
    expect(sameHash.total).toBe(hash);
    expect(Object.keys(sameHash.tables).length).toBeGreaterThanOrEqual(LEGACY_TABLES.length);

    const other = await freshDatabase({ to: 1 });
    others.push(other);
    await seedLegacyData(other.pool, { scale: SCALE, seed: SEED + 1 });
    const otherHash = await hashData(other.pool);
    expect(otherHash.total).not.toBe(hash);
    // Not only the totals: the big tables differ.
    expect(otherHash.tables['public.service_tickets']).not.toBe(sameHash.tables['public.service_tickets']);
  });

  it('refuses to seed over data, and with force truncates and seeds the same data again', async () => {
    const refused = await seedLegacyData(t.db.pool, { scale: SCALE, seed: SEED }).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('conflict');
    expect((refused as Error).message).toMatch(/already hold data.*--force/);
    expect((await hashData(t.db.pool)).total).toBe(hash);

    const progress: { table: string; done: number; total: number }[] = [];
    const forced = await seedLegacyData(t.db.pool, { scale: SCALE, seed: SEED, force: true, onProgress: (p) => progress.push(p) });
    expect(forced).toEqual(manifest);
    expect((await hashData(t.db.pool)).total).toBe(hash);
    // Progress reaches every table's total, and never runs past it.
    for (const table of LEGACY_TABLES) {
      const events = progress.filter((p) => p.table === table);
      expect(events.length, table).toBeGreaterThan(0);
      expect(events.at(-1)).toMatchObject({ done: manifest.rows[table], total: manifest.rows[table] });
      expect(events.every((p) => p.done <= p.total)).toBe(true);
    }
  });

  it('rejects bad options and a database without the legacy schema, leaving nothing behind', async () => {
    for (const bad of [
      { scale: 0, seed: 1 },
      { scale: -1, seed: 1 },
      { scale: Number.NaN, seed: 1 },
      { scale: 1, seed: 1.5 },
      { scale: 1, seed: -1 },
    ]) {
      const e = await seedLegacyData(t.db.pool, bad).catch((x: unknown) => x);
      expect(isAppError(e) && e.code, JSON.stringify(bad)).toBe('bad_request');
    }
    const empty = await freshDatabase('none');
    others.push(empty);
    const e = await seedLegacyData(empty.pool, { scale: SCALE, seed: SEED }).catch((x: unknown) => x);
    expect(isAppError(e) && e.code).toBe('conflict');
    expect((e as Error).message).toMatch(/migrate up/);
    const leftovers = await one<{ n: number }>(empty.pool, `select count(*)::int as n from pg_namespace where nspname = 'abymed'`);
    expect(leftovers.n).toBe(0);
  });

  it('scale 1 is the demo: real brands and hospitals, 3,000 tickets on 750 devices, 16 engineers', async () => {
    const demo = await freshDatabase({ to: 1 });
    others.push(demo);
    const m = await seedLegacyData(demo.pool, { scale: 1, seed: 1 });
    expect(m.rows.service_tickets).toBe(3000);
    expect(m.rows.equipment).toBe(750);
    expect(m.rows.engineers).toBe(16);
    expect(m.rows.organizations).toBeGreaterThanOrEqual(20);
    expect(m.rows.organizations).toBeLessThan(100);
    const perTicket = (m.rows.ticket_status_history as number) / 3000;
    expect(perTicket).toBeGreaterThan(3);
    expect(perTicket).toBeLessThan(5);
    const names = await demo.pool.query<{ name: string }>(`select name from organizations`);
    const all = names.rows.map((r) => r.name);
    for (const n of [
      'Siemens Healthineers India',
      'Wipro GE Healthcare',
      'Philips Healthcare India',
      'Apollo Hospitals, Delhi',
      'AIIMS New Delhi',
      'MedEquip Distributors (North)',
      'Aknamed',
    ]) {
      expect(all).toContain(n);
    }
    const demoDevices = await one<{ n: number }>(demo.pool, `select count(*)::int as n from equipment where id like 'EQ-DEMO-%'`);
    expect(demoDevices.n).toBe(5);
    const shapes = await one(
      demo.pool,
      `select count(*) filter (where length(id) = 27 and id ~ '^[0-9A-Za-z]{27}$')::int as ksuid,
              count(*) filter (where ticket_number ~ '^TKT-[0-9]{8}-[0-9]{6}$')::int as numbered,
              count(*) filter (where customer_whatsapp ~ '^\\+91[6-9][0-9]{9}$')::int as indian_phone,
              count(*)::int as total
         from service_tickets`,
    );
    expect(shapes).toEqual({ ksuid: 3000, numbered: 3000, indian_phone: 3000, total: 3000 });
    const categories = await demo.pool.query<{ category: string }>(`select distinct category from equipment order by 1`);
    expect(categories.rows.map((r) => r.category)).toEqual([
      'CT',
      'Dialysis',
      'ECG',
      'Infusion Pump',
      'MRI',
      'Patient Monitor',
      'Ultrasound',
      'Ventilator',
      'X-Ray',
    ]);
    const rfqIds = await one(demo.pool, `select count(*) filter (where length(id) = 26)::int as ulid, count(*)::int as total from rfqs`);
    expect(rfqIds.ulid).toBe(rfqIds.total);
    await expectManifestMatchesData(demo.pool, m);
  });

  it('with a device count: that many devices, dealers and customers grown with them, tickets still by scale', async () => {
    const many = await freshDatabase({ to: 1 });
    others.push(many);
    const DEVICES = 1200; // 6 times the 150 devices of scale 0.2
    const m = await seedLegacyData(many.pool, { scale: SCALE, seed: SEED, devices: DEVICES });
    expect(m.rows.equipment).toBe(DEVICES);
    expect(m.rows.service_tickets).toBe(manifest.rows.service_tickets); // by scale, as without a device count
    expect(m.rows.engineers).toBe(manifest.rows.engineers);
    const kinds = async (pool: pg.Pool) =>
      one<{ dealers: number; customers: number; devices: number }>(
        pool,
        `select count(*) filter (where org_type = 'dealer')::int as dealers,
                count(*) filter (where org_type not in ('dealer', 'distributor', 'manufacturer'))::int as customers,
                (select count(*)::int from equipment) as devices
           from organizations`,
      );
    const grown = await kinds(many.pool);
    const base = await kinds(t.db.pool);
    expect(grown.devices).toBe(DEVICES);
    expect(grown.dealers).toBeGreaterThan(base.dealers);
    expect(grown.customers).toBeGreaterThan(base.customers);
    // Every device still has an owner among the customers, and the manifest still matches the data.
    const owners = await one<{ n: number }>(
      many.pool,
      `select count(*)::int as n from equipment e join organizations o on o.id = e.owned_by_org_id
        where o.org_type not in ('dealer', 'distributor', 'manufacturer')`,
    );
    expect(owners.n).toBe(DEVICES);
    await expectManifestMatchesData(many.pool, m);
    for (const devices of [0, 24, 1.5, -3]) {
      const e = await seedLegacyData(many.pool, { scale: SCALE, seed: SEED, devices, force: true }).catch((x: unknown) => x);
      expect(isAppError(e) && e.code, String(devices)).toBe('bad_request');
    }
  });
});

function abymed(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/abymed.js', ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('abymed seed (CLI)', () => {
  const nowhere = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

  it('rejects unknown flags with a usage error and bad values with a sentence', () => {
    const unknown = abymed(['seed', '--frobnicate'], nowhere);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
    // (Each run starts the whole CLI, so one bad value per flag; the library test covers the rest.)
    for (const [flag, value, message] of [
      ['--scale', 'big', /--scale must be a number greater than 0/],
      ['--seed', '1.5', /--seed must be a whole number/],
    ] as const) {
      const r = abymed(['seed', flag, value], nowhere);
      expect([flag, value, r.code]).toEqual([flag, value, 2]);
      expect(r.stderr).toMatch(message);
    }
  });

  it('seeds a database, prints the manifest with --json, and refuses a second run without --force', async () => {
    const db = await freshDatabase({ to: 1 });
    others.push(db);
    const env = { DATABASE_URL: db.url };
    const first = abymed(['seed', '--scale', String(SCALE), '--seed', String(SEED), '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual(manifest);
    expect((await hashData(db.pool)).total).toBe(hash);
    const second = abymed(['seed', '--scale', String(SCALE), '--seed', String(SEED)], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already hold data/);
    const forced = abymed(['seed', '--scale', String(SCALE), '--seed', String(SEED), '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/service_tickets\s+600\b/);
    expect(forced.stdout).toMatch(/tickets\.no_history\s+6\b/);
  });
});
