import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/paths.ts';
import { freshDatabase } from '../support/database.ts';
import { basic, migrationsFolder } from './fixtures.ts';

// The runner must work on its own, without the type parsers src/db/database.ts installs: bigint
// versions then arrive as strings. A child process imports only the runner.
describe('migration runner without the application modules', () => {
  it('goes up and down with bigint versions read as strings', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder(basic);
      const script = `
        import { MigrationRunner } from './src/db/migrate/runner.ts';
        const r = new MigrationRunner({ url: process.env.URL, dir: process.env.DIR });
        await r.up();
        const down = await r.down({ steps: 2 });
        console.log(JSON.stringify(down.map((s) => s.version)));`;
      const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: repoRoot,
        env: { ...process.env, URL: db.url, DIR: dir, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      });
      expect(out.stderr).not.toMatch(/missing/);
      expect(out.stdout.trim()).toBe('[4,3]');
    } finally {
      await db.close();
    }
  });
});
