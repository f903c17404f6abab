import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import pg from 'pg';
import { backfillJob, loadBackfillJobsModule, type ProgressEvent, readProgress, runBackfill } from '../../db/backfill/index.ts';
import { ensureBackfillTables, type Progress } from '../../db/backfill/store.ts';
import { AppError } from '../../errors.ts';
import { connectionUrl } from '../connection.ts';

const out = (s: string) => process.stdout.write(`${s}\n`);

const duration = (ms: number | null) => {
  if (ms === null) return '?';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

function printStatus(rows: Progress[]): void {
  if (rows.length === 0) out('no backfill has run on this database');
  for (const p of rows) {
    const pct = p.totalRows > 0 ? ((100 * p.rowsDone) / p.totalRows).toFixed(1) : '100.0';
    const when = p.finishedAt ? `finished ${p.finishedAt.toISOString()}` : `last batch ${p.updatedAt.toISOString()}`;
    out(
      `${p.status === 'done' ? '✔' : '…'} ${p.job.padEnd(32)} ${p.status.padEnd(7)} ${p.rowsDone}/${p.totalRows} rows (${pct}%)` +
        `  changed ${p.rowsChanged}  quarantined ${p.quarantined}  batches ${p.batches}  lock back-offs ${p.lockBackoffs}  ${when}`,
    );
  }
}

/** A bar on a terminal; elsewhere the engine's structured log lines carry the same figures. */
function progressReporter(): { onProgress?: (e: ProgressEvent) => void; stop(): void } {
  if (!process.stderr.isTTY) return { stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: '{job} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_text} | quarantined {quarantined}',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(e) {
      const payload = { job: e.job, rate: Math.round(e.rate), eta_text: duration(e.etaMs), quarantined: e.quarantined };
      if (!started) bar.start(e.totalRows, e.rowsDone, payload);
      started = true;
      bar.update(e.rowsDone, payload);
    },
    stop: () => started && bar.stop(),
  };
}

interface BackfillFlags {
  status?: boolean;
  restart?: boolean;
  jobs?: string;
  json?: boolean;
}

export function registerBackfill(program: Command): void {
  program
    .command('backfill')
    .description("run a backfill job in resumable keyset batches (or show every job's progress with --status)")
    .argument('[job]', 'the job to run (see src/db/backfill/registry.ts)')
    .option('--status', "print each job's progress: rows done/total, quarantined, finished or not")
    .option('--restart', 'start from the beginning instead of resuming an unfinished run')
    .option('--jobs <module>', 'also load the jobs a module exports as `jobs` (a one-off data repair)')
    .option('--json', 'print the result or the status as JSON')
    .action(async (name: string | undefined, flags: BackfillFlags) => {
      if (Boolean(name) === Boolean(flags.status)) throw new AppError('bad_request', 'give a job name or --status (not both)');
      if (flags.jobs) await loadBackfillJobsModule(pathToFileURL(resolve(flags.jobs)).href);
      const job = name ? backfillJob(name) : undefined;
      const client = new pg.Client({ connectionString: await connectionUrl(), application_name: 'abymed-backfill' });
      await client.connect();
      try {
        if (!job) {
          await ensureBackfillTables(client);
          const rows = await readProgress(client);
          flags.json ? out(JSON.stringify(rows, null, 2)) : printStatus(rows);
          return;
        }
        const reporter = progressReporter();
        const result = await runBackfill(client, job, { restart: flags.restart, onProgress: reporter.onProgress }).finally(() =>
          reporter.stop(),
        );
        if (flags.json) out(JSON.stringify(result, null, 2));
        else
          out(
            `✔ ${result.job}: ${result.rowsDone}/${result.totalRows} rows${result.resumed ? ' (resumed)' : ''}, ${result.rowsChanged} changed, ` +
              `${result.quarantined} quarantined, ${result.batches} batches, ${result.lockBackoffs} lock back-offs, ${duration(result.durationMs)}`,
          );
      } finally {
        await client.end().catch(() => {});
      }
    });
}
