import type pg from 'pg';
import type { Key } from './job.ts';

/**
 * The engine's own tables, in the runner-managed `abymed` schema (created on demand, like
 * src/db/migrate/meta.ts). One progress row per job: the cursor moves in the same transaction as
 * the batch it covers, so a run killed at any instant resumes exactly after the last committed batch.
 */
export const BACKFILL_DDL = `
create schema if not exists abymed;
create table if not exists abymed.backfill_progress (
  job            text primary key,
  source         text not null,
  status         text not null check (status in ('running', 'done')),
  cursor_key     text[],
  upper_key      text[],
  total_rows     bigint not null default 0,
  rows_done      bigint not null default 0,
  rows_changed   bigint not null default 0,
  quarantined    bigint not null default 0,
  batches        integer not null default 0,
  lock_backoffs  integer not null default 0,
  batch_size     integer,
  started_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  finished_at    timestamptz
);
create table if not exists abymed.quarantine (
  id      bigint generated always as identity primary key,
  job     text not null,
  source  text not null,
  key     text[] not null,
  reason  text not null,
  payload jsonb not null,
  at      timestamptz not null default now(),
  unique (job, key)
);`;

export interface Progress {
  job: string;
  source: string;
  status: 'running' | 'done';
  cursorKey: Key | null;
  upperKey: Key | null;
  totalRows: number;
  rowsDone: number;
  rowsChanged: number;
  quarantined: number;
  batches: number;
  lockBackoffs: number;
  batchSize: number | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function ensureBackfillTables(db: Queryable): Promise<void> {
  // Two engines may start at once on a fresh database; `if not exists` alone races on the catalog.
  await db.query('begin');
  try {
    await db.query('select pg_advisory_xact_lock(hashtext($1))', ['abymed.backfill ddl']);
    await db.query(BACKFILL_DDL);
    await db.query('commit');
  } catch (e) {
    await db.query('rollback').catch(() => {});
    throw e;
  }
}

const fromRow = (r: Record<string, unknown>): Progress => ({
  job: r.job as string,
  source: r.source as string,
  status: r.status as Progress['status'],
  cursorKey: (r.cursor_key as Key | null) ?? null,
  upperKey: (r.upper_key as Key | null) ?? null,
  totalRows: Number(r.total_rows),
  rowsDone: Number(r.rows_done),
  rowsChanged: Number(r.rows_changed),
  quarantined: Number(r.quarantined),
  batches: Number(r.batches),
  lockBackoffs: Number(r.lock_backoffs),
  batchSize: r.batch_size === null ? null : Number(r.batch_size),
  startedAt: r.started_at as Date,
  updatedAt: r.updated_at as Date,
  finishedAt: (r.finished_at as Date | null) ?? null,
});

export async function readProgress(db: Queryable, job?: string): Promise<Progress[]> {
  const { rows } = await db.query(`select * from abymed.backfill_progress where $1::text is null or job = $1 order by job`, [job ?? null]);
  return rows.map(fromRow);
}

/**
 * Starts a run from the beginning: the cursor is cleared, the upper bound is the key that exists
 * now, and the job's old quarantine entries go (the run re-evaluates every row). One transaction.
 */
export async function startRun(db: Queryable, job: string, source: string, upper: Key | null, total: number): Promise<Progress> {
  await db.query('begin');
  try {
    await db.query('delete from abymed.quarantine where job = $1', [job]);
    const { rows } = await db.query(
      `insert into abymed.backfill_progress as p (job, source, status, cursor_key, upper_key, total_rows)
       values ($1, $2, $3, null, $4, $5)
       on conflict (job) do update set source = excluded.source, status = excluded.status, cursor_key = null,
         upper_key = excluded.upper_key, total_rows = excluded.total_rows, rows_done = 0, rows_changed = 0,
         quarantined = 0, batches = 0, lock_backoffs = 0, batch_size = null, started_at = now(), updated_at = now(),
         finished_at = null
       returning *`,
      [job, source, upper === null ? 'done' : 'running', upper, total],
    );
    await db.query('commit');
    return fromRow(rows[0]);
  } catch (e) {
    await db.query('rollback').catch(() => {});
    throw e;
  }
}

/** Moves the cursor; called inside the batch's transaction, which is what makes resume exact. */
export async function advanceCursor(
  tx: Queryable,
  job: string,
  step: { cursor: Key; rows: number; changed: number; quarantined: number; batchSize: number; lockBackoffs: number; done: boolean },
): Promise<void> {
  await tx.query(
    `update abymed.backfill_progress set cursor_key = $2, rows_done = rows_done + $3, rows_changed = rows_changed + $4,
       quarantined = quarantined + $5, batches = batches + 1, batch_size = $6, lock_backoffs = lock_backoffs + $7,
       updated_at = now(), status = case when $8 then 'done' else 'running' end,
       finished_at = case when $8 then now() end
     where job = $1`,
    [job, step.cursor, step.rows, step.changed, step.quarantined, step.batchSize, step.lockBackoffs, step.done],
  );
}

export async function quarantineCount(db: Queryable, job: string): Promise<number> {
  const { rows } = await db.query('select count(*)::int as n from abymed.quarantine where job = $1', [job]);
  return Number(rows[0].n);
}
