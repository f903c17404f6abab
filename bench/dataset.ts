import { createHash } from 'node:crypto';
import pg from 'pg';
import { loadMigrations } from '../src/db/migrate/files.ts';
import { createRunner } from '../src/db/migrate/index.ts';
import type { StepEvent } from '../src/db/migrate/runner.ts';
import type { Logger } from '../src/log.ts';
import { migrationsDir } from '../src/paths.ts';
import { seedLegacy } from './seeder.ts';

/**
 * The two databases every benchmark compares, kept on the server between runs:
 *   <prefix>_<scale>_<seed>_legacy  baseline (0001) + the legacy data generator;
 *   <prefix>_<scale>_<seed>_fixed   a copy of legacy (CREATE DATABASE … TEMPLATE) migrated all the
 *                                   way up through the real runner, backfills included.
 * Each carries its fingerprint as the database comment; a later run reuses a database whose
 * fingerprint still matches (same scale, seed and migration files), so a full
 * scale dataset is built once, not at every run. Databases are built under a `_build` name and
 * renamed when complete, so a killed build never passes for a finished one.
 */
export type ReuseMode = 'auto' | 'reuse' | 'rebuild';

export interface DatasetOptions {
  serverUrl: string;
  scale: number;
  seed: number;
  /** (Default: abymed_bench) */
  prefix?: string;
  /** Devices instead of 750 per scale unit (the generator's `devices`); part of the fingerprint. */
  devices?: number;
  /** The migrations the fixed side is taken through (and fingerprinted by). (Default: db/migrations) */
  migrationsDir?: string;
  mode?: ReuseMode;
  log: Logger;
  onSeedProgress?: (event: unknown) => void;
  onMigrationStep?: (event: StepEvent) => void;
}

export interface DatasetSide {
  name: string;
  url: string;
  fingerprint: string;
  reused: boolean;
  buildMs?: number;
  sizeBytes: number;
}

export interface Dataset {
  scale: number;
  seed: number;
  legacy: DatasetSide;
  fixed: DatasetSide;
  /** Estimated rows per table of the legacy database (pg_class.reltuples after ANALYZE). */
  rows: Record<string, number>;
  /** The schema version the fixed database reached. */
  fixedVersion: number | null;
}

const COMMENT_TAG = 'abymed-bench ';

export function urlForDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, application_name: 'abymed-bench' });
  c.on('error', () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export async function fingerprints(
  scale: number,
  seed: number,
  devices?: number,
  dir = migrationsDir,
): Promise<{ legacy: string; fixed: string; lastVersion: number }> {
  const migrations = await loadMigrations(dir);
  const baseline = migrations.filter((m) => m.version === 1).map((m) => m.up.checksum);
  // The generator's source is not part of it: an edit there rarely changes the data, and a full-scale
  // rebuild costs many minutes. After a change to the generator, run with --rebuild.
  const legacy = sha({ scale, seed, baseline, ...(devices !== undefined ? { devices } : {}) });
  const fixed = sha({ legacy, migrations: migrations.map((m) => [m.version, m.up.checksum]) });
  return { legacy, fixed, lastVersion: migrations.at(-1)?.version ?? 0 };
}

export const datasetName = (prefix: string, scale: number, seed: number, side: string) =>
  `${prefix}_s${String(scale).replace(/[^0-9a-z]/gi, 'p')}_${seed}_${side}`;

async function readFingerprint(admin: pg.Client, name: string): Promise<string | null | undefined> {
  const { rows } = await admin.query(`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`, [name]);
  if (rows.length === 0) return undefined; // no such database
  const comment = rows[0].comment as string | null;
  return comment?.startsWith(COMMENT_TAG) ? (JSON.parse(comment.slice(COMMENT_TAG.length)).fingerprint as string) : null;
}

export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  await admin.query(`drop database if exists "${name}" with (force)`);
}

/** A file-level copy of a database (fast: no re-insert); the source must have no other sessions. */
export async function cloneDatabase(admin: pg.Client, source: string, target: string): Promise<void> {
  await dropDatabase(admin, target);
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [source]);
  await admin.query(`create database "${target}" template "${source}"`);
}

async function finish(admin: pg.Client, serverUrl: string, building: string, name: string, fingerprint: string): Promise<void> {
  const url = urlForDatabase(serverUrl, building);
  // VACUUM sets hint bits and the visibility map and ANALYZE the statistics, as on a database that
  // has lived in production; without it the first queries would pay for that and mislead.
  await withClient(url, (c) => c.query('vacuum (analyze)'));
  await dropDatabase(admin, name);
  await admin.query(`alter database "${building}" rename to "${name}"`);
  const comment = `${COMMENT_TAG}${JSON.stringify({ fingerprint, builtAt: new Date().toISOString() })}`;
  await admin.query(`comment on database "${name}" is ${admin.escapeLiteral(comment)}`);
}

async function ensureSide(
  admin: pg.Client,
  serverUrl: string,
  name: string,
  fingerprint: string,
  mode: ReuseMode,
  log: Logger,
  build: (buildingName: string) => Promise<void>,
): Promise<{ reused: boolean; buildMs?: number }> {
  const existing = await readFingerprint(admin, name);
  if (existing !== undefined && mode !== 'rebuild' && (existing === fingerprint || mode === 'reuse')) {
    if (existing !== fingerprint)
      log.warn({ database: name, existing, expected: fingerprint }, 'reusing a dataset whose fingerprint differs (--reuse)');
    else log.info({ database: name, fingerprint }, 'reusing dataset');
    return { reused: true };
  }
  const t0 = Date.now();
  const building = `${name}_build`;
  log.info(
    { database: name, fingerprint, reason: existing === undefined ? 'missing' : mode === 'rebuild' ? '--rebuild' : 'fingerprint changed' },
    'building dataset',
  );
  await build(building);
  await finish(admin, serverUrl, building, name, fingerprint);
  return { reused: false, buildMs: Date.now() - t0 };
}

/** Builds (or reuses) the legacy side alone: the baseline and the generator's data. */
async function ensureLegacySide(admin: pg.Client, options: DatasetOptions, name: string, fingerprint: string) {
  const dir = options.migrationsDir ? { dir: options.migrationsDir } : {};
  return ensureSide(admin, options.serverUrl, name, fingerprint, options.mode ?? 'auto', options.log, async (building) => {
    await dropDatabase(admin, building);
    await admin.query(`create database "${building}"`);
    const url = urlForDatabase(options.serverUrl, building);
    await createRunner({ url, ...dir, log: options.log, onStep: options.onMigrationStep }).up({ to: 1 });
    await seedLegacy(url, {
      scale: options.scale,
      seed: options.seed,
      ...(options.devices !== undefined ? { devices: options.devices } : {}),
      onProgress: options.onSeedProgress,
      log: options.log,
    });
  });
}

/** A legacy database alone (e.g. the copy migrations under load start from, at a scale of its own). */
export async function ensureLegacyDataset(options: DatasetOptions): Promise<{ name: string; reused: boolean; buildMs?: number }> {
  const fp = await fingerprints(options.scale, options.seed, options.devices, options.migrationsDir);
  const name = datasetName(options.prefix ?? 'abymed_bench', options.scale, options.seed, 'legacy');
  return withClient(options.serverUrl, async (admin) => ({ name, ...(await ensureLegacySide(admin, options, name, fp.legacy)) }));
}

export async function ensureDataset(options: DatasetOptions): Promise<Dataset> {
  const prefix = options.prefix ?? 'abymed_bench';
  const mode = options.mode ?? 'auto';
  const fp = await fingerprints(options.scale, options.seed, options.devices, options.migrationsDir);
  const dir = options.migrationsDir ? { dir: options.migrationsDir } : {};
  const names = {
    legacy: datasetName(prefix, options.scale, options.seed, 'legacy'),
    fixed: datasetName(prefix, options.scale, options.seed, 'fixed'),
  };
  return withClient(options.serverUrl, async (admin) => {
    const legacy = await ensureLegacySide(admin, options, names.legacy, fp.legacy);
    // A rebuilt legacy database invalidates the fixed one: its fingerprint includes legacy's.
    const fixed = await ensureSide(
      admin,
      options.serverUrl,
      names.fixed,
      fp.fixed,
      legacy.reused ? mode : 'rebuild',
      options.log,
      async (building) => {
        await cloneDatabase(admin, names.legacy, building);
        const url = urlForDatabase(options.serverUrl, building);
        await createRunner({ url, ...dir, log: options.log, onStep: options.onMigrationStep }).up();
      },
    );
    const legacyUrl = urlForDatabase(options.serverUrl, names.legacy);
    const fixedUrl = urlForDatabase(options.serverUrl, names.fixed);
    const size = async (name: string) => Number((await admin.query('select pg_database_size($1) as b', [name])).rows[0].b);
    const rows = await withClient(legacyUrl, async (c) => {
      const r = await c.query(
        `select c.relname, greatest(c.reltuples, 0)::bigint as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations' order by c.reltuples desc`,
      );
      return Object.fromEntries(r.rows.map((x) => [x.relname as string, Number(x.n)]));
    });
    const fixedVersion = await withClient(fixedUrl, async (c) => {
      const r = await c.query('select version from schema_migrations limit 1').catch(() => ({ rows: [] as { version: number }[] }));
      return r.rows[0] ? Number(r.rows[0].version) : null;
    });
    return {
      scale: options.scale,
      seed: options.seed,
      legacy: { name: names.legacy, url: legacyUrl, fingerprint: fp.legacy, ...legacy, sizeBytes: await size(names.legacy) },
      fixed: { name: names.fixed, url: fixedUrl, fingerprint: fp.fixed, ...fixed, sizeBytes: await size(names.fixed) },
      rows,
      fixedVersion,
    };
  });
}
