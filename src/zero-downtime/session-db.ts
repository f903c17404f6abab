import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Db } from '../db/database.ts';

/**
 * A workload op gets its worker's own session (a raw pg client, named `abymed-zdt:<workload>:<n>`
 * so the lock sampler can find it); the new application's domain code takes a Kysely transaction.
 * This gives that one session as a Db: a "pool" of exactly this client, never released or ended,
 * so `inTransaction(db, …)` runs BEGIN … COMMIT on the worker's session and nowhere else.
 */
export function dbOnSession(client: pg.ClientBase): Db {
  const session = { query: (text: string, params?: unknown[]) => client.query(text, params), release: () => {} };
  const pool = { connect: async () => session, end: async () => {} };
  return new Kysely({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}
