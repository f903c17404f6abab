import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLegacyProcurement } from '../../bench/data/procurement.ts';
import { repoRoot } from '../../src/paths.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';
import { T13, t13MigrationsDir } from './support.ts';

/** `abymed validate t1.3` as a person runs it: text or JSON, a sentence for a wrong ticket or a missing step. */
function abymed(args: string[], url: string) {
  const r = spawnSync(process.execPath, ['bin/abymed.js', ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: url },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase('none');
  const dir = await t13MigrationsDir();
  await db.runner({ dir }).up({ to: 8 });
  const c = await db.client();
  await generateLegacyProcurement(c, { rfqs: 80 });
  await c.end();
});
afterAll(async () => db?.close());

describe('abymed validate (CLI)', () => {
  it('says which step is missing before 0030', () => {
    const r = abymed(['validate', 't1.3'], db.url);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs migration 0030/);
  });

  it('prints the report, and the same as JSON', async () => {
    await db.runner({ dir: await t13MigrationsDir() }).up({ to: T13.expand });
    const text = abymed(['validate', 't1.3'], db.url);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('T1.3 validation');
    expect(text.stdout).toMatch(/rfqs\.items: 80 rows/);
    expect(text.stdout).toMatch(/✘ quarantined rfq_items\.unknown_sku\s+\d+\s+→ quarantine/);
    const json = abymed(['validate', 't1.3', '--json'], db.url);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.ticket).toBe('t1.3');
    expect(report.totals.rfqs.rows).toBe(80);
  });

  it('rejects an unknown ticket with the list of known ones', () => {
    const r = abymed(['validate', 't9.9'], db.url);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no validation report for "t9.9" \(known: [^)]*t1\.3/);
  });
});
