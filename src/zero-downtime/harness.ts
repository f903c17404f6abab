import pg from 'pg';
import { type CatalogSnapshot, diffSnapshots, hashData, snapshotCatalog } from '../db/catalog.ts';
import { openDatabase } from '../db/database.ts';
import type { Migration } from '../db/migrate/files.ts';
import { createRunner } from '../db/migrate/index.ts';
import { type Logger, logger as rootLogger } from '../log.ts';
import { columnHashes, differingColumns } from './column-hashes.ts';
import { type CheckpointResult, runCheckpoint } from './consistency.ts';
import { LoadGenerator } from './load.ts';
import { LockSampler } from './lock-sampler.ts';
import { findLostWrites, type LostWrite } from './lost-writes.ts';
import { consistencyChecks, findAgainRules, workloads as registeredWorkloads } from './registry.ts';
import type { StepLockWait, StepRecord, ZeroDowntimeReport } from './report.ts';
import { percentile, round } from './stats.ts';
import type { ConsistencyCheck, FindAgainRule, Workload } from './workload.ts';

/**
 * The zero-downtime proof (migration-practice.md §5 item 5). On an empty database: apply the
 * baseline, seed legacy data, start the workloads, take a latency baseline, then walk every
 * migration up to the target (with its backfill), down to the baseline and up again while the
 * workloads keep running, with a consistency checkpoint after every step and lock waits sampled
 * every 10 ms. Then stop the workloads, find every acknowledged write again, and repeat the walk
 * down and up with no traffic to prove it gives back the same catalog and the same data.
 */
export interface HarnessOptions {
  /** An empty database the harness may fill, migrate and roll back. */
  url: string;
  /** Migrations folder. (Default: db/migrations) */
  dir?: string;
  /** Last version to apply. (Default: the last migration) */
  target?: number;
  /** Fills the baseline with legacy data; receives a pool on the database. */
  seedData: (pool: pg.Pool) => Promise<unknown>;
  scale?: number;
  seed?: number;
  workloads?: Workload[];
  checks?: ConsistencyCheck[];
  findAgain?: FindAgainRule[];
  /** Sessions per workload. (Default: 3) */
  sessions?: number;
  /** Operations per second per session. (Default: 20) */
  opsPerSecond?: number;
  /** Workload time before migrating, for the latency baseline. (Default: 1500 ms) */
  baselineMs?: number;
  /** Workload time at the target after each upward walk. (Default: 750 ms) */
  dwellMs?: number;
  /** Lock-wait budget per workload query. (Default: 500 ms) */
  maxLockWaitMs?: number;
  /** Allowed p99 increase over the baseline. (Default: 100 ms) */
  maxAddedP99Ms?: number;
  log?: Logger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A migration step that failed: the walk stops and the report says which step and why. */
class StepFailed extends Error {}
const label = (m: Pick<Migration, 'version' | 'name'>) => `${String(m.version).padStart(4, '0')}_${m.name}`;

export async function verifyZeroDowntime(options: HarnessOptions): Promise<ZeroDowntimeReport> {
  const t0 = Date.now();
  const log = (options.log ?? rootLogger).child({ harness: 'zero-downtime' });
  const runner = createRunner({ url: options.url, ...(options.dir ? { dir: options.dir } : {}), log });
  const migrations = await runner.migrations();
  const baseline = migrations[0];
  if (!baseline) throw new Error('no migrations to verify');
  const target = options.target ?? (migrations.at(-1) as Migration).version;
  const walk = migrations.filter((m) => m.version > baseline.version && m.version <= target);
  const workloads = options.workloads ?? registeredWorkloads;
  const checks = options.checks ?? consistencyChecks;
  const rules = options.findAgain ?? findAgainRules;
  const steps: StepRecord[] = [];
  const checkpoints: CheckpointResult[] = [];

  await runner.up({ to: baseline.version });
  const database = openDatabase(options.url, { max: 4, applicationName: 'abymed-zdt-seed' });
  try {
    await options.seedData(database.pool);
  } finally {
    await database.close();
  }

  const inspector = new pg.Client({ connectionString: options.url, application_name: 'abymed-zdt-inspector' });
  await inspector.connect();
  const load = new LoadGenerator({
    url: options.url,
    workloads,
    workers: options.sessions ?? 3,
    opsPerSecond: options.opsPerSecond ?? 20,
    seed: options.seed ?? 1,
  });
  const sampler = new LockSampler(options.url);
  let version = baseline.version;
  const setPhase = (phase: string) => {
    load.phase = phase;
    sampler.phase = phase;
  };
  const checkpoint = async (phase: string) => checkpoints.push(...(await runCheckpoint(inspector, checks, version, phase)));

  const firstContract = migrations.find((m) => m.phase === 'contract')?.version ?? Number.POSITIVE_INFINITY;
  const activeAt = (v: number) =>
    new Set(
      workloads
        .filter((w) => (w.from ?? 1) <= v && v < (w.until === 'contract' ? firstContract : (w.until ?? Number.POSITIVE_INFINITY)))
        .map((w) => w.name),
    );
  const step = async (pass: StepRecord['pass'], m: Migration, direction: 'up' | 'down') => {
    setPhase(`${pass} ${label(m)}`);
    const next = direction === 'up' ? m.version : (migrations[migrations.indexOf(m) - 1] as Migration).version;
    const after = activeAt(next);
    // Workloads that cannot run at the next version stop (and drain) before the step, never during it.
    await load.runOnly(new Set([...activeAt(version)].filter((n) => after.has(n))));
    const s0 = Date.now();
    try {
      if (direction === 'up') await runner.up({ steps: 1 });
      else await runner.down({ steps: 1 });
    } catch (e) {
      throw new StepFailed(`${pass} ${label(m)} failed: ${(e as Error).message}`);
    }
    steps.push({ pass, direction, version: m.version, name: m.name, durationMs: Date.now() - s0 });
    version = next;
    await load.runOnly(after);
    await checkpoint(`after ${pass} ${label(m)}`);
  };

  let firstUpCatalog: CatalogSnapshot | undefined;
  let stopped = false;
  let migrationFailure: string | undefined;
  try {
    await sampler.start();
    await load.start();
    setPhase('baseline');
    await load.runOnly(activeAt(version));
    await sleep(options.baselineMs ?? 1500);
    await checkpoint('baseline');

    try {
      for (const m of walk) await step('up', m, 'up');
      setPhase('at target');
      await sleep(options.dwellMs ?? 750);
      await checkpoint('at target');
      firstUpCatalog = await snapshotCatalog(inspector);
      for (const m of [...walk].reverse()) await step('down', m, 'down');
      for (const m of walk) await step('up again', m, 'up');
      setPhase('at target again');
      await sleep(options.dwellMs ?? 750);
      await checkpoint('at target again');
    } catch (e) {
      if (!(e instanceof StepFailed)) throw e;
      migrationFailure = e.message;
      log.error({ failure: e.message }, 'a migration step failed; reporting what was observed so far');
    }
    await sampler.stop();
    await load.stop();
    stopped = true;
    setPhase('final');
    await checkpoint('final, workload stopped');

    const lostWrites = await findLostWrites(inspector, load.acks, version, rules);
    if (migrationFailure || !firstUpCatalog) {
      return buildReport({
        options,
        t0,
        baselineVersion: baseline.version,
        target,
        workloads,
        load,
        sampler,
        steps,
        checkpoints,
        lostWrites,
        migrationFailure,
        roundTrip: { catalogDiff: [], dataDiff: [], catalogSameAsFirstUp: false, skipped: 'a migration step failed' },
      });
    }

    // Up → down → up with no traffic: the same catalog and the same data as the first up.
    const topCatalog = await snapshotCatalog(inspector);
    const topData = await hashData(inspector);
    const topColumns = await columnHashes(inspector, Object.keys(topData.tables));
    for (const m of [...walk].reverse()) {
      const s0 = Date.now();
      await runner.down({ steps: 1 });
      steps.push({ pass: 'round-trip down', direction: 'down', version: m.version, name: m.name, durationMs: Date.now() - s0 });
    }
    for (const m of walk) {
      const s0 = Date.now();
      await runner.up({ steps: 1 });
      steps.push({ pass: 'round-trip up', direction: 'up', version: m.version, name: m.name, durationMs: Date.now() - s0 });
    }
    const againCatalog = await snapshotCatalog(inspector);
    const againData = await hashData(inspector);
    const againColumns = await columnHashes(inspector, Object.keys(againData.tables));
    const catalogDiff = diffSnapshots(topCatalog, againCatalog);
    const rowCount = (h: string | undefined) => h?.split(':')[0] ?? 'no';
    const dataDiff = Object.keys({ ...topData.tables, ...againData.tables })
      .filter((t) => topData.tables[t] !== againData.tables[t])
      .map((t) => {
        const cols = differingColumns(topColumns[t], againColumns[t]);
        return `${t}: ${rowCount(topData.tables[t])} rows after the first up, ${rowCount(againData.tables[t])} after down → up; columns that differ: ${cols.join(', ') || '(row order only)'}`;
      });
    const catalogSameAsFirstUp = diffSnapshots(firstUpCatalog, againCatalog).length === 0;

    return buildReport({
      options,
      t0,
      baselineVersion: baseline.version,
      target,
      workloads,
      load,
      sampler,
      steps,
      checkpoints,
      lostWrites,
      roundTrip: { catalogDiff, dataDiff, catalogSameAsFirstUp },
    });
  } finally {
    if (!stopped) {
      await sampler.stop().catch(() => {});
      await load.stop().catch(() => {});
    }
    await inspector.end().catch(() => {});
  }
}

interface ReportInput {
  options: HarnessOptions;
  t0: number;
  baselineVersion: number;
  target: number;
  workloads: Workload[];
  load: LoadGenerator;
  sampler: LockSampler;
  steps: StepRecord[];
  checkpoints: CheckpointResult[];
  lostWrites: Awaited<ReturnType<typeof findLostWrites>>;
  roundTrip: ZeroDowntimeReport['roundTrip'];
  migrationFailure?: string;
}

function buildReport(i: ReportInput): ZeroDowntimeReport {
  const { load, sampler } = i;
  const maxWait = i.options.maxLockWaitMs ?? 500;
  const maxAdded = i.options.maxAddedP99Ms ?? 100;
  const baselineMs = load.samples.filter((s) => s.phase === 'baseline').map((s) => s.ms);
  const migratingMs = load.samples.filter((s) => s.phase !== 'baseline').map((s) => s.ms);
  const baselineP99 = round(percentile(baselineMs, 99));
  const migratingP99 = round(percentile(migratingMs, 99));
  const waits = sampler.waitsSeen();
  const longestWait = round(waits[0]?.waitedMs ?? 0);
  // waits is longest first, so the first wait of each phase is that step's longest.
  const byStep = new Map<string, StepLockWait>();
  for (const w of waits) {
    if (!byStep.has(w.phase)) {
      byStep.set(w.phase, { phase: w.phase, waitedMs: round(w.waitedMs), session: w.session, mode: w.mode, relation: w.relation });
    }
  }
  const failing = i.checkpoints.filter((c) => c.mismatches !== 0);
  const perOp: ZeroDowntimeReport['workload']['perOp'] = {};
  for (const s of load.samples) {
    const k = `${s.workload}.${s.op}`;
    perOp[k] ??= { count: 0, errors: 0, p99Ms: 0 };
    perOp[k].count++;
  }
  for (const e of load.errors) {
    const k = `${e.workload}.${e.op}`;
    perOp[k] ??= { count: 0, errors: 0, p99Ms: 0 };
    perOp[k].errors++;
  }
  for (const [k, v] of Object.entries(perOp))
    v.p99Ms = round(
      percentile(
        load.samples.filter((s) => `${s.workload}.${s.op}` === k).map((s) => s.ms),
        99,
      ),
    );

  const firstError = load.errors[0];
  const firstLost = i.lostWrites.lost[0];
  const firstMismatch = failing[0];
  const longest = waits[0];
  const rt = i.roundTrip;
  const checks: ZeroDowntimeReport['checks'] = {
    migrations: {
      ok: !i.migrationFailure,
      summary:
        i.migrationFailure ??
        `${i.steps.length} steps applied (${i.baselineVersion} → ${i.target} → ${i.baselineVersion} → ${i.target}, then the same without traffic)`,
    },
    errors: {
      ok: load.errors.length === 0,
      summary:
        load.errors.length === 0
          ? `0 errors in ${load.samples.length} operations`
          : `${load.errors.length} errors; first: ${firstError?.workload}.${firstError?.op} during "${firstError?.phase}": ${firstError?.message}`,
    },
    lostWrites: {
      ok: i.lostWrites.lost.length === 0,
      summary:
        i.lostWrites.lost.length === 0
          ? `0 lost of ${i.lostWrites.writesChecked} acknowledged writes (${i.lostWrites.rowsChecked} rows found again, identical)`
          : `${i.lostWrites.lost.length} lost or changed of ${i.lostWrites.writesChecked}; first: ${describeLost(firstLost)}`,
    },
    consistency: {
      ok: failing.length === 0,
      summary:
        failing.length === 0
          ? `old and new shapes agree at all ${new Set(i.checkpoints.map((c) => c.phase)).size} checkpoints (${i.checkpoints.length} check runs)`
          : `${failing.length} failing check runs; first: ${firstMismatch?.check} ${firstMismatch?.error ? `errored: ${firstMismatch.error}` : `${firstMismatch?.mismatches} rows disagree`} ${firstMismatch?.phase}; e.g. ${JSON.stringify(firstMismatch?.sample[0])}`,
    },
    roundTrip: {
      ok: !rt.skipped && rt.catalogDiff.length === 0 && rt.dataDiff.length === 0 && rt.catalogSameAsFirstUp,
      summary: rt.skipped
        ? `not run: ${rt.skipped}`
        : rt.catalogDiff.length === 0 && rt.dataDiff.length === 0 && rt.catalogSameAsFirstUp
          ? 'up → down → up gives the same catalog and the same data'
          : `up → down → up differs: ${[...rt.dataDiff.slice(0, 3), ...rt.catalogDiff.slice(0, 3)].join('; ') || 'catalog differs from the first up'}`,
    },
    lockWaits: {
      ok: longestWait < maxWait,
      summary: `longest lock wait ${longestWait} ms (target < ${maxWait} ms; ${sampler.samples} samples every ${round(sampler.meanIntervalMs)} ms)${
        longest && longestWait >= maxWait
          ? `: ${longest.session} waited for ${longest.mode} on ${longest.relation} during "${longest.phase}", blocked by ${longest.blockedBy}`
          : ''
      }`,
    },
    latency: {
      ok: migratingP99 <= baselineP99 + maxAdded,
      summary: `p99 ${migratingP99} ms while migrating vs ${baselineP99} ms baseline (target ≤ ${round(baselineP99 + maxAdded)} ms)`,
    },
  };
  const failures = Object.entries(checks)
    .filter(([, v]) => !v.ok)
    .map(([k, v]) => `${k}: ${v.summary}`);
  return {
    ok: failures.length === 0,
    failures,
    checks,
    config: {
      startVersion: i.baselineVersion,
      targetVersion: i.target,
      workloads: i.workloads.map((w) => w.name),
      sessions: (i.options.sessions ?? 3) * i.workloads.length,
      opsPerSecondPerSession: i.options.opsPerSecond ?? 20,
      scale: i.options.scale ?? 1,
      seed: i.options.seed ?? 1,
    },
    steps: i.steps,
    workload: {
      operations: load.samples.length + load.errors.length,
      reads: load.samples.filter((s) => s.kind === 'read').length,
      writes: load.samples.filter((s) => s.kind === 'write').length,
      acknowledgedWrites: load.acks.length,
      skipped: [...load.skipped.values()].reduce((a, b) => a + b, 0),
      perOp,
      errors: load.errors.slice(0, 50),
    },
    lostWrites: { ...i.lostWrites, lost: i.lostWrites.lost.slice(0, 50) },
    consistency: {
      checkpoints: new Set(i.checkpoints.map((c) => c.phase)).size,
      checksRun: i.checkpoints.length,
      failing: failing.slice(0, 50),
    },
    locks: {
      samples: sampler.samples,
      meanSampleIntervalMs: round(sampler.meanIntervalMs),
      longestWaitMs: longestWait,
      targetMs: maxWait,
      longest: waits.slice(0, 5),
      byStep: [...byStep.values()],
    },
    latency: {
      baselineP99Ms: baselineP99,
      migratingP99Ms: migratingP99,
      targetMs: round(baselineP99 + maxAdded),
      baselineOps: baselineMs.length,
      migratingOps: migratingMs.length,
    },
    roundTrip: rt,
    durationMs: Date.now() - i.t0,
  };
}

function describeLost(l: LostWrite | undefined): string {
  if (!l) return '';
  const where = `${l.table} ${JSON.stringify(l.key)}`;
  if (l.reason === 'row missing') return `${where}: row missing (last written by ${l.lastOp})`;
  if (l.reason === 'column gone') {
    return `${where}: column ${l.column} no longer exists; if a migration moved it, register a FindAgainRule for ${l.table} (src/zero-downtime/registry.ts) showing it under its legacy name`;
  }
  const show = (v: unknown) => (JSON.stringify(v) ?? 'undefined').slice(0, 120);
  return `${where}: ${l.column} wrote ${show(l.expected)}, found ${show(l.found)} (last written by ${l.lastOp})`;
}
