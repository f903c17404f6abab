import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../src/log.ts';
import { migrationsDir } from '../src/paths.ts';
import { ensureDataset, type ReuseMode, withClient } from './dataset.ts';
import { describeMachine, type Machine } from './machine.ts';
import { progressBar } from './progress.ts';
import { loadQueries } from './queries/load.ts';
import { type QueryResult, runQueryBench } from './query-bench.ts';
import type { BenchResults } from './results.ts';
import { readPrevious, writeResults } from './run.ts';

/**
 * `abymed bench --devices N` (issue #8): the T1.4 reads ("owner of a device as of T", "what did
 * organization Y own at T", a device's history) at N devices, legacy against fixed, on a dataset
 * pair of its own, `abymed_bench_devices_<N>_s1_<seed>_legacy` / `_fixed`, built and reused by
 * fingerprint like the main one (bench/dataset.ts). The legacy side is the real generator with
 * N devices (its dealers and customers grow with them) and few tickets; the fixed side is a copy
 * taken by the real runner (createRunner, backfills by the engine) through the platform steps and
 * T1.4's own (0040, 0041, 0045, 0940, 0941), so 0040's table and 0045's backfill are what is
 * measured. The other tickets' steps are left out: T1.4's never read their objects, and their
 * backfills over every device (T1.2's 0023 links each device to a customer) are not this
 * benchmark's subject. The main dataset (default scale) keeps its 250k devices and every step.
 */
export const DEVICES_TICKET_SCALE = 1; // 3,000 tickets: the T1.4 reads never touch them
export const BACKFILL_JOB = 'equipment_relationships_initial';
const T1_4_STEPS = [40, 41, 45, 940, 941];
/** The steps the fixed side goes through: the baseline and platform (0001–0008), then T1.4's. */
export const devicesMigration = (version: number) => version <= 8 || T1_4_STEPS.includes(version);

/** A scratch folder with a copy of the chosen migration files (the runner reads a folder). */
async function t14MigrationsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'abymed-bench-t1.4-'));
  for (const file of await readdir(migrationsDir)) {
    const version = /^(\d+)_/.exec(file)?.[1];
    if (version !== undefined && devicesMigration(Number(version))) await copyFile(join(migrationsDir, file), join(dir, file));
  }
  return dir;
}

export interface DevicesBenchOptions {
  serverUrl: string;
  server: Machine['server'];
  devices: number;
  seed: number;
  samples: number;
  queryBudgetMs: number;
  mode: ReuseMode;
  outDir: string;
  /** (Default: abymed_bench_devices_<N>) */
  prefix?: string;
  command: string;
  log: Logger;
  progress?: boolean;
}

export interface DevicesBenchResult {
  measuredAt: string;
  command: string;
  machine: Machine;
  devices: number;
  seed: number;
  /** The generator's scale for everything but devices and organizations (tickets, engineers, RFQs). */
  ticketScale: number;
  /** Rows per table of the legacy database (estimates after ANALYZE). */
  rows: Record<string, number>;
  /** Rows of equipment_relationships on the fixed side, in all and per relationship type. */
  periods: number;
  periodsByType: Record<string, number>;
  legacy: { name: string; fingerprint: string; sizeBytes: number; reused: boolean; buildMs?: number };
  fixed: { name: string; fingerprint: string; sizeBytes: number; reused: boolean; buildMs?: number; schemaVersion: number | null };
  /** Every step the runner applied to the fixed side, as abymed.migration_history recorded it. */
  steps: { version: number; name: string; phase: string; durationMs: number }[];
  /** 0045's run as the backfill engine recorded it (abymed.backfill_progress). */
  backfill: {
    job: string;
    devices: number;
    periodsWritten: number;
    quarantined: number;
    batches: number;
    lastBatchSize: number | null;
    durationMs: number;
    devicesPerSecond: number;
    periodsPerSecond: number;
  } | null;
  options: { samples: number; queryBudgetMs: number };
  results: QueryResult[];
}

export const devicesPrefix = (devices: number) => `abymed_bench_devices_${devices}`;

export async function runDevicesBench(options: DevicesBenchOptions): Promise<BenchResults> {
  const t0 = Date.now();
  const log = options.log.child({ component: 'bench-devices', devices: options.devices });
  const bar = progressBar(options.progress);
  const machine = await describeMachine(options.serverUrl, options.server);
  log.info({ machine, devices: options.devices, seed: options.seed }, 'T1.4 devices benchmark started');

  let lastSeedLog = 0;
  const dir = await t14MigrationsDir();
  const dataset = await ensureDataset({
    migrationsDir: dir,
    serverUrl: options.serverUrl,
    scale: DEVICES_TICKET_SCALE,
    seed: options.seed,
    devices: options.devices,
    prefix: options.prefix ?? devicesPrefix(options.devices),
    mode: options.mode,
    log,
    onSeedProgress: (e) => {
      const p = e as { done?: number; total?: number; table?: string };
      if (typeof p.done !== 'number' || typeof p.total !== 'number') return;
      bar.update(p.done, p.total, `seeding ${p.table ?? ''}`);
      if (Date.now() - lastSeedLog > 10_000) {
        lastSeedLog = Date.now();
        log.info({ table: p.table, done: p.done, total: p.total }, 'seeding');
      }
    },
    onMigrationStep: (e) => {
      if (e.type === 'retry') return;
      bar.update(e.index + (e.type === 'done' ? 1 : 0), e.total, `migrating ${e.migration.version}_${e.migration.name}`);
      log.info({ step: `${e.migration.version}_${e.migration.name}`, event: e.type }, 'migration step');
    },
  }).finally(() => rm(dir, { recursive: true, force: true }));
  bar.stop();

  const fixedFacts = await withClient(dataset.fixed.url, async (c) => {
    const byType = await c.query('select relationship_type as t, count(*)::bigint as n from equipment_relationships group by 1 order by 1');
    const steps = await c.query('select version, name, phase, duration_ms from abymed.migration_history order by version');
    const progress = await c.query(
      `select rows_done, rows_changed, quarantined, batches, batch_size,
              extract(epoch from (coalesce(finished_at, updated_at) - started_at)) * 1000 as ms
         from abymed.backfill_progress where job = $1`,
      [BACKFILL_JOB],
    );
    return { byType: byType.rows, steps: steps.rows, progress: progress.rows[0] as Record<string, unknown> | undefined };
  });
  const periodsByType = Object.fromEntries(fixedFacts.byType.map((r) => [r.t as string, Number(r.n)]));
  const p = fixedFacts.progress;
  const backfillMs = p ? Math.max(1, Number(p.ms)) : 0;
  const backfill: DevicesBenchResult['backfill'] = p
    ? {
        job: BACKFILL_JOB,
        devices: Number(p.rows_done),
        periodsWritten: Number(p.rows_changed),
        quarantined: Number(p.quarantined),
        batches: Number(p.batches),
        lastBatchSize: p.batch_size === null ? null : Number(p.batch_size),
        durationMs: Math.round(backfillMs),
        devicesPerSecond: Math.round((Number(p.rows_done) / backfillMs) * 1000),
        periodsPerSecond: Math.round((Number(p.rows_changed) / backfillMs) * 1000),
      }
    : null;
  log.info({ periodsByType, backfill }, 'fixed side ready');

  const queries = (await loadQueries()).filter((q) => q.ticket === 'T1.4');
  const results = await runQueryBench(queries, {
    legacyUrl: dataset.legacy.url,
    fixedUrl: dataset.fixed.url,
    samples: options.samples,
    seed: options.seed,
    budgetMs: options.queryBudgetMs,
    log,
    onQuery: (done, total, name) => bar.update(done, total, `reads: ${name}`),
  });
  bar.stop();

  const previous = await readPrevious(options.outDir);
  // Build times are only known to the run that built a side: it adds them to the database's
  // comment (beside the fingerprint bench/dataset.ts reads), and a run that reuses it reads them back.
  const built = {
    legacy: await recordedBuildMs(options.serverUrl, dataset.legacy.name, dataset.legacy.buildMs),
    fixed: await recordedBuildMs(options.serverUrl, dataset.fixed.name, dataset.fixed.buildMs),
  };
  const side = (name: 'legacy' | 'fixed') => {
    const ms = built[name];
    return {
      name: dataset[name].name,
      fingerprint: dataset[name].fingerprint,
      sizeBytes: dataset[name].sizeBytes,
      reused: dataset[name].reused,
      ...(ms !== undefined ? { buildMs: ms } : {}),
    };
  };
  const devices: DevicesBenchResult = {
    measuredAt: new Date().toISOString(),
    command: options.command,
    machine,
    devices: options.devices,
    seed: options.seed,
    ticketScale: DEVICES_TICKET_SCALE,
    rows: dataset.rows,
    periods: Object.values(periodsByType).reduce((a, b) => a + b, 0),
    periodsByType,
    legacy: side('legacy'),
    fixed: { ...side('fixed'), schemaVersion: dataset.fixedVersion },
    steps: fixedFacts.steps.map((r) => ({
      version: Number(r.version),
      name: r.name as string,
      phase: r.phase as string,
      durationMs: Number(r.duration_ms),
    })),
    backfill,
    options: { samples: options.samples, queryBudgetMs: options.queryBudgetMs },
    results,
  };

  // The page belongs to the main run: its figures stay, this section is added or replaced. With no
  // main run yet in this folder, the page describes this dataset.
  const report: BenchResults = previous
    ? { ...previous, devices }
    : {
        generatedAt: devices.measuredAt,
        command: options.command,
        machine,
        dataset: {
          scale: DEVICES_TICKET_SCALE,
          seed: options.seed,
          rows: dataset.rows,
          legacy: devices.legacy,
          fixed: devices.fixed,
        },
        options: {
          samples: options.samples,
          queryBudgetMs: options.queryBudgetMs,
          httpConcurrency: 0,
          httpDurationMs: 0,
          httpMaxRequests: 0,
        },
        skipped: {},
        durationMs: Date.now() - t0,
        devices,
      };
  await writeResults(options.outDir, report);
  log.info({ durationMs: Date.now() - t0, outDir: options.outDir }, 'T1.4 devices benchmark finished');
  return report;
}

/** The T1.4 migration steps among those recorded (what the report shows beside the total). */
export const t14Steps = (steps: DevicesBenchResult['steps']) => steps.filter((s) => T1_4_STEPS.includes(s.version));

/**
 * The build time of a benchmark database: written into its comment (JSON after the tag) by the run
 * that built it, read from there by a run that reuses it. Undefined for a database built before
 * build times were recorded.
 */
async function recordedBuildMs(serverUrl: string, name: string, builtNow: number | undefined): Promise<number | undefined> {
  return withClient(serverUrl, async (c) => {
    const { rows } = await c.query(`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`, [name]);
    const comment = (rows[0]?.comment as string | null | undefined) ?? '';
    const at = comment.indexOf('{');
    if (at < 0) return builtNow;
    const meta = JSON.parse(comment.slice(at)) as Record<string, unknown>;
    if (builtNow === undefined) return typeof meta.buildMs === 'number' ? meta.buildMs : undefined;
    const text = `${comment.slice(0, at)}${JSON.stringify({ ...meta, buildMs: builtNow })}`;
    await c.query(`comment on database ${pg.escapeIdentifier(name)} is ${pg.escapeLiteral(text)}`);
    return builtNow;
  });
}
