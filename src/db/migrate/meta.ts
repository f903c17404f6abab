import type pg from 'pg';

/**
 * The runner's own bookkeeping. `public.schema_migrations` keeps golang-migrate's shape (one row:
 * the current version and whether it is dirty) so that tool could take over; `abymed.*` adds what
 * it lacks: which versions are applied with their checksum, and a log of every attempt.
 */
export const META_DDL = `
create table if not exists public.schema_migrations (version bigint not null primary key, dirty boolean not null);
create schema if not exists abymed;
create table if not exists abymed.migration_history (
  version     bigint primary key,
  name        text not null,
  phase       text not null,
  checksum    text not null,
  applied_at  timestamptz not null default now(),
  duration_ms integer not null,
  applied_by  text not null
);
create table if not exists abymed.migration_log (
  id              bigint generated always as identity primary key,
  version         bigint not null,
  name            text not null,
  direction       text not null check (direction in ('up', 'down')),
  outcome         text not null check (outcome in ('applied', 'failed', 'lock_retry', 'statement_done')),
  statement_index integer,
  statement       text,
  error           text,
  at              timestamptz not null default clock_timestamp(),
  duration_ms     integer,
  applied_by      text not null
);`;

export interface AppliedRow {
  version: number;
  name: string;
  phase: string;
  checksum: string;
  applied_at: Date;
  duration_ms: number;
  applied_by: string;
}

export interface DirtyState {
  version: number;
  direction: 'up' | 'down';
  statementIndex: number | null;
  statement: string | null;
  error: string | null;
}

export async function ensureMeta(client: pg.Client): Promise<void> {
  // Serialised by the advisory lock the caller holds; `if not exists` keeps it idempotent.
  await client.query(META_DDL);
}

export async function readApplied(client: pg.Client): Promise<AppliedRow[]> {
  const { rows } = await client.query<AppliedRow>('select * from abymed.migration_history order by version');
  // bigint arrives as a string unless a type parser is installed; the runner must not depend on that.
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

export async function readDirty(client: pg.Client): Promise<DirtyState | undefined> {
  const { rows } = await client.query<{ version: number; dirty: boolean }>('select version, dirty from public.schema_migrations');
  const row = rows[0];
  if (!row?.dirty) return undefined;
  const failed = await client.query(
    `select direction, statement_index, statement, error from abymed.migration_log
      where version = $1 and outcome = 'failed' order by id desc limit 1`,
    [row.version],
  );
  const f = failed.rows[0];
  return {
    version: Number(row.version),
    direction: f?.direction ?? 'up',
    statementIndex: f?.statement_index ?? null,
    statement: f?.statement ?? null,
    error: f?.error ?? null,
  };
}

/** Sets golang-migrate's row: the latest applied version, or no row when nothing is applied. */
export async function setSchemaVersion(client: pg.Client, version: number | undefined, dirty: boolean): Promise<void> {
  await client.query('delete from public.schema_migrations');
  if (version !== undefined) {
    await client.query('insert into public.schema_migrations (version, dirty) values ($1, $2)', [version, dirty]);
  }
}
