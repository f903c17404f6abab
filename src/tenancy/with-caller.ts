import { sql } from 'kysely';
import type { Caller } from '../auth/caller.ts';
import { type Db, inTransaction, type Tx } from '../db/database.ts';

/**
 * Runs `fn` in one transaction as the caller: the caller is stored in transaction-local settings
 * that the row-level security policies read (db/migrations/0003), and the transaction switches to
 * a non-owner role with SET LOCAL ROLE so those policies apply although the pool connects as the
 * table owner. Both end with the transaction, so a pooled connection never carries a caller over.
 */
export const APP_ROLE = 'abymed_app';
export const ADMIN_ROLE = 'abymed_app_admin';

export function callerSettings(caller: Pick<Caller, 'userId' | 'orgId' | 'role'>): Record<string, string> {
  return { 'abymed.user_id': caller.userId, 'abymed.org_id': caller.orgId ?? '', 'abymed.role': caller.role };
}

/**
 * Longest a statement of a caller's transaction may run (ms; ABYMED_STATEMENT_TIMEOUT_MS, default
 * 15 s). A request whose plan goes wrong at scale is stopped with a 503 query_timeout instead of
 * holding a connection and its snapshot for minutes (seen at 1M tickets: a ticket list under a
 * tenant's row-level security ran for 19 minutes after its client had gone).
 */
export function requestStatementTimeoutMs(): number {
  const ms = Number(process.env.ABYMED_STATEMENT_TIMEOUT_MS ?? 15_000);
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms) : 15_000;
}

export function withCaller<T>(db: Db, caller: Pick<Caller, 'userId' | 'orgId' | 'role'>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const role = caller.role === 'system_admin' ? ADMIN_ROLE : APP_ROLE;
  return inTransaction(
    db,
    async (tx) => {
      await sql.raw(`set local role ${role}`).execute(tx);
      return fn(tx);
    },
    { settings: { ...callerSettings(caller), statement_timeout: String(requestStatementTimeoutMs()) } },
  );
}
