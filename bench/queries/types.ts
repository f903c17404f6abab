/**
 * The shape of a read benchmarked by `npm run bench` on the legacy schema and the fixed one.
 *
 * FOR TICKET ENGINEERS (T1.1 … T3.x): add `bench/queries/<ticket>.ts` (e.g. `t1-1.ts`) whose
 * default export is `BenchQuery[]` — every file in this folder except `types.ts`, `*.test.ts` and
 * files starting with `_` is loaded automatically; nothing else needs registering.
 *
 *   import { type BenchQuery, sameParams } from './types.ts';
 *
 *   export default [
 *     {
 *       ticket: 'T1.1',
 *       name: 'current assignment of a ticket',
 *       targetMs: 100,                                   // origin-facts §8, compared with p95
 *       legacySql: `select assigned_engineer_id, assigned_engineer_name from service_tickets where id = $1`,
 *       fixedSql: `select engineer_id, assignment_tier from current_ticket_assignments where ticket_id = $1`,
 *       params: async (ctx) =>
 *         sameParams(await ctx.rows('legacy', `select id from service_tickets order by md5(id || $1) limit $2`, [ctx.seed, ctx.count])),
 *     },
 *   ] satisfies BenchQuery[];
 *
 * Rules that keep the comparison fair:
 * - `legacySql` runs on the legacy database (baseline + seed), `fixedSql` on the same seed migrated
 *   all the way up with backfills. Use `$1, $2 …` placeholders; the runner never interpolates.
 * - Both sides answer the same question for the same parameter values. When an id differs between
 *   the two shapes (a varchar legacy id vs a uuid customer), return `{ legacy, fixed }` per sample
 *   and look the fixed value up in `ctx.rows('fixed', …)`.
 * - A read the legacy schema cannot answer at all has `legacySql: null` (only the fixed side is
 *   timed, and the report says "not answerable on legacy"); `fixedSql: null` is the reverse.
 * - Draw parameters deterministically from the seed (`order by md5(key || $seed)`), never with
 *   `random()`, so two runs time the same values; return `ctx.count` samples or fewer.
 * - Queries must be read-only: the runner interleaves legacy and fixed samples on the same data.
 */
export type Side = 'legacy' | 'fixed';

export interface ParamSet {
  legacy: readonly unknown[];
  fixed: readonly unknown[];
}

export interface ParamContext {
  /** How many parameter sets the run wants (`--samples`). Return this many or fewer. */
  count: number;
  /** The run's seed as text, for deterministic sampling (`order by md5(id::text || $1)`). */
  seed: string;
  /** Runs a read on one side's database and returns its rows. */
  rows<R extends Record<string, unknown> = Record<string, unknown>>(side: Side, sql: string, values?: readonly unknown[]): Promise<R[]>;
}

export interface BenchQuery {
  /** `T1.1`, `T1.2`, … or `platform`; taken from the file name when omitted. */
  ticket?: string;
  /** What a person asks, e.g. "customer by phone". Unique within the ticket. */
  name: string;
  /** The plan's p95 target in ms (origin-facts §8); shown beside the measured p95, never asserted. */
  targetMs?: number;
  legacySql: string | null;
  fixedSql: string | null;
  params(ctx: ParamContext): Promise<ParamSet[]>;
}

/** Parameter sets for a read whose parameters mean the same on both sides: one row → one set. */
export function sameParams(rows: readonly Record<string, unknown>[]): ParamSet[] {
  return rows.map((row) => {
    const values = Object.values(row);
    return { legacy: values, fixed: values };
  });
}
