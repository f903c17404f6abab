import pg from 'pg';
import type { Logger } from '../src/log.ts';
import type { LoadedQuery } from './queries/load.ts';
import type { ParamContext, ParamSet, Side } from './queries/types.ts';
import { elapsedMs, type LatencySummary, ratio, summarize } from './stats.ts';

export interface SideResult {
  status: 'ok' | 'failed' | 'not-applicable';
  latency?: LatencySummary;
  /** Scan nodes of one sample's plan, e.g. "Index Scan using idx_x on t": why the numbers differ. */
  plan?: string;
  errors: number;
  error?: string;
}

export interface QueryResult {
  ticket: string;
  name: string;
  targetMs?: number;
  samples: number;
  legacy: SideResult;
  fixed: SideResult;
  /** legacy / fixed (above 1: the fixed schema is faster). */
  ratioP50?: number;
  ratioP95?: number;
  note?: string;
}

export interface QueryBenchOptions {
  legacyUrl: string;
  fixedUrl: string;
  samples: number;
  seed: number;
  /** Time one query may take on both sides together; fewer samples are kept when it runs out. (Default: 30 s) */
  budgetMs?: number;
  /** Per-statement ceiling, so one pathological plan cannot stall the run. (Default: 20 s) */
  statementTimeoutMs?: number;
  log: Logger;
  onQuery?: (done: number, total: number, name: string) => void;
}

const WARMUP = 3;

async function client(url: string, statementTimeoutMs: number): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: 'abymed-bench' });
  c.on('error', () => {});
  await c.connect();
  await c.query(`set statement_timeout = ${Math.round(statementTimeoutMs)}`);
  return c;
}

/** The scan and join nodes of an EXPLAIN (FORMAT JSON) plan, outermost first. */
export function planSummary(plan: unknown): string {
  const parts: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    const type = node['Node Type'] as string;
    if (/Scan|Join|Nested Loop|Aggregate|Sort/.test(type)) {
      const on = (node['Index Name'] as string | undefined) ?? (node['Relation Name'] as string | undefined);
      parts.push(on ? `${type} (${on})` : type);
    }
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  const root = (plan as { Plan: Record<string, unknown> }[])[0]?.Plan;
  if (root) walk(root);
  return parts.slice(0, 6).join(' → ');
}

/**
 * Times every query on both databases with the same parameter values, alternating which side goes
 * first for each sample so that a burst of noise from the shared machine hits both alike.
 */
export async function runQueryBench(queries: readonly LoadedQuery[], options: QueryBenchOptions): Promise<QueryResult[]> {
  const timeout = options.statementTimeoutMs ?? 20_000;
  const clients: Record<Side, pg.Client> = {
    legacy: await client(options.legacyUrl, timeout),
    fixed: await client(options.fixedUrl, timeout),
  };
  const ctx: ParamContext = {
    count: options.samples,
    seed: String(options.seed),
    rows: async (side, text, values = []) => (await clients[side].query(text, values as unknown[])).rows,
  };
  const results: QueryResult[] = [];
  try {
    for (const [i, q] of queries.entries()) {
      options.onQuery?.(i, queries.length, `${q.ticket} ${q.name}`);
      const result = await benchOne(q, ctx, clients, options);
      options.log.info(
        {
          ticket: q.ticket,
          query: q.name,
          legacyP50: result.legacy.latency?.p50,
          fixedP50: result.fixed.latency?.p50,
          ratioP50: result.ratioP50,
        },
        'query benchmarked',
      );
      results.push(result);
    }
    options.onQuery?.(queries.length, queries.length, 'done');
  } finally {
    await Promise.all(Object.values(clients).map((c) => c.end().catch(() => {})));
  }
  return results;
}

async function benchOne(
  q: LoadedQuery,
  ctx: ParamContext,
  clients: Record<Side, pg.Client>,
  options: QueryBenchOptions,
): Promise<QueryResult> {
  const base = { ticket: q.ticket, name: q.name, ...(q.targetMs !== undefined ? { targetMs: q.targetMs } : {}) };
  let params: ParamSet[];
  try {
    params = (await q.params(ctx)).slice(0, options.samples);
  } catch (e) {
    const error = `parameters could not be drawn: ${(e as Error).message}`;
    return { ...base, samples: 0, legacy: { status: 'failed', errors: 1, error }, fixed: { status: 'failed', errors: 1, error } };
  }
  if (params.length === 0) {
    const na: SideResult = { status: 'not-applicable', errors: 0 };
    return { ...base, samples: 0, legacy: na, fixed: na, note: 'no parameter values (empty table at this scale?)' };
  }
  const sql: Record<Side, string | null> = { legacy: q.legacySql, fixed: q.fixedSql };
  const sides = (['legacy', 'fixed'] as const).filter((s) => sql[s] !== null);
  const timings: Record<Side, number[]> = { legacy: [], fixed: [] };
  const errors: Record<Side, number> = { legacy: 0, fixed: 0 };
  const firstError: Partial<Record<Side, string>> = {};
  const plans: Partial<Record<Side, string>> = {};

  const once = async (side: Side, values: readonly unknown[]): Promise<number | undefined> => {
    const start = process.hrtime.bigint();
    try {
      await clients[side].query(sql[side] as string, values as unknown[]);
      return elapsedMs(start);
    } catch (e) {
      errors[side]++;
      firstError[side] ??= (e as Error).message;
      return undefined;
    }
  };

  for (const side of sides) {
    const values = params[0]?.[side] ?? [];
    try {
      const { rows } = await clients[side].query(`explain (format json) ${sql[side]}`, values as unknown[]);
      plans[side] = planSummary(rows[0]?.['QUERY PLAN']);
    } catch {
      // The timed run below records the error; a plan is only an explanation.
    }
    for (const p of params.slice(0, WARMUP)) await once(side, p[side]);
  }
  errors.legacy = errors.fixed = 0;

  const deadline = Date.now() + (options.budgetMs ?? 30_000);
  let taken = 0;
  for (const [i, p] of params.entries()) {
    if (Date.now() > deadline && taken >= 5) break;
    const order = i % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      if (errors[side] > 0 && timings[side].length === 0 && errors[side] >= 3) continue; // a broken query: stop hammering it
      const ms = await once(side, p[side]);
      if (ms !== undefined) timings[side].push(ms);
    }
    taken++;
  }

  const sideResult = (side: Side): SideResult => {
    if (sql[side] === null) return { status: 'not-applicable', errors: 0 };
    const failed = timings[side].length === 0;
    return {
      status: failed ? 'failed' : 'ok',
      ...(failed ? {} : { latency: summarize(timings[side]) }),
      ...(plans[side] ? { plan: plans[side] } : {}),
      errors: errors[side],
      ...(firstError[side] ? { error: firstError[side] } : {}),
    };
  };
  const legacy = sideResult('legacy');
  const fixed = sideResult('fixed');
  const r50 = ratio(legacy.latency?.p50, fixed.latency?.p50);
  const r95 = ratio(legacy.latency?.p95, fixed.latency?.p95);
  return {
    ...base,
    samples: taken,
    legacy,
    fixed,
    ...(r50 !== undefined ? { ratioP50: r50 } : {}),
    ...(r95 !== undefined ? { ratioP95: r95 } : {}),
    ...(taken < params.length ? { note: `time budget reached after ${taken} of ${params.length} samples` } : {}),
  };
}
