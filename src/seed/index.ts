import type pg from 'pg';
import { AppError } from '../errors.ts';
import { seedCatalog } from './catalog.ts';
import { BASE_MS, SeedContext, type SeedProgress } from './context.ts';
import { seedEngineers } from './engineers.ts';
import { seedEquipment } from './equipment.ts';
import { CANONICAL, DEFECTS, type DefectCount, type DefectKey, type SeedManifest } from './manifest.ts';
import { seedOrganizations } from './organizations.ts';
import { seedProcurement } from './procurement.ts';
import { CITIES, REFERENCE_PINCODES, REFERENCE_STATES } from './reference.ts';
import { seedTickets } from './tickets.ts';
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
  /** 1 = a demo: ~74 organizations, 750 devices, 16 engineers, 3,000 tickets. 333.34 ≈ 1M tickets. */
  scale: number;
  /** Any integer 0 … 2^32−1; the same seed and scale give the same data. */
  seed: number;
  /** Truncate the legacy tables first instead of refusing when they hold data. */
  force?: boolean;
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

function validate(options: SeedOptions): void {
  if (typeof options.scale !== 'number' || !Number.isFinite(options.scale) || options.scale <= 0 || options.scale > MAX_SCALE) {
    throw new AppError('bad_request', `scale must be a number greater than 0 and at most ${MAX_SCALE}, got ${String(options.scale)}`);
  }
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) {
    throw new AppError('bad_request', `seed must be a whole number from 0 to ${0xffffffff}, got ${String(options.seed)}`);
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
      const ctx = new SeedContext(client, options.seed, options.scale, options.onProgress);
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
