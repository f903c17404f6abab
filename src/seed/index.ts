import type pg from 'pg';
import { AppError } from '../errors.ts';
import { seedCatalog } from './catalog.ts';
import { BASE_MS, DEVICES_PER_SCALE, SeedContext, type SeedProgress } from './context.ts';
import { seedEngineers } from './engineers.ts';
import { seedEquipment } from './equipment.ts';
import { CANONICAL, DEFECTS, type DefectCount, type DefectKey, type SeedManifest } from './manifest.ts';
import { seedOrganizations } from './organizations.ts';
import { seedProcurement } from './procurement.ts';
import { CITIES, REFERENCE_PINCODES, REFERENCE_STATES } from './reference.ts';
import { seedTickets, ticketCount } from './tickets.ts';
import type { World } from './world.ts';

export type { SeedProgress } from './context.ts';
export type { DefectCount, DefectKey, SeedManifest } from './manifest.ts';
export { DEFECTS } from './manifest.ts';

/**
 * The legacy data generator: fills the baseline (legacy) schema with Indian demo data at any scale,
 * deterministically from a seed, with every inconsistency of legacy-schema.md at a known rate, and
 * returns (and stores in abymed.seed_manifest) the manifest counting each seeded defect exactly.
 * Everything happens in one transaction: on any error nothing is left behind.
 */
export interface SeedOptions {
  /** 1 = a demo: ~74 organizations, 750 devices, 16 engineers, 3,000 tickets. 333.3334 = 1,000,000 tickets. */
  scale: number;
  /** Any integer 0 … 2^32−1; the same seed and scale give the same data. */
  seed: number;
  /**
   * Devices to generate instead of 750 per scale unit; the dealers and customers grow with them (one
   * scale unit per 750 devices), so an organization holds as many devices as at the default, while
   * engineers, tickets and RFQs still follow `scale`. For reads over many devices without millions
   * of tickets (the T1.4 benchmark at 1M devices). (Default: 750 × scale)
   */
  devices?: number;
  /** Truncate the legacy tables first instead of refusing when they hold data. */
  force?: boolean;
  /**
   * Drop the secondary indexes and foreign keys of the four big tables before loading and recreate
   * them (same names, same definitions) afterwards: a sorted index build and one validating join
   * are much cheaper than maintaining them row by row. (Default: from 50,000 tickets or devices up)
   */
  deferIndexes?: boolean;
  onProgress?: (p: SeedProgress) => void;
}

/** Tables of the legacy schema, parents first (the order they are loaded in). */
export const LEGACY_TABLES = [
  'organizations',
  'organization_facilities',
  'contact_persons',
  'organization_certifications',
  'territories',
  'org_relationships',
  'products',
  'skus',
  'price_books',
  'price_rules',
  'engineers',
  'engineer_skills',
  'engineer_availability',
  'equipment',
  'service_tickets',
  'ticket_status_history',
  'ticket_comments',
  'rfqs',
  'quotes',
] as const;

export const MAX_SCALE = 10_000;
export const MAX_DEVICES = DEVICES_PER_SCALE * MAX_SCALE;

function validate(options: SeedOptions): void {
  if (typeof options.scale !== 'number' || !Number.isFinite(options.scale) || options.scale <= 0 || options.scale > MAX_SCALE) {
    throw new AppError('bad_request', `scale must be a number greater than 0 and at most ${MAX_SCALE}, got ${String(options.scale)}`);
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new AppError('bad_request', `seed must be a whole number from 0 to ${0xffffffff}, got ${String(options.seed)}`);
  }
  const devices = options.devices;
  if (devices !== undefined && (!Number.isInteger(devices) || devices < 25 || devices > MAX_DEVICES)) {
    throw new AppError('bad_request', `devices must be a whole number from 25 to ${MAX_DEVICES}, got ${String(devices)}`);
  }
}

async function prepare(client: pg.PoolClient, force: boolean): Promise<void> {
  const { rows: present } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname = any($1)`,
    [LEGACY_TABLES],
  );
  const missing = LEGACY_TABLES.filter((t) => !present.some((p) => p.name === t));
  if (missing.length > 0) {
    throw new AppError('conflict', `the legacy schema is not there (missing: ${missing.join(', ')}); run \`abymed migrate up\` first`, {
      missing,
    });
  }
  const counts = await client.query<{ name: string; has_rows: boolean }>(
    LEGACY_TABLES.map((t) => `select '${t}' as name, exists (select 1 from ${t}) as has_rows`).join(' union all '),
  );
  const filled = counts.rows.filter((r) => r.has_rows).map((r) => r.name);
  if (filled.length === 0) return;
  if (!force) {
    throw new AppError(
      'conflict',
      `the legacy tables already hold data (${filled.join(', ')}); seeding would mix two data sets. Use --force (option force: true) to truncate them first`,
      { filled },
    );
  }
  await client.query(`truncate ${LEGACY_TABLES.join(', ')} cascade`);
}

/** The tables whose indexes and foreign keys bulk loading defers. */
const BULK_TABLES = ['equipment', 'service_tickets', 'ticket_status_history', 'ticket_comments'];
export const DEFER_INDEXES_FROM_TICKETS = 50_000;

/**
 * Drops the valid secondary indexes (those backing no constraint) and the validated foreign keys of
 * the bulk tables, and returns the statements that recreate them exactly, comments included. Invalid
 * indexes and NOT VALID constraints are left alone, so the catalog after recreation is the one before.
 */
async function deferIndexesAndForeignKeys(client: pg.PoolClient): Promise<string[]> {
  const { rows: indexes } = await client.query<{ name: string; def: string; comment: string | null }>(
    `select format('%I.%I', n.nspname, ic.relname) as name, pg_get_indexdef(i.indexrelid) as def,
            obj_description(i.indexrelid, 'pg_class') as comment
       from pg_index i
       join pg_class ic on ic.oid = i.indexrelid
       join pg_class t on t.oid = i.indrelid
       join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema() and t.relname = any($1) and i.indisvalid and i.indisready
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by 1`,
    [BULK_TABLES],
  );
  const { rows: keys } = await client.query<{ tbl: string; name: string; def: string; comment: string | null }>(
    `select format('%I.%I', n.nspname, t.relname) as tbl, quote_ident(c.conname) as name, pg_get_constraintdef(c.oid) as def,
            obj_description(c.oid, 'pg_constraint') as comment
       from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema() and t.relname = any($1) and c.contype = 'f' and c.convalidated
      order by 1, 2`,
    [BULK_TABLES],
  );
  const restore: string[] = [];
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  for (const ix of indexes) {
    await client.query(`drop index ${ix.name}`);
    restore.push(ix.def);
    if (ix.comment !== null) restore.push(`comment on index ${ix.name} is ${literal(ix.comment)}`);
  }
  for (const k of keys) {
    await client.query(`alter table ${k.tbl} drop constraint ${k.name}`);
    restore.push(`alter table ${k.tbl} add constraint ${k.name} ${k.def}`);
    if (k.comment !== null) restore.push(`comment on constraint ${k.name} on ${k.tbl} is ${literal(k.comment)}`);
  }
  return restore;
}

async function storeManifest(client: pg.PoolClient, manifest: SeedManifest): Promise<void> {
  await client.query('create schema if not exists abymed');
  await client.query(
    'create table if not exists abymed.seed_manifest (id int primary key default 1, manifest jsonb, seeded_at timestamptz)',
  );
  await client.query(
    `insert into abymed.seed_manifest (id, manifest, seeded_at) values (1, $1, now())
     on conflict (id) do update set manifest = excluded.manifest, seeded_at = excluded.seeded_at`,
    [JSON.stringify(manifest)],
  );
}

function buildManifest(ctx: SeedContext, options: SeedOptions): SeedManifest {
  const defects = {} as Record<DefectKey, DefectCount>;
  for (const key of Object.keys(DEFECTS) as DefectKey[]) {
    const spec = DEFECTS[key];
    const tally = ctx.defects[key];
    if (!tally) throw new Error(`the generator did not tally ${key}`);
    defects[key] = {
      table: spec.table,
      columns: [...spec.columns],
      unit: spec.unit,
      rows: tally.rows,
      ...(tally.byTable ? { byTable: tally.byTable } : {}),
      ...(tally.units ? { units: tally.units } : {}),
      population: tally.population,
      rate: spec.rate,
      group: spec.group,
      rule: spec.rule,
    };
  }
  const groups: Record<string, string[]> = {};
  for (const key of Object.keys(DEFECTS) as DefectKey[]) (groups[DEFECTS[key].group] ??= []).push(key);
  const rows: Record<string, number> = {};
  for (const t of LEGACY_TABLES) rows[t] = ctx.rows[t] ?? 0;
  return {
    generator: 'abymed-legacy-seed',
    version: 1,
    seed: options.seed,
    scale: options.scale,
    baseDate: new Date(BASE_MS).toISOString(),
    rows,
    defects,
    groups,
    canonical: CANONICAL,
    derived: { ...ctx.derived },
    idShapes: { ...ctx.idShapes },
    reference: {
      pincodes: [...REFERENCE_PINCODES],
      cities: CITIES.map((c) => ({ city: c.city, state: c.state, pincodes: [...c.pincodes] })),
      states: [...REFERENCE_STATES],
    },
  };
}

export async function seedLegacyData(pool: pg.Pool, options: SeedOptions): Promise<SeedManifest> {
  validate(options);
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      await prepare(client, options.force ?? false);
      const ctx = new SeedContext(client, options.seed, options.scale, options.onProgress, options.devices);
      const bulk = Math.max(ticketCount(options.scale), ctx.deviceCount) >= DEFER_INDEXES_FROM_TICKETS;
      const restore = (options.deferIndexes ?? bulk) ? await deferIndexesAndForeignKeys(client) : [];
      const world: World = {
        manufacturers: [],
        distributors: [],
        dealers: [],
        customers: [],
        others: [],
        allOrgs: [],
        products: [],
        skus: [],
        engineers: [],
        deletedEngineers: [],
        engineersByCity: new Map(),
      };
      await seedOrganizations(ctx, world);
      await seedCatalog(ctx, world);
      await seedEngineers(ctx, world);
      const { devices, customers } = await seedEquipment(ctx, world);
      await seedTickets(ctx, world, devices, customers);
      await seedProcurement(ctx, world);
      if (restore.length > 0) {
        const t0 = performance.now();
        const step = 'indexes and foreign keys';
        await client.query(`set local maintenance_work_mem = '512MB'`);
        for (const [i, statement] of restore.entries()) {
          options.onProgress?.({ table: step, done: i, total: restore.length, elapsedMs: performance.now() - t0 });
          await client.query(statement);
        }
        options.onProgress?.({ table: step, done: restore.length, total: restore.length, elapsedMs: performance.now() - t0 });
      }
      const manifest = buildManifest(ctx, options);
      await storeManifest(client, manifest);
      await client.query('commit');
      return manifest;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    }
  } finally {
    client.release();
  }
}
