import { beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, snapshotCatalog } from '../src/db/catalog.ts';
import { useFreshDatabase } from './support/database.ts';

/**
 * 0001_baseline: the legacy schema with its flaws, reversible to an empty public schema.
 * Everything is read back from the live catalog, never from the SQL file.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase('none');

const LEGACY_TABLES = [
  'contact_persons',
  'engineer_availability',
  'engineer_skills',
  'engineers',
  'equipment',
  'org_relationships',
  'organization_certifications',
  'organization_facilities',
  'organizations',
  'price_books',
  'price_rules',
  'products',
  'quotes',
  'rfqs',
  'service_tickets',
  'skus',
  'territories',
  'ticket_comments',
  'ticket_status_history',
];

async function publicTables(): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' order by 1`,
  );
  return rows.map((r) => r.name);
}

interface Column {
  data_type: string;
  udt_name: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

async function column(table: string, name: string): Promise<Column> {
  const { rows } = await t.db.pool.query<Column>(
    `select data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default
       from information_schema.columns where table_schema = 'public' and table_name = $1 and column_name = $2`,
    [table, name],
  );
  if (!rows[0]) throw new Error(`column ${table}.${name} does not exist`);
  return rows[0];
}

async function hasColumn(table: string, name: string): Promise<boolean> {
  const { rowCount } = await t.db.pool.query(
    `select 1 from information_schema.columns where table_schema = 'public' and table_name = $1 and column_name = $2`,
    [table, name],
  );
  return rowCount === 1;
}

/** Foreign keys whose first column is `table.col`, as `referenced_table` names. */
async function foreignKeysOf(table: string, col: string): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ ref: string }>(
    `select confrelid::regclass::text as ref
       from pg_constraint k
      where k.contype = 'f' and k.conrelid = ('public.' || $1)::regclass
        and (select attname from pg_attribute where attrelid = k.conrelid and attnum = k.conkey[1]) = $2`,
    [table, col],
  );
  return rows.map((r) => r.ref);
}

async function sqlstateOf(statement: string, params: unknown[] = []): Promise<string | undefined> {
  const client = await t.db.pool.connect();
  try {
    await client.query('begin');
    await client.query(statement, params);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

describe('0001_baseline', () => {
  it('up → down → up gives an identical catalog, and down leaves only schema_migrations', async () => {
    const runner = t.db.runner();
    const applied = await runner.up({ to: 1 });
    expect(applied.map((r) => [r.version, r.status])).toEqual([[1, 'applied']]);
    const first = await snapshotCatalog(t.db.pool);
    expect(await publicTables()).toEqual([...LEGACY_TABLES, 'schema_migrations'].sort());

    await runner.down({ to: 0 });
    expect(await publicTables()).toEqual(['schema_migrations']);
    const empty = await snapshotCatalog(t.db.pool);
    expect(empty.functions).toEqual([]);
    expect(empty.triggers).toEqual([]);
    expect(empty.indexes).toEqual([
      'CREATE UNIQUE INDEX schema_migrations_pkey ON public.schema_migrations USING btree (version) valid=true ready=true',
    ]);

    await runner.up({ to: 1 });
    const second = await snapshotCatalog(t.db.pool);
    expect(diffSnapshots(first, second)).toEqual([]);
    // The snapshot is not trivially equal: it sees the legacy schema.
    expect(first.tables.length).toBe(LEGACY_TABLES.length + 1);
    expect(first.constraints.length).toBeGreaterThan(60);
  });
});

describe('0001_baseline: the legacy shape', () => {
  // Independent of the round-trip test above: `up` applies the baseline if it is not there yet.
  beforeAll(async () => {
    await t.db.runner().up({ to: 1 });
  });

  it('creates no extension (later steps do)', async () => {
    const { rows } = await t.db.pool.query<{ extname: string }>(`select extname from pg_extension order by 1`);
    expect(rows.map((r) => r.extname)).toEqual(['plpgsql']);
  });

  it('keeps the varchar ids of #10', async () => {
    for (const [table, length] of [
      ['equipment', 32],
      ['service_tickets', 32],
      ['ticket_comments', 32],
      ['ticket_status_history', 32],
      ['quotes', 32],
      ['rfqs', 26],
    ] as const) {
      const c = await column(table, 'id');
      expect([table, c.data_type, c.character_maximum_length, c.column_default]).toEqual([table, 'character varying', length, null]);
    }
    for (const table of ['organizations', 'engineers', 'products', 'skus', 'price_books', 'price_rules', 'territories']) {
      const c = await column(table, 'id');
      expect([table, c.data_type, c.column_default]).toEqual([table, 'uuid', 'gen_random_uuid()']);
    }
    expect((await column('service_tickets', 'ticket_number')).character_maximum_length).toBe(50);
    expect((await column('quotes', 'rfq_id')).character_maximum_length).toBe(26);
  });

  it('keeps the missing foreign keys and the copied customer of #7', async () => {
    const eq = await column('service_tickets', 'equipment_id');
    expect([eq.data_type, eq.character_maximum_length, eq.is_nullable]).toEqual(['character varying', 32, 'NO']);
    expect(await foreignKeysOf('service_tickets', 'equipment_id')).toEqual([]);
    expect(await foreignKeysOf('service_tickets', 'customer_id')).toEqual([]);
    expect(await foreignKeysOf('equipment', 'customer_id')).toEqual([]);
    expect(await foreignKeysOf('quotes', 'rfq_id')).toEqual([]);
    expect(await foreignKeysOf('quotes', 'supplier_org_id')).toEqual([]);
    const cid = await column('equipment', 'customer_id');
    expect([cid.data_type, cid.character_maximum_length]).toEqual(['character varying', 32]);
    expect((await column('equipment', 'customer_name')).character_maximum_length).toBe(500);
    const name = await column('service_tickets', 'customer_name');
    expect([name.character_maximum_length, name.is_nullable]).toEqual([500, 'NO']);
    expect((await column('service_tickets', 'customer_phone')).character_maximum_length).toBe(20);
    expect((await column('service_tickets', 'customer_whatsapp')).character_maximum_length).toBe(20);
    expect(await hasColumn('service_tickets', 'customer_email')).toBe(false);
    const { rowCount } = await t.db.pool.query(`select 1 from information_schema.tables where table_name = 'customers'`);
    expect(rowCount).toBe(0);
    // ticket comments and history do reference their ticket, with cascade.
    expect(await foreignKeysOf('ticket_comments', 'ticket_id')).toEqual(['service_tickets']);
    expect(await foreignKeysOf('ticket_status_history', 'ticket_id')).toEqual(['service_tickets']);
  });

  it('keeps the inline engineer of #1', async () => {
    const id = await column('service_tickets', 'assigned_engineer_id');
    expect([id.data_type, id.character_maximum_length]).toEqual(['character varying', 64]);
    expect((await column('service_tickets', 'assigned_engineer_name')).character_maximum_length).toBe(255);
    expect((await column('service_tickets', 'assignment_tier')).data_type).toBe('integer');
    expect((await column('service_tickets', 'assignment_tier_name')).data_type).toBe('text');
    expect(await foreignKeysOf('service_tickets', 'assigned_engineer_id')).toEqual([]);
    const { rowCount } = await t.db.pool.query(`select 1 from information_schema.tables where table_name = 'engineer_assignments'`);
    expect(rowCount).toBe(0);
  });

  it('keeps the static equipment ownership of #2', async () => {
    for (const col of ['manufacturer_org_id', 'sold_by_dealer_id', 'owned_by_org_id']) {
      expect((await column('equipment', col)).data_type).toBe('uuid');
      expect(await foreignKeysOf('equipment', col)).toEqual(['organizations']);
    }
    expect(await foreignKeysOf('equipment', 'installed_facility_id')).toEqual(['organization_facilities']);
  });

  it('keeps inline relationship terms (#3), jsonb items (#4) and coverage arrays (#5)', async () => {
    const commission = await column('org_relationships', 'commission_percentage');
    expect([commission.data_type, commission.numeric_precision, commission.numeric_scale]).toEqual(['numeric', 5, 2]);
    for (const col of ['credit_limit', 'annual_target']) {
      const c = await column('org_relationships', col);
      expect([c.numeric_precision, c.numeric_scale]).toEqual([18, 2]);
    }
    expect((await column('org_relationships', 'payment_terms')).data_type).toBe('jsonb');
    const items = await column('rfqs', 'items');
    expect([items.data_type, items.is_nullable, items.column_default]).toEqual(['jsonb', 'NO', `'[]'::jsonb`]);
    const lines = await column('quotes', 'line_items');
    expect([lines.data_type, lines.is_nullable, lines.column_default]).toEqual(['jsonb', 'NO', `'[]'::jsonb`]);
    expect((await column('quotes', 'currency')).column_default).toBe(`'INR'::text`);
    for (const col of ['coverage_pincodes', 'coverage_cities', 'coverage_states', 'skills']) {
      const c = await column('engineers', col);
      expect([col, c.data_type, c.udt_name]).toEqual([col, 'ARRAY', '_text']);
    }
    for (const col of ['states', 'cities', 'districts', 'pincodes']) {
      expect((await column('territories', col)).udt_name).toBe('_text');
    }
    const { rowCount } = await t.db.pool.query(
      `select 1 from information_schema.tables where table_name in ('rfq_items', 'quote_items', 'coverage_areas', 'engineer_coverage',
         'org_relationship_terms', 'territory_assignments', 'equipment_relationships')`,
    );
    expect(rowCount).toBe(0);
  });

  it('keeps ticket_status_history unsynchronised (#6): no trigger or function writes it', async () => {
    const triggers = await t.db.pool.query<{ tgname: string; proname: string }>(
      `select t.tgname, p.proname from pg_trigger t join pg_proc p on p.oid = t.tgfoid
        where t.tgrelid in ('public.service_tickets'::regclass, 'public.ticket_status_history'::regclass) and not t.tgisinternal`,
    );
    expect(triggers.rows).toEqual([{ tgname: 'trg_service_tickets_updated_at', proname: 'set_updated_at' }]);
    const writers = await t.db.pool.query(
      `select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.prosrc ilike '%ticket_status_history%'`,
    );
    expect(writers.rowCount).toBe(0);
    // An update of the ticket's status leaves the history untouched.
    const client = await t.db.pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `insert into service_tickets (id, ticket_number, equipment_id, serial_number, equipment_name, customer_name, issue_description)
         values ('T1', 'TKT-20250101-000001', 'NO-SUCH-EQUIPMENT', 'SN1', 'ECG', 'AIIMS', 'flicker')`,
      );
      await client.query(`update service_tickets set status = 'resolved' where id = 'T1'`);
      const h = await client.query(`select count(*)::int as n from ticket_status_history`);
      expect(h.rows[0].n).toBe(0);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('keeps the remaining flaws: #8 unlinked renewals, #9 one price per (book, sku), #11–#14', async () => {
    for (const col of ['renewal_of_id', 'superseded_by_id', 'version']) {
      expect(await hasColumn('organization_certifications', col)).toBe(false);
    }
    const uniques = await t.db.pool.query<{ contype: string; cols: string }>(
      `select k.contype, (select string_agg(a.attname, ',' order by u.ord) from unnest(k.conkey) with ordinality u(attnum, ord)
                           join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum) as cols
         from pg_constraint k where k.conrelid = 'public.price_rules'::regclass and k.contype in ('u', 'x') order by 2`,
    );
    expect(uniques.rows).toEqual([{ contype: 'u', cols: 'book_id,sku_id' }]);
    expect((await column('price_rules', 'valid_to')).data_type).toBe('timestamp with time zone');
    expect(await hasColumn('price_rules', 'version')).toBe(false);
    expect((await column('engineer_skills', 'manufacturer_name')).data_type).toBe('text');
    expect(await foreignKeysOf('engineer_skills', 'manufacturer_id')).toEqual(['organizations']);
    expect((await column('contact_persons', 'is_primary')).data_type).toBe('boolean');
    expect(await hasColumn('contact_persons', 'effective_from')).toBe(false);
    expect((await column('territories', 'assigned_to_org_id')).data_type).toBe('uuid');
    expect((await column('engineer_availability', 'date')).data_type).toBe('date');
    expect(await hasColumn('engineer_availability', 'timezone')).toBe(false);
    expect((await column('engineer_availability', 'available_slots')).data_type).toBe('jsonb');
    // A second price for the same (book, sku) collides instead of adding a period.
    const code = await sqlstateOf(
      `with o as (insert into organizations (name, org_type) values ('Siemens Healthineers India', 'manufacturer') returning id),
            p as (insert into products (manufacturer_org_id, name) select id, 'MAGNETOM Sola' from o returning id),
            s as (insert into skus (product_id, sku_code) select id, 'SKU-1' from p returning id),
            b as (insert into price_books (name, channel) values ('Direct', 'DIRECT') returning id)
       insert into price_rules (book_id, sku_id, price, valid_from)
       select b.id, s.id, v.price, v.valid_from from b, s, (values (1.00, timestamptz '2025-01-01'), (2.00, timestamptz '2026-01-01')) v(price, valid_from)`,
    );
    expect(code).toBe('23505');
  });

  it('has the ticket indexes of the original', async () => {
    const { rows } = await t.db.pool.query<{ indexname: string }>(
      `select indexname from pg_indexes where schemaname = 'public' and tablename = 'service_tickets' order by 1`,
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'idx_service_tickets_assigned_engineer_id',
      'idx_service_tickets_created_at',
      'idx_service_tickets_customer_id',
      'idx_service_tickets_equipment_id',
      'idx_service_tickets_parts_used',
      'idx_service_tickets_priority',
      'idx_service_tickets_sla_breached',
      'idx_service_tickets_source',
      'idx_service_tickets_status',
      'service_tickets_pkey',
      'service_tickets_ticket_number_key',
    ]);
  });

  it('rejects values outside the enumerations with SQLSTATE 23514', async () => {
    const ticket = `insert into service_tickets (id, ticket_number, equipment_id, serial_number, equipment_name, customer_name,
                      issue_description, status, priority, source) values ('T2', 'TKT-2', 'E', 'S', 'N', 'C', 'D', $1, $2, $3)`;
    expect(await sqlstateOf(ticket, ['new', 'high', 'web'])).toBeUndefined();
    expect(await sqlstateOf(ticket, ['open', 'high', 'web'])).toBe('23514');
    expect(await sqlstateOf(ticket, ['new', 'urgent', 'web'])).toBe('23514');
    expect(await sqlstateOf(ticket, ['new', 'high', 'fax'])).toBe('23514');
    expect(await sqlstateOf(`insert into organizations (name, org_type) values ('X', 'bank')`)).toBe('23514');
    expect(await sqlstateOf(`insert into organizations (name, org_type, status) values ('X', 'hospital', 'deleted')`)).toBe('23514');
    expect(await sqlstateOf(`insert into engineers (full_name, engineer_level) values ('X', 4)`)).toBe('23514');
    expect(await sqlstateOf(`insert into rfqs (id, title, status) values ('R', 'X', 'open')`)).toBe('23514');
    expect(await sqlstateOf(`insert into price_books (name, channel) values ('X', 'RETAIL')`)).toBe('23514');
  });
});
