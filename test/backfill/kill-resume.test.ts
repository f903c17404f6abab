import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProgress, runBackfill } from '../../src/db/backfill/index.ts';
import { repoRoot } from '../../src/paths.ts';
import { seedLegacyData } from '../../src/seed/index.ts';
import type { SeedManifest } from '../../src/seed/manifest.ts';
import { useFreshDatabase } from '../support/database.ts';
import { jobs, toyTableDdl } from './toy-jobs.ts';

/**
 * `abymed backfill` killed with SIGKILL halfway, then run again: it resumes after the last committed
 * batch, and the result is the same as an uninterrupted run's, row for row, quarantine included.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase({ to: 1 });
let client: pg.Client;
let manifest: SeedManifest;
let tickets: number;
let missingEngineers: number;
const [uninterrupted, killed] = jobs as [(typeof jobs)[0], (typeof jobs)[0]];

function backfillCli(job: string): ChildProcess {
  return spawn(
    process.execPath,
    [resolve(repoRoot, 'bin/abymed.js'), 'backfill', job, '--jobs', resolve(repoRoot, 'test/backfill/toy-jobs.ts'), '--json'],
    {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((ok) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('exit', (code, signal) => ok({ code, signal, stdout, stderr }));
  });

beforeAll(async () => {
  manifest = await seedLegacyData(t.db.pool, { scale: 0.2, seed: 11 });
  tickets = manifest.rows.service_tickets ?? 0;
  missingEngineers = manifest.defects['tickets.engineer_missing']?.rows ?? -1;
  client = await t.db.client();
  await client.query(toyTableDdl('toy_engineers_a'));
  await client.query(toyTableDdl('toy_engineers_b'));
});
afterAll(async () => client?.end());

describe('backfill killed with SIGKILL and resumed', () => {
  it('quarantines exactly the tickets the seed manifest says name no engineer', async () => {
    const result = await runBackfill(client, uninterrupted);
    expect(result.rowsDone).toBe(tickets);
    expect(result.quarantined).toBe(missingEngineers);
    expect(result.quarantined).toBeGreaterThan(0);
  });

  it('resumes after kill -9 with no duplicate and no gap: identical to the uninterrupted run', async () => {
    const child = backfillCli(killed.name);
    const done = exited(child);
    const total = tickets;
    // Kill once a third to two thirds of the rows are committed, wherever the run is at that instant.
    for (;;) {
      const [p] = await readProgress(client, killed.name).catch(() => []);
      if (p && p.rowsDone >= total / 3) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    const first = await done;
    expect(first.signal).toBe('SIGKILL');
    const [halfway] = await readProgress(client, killed.name);
    expect(halfway?.status).toBe('running');
    expect(halfway?.rowsDone).toBeLessThan(total);

    const second = await exited(backfillCli(killed.name));
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const resumed = JSON.parse(second.stdout);
    expect(resumed).toMatchObject({ resumed: true, rowsDone: total, totalRows: total });

    const diff = await client.query(
      `select count(*)::int as n from ((table toy_engineers_a except table toy_engineers_b) union all (table toy_engineers_b except table toy_engineers_a)) d`,
    );
    expect(diff.rows[0].n).toBe(0);
    const counts = await client.query(
      'select (select count(*) from toy_engineers_a)::int as a, (select count(*) from toy_engineers_b)::int as b',
    );
    expect(counts.rows[0].a).toBeGreaterThan(0);
    expect(counts.rows[0].b).toBe(counts.rows[0].a);
    const quarantine = await client.query(
      `select count(*)::int as n from (
         (select key, reason, payload from abymed.quarantine where job = $1 except select key, reason, payload from abymed.quarantine where job = $2)
         union all
         (select key, reason, payload from abymed.quarantine where job = $2 except select key, reason, payload from abymed.quarantine where job = $1)) d`,
      [uninterrupted.name, killed.name],
    );
    expect(quarantine.rows[0].n).toBe(0);
    const [finished] = await readProgress(client, killed.name);
    expect(finished).toMatchObject({ status: 'done', rowsDone: total, quarantined: missingEngineers });
  });

  it('shows every job with --status', async () => {
    const child = spawn(process.execPath, [resolve(repoRoot, 'bin/abymed.js'), 'backfill', '--status'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'warn' },
    });
    const { code, stdout } = await exited(child);
    expect(code).toBe(0);
    const total = tickets;
    expect(stdout).toMatch(new RegExp(`✔ toy_killed\\s+done\\s+${total}/${total} rows \\(100\\.0%\\)`));
    expect(stdout).toMatch(/toy_uninterrupted/);
  });
});
