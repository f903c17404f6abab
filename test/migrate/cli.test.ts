import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/paths.ts';
import { freshDatabase } from '../support/database.ts';
import { basic, migrationsFolder } from './fixtures.ts';

function abymed(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/abymed.js', ...args], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('abymed migrate (CLI)', () => {
  it('rejects an unknown flag with a usage error', () => {
    const r = abymed(['migrate', 'up', '--frobnicate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('rejects a non-numeric step count', () => {
    const r = abymed(['migrate', 'up', 'many'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/N must be a whole number/);
  });

  it('says so when DATABASE_URL cannot be reached', () => {
    const r = abymed(['migrate', 'status'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach the database at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/);
    expect(r.stderr).not.toMatch(/secret/);
  });

  it('refuses a malformed file name and a missing down file before touching the database', async () => {
    const db = await freshDatabase('none');
    try {
      const malformed = migrationsFolder({ ...basic, '0005_Add Thing.sql': 'select 1;' });
      const r1 = abymed(['migrate', '--dir', malformed, 'up'], { DATABASE_URL: db.url });
      expect(r1.code).not.toBe(0);
      expect(r1.stderr).toMatch(/0005_Add Thing\.sql: not a migration file name/);

      const { '0002_t_note_expand.down.sql': _, ...withoutDown } = basic;
      const r2 = abymed(['migrate', '--dir', migrationsFolder(withoutDown), 'up'], { DATABASE_URL: db.url });
      expect(r2.code).not.toBe(0);
      expect(r2.stderr).toMatch(/0002_t_note_expand has no \.down\.sql file/);

      const tables = await db.pool.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`);
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('applies, reports and plans through the CLI', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder(basic);
      const up = abymed(['migrate', '--dir', dir, 'up', '2'], { DATABASE_URL: db.url });
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(/✔ up {3}0002_t_note_expand/);
      const status = abymed(['migrate', '--dir', dir, 'status', '--json'], { DATABASE_URL: db.url });
      expect(JSON.parse(status.stdout)).toMatchObject({ current: 2, pending: 2 });
      const plan = abymed(['migrate', '--dir', dir, 'plan'], { DATABASE_URL: db.url });
      expect(plan.stdout).toMatch(/lock SHARE UPDATE EXCLUSIVE on t/);
      expect(plan.stdout).toMatch(/no transaction: statement by statement/);
    } finally {
      await db.close();
    }
  });
});
