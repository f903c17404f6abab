import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors.ts';
import { logger } from '../log.ts';
import { mapDbError, pgErrorCode } from './errors.ts';
import { SqlState } from './sqlstate.ts';

// int8 counts fit a JS number in every query we run; `date` stays 'YYYY-MM-DD' so no time zone
// shifts a calendar day; numeric stays a string so money is never rounded by a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

// biome-ignore lint/suspicious/noExplicitAny: table types come from the live schema, which migrations evolve.
export type Db = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type Tx = Transaction<any>;

export interface Database {
  url: string;
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

export function openDatabase(url: string, options: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'abymed',
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server must not crash the process; the next checkout reconnects.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database client error'));
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return { url, pool, db, close: () => db.destroy() };
}

/** Fails fast, with a sentence, when the server named by a URL cannot be reached. */
export async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (e) {
    const redacted = url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
    throw new AppError('database_unavailable', `cannot reach the database at ${redacted}: ${(e as Error).message}`, {}, { cause: e });
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** Transaction-local settings (`set_config(name, value, true)`), e.g. the caller for row-level security. */
  settings?: Record<string, string>;
  /** Attempts on serialization failure or deadlock. (Default: 3) */
  attempts?: number;
}

const retryable = new Set<string>([SqlState.SERIALIZATION_FAILURE, SqlState.DEADLOCK_DETECTED]);

/** The one transaction helper: settings applied first, retried on serialization failure, errors mapped once. */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      let builder = db.transaction();
      if (options.isolation) builder = builder.setIsolationLevel(options.isolation);
      return await builder.execute(async (tx) => {
        const entries = Object.entries(options.settings ?? {});
        if (entries.length > 0) {
          const names = entries.map(([k]) => k);
          const values = entries.map(([, v]) => v);
          await sql`select set_config(n, v, true) from unnest(${names}::text[], ${values}::text[]) as s(n, v)`.execute(tx);
        }
        return fn(tx);
      });
    } catch (e) {
      const code = pgErrorCode(e);
      if (code && retryable.has(code) && attempt < attempts) {
        logger.debug({ attempt, code }, 'retrying transaction');
        await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.random() * 10));
        continue;
      }
      throw mapDbError(e);
    }
  }
}
