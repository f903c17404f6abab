import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Logger } from '../src/log.ts';
import { repoRoot } from '../src/paths.ts';
import { readFixedBuild } from './build-steps.ts';
import { datasetName, ensureDataset, ensureLegacyDataset, type ReuseMode } from './dataset.ts';
import { runHttpBench } from './http/index.ts';
import { describeMachine, type Machine } from './machine.ts';
import { legacyWorkloadDriver } from './migrations/harness.ts';
import { runMigrationBench } from './migrations/index.ts';
import { progressBar } from './progress.ts';
import { loadQueries } from './queries/load.ts';
import { runQueryBench } from './query-bench.ts';
import { renderReport } from './report/markdown.ts';
import type { BenchResults, Section } from './results.ts';

export const DEFAULTS = {
  /** 1M tickets, 250k devices, 2k engineers (src/seed maps scale to row counts). */
  scale: 333.34,
  seed: 1,
  samples: 300,
  queryBudgetMs: 30_000,
  httpConcurrency: 16,
  httpDurationMs: 10_000,
  httpMaxRequests: 20_000,
  migrationBaselineMs: 15_000,
  outDir: resolve(repoRoot, 'docs/benchmarks'),
};

export interface BenchOptions {
  serverUrl: string;
  server: Machine['server'];
  scale: number;
  seed: number;
  sections: readonly Section[];
  samples: number;
  mode: ReuseMode;
  outDir: string;
  /** The database names' prefix. (Default: abymed_bench) */
  prefix?: string;
  queryBudgetMs: number;
  httpConcurrency: number;
  httpDurationMs: number;
  httpMaxRequests: number;
  migrationBaselineMs: number;
  /**
   * Scale of the legacy copy migrated under load. (Default: scale) Under load every step runs
   * again from the baseline, so on a small machine a smaller copy keeps the run in bounds; the
   * fixed side's own build (no workload) still shows every step at full scale.
   */
  migrationScale?: number;
  /** The command line, recorded in the report so anyone can reproduce it. */
  command: string;
  note?: string;
  log: Logger;
  progress?: boolean;
}

/**
 * `abymed bench`: the dataset (built or reused), then each requested section, then results.json and
 * the README generated from it. Sections not run this time keep their previous figures when those
 * were measured on the same scale and seed, so `--only http` does not erase the query tables.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const t0 = Date.now();
  const log = options.log.child({ component: 'bench' });
  const bar = progressBar(options.progress);
  const machine = await describeMachine(options.serverUrl, options.server);
  log.info({ machine, scale: options.scale, seed: options.seed, sections: options.sections }, 'benchmark started');

  let lastSeedLog = 0;
  const dataset = await ensureDataset({
    serverUrl: options.serverUrl,
    scale: options.scale,
    seed: options.seed,
    prefix: options.prefix,
    mode: options.mode,
    log,
    onSeedProgress: (e) => {
      const p = e as { done?: number; total?: number; table?: string; phase?: string };
      if (typeof p.done !== 'number' || typeof p.total !== 'number') return;
      bar.update(p.done, p.total, `seeding ${p.table ?? p.phase ?? ''}`);
      if (Date.now() - lastSeedLog > 10_000) {
        lastSeedLog = Date.now();
        log.info({ table: p.table, done: p.done, total: p.total }, 'seeding');
      }
    },
    onMigrationStep: (e) => {
      if (e.type !== 'retry')
        bar.update(e.index + (e.type === 'done' ? 1 : 0), e.total, `migrating ${e.migration.version}_${e.migration.name}`);
    },
  });
  bar.stop();

  const previous = await readPrevious(options.outDir);
  const samePrevious =
    previous && previous.dataset.scale === options.scale && previous.dataset.seed === options.seed ? previous : undefined;
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    command: options.command,
    ...(options.note ? { note: options.note } : {}),
    machine,
    dataset: {
      scale: dataset.scale,
      seed: dataset.seed,
      rows: dataset.rows,
      legacy: {
        name: dataset.legacy.name,
        sizeBytes: dataset.legacy.sizeBytes,
        reused: dataset.legacy.reused,
        ...(dataset.legacy.buildMs ? { buildMs: dataset.legacy.buildMs } : {}),
      },
      fixed: {
        name: dataset.fixed.name,
        sizeBytes: dataset.fixed.sizeBytes,
        reused: dataset.fixed.reused,
        schemaVersion: dataset.fixedVersion,
        ...(dataset.fixed.buildMs ? { buildMs: dataset.fixed.buildMs } : {}),
        build: await readFixedBuild(dataset.fixed.url),
      },
    },
    options: {
      samples: options.samples,
      queryBudgetMs: options.queryBudgetMs,
      httpConcurrency: options.httpConcurrency,
      httpDurationMs: options.httpDurationMs,
      httpMaxRequests: options.httpMaxRequests,
    },
    ...(samePrevious?.queries && !options.sections.includes('queries') ? { queries: samePrevious.queries } : {}),
    ...(samePrevious?.http && !options.sections.includes('http') ? { http: samePrevious.http } : {}),
    ...(samePrevious?.migrations && !options.sections.includes('migrations') ? { migrations: samePrevious.migrations } : {}),
    // The T1.4 devices section has its own dataset (`--devices`): kept whatever the scale.
    ...(previous?.devices ? { devices: previous.devices } : {}),
    skipped: {},
    durationMs: 0,
  };

  if (options.sections.includes('queries')) {
    const queries = await loadQueries();
    const list = await runQueryBench(queries, {
      legacyUrl: dataset.legacy.url,
      fixedUrl: dataset.fixed.url,
      samples: options.samples,
      seed: options.seed,
      budgetMs: options.queryBudgetMs,
      log,
      onQuery: (done, total, name) => bar.update(done, total, `reads: ${name}`),
    });
    bar.stop();
    results.queries = { measuredAt: new Date().toISOString(), results: list };
    await checkpoint(options.outDir, results, t0);
  }

  if (options.sections.includes('http')) {
    try {
      const http = await runHttpBench({
        databaseUrl: dataset.fixed.url,
        parametersUrl: dataset.legacy.url,
        seed: options.seed,
        concurrency: options.httpConcurrency,
        durationMs: options.httpDurationMs,
        maxRequests: options.httpMaxRequests,
        log,
        onScenario: (done, total, name) => bar.update(done, total, `HTTP: ${name}`),
      });
      results.http = { measuredAt: new Date().toISOString(), ...http };
      await checkpoint(options.outDir, results, t0);
    } catch (e) {
      log.error({ err: (e as Error).message }, 'HTTP load test failed');
      results.skipped.http = `failed: ${(e as Error).message}`;
    }
    bar.stop();
  }

  if (options.sections.includes('migrations')) {
    const scale = options.migrationScale ?? options.scale;
    const legacyName =
      scale === options.scale
        ? dataset.legacy.name
        : (
            await ensureLegacyDataset({
              serverUrl: options.serverUrl,
              scale,
              seed: options.seed,
              prefix: options.prefix,
              mode: options.mode,
              log,
            })
          ).name;
    const migrations = await runMigrationBench({
      serverUrl: options.serverUrl,
      legacyName,
      scratchName: datasetName(options.prefix ?? 'abymed_bench', scale, options.seed, 'migrating'),
      driver: legacyWorkloadDriver(log),
      baselineMs: options.migrationBaselineMs,
      log,
      onStep: (e) => {
        if (e.type === 'start') bar.update(0, 1, `migrating under load: ${e.migration.version}_${e.migration.name}`);
      },
    });
    bar.stop();
    results.migrations = { measuredAt: new Date().toISOString(), scale, ...migrations };
  }

  results.durationMs = Date.now() - t0;
  await writeResults(options.outDir, results);
  log.info({ durationMs: results.durationMs, outDir: options.outDir }, 'benchmark finished');
  return results;
}

/** Written after each section, so a run stopped later still leaves the figures it measured. */
async function checkpoint(outDir: string, results: BenchResults, t0: number): Promise<void> {
  results.durationMs = Date.now() - t0;
  await writeResults(outDir, results);
}

export async function readPrevious(outDir: string): Promise<BenchResults | undefined> {
  const file = resolve(outDir, 'results.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  } catch {
    return undefined; // a hand-broken file is simply replaced
  }
}

export async function writeResults(outDir: string, results: BenchResults): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const report = renderReport(results);
  await writeFile(resolve(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(resolve(outDir, 'README.md'), report.markdown);
  for (const [name, content] of Object.entries(report.files)) await writeFile(resolve(outDir, name), content);
}
