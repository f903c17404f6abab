import { percentile as nearestRank } from '../src/zero-downtime/stats.ts';

/** Latency summaries in milliseconds: the harness's nearest-rank percentile, so both report alike. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export const percentile = (values: readonly number[], p: number): number => (values.length === 0 ? Number.NaN : nearestRank(values, p));

export function summarize(samples: readonly number[]): LatencySummary {
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    n: samples.length,
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    p99: round(percentile(samples, 99)),
    mean: round(samples.length ? sum / samples.length : Number.NaN),
    max: round(samples.length ? samples.reduce((a, b) => (b > a ? b : a)) : Number.NaN),
  };
}

export const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** Three significant decimals: sub-millisecond reads stay readable, JSON stays small. */
export const round = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** legacy / fixed: above 1 the fixed schema is faster. Undefined when either side is missing. */
export function ratio(legacy: number | undefined, fixed: number | undefined): number | undefined {
  if (legacy === undefined || fixed === undefined || !Number.isFinite(legacy) || !Number.isFinite(fixed) || fixed <= 0) return undefined;
  return round(legacy / fixed, 2);
}

export const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
