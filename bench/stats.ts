/** Latency summaries in milliseconds. Percentiles use the nearest-rank method on sorted samples. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.length ? sum / sorted.length : Number.NaN),
    max: round(sorted.at(-1) ?? Number.NaN),
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
