import { loadMigrations } from '../src/db/migrate/files.ts';
import { migrationsDir } from '../src/paths.ts';
import { withClient } from './dataset.ts';
import { ticketOf } from './migrations/index.ts';
import { round } from './stats.ts';

/**
 * How the fixed database of the dataset was built: every step the runner applied to the full-scale
 * copy of `legacy` (no workload running), with its time and, for a backfill, the engine's rows and
 * rate. Read back from the database's own records (abymed.migration_history and
 * abymed.backfill_progress), so a reused dataset reports the build that made it.
 */
export interface BuildStep {
  version: number;
  name: string;
  phase: string;
  ticket: string;
  durationMs: number;
  backfill?: { job: string; rows: number; changed: number; quarantined: number; batches: number; rowsPerSecond: number };
}

export interface BuildTicket {
  ticket: string;
  steps: number;
  totalMs: number;
  backfillMs: number;
  backfillRows: number;
  backfillRowsPerSecond?: number;
}

export interface FixedBuild {
  steps: BuildStep[];
  tickets: BuildTicket[];
  totalMs: number;
}

export async function readFixedBuild(fixedUrl: string): Promise<FixedBuild> {
  const jobs = new Map((await loadMigrations(migrationsDir)).map((m) => [m.version, m.up.directives.backfill]));
  const { history, progress } = await withClient(fixedUrl, async (c) => ({
    history: (
      await c.query<{ version: string; name: string; phase: string; duration_ms: number }>(
        'select version, name, phase, duration_ms from abymed.migration_history where version > 1 order by version',
      )
    ).rows,
    progress: (
      await c.query<{ job: string; rows_done: string; rows_changed: string; quarantined: string; batches: number; ms: number }>(
        `select job, rows_done, rows_changed, quarantined, batches,
                extract(epoch from coalesce(finished_at, updated_at) - started_at) * 1000 as ms
           from abymed.backfill_progress`,
      )
    ).rows,
  }));
  const byJob = new Map(progress.map((p) => [p.job, p]));
  const steps: BuildStep[] = history.map((h) => {
    const version = Number(h.version);
    const job = jobs.get(version);
    const p = job ? byJob.get(job) : undefined;
    const rows = Number(p?.rows_done ?? 0);
    return {
      version,
      name: h.name,
      phase: h.phase,
      ticket: ticketOf(h),
      durationMs: h.duration_ms,
      ...(p && job
        ? {
            backfill: {
              job,
              rows,
              changed: Number(p.rows_changed),
              quarantined: Number(p.quarantined),
              batches: p.batches,
              rowsPerSecond: p.ms > 0 ? round((rows / p.ms) * 1000, 0) : 0,
            },
          }
        : {}),
    };
  });
  const tickets = new Map<string, BuildTicket>();
  for (const s of steps) {
    const t = tickets.get(s.ticket) ?? { ticket: s.ticket, steps: 0, totalMs: 0, backfillMs: 0, backfillRows: 0 };
    t.steps++;
    t.totalMs += s.durationMs;
    if (s.backfill) {
      t.backfillMs += s.durationMs;
      t.backfillRows += s.backfill.rows;
    }
    tickets.set(s.ticket, t);
  }
  for (const t of tickets.values()) if (t.backfillMs > 0) t.backfillRowsPerSecond = round((t.backfillRows / t.backfillMs) * 1000, 0);
  return { steps, tickets: [...tickets.values()], totalMs: steps.reduce((n, s) => n + s.durationMs, 0) };
}
