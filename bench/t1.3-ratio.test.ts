import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t13MigrationsDir } from '../test/procurement/support.ts';
import { useFreshDatabase } from '../test/support/database.ts';
import { generateLegacyProcurement } from './data/procurement.ts';
import { t13Queries } from './queries/t1.3.ts';
import type { ParamContext, Side } from './queries/types.ts';

/**
 * T1.3 benchmark in one run: the same database holds both shapes between the backfill and the
 * contract, so each question is timed on the legacy JSONB and on the normalised tables against the
 * same data, interleaved, and reported as a ratio (legacy median / fixed median). Timing is printed
 * and written, never asserted (a shared machine's timing is noise); what is asserted is that both
 * sides answer, and that the normalised answer is contained in the legacy one (the legacy side also
 * counts items the backfill quarantined). ABYMED_T13_BENCH_RFQS sets the scale. (Default: 4,000
 * RFQs, 12,000 RFQ lines, 23,400 quote lines)
 */
const t = useFreshDatabase('none');
const RFQS = Number(process.env.ABYMED_T13_BENCH_RFQS ?? 4000);
const SAMPLES = 15;
let c: pg.Client;

beforeAll(async () => {
  const dir = await t13MigrationsDir();
  await t.db.runner({ dir }).up({ to: 8 });
  c = await t.db.client();
  await generateLegacyProcurement(c, { rfqs: RFQS, products: 200 });
  await t.db.runner({ dir }).up({ to: 33 });
  await c.query('analyze');
}, 900_000);
afterAll(async () => c?.end());

const ctx = (): ParamContext => ({
  count: SAMPLES,
  seed: '13',
  rows: async (_side: Side, sql: string, values?: readonly unknown[]) => (await c.query(sql, values as unknown[])).rows,
});

async function time(sql: string, values: readonly unknown[]): Promise<{ ms: number; rows: Record<string, unknown>[] }> {
  const t0 = process.hrtime.bigint();
  const res = await c.query(sql, values as unknown[]);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, rows: res.rows };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

describe(`T1.3 JSONB scan against normalised tables (${RFQS} RFQs)`, () => {
  for (const q of t13Queries) {
    it(q.name, async () => {
      const sets = await q.params(ctx());
      expect(sets.length).toBeGreaterThan(0);
      const legacy: number[] = [];
      const fixed: number[] = [];
      for (const set of sets) {
        // Interleaved, so both sides see the same cache and the same neighbours.
        const a = await time(q.legacySql, set.legacy);
        const b = await time(q.fixedSql, set.fixed);
        legacy.push(a.ms);
        fixed.push(b.ms);
        expect(b.rows.length).toBeGreaterThan(0);
        const key = (r: Record<string, unknown>) => String(Object.values(r)[0]);
        const legacyKeys = new Set(a.rows.map(key));
        for (const r of b.rows) expect(legacyKeys.has(key(r)), `${q.name}: ${key(r)}`).toBe(true);
      }
      const ratio = median(legacy) / median(fixed);
      process.stdout.write(
        `[bench T1.3] ${q.name}: legacy median ${median(legacy).toFixed(2)} ms, fixed median ${median(fixed).toFixed(2)} ms, ratio ${ratio.toFixed(1)}× (${sets.length} samples, ${RFQS} RFQs)\n`,
      );
      expect(Number.isFinite(ratio)).toBe(true);
    });
  }
});
