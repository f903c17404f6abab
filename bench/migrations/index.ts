import type { Migration } from '../../src/db/migrate/files.ts';
import { createRunner } from '../../src/db/migrate/index.ts';
import type { StepEvent } from '../../src/db/migrate/runner.ts';
import type { Logger } from '../../src/log.ts';
import { cloneDatabase, dropDatabase, urlForDatabase, withClient } from '../dataset.ts';
import { round, summarize } from '../stats.ts';
import type { LoadDriver, LoadWindow } from './driver.ts';

/**
 * Migration under load: a copy of the legacy database is taken from the baseline to the fixed
 * schema one step at a time through the real runner (backfills by the real engine), while the
 * legacy application's workload runs against it and a sampler watches for sessions waiting on
 * locks. Each step is measured on its own window of the workload, then steps are summed per ticket.
 */
export interface WorkloadWindow {
  ops: number;
  errors: number;
  p50Ms?: number;
  p99Ms?: number;
  opsPerSecond: number;
}

export interface MigrationStepResult {
  version: number;
  name: string;
  phase: string;
  ticket: string;
  durationMs: number;
  lockRetries: number;
  status: 'applied' | 'failed';
  error?: string;
  backfill?: { job: string; rows: number; quarantined: number; rowsPerSecond: number };
  longestLockWaitMs: number;
  workload: WorkloadWindow;
  /** False for steps the workload sat out (the legacy application is retired before contract steps). */
  workloadRan: boolean;
}

export interface TicketMigrationResult {
  ticket: string;
  steps: number;
  phases: string[];
  totalMs: number;
  backfillRows: number;
  backfillRowsPerSecond?: number;
  longestLockWaitMs: number;
  workloadP99BeforeMs?: number;
  workloadP99DuringMs?: number;
  workloadErrors: number;
  failed: boolean;
}

export interface MigrationBenchResult {
  status: 'ok' | 'partial' | 'failed';
  note?: string;
  workload: string;
  baselineWindowMs: number;
  before: WorkloadWindow;
  tickets: TicketMigrationResult[];
  steps: MigrationStepResult[];
  totalMs: number;
}

export interface MigrationBenchOptions {
  serverUrl: string;
  legacyName: string;
  scratchName: string;
  /** The legacy workload and lock sampler (src/zero-downtime); undefined times the steps alone. */
  driver?: (url: string, migrations: readonly Migration[]) => Promise<LoadDriver>;
  /** How long the workload runs before the first step, as the "before" reference. (Default: 10 s) */
  baselineMs?: number;
  log: Logger;
  onStep?: (event: StepEvent) => void;
  /** Keep the migrated copy (tests inspect it). (Default: false, dropped at the end) */
  keep?: boolean;
}

/** `0020_t1_2_customers_expand` → `T1.2`; the platform's own steps (auth, tenancy …) → `platform`. */
export function ticketOf(m: Pick<Migration, 'name'>): string {
  const t = /^t(\d+)_(\d+)_/.exec(m.name);
  return t ? `T${t[1]}.${t[2]}` : 'platform';
}

const windowOf = (w: LoadWindow): WorkloadWindow => {
  const s = w.latenciesMs.length ? summarize(w.latenciesMs) : undefined;
  return {
    ops: w.latenciesMs.length,
    errors: w.errors,
    ...(s ? { p50Ms: s.p50, p99Ms: s.p99 } : {}),
    opsPerSecond: w.durationMs > 0 ? round((w.latenciesMs.length / w.durationMs) * 1000, 1) : 0,
  };
};

const emptyWindow = (durationMs: number): LoadWindow => ({ latenciesMs: [], errors: 0, durationMs, longestLockWaitMs: 0 });

async function backfillFigures(url: string, job: string) {
  return withClient(url, async (c) => {
    const { rows } = await c
      .query(
        `select rows_done, quarantined, extract(epoch from (coalesce(finished_at, updated_at) - started_at)) * 1000 as ms
         from abymed.backfill_progress where job = $1`,
        [job],
      )
      .catch(() => ({ rows: [] as Record<string, unknown>[] }));
    const r = rows[0];
    if (!r) return undefined;
    const ms = Number(r.ms);
    return {
      job,
      rows: Number(r.rows_done),
      quarantined: Number(r.quarantined),
      rowsPerSecond: ms > 0 ? round((Number(r.rows_done) / ms) * 1000, 0) : 0,
    };
  });
}

export async function runMigrationBench(options: MigrationBenchOptions): Promise<MigrationBenchResult> {
  const url = urlForDatabase(options.serverUrl, options.scratchName);
  await withClient(options.serverUrl, (admin) => cloneDatabase(admin, options.legacyName, options.scratchName));
  const t0 = Date.now();
  const baselineMs = options.baselineMs ?? 10_000;
  const runner = createRunner({ url, log: options.log, onStep: options.onStep });
  const all = await runner.migrations();
  const driver = options.driver ? await options.driver(url, all) : undefined;
  const steps: MigrationStepResult[] = [];
  const latencies = new Map<number, number[]>();
  let before: LoadWindow = emptyWindow(0);
  let failure: string | undefined;
  try {
    const applied = new Set((await runner.status()).migrations.filter((m) => m.applied).map((m) => m.version));
    let version = Math.max(0, ...applied);
    await driver?.start(version);
    if (driver) {
      driver.mark();
      await new Promise((r) => setTimeout(r, baselineMs));
      before = driver.mark();
    }
    for (const m of all.filter((x) => !applied.has(x.version))) {
      await driver?.beforeStep(version, m.version);
      driver?.mark();
      const workloadRan = driver?.running(version) === true && driver.running(m.version);
      const started = Date.now();
      let status: MigrationStepResult['status'] = 'applied';
      let lockRetries = 0;
      let error: string | undefined;
      try {
        const [r] = await runner.up({ steps: 1 });
        lockRetries = r?.lockRetries ?? 0;
        if (r?.status === 'failed') (status = 'failed'), (error = r.error);
      } catch (e) {
        status = 'failed';
        error = (e as Error).message;
      }
      const durationMs = Date.now() - started;
      const w = driver?.mark() ?? emptyWindow(durationMs);
      if (status === 'applied') {
        version = m.version;
        await driver?.afterStep(version);
      }
      latencies.set(m.version, w.latenciesMs);
      const backfill = m.up.directives.backfill ? await backfillFigures(url, m.up.directives.backfill) : undefined;
      const step: MigrationStepResult = {
        version: m.version,
        name: m.name,
        phase: m.phase,
        ticket: ticketOf(m),
        durationMs,
        lockRetries,
        status,
        ...(error ? { error } : {}),
        ...(backfill ? { backfill } : {}),
        longestLockWaitMs: round(w.longestLockWaitMs, 1),
        workload: windowOf(w),
        workloadRan,
      };
      options.log.info(
        { step: `${m.version}_${m.name}`, durationMs, status, p99: step.workload.p99Ms, lockWait: step.longestLockWaitMs },
        'migration step under load',
      );
      steps.push(step);
      if (status === 'failed') {
        failure = `${m.version}_${m.name} failed: ${error}`;
        break;
      }
    }
  } finally {
    await driver?.stop().catch((e) => options.log.warn({ err: (e as Error).message }, 'stopping the workload failed'));
    if (!options.keep) await withClient(options.serverUrl, (admin) => dropDatabase(admin, options.scratchName));
  }
  const beforeWindow = windowOf(before);
  return {
    status: failure ? 'failed' : driver ? 'ok' : 'partial',
    ...(failure
      ? { note: failure }
      : driver
        ? {}
        : { note: 'the zero-downtime workload was not available: steps timed without a workload' }),
    workload: driver?.name ?? 'none',
    baselineWindowMs: driver ? baselineMs : 0,
    before: beforeWindow,
    tickets: byTicket(steps, latencies, beforeWindow),
    steps,
    totalMs: Date.now() - t0,
  };
}

function byTicket(steps: MigrationStepResult[], latencies: Map<number, number[]>, before: WorkloadWindow): TicketMigrationResult[] {
  const groups = new Map<string, MigrationStepResult[]>();
  for (const s of steps) groups.set(s.ticket, [...(groups.get(s.ticket) ?? []), s]);
  return [...groups.entries()].map(([ticket, list]) => {
    const backfills = list.flatMap((s) => (s.backfill ? [s] : []));
    const backfillRows = backfills.reduce((a, s) => a + (s.backfill?.rows ?? 0), 0);
    const backfillMs = backfills.reduce((a, s) => a + s.durationMs, 0);
    // The p99 over every operation that ran while any of the ticket's steps did.
    const during = list.flatMap((s) => latencies.get(s.version) ?? []);
    return {
      ticket,
      steps: list.length,
      phases: [...new Set(list.map((s) => s.phase))],
      totalMs: list.reduce((a, s) => a + s.durationMs, 0),
      backfillRows,
      ...(backfillMs > 0 ? { backfillRowsPerSecond: round((backfillRows / backfillMs) * 1000, 0) } : {}),
      longestLockWaitMs: Math.max(0, ...list.map((s) => s.longestLockWaitMs)),
      ...(before.p99Ms !== undefined ? { workloadP99BeforeMs: before.p99Ms } : {}),
      ...(during.length ? { workloadP99DuringMs: summarize(during).p99 } : {}),
      workloadErrors: list.reduce((a, s) => a + s.workload.errors, 0),
      failed: list.some((s) => s.status === 'failed'),
    };
  });
}
