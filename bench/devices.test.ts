import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { logger } from '../src/log.ts';
import { urlForDatabase } from './dataset.ts';
import { BACKFILL_JOB, devicesMigration, runDevicesBench } from './devices.ts';
import { loadQueries } from './queries/load.ts';
import type { BenchResults } from './results.ts';

/**
 * Smoke run of `abymed bench --devices N` at a tiny N on the test server: the dataset pair built
 * (then reused), the T1.4 reads timed on both sides, the section written into results.json and
 * README.md of a scratch folder. Shapes and counts are checked; figures never are.
 */
const DEVICES = 300;
// `abymed_bench_t_<pid>_…` like bench.test.ts, whose clean-up leaves a live process's databases alone.
const PREFIX = 'abymed_bench_t_';
const prefix = `${PREFIX}${process.pid}_devices_${DEVICES}`;
const serverUrl = inject('adminUrl');

async function dropOwnDatabases(): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    const { rows } = await c.query('select datname from pg_database where datname like $1', [`${prefix}%`]);
    for (const { datname } of rows as { datname: string }[]) await c.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await c.end();
  }
}

async function count(db: string, sql: string): Promise<number> {
  const c = new pg.Client({ connectionString: urlForDatabase(serverUrl, db) });
  await c.connect();
  try {
    return Number((await c.query(sql)).rows[0].n);
  } finally {
    await c.end();
  }
}

describe('abymed bench --devices (smoke, tiny)', () => {
  let outDir: string;
  beforeAll(async () => {
    await dropOwnDatabases();
    outDir = await mkdtemp(join(tmpdir(), 'abymed-bench-devices-'));
  });
  afterAll(async () => {
    await dropOwnDatabases();
    await rm(outDir, { recursive: true, force: true });
  });

  const run = (mode: 'auto' | 'rebuild') =>
    runDevicesBench({
      serverUrl,
      server: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
      devices: DEVICES,
      seed: 3,
      samples: 5,
      queryBudgetMs: 2_000,
      mode,
      outDir,
      prefix,
      command: 'vitest smoke run --devices',
      log: logger,
      progress: false,
    });

  it('builds N devices, takes the fixed side through T1.4 by the runner, times the T1.4 reads and reports them', async () => {
    const results = await run('rebuild');
    const d = results.devices;
    if (!d) throw new Error('no devices section');
    expect(d.devices).toBe(DEVICES);
    expect(await count(d.legacy.name, 'select count(*)::int as n from equipment')).toBe(DEVICES);
    expect(d.legacy.reused).toBe(false);
    expect(d.fixed.reused).toBe(false);
    expect(d.legacy.buildMs).toBeGreaterThan(0);

    // The fixed side went through the platform steps and T1.4's, nothing else, 0045 by the engine.
    expect(d.fixed.schemaVersion).toBe(941);
    const versions = d.steps.map((s) => s.version);
    expect(versions).toContain(45);
    expect(versions.every(devicesMigration)).toBe(true);
    expect(versions.some((v) => v > 8 && v < 40)).toBe(false);
    // Every device's known parties became periods, all written by the backfill.
    const periods = await count(d.fixed.name, 'select count(*)::int as n from equipment_relationships');
    expect(d.periods).toBe(periods);
    expect(periods).toBeGreaterThanOrEqual(3 * DEVICES);
    expect(d.backfill).toMatchObject({ job: BACKFILL_JOB, devices: DEVICES, periodsWritten: periods, quarantined: 0 });
    const owners = await count(
      d.fixed.name,
      `select count(distinct equipment_id)::int as n from equipment_relationships where relationship_type = 'owned_by'`,
    );
    expect(owners).toBe(DEVICES);

    const t14 = (await loadQueries()).filter((q) => q.ticket === 'T1.4').map((q) => q.name);
    expect(d.results.map((q) => q.name)).toEqual(t14);
    for (const q of d.results) {
      expect(q.fixed.status, `${q.name}: ${q.fixed.error ?? ''}`).toBe('ok');
      expect(q.legacy.status === 'ok' || q.legacy.status === 'not-applicable').toBe(true);
    }

    const onDisk = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as BenchResults;
    expect(onDisk.devices?.devices).toBe(DEVICES);
    const readme = await readFile(join(outDir, 'README.md'), 'utf8');
    expect(readme).toContain(`## T1.4 at ${DEVICES} devices`);
    expect(readme).toContain('0045_t1_4_equipment_relationships_backfill');
    expect(readme).toContain('owner of a device as of T');
  });

  it('reuses the dataset pair and keeps what the page already held', async () => {
    const first = JSON.parse(await readFile(join(outDir, 'results.json'), 'utf8')) as BenchResults;
    const results = await run('auto');
    const d = results.devices;
    expect(d?.legacy.reused).toBe(true);
    expect(d?.fixed.reused).toBe(true);
    // Build times are those of the run that built them.
    expect(d?.legacy.buildMs).toBe(first.devices?.legacy.buildMs);
    expect(d?.fixed.buildMs).toBe(first.devices?.fixed.buildMs);
    // The page's own header (a main run's, when there is one) is not replaced by this section.
    expect(results.generatedAt).toBe(first.generatedAt);
    expect(results.command).toBe(first.command);
  });
});
