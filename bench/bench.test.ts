import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadMigrations } from '../src/db/migrate/files.ts';
import { logger } from '../src/log.ts';
import { migrationsDir } from '../src/paths.ts';
import { loadQueries } from './queries/load.ts';
import type { BenchResults, Section } from './results.ts';
import { runBench } from './run.ts';

/**
 * Smoke run of `abymed bench` end to end at the smallest scale, on the test server: dataset built
 * (then reused), every section run, results.json and README.md written to a scratch folder. Only
 * the shape of the output is checked; figures are never asserted (they depend on the machine).
 */
const TINY_SCALE = 0.2;
// Not the fixture's `abymed_t_` prefix: the end of any test run drops every such database on the
// server, and this file's databases must survive other runs sharing the server for its duration.
const PREFIX = 'abymed_bench_t_';
const prefix = `${PREFIX}${process.pid}`;
const serverUrl = inject('adminUrl');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** This run's databases, and those a killed run left behind (their process is gone). */
async function dropBenchDatabases(): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    const { rows } = await c.query('select datname from pg_database where datname like $1', [`${PREFIX}%`]);
    for (const { datname } of rows as { datname: string }[]) {
      const pid = Number(/^abymed_bench_t_(\d+)_/.exec(datname)?.[1]);
      if (pid === process.pid || !alive(pid)) await c.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await c.end();
  }
}

describe('abymed bench (smoke, tiny scale)', () => {
  const dirs: string[] = [];
  beforeAll(dropBenchDatabases);
  afterAll(async () => {
    await dropBenchDatabases();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  const run = async (mode: 'auto' | 'rebuild', sections: Section[], migrationScale?: number) => {
    const outDir = await mkdtemp(join(tmpdir(), 'abymed-bench-'));
    dirs.push(outDir);
    const results = await runBench({
      serverUrl,
      server: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
      scale: TINY_SCALE,
      seed: 7,
      sections,
      samples: 5,
      mode,
      outDir,
      prefix,
      queryBudgetMs: 2_000,
      httpConcurrency: 4,
      httpDurationMs: 300,
      httpMaxRequests: 40,
      migrationBaselineMs: 300,
      ...(migrationScale ? { migrationScale } : {}),
      command: 'vitest smoke run',
      log: logger,
      progress: false,
    });
    return { results, outDir };
  };

  it('builds the dataset, runs every section and writes the report', async () => {
    const { results, outDir } = await run('rebuild', ['queries', 'http', 'migrations']);
    const onDisk = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as BenchResults;
    expect(onDisk.dataset.scale).toBe(TINY_SCALE);
    expect(results.dataset.legacy.reused).toBe(false);
    expect(results.dataset.fixed.schemaVersion).toBeGreaterThan(1);

    const defined = await loadQueries();
    expect(results.queries?.results.map((q) => `${q.ticket}/${q.name}`)).toEqual(defined.map((q) => `${q.ticket}/${q.name}`));
    for (const q of results.queries?.results ?? []) {
      // Every read either timed on each side it has, or says why not.
      for (const side of [q.legacy, q.fixed]) expect(side.status === 'ok' || side.status === 'not-applicable' || side.error).toBeTruthy();
    }
    expect(results.http?.scenarios.some((s) => s.status === 'ok' && (s.requests ?? 0) > 0)).toBe(true);
    // The lists of the small callers (a hospital, an engineer) and the current assignment of an
    // assigned ticket are answered without an error: the load test measures them, not their 404s.
    const scenario = new Map(results.http?.scenarios.map((s) => [s.name, s]));
    for (const name of [
      'GET /tickets (newest page) as a hospital',
      'GET /equipment (newest page) as a hospital',
      'GET /tickets (newest page) as an engineer',
      'GET /tickets/{id}/current-assignment',
    ]) {
      expect(scenario.get(name)?.status, name).toBe('ok');
      expect(scenario.get(name)?.errors, name).toBe(0);
    }
    expect(results.migrations?.steps.length).toBeGreaterThan(0);
    expect(results.migrations?.steps.every((s) => s.status === 'applied')).toBe(true);
    expect(results.migrations?.scale).toBe(TINY_SCALE);

    // The fixed side's own build, read back from its records: every step above the baseline, and
    // each backfill step with the rows its job went through.
    const build = results.dataset.fixed.build;
    const backfills = (await loadMigrations(migrationsDir)).filter((m) => m.up.directives.backfill);
    expect(build?.steps.map((s) => s.version)).toEqual(
      (await loadMigrations(migrationsDir)).filter((m) => m.version > 1).map((m) => m.version),
    );
    for (const m of backfills) {
      const step = build?.steps.find((s) => s.version === m.version);
      expect(step?.backfill?.job).toBe(m.up.directives.backfill);
      expect(step?.backfill?.rows).toBeGreaterThanOrEqual(0);
    }
    expect(build?.steps.find((s) => s.backfill?.job === 't1_1_assignments')?.backfill?.rows).toBeGreaterThan(0);

    const readme = await readFile(join(outDir, 'README.md'), 'utf8');
    for (const heading of [
      '## Machine',
      '## Dataset',
      '## Migrations at full scale (no workload)',
      '## Reads: legacy schema against fixed schema',
      '## HTTP API under load',
      '## Migrations under load',
    ]) {
      expect(readme).toContain(heading);
    }
    expect(existsSync(join(outDir, 'queries-p95.svg'))).toBe(true);
    expect(await readFile(join(outDir, 'queries-p95.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*<\/svg>\n$/);
  }, 600_000); // every section end to end, migrations under load included: minutes on a busy 2-core machine

  it('reuses a dataset whose fingerprint matches', async () => {
    const { results } = await run('auto', ['queries']);
    expect(results.dataset.legacy.reused).toBe(true);
    expect(results.dataset.fixed.reused).toBe(true);
    expect(results.http).toBeUndefined(); // another folder: nothing previous to carry over
  });

  it('migrates a legacy copy of its own scale under load (--migration-scale)', async () => {
    const { results, outDir } = await run('auto', ['migrations'], 0.1);
    expect(results.dataset.scale).toBe(TINY_SCALE);
    expect(results.migrations?.scale).toBe(0.1);
    expect(results.migrations?.steps.every((s) => s.status === 'applied')).toBe(true);
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      const { rows } = await c.query('select 1 from pg_database where datname = $1', [`${prefix}_s0p1_7_legacy`]);
      expect(rows).toHaveLength(1);
    } finally {
      await c.end();
    }
    expect(await readFile(join(outDir, 'README.md'), 'utf8')).toContain('at scale 0.1 (`--migration-scale`');
  }, 600_000);
});
