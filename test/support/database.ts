import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { createRunner } from '../../src/db/migrate/index.ts';
import { loadMigrations } from '../../src/db/migrate/files.ts';
import type { RunnerOptions } from '../../src/db/migrate/runner.ts';
import { migrationsDir } from '../../src/paths.ts';

/**
 * The one fixture for a fresh database: each test file gets its own database, cloned in a few
 * hundred milliseconds from a template that the real migration runner built once per migration
 * state. No test shares a database with another file, and none hard-codes a connection string.
 */
export type MigrateTarget = 'none' | 'all' | 'before-contract' | { to: number };

export interface TestDatabase extends Database {
  name: string;
  /** A fresh client on this database, for session-level work (locks, concurrent sessions). */
  client(): Promise<pg.Client>;
  runner(options?: Partial<RunnerOptions>): ReturnType<typeof createRunner>;
}

const PREFIX = 'abymed_t_';
const TEMPLATE_PREFIX = 'abymed_tpl_';

const adminUrl = () => {
  try {
    return inject('adminUrl');
  } catch {
    return process.env.ABYMED_TEST_ADMIN_URL as string;
  }
};

export function urlForDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function templateFor(target: MigrateTarget): Promise<string> {
  const url = adminUrl();
  const migrations = await loadMigrations(migrationsDir);
  const key = createHash('sha256')
    .update(JSON.stringify({ target, files: migrations.map((m) => [m.version, m.up.checksum, m.down.checksum]) }))
    .digest('hex')
    .slice(0, 16);
  const name = `${TEMPLATE_PREFIX}${key}`;
  await admin(url, async (c) => {
    // Two test workers may want the same template at once: one builds it, the other waits.
    await c.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return;
      const building = `${name}_build`;
      await c.query(`drop database if exists ${building} with (force)`);
      await c.query(`create database ${building}`);
      const buildUrl = urlForDatabase(url, building);
      const runner = createRunner({ url: buildUrl });
      if (target === 'all') await runner.up();
      else if (target === 'before-contract') await runner.up({ beforeContract: true });
      else if (typeof target === 'object') await runner.up({ to: target.to });
      await c.query(`alter database ${building} rename to ${name}`);
    } finally {
      await c.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

let counter = 0;

export async function freshDatabase(target: MigrateTarget = 'all'): Promise<TestDatabase> {
  const url = adminUrl();
  if (!url) throw new Error('no test database server: run the tests through vitest (test/support/global-setup.ts)');
  const template = await templateFor(target);
  const name = `${PREFIX}${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(url, (c) => c.query(`create database ${name} template ${template}`));
  const dbUrl = urlForDatabase(url, name);
  const database = openDatabase(dbUrl, { max: 20, applicationName: 'abymed-test' });
  const close = database.close;
  return {
    ...database,
    name,
    client: async () => {
      const c = new pg.Client({ connectionString: dbUrl });
      c.on('error', () => {});
      await c.connect();
      return c;
    },
    runner: (options = {}) => createRunner({ url: dbUrl, ...options }),
    close: async () => {
      await close();
      await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Registers a fresh database for the calling test file and drops it afterwards. */
export function useFreshDatabase(target: MigrateTarget = 'all'): { readonly db: TestDatabase } {
  const holder: { db?: TestDatabase } = {};
  beforeAll(async () => {
    holder.db = await freshDatabase(target);
  });
  afterAll(async () => {
    await holder.db?.close();
  });
  return {
    get db() {
      if (!holder.db) throw new Error('the fresh database is only available inside tests');
      return holder.db;
    },
  };
}

/** Drops databases a killed run left behind; with `all`, every test database and template (end of a run). */
export async function dropStaleTestDatabases(url: string, options: { all?: boolean } = {}): Promise<void> {
  await admin(url, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `select datname from pg_database where datname like $1 or datname like $2`,
      [`${PREFIX}%`, `${TEMPLATE_PREFIX}%`],
    );
    for (const { datname } of rows) {
      const pid = /^abymed_t_(\d+)_/.exec(datname)?.[1];
      const isTemplate = datname.startsWith(TEMPLATE_PREFIX);
      const orphan = pid !== undefined && !alive(Number(pid));
      if (options.all || orphan || (isTemplate && datname.endsWith('_build'))) {
        await c.query(`drop database if exists ${datname} with (force)`);
      }
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
