import type { FixedBuild } from './build-steps.ts';
import type { DevicesBenchResult } from './devices.ts';
import type { HttpBenchResult } from './http/index.ts';
import type { Machine } from './machine.ts';
import type { MigrationBenchResult } from './migrations/index.ts';
import type { QueryResult } from './query-bench.ts';

export const SECTIONS = ['queries', 'http', 'migrations'] as const;
export type Section = (typeof SECTIONS)[number];

/** docs/benchmarks/results.json: everything the README is generated from. */
export interface BenchResults {
  generatedAt: string;
  /** The command line that produced these figures, to reproduce them. */
  command: string;
  /** A sentence from whoever ran it (e.g. why this scale), shown at the top of the README. */
  note?: string;
  machine: Machine;
  dataset: {
    scale: number;
    seed: number;
    rows: Record<string, number>;
    legacy: { name: string; sizeBytes: number; reused: boolean; buildMs?: number };
    fixed: {
      name: string;
      sizeBytes: number;
      reused: boolean;
      buildMs?: number;
      schemaVersion: number | null;
      /** Every step of the fixed side's build at this scale (no workload), from its own records. */
      build?: FixedBuild;
    };
  };
  options: { samples: number; queryBudgetMs: number; httpConcurrency: number; httpDurationMs: number; httpMaxRequests: number };
  queries?: { measuredAt: string; results: QueryResult[] };
  http?: { measuredAt: string } & HttpBenchResult;
  /** `scale`: the legacy copy migrated under load (`--migration-scale`, else the dataset's). */
  migrations?: { measuredAt: string; scale: number } & MigrationBenchResult;
  /** T1.4 reads at many devices, on a dataset of their own (`abymed bench --devices N`). */
  devices?: DevicesBenchResult;
  /** Sections that could not run, with the reason (e.g. a dependency not landed yet). */
  skipped: Partial<Record<Section, string>>;
  durationMs: number;
}
