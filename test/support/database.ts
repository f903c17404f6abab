import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { loadMigrations } from '../../src/db/migrate/files.ts';
import { createRunner } from '../../src/db/migrate/index.ts';
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

const provided = <K extends 'adminUrl' | 'runId' | 'codeHash'>(key: K, env: string): string => {
  try {
    return inject(key);
  } catch {
    return process.env[env] as string;
  }
};
const adminUrl = () => provided('adminUrl', 'ABYMED_TEST_ADMIN_URL');
const runId = () => provided('runId', 'ABYMED_TEST_RUN_ID');
const codeHash = () => provided('codeHash', 'ABYMED_TEST_CODE_HASH');

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
    .slice(0, 12);
  // The code hash is part of the name: backfill jobs are TypeScript, so the same files run by other
  // code can build a different database.
  const name = `${TEMPLATE_PREFIX}${codeHash()}_${key}`;
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
  const name = `${PREFIX}${runId()}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
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

/**
 * Cleans the server for a run: databases of runs whose process is gone, and templates built by
 * other code. With `run`, the databases of that run (its end). Another run going on at the same
 * time (a developer's second terminal) keeps its databases.
 */
export async function dropStaleTestDatabases(url: string, options: { run?: string; currentCode?: string } = {}): Promise<void> {
  await admin(url, async (c) => {
    const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname like $2`, [
      `${PREFIX}%`,
      `${TEMPLATE_PREFIX}%`,
    ]);
    for (const { datname } of rows) {
      const owner = /^abymed_t_(\d+)_/.exec(datname)?.[1];
      const templateCode = /^abymed_tpl_([0-9a-f]+)_/.exec(datname)?.[1];
      const drop = options.run
        ? owner === options.run
        : (owner !== undefined && !alive(Number(owner))) ||
          (templateCode !== undefined &&
            options.currentCode !== undefined &&
            templateCode !== options.currentCode &&
            !datname.endsWith('_build'));
      if (drop) await c.query(`drop database if exists ${datname} with (force)`).catch(() => {});
    }
  });
}

/** Hash of the code a template depends on: migrations and every TypeScript source. */
export function hashSources(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|sql)$/.test(entry.name)) h.update(path).update(readFileSync(path));
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'db/migrations'));
  return h.digest('hex').slice(0, 10);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
