import type pg from 'pg';
import { AppError } from '../../errors.ts';
import { type Logger, logger as rootLogger } from '../../log.ts';
import { pgErrorCode } from '../errors.ts';
import { SqlState } from '../sqlstate.ts';
import type { BackfillJob, Batch, Key } from './job.ts';
import { countUpTo, describeKey, type KeySpace, keyAsText, keyPredicate, keysIn, nextBatch, rangePredicate, upperBound } from './keyset.ts';
import { advanceCursor, ensureBackfillTables, type Progress, readProgress, startRun } from './store.ts';
import { Backoff, BatchSizer, othersWaitingOnLocks, sleep, type ThrottleOptions } from './throttle.ts';

export interface RunOptions extends ThrottleOptions {
  log?: Logger;
  onProgress?: (event: ProgressEvent) => void;
  /** Lock budget of each batch transaction; a batch that cannot get its locks in time is retried later. (Default: 1000 ms) */
  lockTimeoutMs?: number;
  /** Start from the beginning even if an unfinished run exists. (Default: false, an unfinished run resumes) */
  restart?: boolean;
  /** Consecutive pauses for other sessions' lock waits before one batch goes ahead anyway. (Default: 8) */
  maxConsecutiveBackoffs?: number;
  /** How long to wait for another session running the same job to finish or go away. (Default: 5000 ms) */
  lockWaitMs?: number;
  signal?: AbortSignal;
}

export interface ProgressEvent {
  job: string;
  rowsDone: number;
  totalRows: number;
  rowsChanged: number;
  quarantined: number;
  batchSize: number;
  lastBatchMs: number;
  /** Rows per second over this invocation. */
  rate: number;
  etaMs: number | null;
  lockBackoffs: number;
}

export interface RunResult extends Omit<ProgressEvent, 'lastBatchMs' | 'batchSize' | 'etaMs'> {
  resumed: boolean;
  batches: number;
  durationMs: number;
}

/** The data errors a single bad row raises; anything else (a bug, a lost connection) aborts the run. */
const isRowError = (code: string | undefined) =>
  code !== undefined && (code.startsWith('22') || code.startsWith('23') || code === SqlState.RAISE_EXCEPTION);

/**
 * Runs one backfill job to the end, resuming an unfinished run. Every batch is one transaction that
 * converts the rows of (cursor, next], quarantines the rows that cannot be converted and moves the
 * cursor, so killing the process at any instant loses nothing and repeats nothing. The client must
 * not be inside a transaction.
 */
export async function runBackfill(client: pg.ClientBase, job: BackfillJob, options: RunOptions = {}): Promise<RunResult> {
  const log = (options.log ?? rootLogger).child({ backfill: job.name });
  await ensureBackfillTables(client);
  const lockKey = `abymed.backfill:${job.name}`;
  // Polled, never a blocking wait: a killed run's session may take a moment to go away.
  const deadline = Date.now() + (options.lockWaitMs ?? 5000);
  for (;;) {
    const { rows: locked } = await client.query('select pg_try_advisory_lock(hashtext($1)) as ok', [lockKey]);
    if (locked[0].ok) break;
    if (Date.now() > deadline) throw new AppError('conflict', `backfill "${job.name}" is already running in another session`);
    await sleep(100);
  }
  try {
    return await runLocked(client, job, options, log);
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
  }
}

async function runLocked(client: pg.ClientBase, job: BackfillJob, options: RunOptions, log: Logger): Promise<RunResult> {
  const t0 = Date.now();
  const ks = await describeKey(client, job);
  const [existing] = await readProgress(client, job.name);
  const resumed = existing?.status === 'running' && !options.restart;
  let progress: Progress;
  if (resumed && existing) {
    progress = existing;
    log.info({ cursor: existing.cursorKey, rowsDone: existing.rowsDone, totalRows: existing.totalRows }, 'backfill resuming');
  } else {
    const upper = await upperBound(client, ks);
    const total = upper ? await countUpTo(client, ks, upper) : 0;
    progress = await startRun(client, job.name, ks.table, upper, total);
    log.info({ totalRows: total, upper }, 'backfill started');
  }

  const sizer = new BatchSizer(options, resumed ? progress.batchSize : undefined);
  const backoff = new Backoff(options.maxBackoffMs);
  const maxConsecutive = options.maxConsecutiveBackoffs ?? 8;
  const counters = { rows: 0, changed: 0, quarantined: 0, batches: 0, backoffs: 0 };
  let pendingBackoffs = 0;
  let consecutive = 0;
  let cursor = progress.cursorKey ?? undefined;
  const upper = progress.upperKey;
  let lastLog = 0;

  const event = (lastBatchMs: number): ProgressEvent => {
    const seconds = (Date.now() - t0) / 1000;
    const rate = seconds > 0 ? counters.rows / seconds : 0;
    const rowsDone = progress.rowsDone + counters.rows;
    const left = Math.max(0, progress.totalRows - rowsDone);
    return {
      job: job.name,
      rowsDone,
      totalRows: progress.totalRows,
      rowsChanged: progress.rowsChanged + counters.changed,
      quarantined: progress.quarantined + counters.quarantined,
      batchSize: sizer.current,
      lastBatchMs,
      rate,
      etaMs: rate > 0 ? Math.round((left / rate) * 1000) : null,
      lockBackoffs: progress.lockBackoffs + counters.backoffs,
    };
  };

  while (upper && progress.status === 'running') {
    if (options.signal?.aborted) throw new AppError('conflict', `backfill "${job.name}" was stopped; run it again to resume`);
    if (consecutive < maxConsecutive && (await othersWaitingOnLocks(client)) > 0) {
      const pause = backoff.next();
      consecutive++;
      counters.backoffs++;
      pendingBackoffs++;
      sizer.shrink();
      log.debug({ pauseMs: Math.round(pause) }, 'other sessions wait on locks; backing off');
      await sleep(pause);
      continue;
    }
    consecutive = 0;
    const next = await nextBatch(client, ks, cursor, upper, sizer.current);
    const upTo = next?.upTo ?? upper;
    const done = !next || sameKey(upTo, upper);
    const started = Date.now();
    try {
      const step = await convertRange(client, job, ks, cursor, upTo, options.lockTimeoutMs ?? 1000, async (tx, changed, quarantined) => {
        await advanceCursor(tx, job.name, {
          cursor: upTo,
          rows: next?.rows ?? 0,
          changed,
          quarantined,
          batchSize: sizer.current,
          lockBackoffs: pendingBackoffs,
          done,
        });
      });
      counters.rows += next?.rows ?? 0;
      counters.changed += step.changed;
      counters.quarantined += step.quarantined;
      counters.batches++;
      pendingBackoffs = 0;
      backoff.reset();
    } catch (e) {
      if (pgErrorCode(e) !== SqlState.LOCK_NOT_AVAILABLE) throw e;
      counters.backoffs++;
      pendingBackoffs++;
      sizer.shrink();
      log.debug('batch could not get its locks in time; backing off');
      await sleep(backoff.next());
      continue;
    }
    const ms = Date.now() - started;
    sizer.observe(next?.rows ?? 0, ms);
    cursor = upTo;
    if (done) progress = { ...progress, status: 'done' };
    const ev = event(ms);
    options.onProgress?.(ev);
    if (Date.now() - lastLog > 2000 || done) {
      lastLog = Date.now();
      log.info(ev, 'backfill progress');
    }
  }

  const final = event(0);
  const result: RunResult = {
    job: job.name,
    resumed,
    rowsDone: final.rowsDone,
    totalRows: final.totalRows,
    rowsChanged: final.rowsChanged,
    quarantined: final.quarantined,
    rate: final.rate,
    lockBackoffs: final.lockBackoffs,
    batches: progress.batches + counters.batches,
    durationMs: Date.now() - t0,
  };
  log.info(result, 'backfill finished');
  return result;
}

const sameKey = (a: Key, b: Key) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * One batch, one transaction: quarantine rule, conversion, cursor. If the conversion hits a bad
 * row the batch is redone in halves (convertBisecting) and the rows that fail are quarantined.
 */
async function convertRange(
  client: pg.ClientBase,
  job: BackfillJob,
  ks: KeySpace,
  after: Key | undefined,
  upTo: Key,
  lockTimeoutMs: number,
  commitCursor: (tx: pg.ClientBase, changed: number, quarantined: number) => Promise<void>,
): Promise<{ changed: number; quarantined: number }> {
  const range = rangePredicate(ks, after, upTo);
  await client.query('begin');
  try {
    await client.query(`set local lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
    const quarantined = await quarantineByRule(client, job, ks, range);
    await client.query('savepoint batch');
    let changed: number;
    let failed = 0;
    try {
      changed = await convert(client, job, { after, upTo, predicate: convertible(job, range) });
      await client.query('release savepoint batch');
    } catch (e) {
      if (!isRowError(pgErrorCode(e))) throw e;
      await client.query('rollback to savepoint batch');
      ({ changed, failed } = await convertBisecting(client, job, ks, after, upTo));
    }
    await commitCursor(client, changed, quarantined + failed);
    await client.query('commit');
    return { changed, quarantined: quarantined + failed };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  }
}

const convertible = (job: BackfillJob, range: string) =>
  job.quarantine ? `(${range}) and not coalesce((${job.quarantine.where}), false)` : range;

async function convert(tx: pg.ClientBase, job: BackfillJob, batch: Batch): Promise<number> {
  if (typeof job.convert === 'function') return job.convert(tx, batch);
  const res = await tx.query(job.convert.replaceAll('{batch}', `(${batch.predicate})`));
  return res.rowCount ?? 0;
}

async function quarantineByRule(tx: pg.ClientBase, job: BackfillJob, ks: KeySpace, range: string): Promise<number> {
  if (!job.quarantine) return 0;
  const res = await tx.query(
    `insert into abymed.quarantine (job, source, key, reason, payload)
     select $1, $2, ${keyAsText(ks, 's')}, (${job.quarantine.reason})::text, to_jsonb(s) from ${ks.table} s
      where (${range}) and coalesce((${job.quarantine.where}), false)
     on conflict (job, key) do update set reason = excluded.reason, payload = excluded.payload, at = now()`,
    [job.name, ks.table],
  );
  return res.rowCount ?? 0;
}

/**
 * Converts a range that failed as a whole by halving it: the halves that convert commit with the
 * batch, a single row that still fails is quarantined with the database's error as the reason.
 * A few bad rows cost O(bad × log batch) statements instead of one statement per row.
 */
async function convertBisecting(
  tx: pg.ClientBase,
  job: BackfillJob,
  ks: KeySpace,
  after: Key | undefined,
  upTo: Key,
): Promise<{ changed: number; failed: number }> {
  const keys = await keysIn(tx, ks, after, upTo);
  return bisect(tx, job, ks, keys, after);
}

async function bisect(
  tx: pg.ClientBase,
  job: BackfillJob,
  ks: KeySpace,
  keys: Key[],
  after: Key | undefined,
): Promise<{ changed: number; failed: number }> {
  const last = keys.at(-1);
  if (!last) return { changed: 0, failed: 0 };
  const predicate = keys.length === 1 ? keyPredicate(ks, last) : rangePredicate(ks, after, last);
  await tx.query('savepoint part');
  try {
    const changed = await convert(tx, job, { after, upTo: last, predicate: convertible(job, predicate) });
    await tx.query('release savepoint part');
    return { changed, failed: 0 };
  } catch (e) {
    const code = pgErrorCode(e);
    if (!isRowError(code)) throw e;
    await tx.query('rollback to savepoint part');
    await tx.query('release savepoint part');
    if (keys.length === 1) {
      await tx.query(
        `insert into abymed.quarantine (job, source, key, reason, payload)
         select $1, $2, $3::text[], $4, to_jsonb(s) from ${ks.table} s where ${predicate}
         on conflict (job, key) do update set reason = excluded.reason, payload = excluded.payload, at = now()`,
        [job.name, ks.table, last, `conversion failed (${code}): ${(e as Error).message}`],
      );
      return { changed: 0, failed: 1 };
    }
    const mid = Math.floor(keys.length / 2);
    const left = await bisect(tx, job, ks, keys.slice(0, mid), after);
    const right = await bisect(tx, job, ks, keys.slice(mid), keys[mid - 1]);
    return { changed: left.changed + right.changed, failed: left.failed + right.failed };
  }
}
