import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../db/database.ts';

/**
 * Narrowing a newest-first list to what a small caller can see (db/migrations/0952). Row-level
 * security asks each row whether the caller may see it; a list walks the created_at index until a
 * page is full, which is quick for a caller that sees many rows and slow for one that sees a few
 * hundred of a million. For such a caller the list reads its scope's ids through the primary key
 * instead. The policies still decide what is returned: the scope only chooses the plan.
 */
const SCOPES = {
  tickets: { fn: 'caller_ticket_scope', table: 'service_tickets' },
  equipment: { fn: 'caller_equipment_scope', table: 'equipment' },
} as const;

export type ScopeKind = keyof typeof SCOPES;

export interface ScopeOptions {
  /** Largest scope read by id; above it the list walks. (Default: caller_scope_max(), about √(page × rows)) */
  scopeMax?: number;
}

/** `id = any(<the caller's scope>)` when the caller's scope is small, else undefined (walk). */
export async function callerScopeFilter(
  tx: Tx,
  kind: ScopeKind,
  page: number,
  options: ScopeOptions = {},
): Promise<RawBuilder<boolean> | undefined> {
  const { fn, table } = SCOPES[kind];
  // The API also runs on schemas from before 0952 (the rollout, a rollback of 0952): there it walks.
  const present = await sql<{ ok: boolean }>`select to_regprocedure(${`${fn}(integer)`}) is not null as ok`.execute(tx);
  if (!present.rows[0]?.ok) return undefined;
  const max = options.scopeMax ?? sql`caller_scope_max(${table}, ${page})`;
  const scope = sql`${sql.raw(fn)}(${max})`;
  const { rows } = await sql<{ small: boolean }>`select ${scope} is not null as small`.execute(tx);
  return rows[0]?.small ? sql<boolean>`${sql.ref(`${table}.id`)} = any ((select ${scope})::varchar[])` : undefined;
}
