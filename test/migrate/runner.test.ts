import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, snapshotCatalog } from '../../src/db/catalog.ts';
import { freshDatabase } from '../support/database.ts';
import { basic, migrationsFolder } from './fixtures.ts';

const versionRow = async (db: Awaited<ReturnType<typeof freshDatabase>>) =>
  (await db.pool.query('select version, dirty from schema_migrations')).rows[0];

describe('migration runner', () => {
  it('applies up, down, to a version, and reports status', async () => {
    const db = await freshDatabase('none');
    try {
      const runner = db.runner({ dir: migrationsFolder(basic) });
      expect((await runner.status()).pending).toBe(4);
      const up2 = await runner.up({ steps: 2 });
      expect(up2.map((r) => r.version)).toEqual([1, 2]);
      expect(await versionRow(db)).toEqual({ version: 2, dirty: false });
      await runner.up({ to: 3 });
      expect(await versionRow(db)).toEqual({ version: 3, dirty: false });
      const idx = await db.pool.query(`select indisvalid from pg_index where indexrelid = 't_note_idx'::regclass`);
      expect(idx.rows[0].indisvalid).toBe(true);
      await runner.up();
      const status = await runner.status();
      expect(status.current).toBe(4);
      expect(status.pending).toBe(0);
      expect(status.migrations.every((m) => m.applied && m.appliedBy && m.checksumChanged === false)).toBe(true);
      const history = await db.pool.query(
        'select version, checksum, duration_ms, applied_by from abymed.migration_history order by version',
      );
      expect(history.rows.map((r) => r.version)).toEqual([1, 2, 3, 4]);
      expect(history.rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);

      const down = await runner.down();
      expect(down.map((r) => [r.version, r.direction])).toEqual([[4, 'down']]);
      expect((await db.pool.query('select v from t order by id')).rows.map((r) => r.v)).toEqual(['a', 'b']);
      await runner.down({ to: 1 });
      expect(await versionRow(db)).toEqual({ version: 1, dirty: false });
      await runner.down({ all: true });
      expect(await versionRow(db)).toBeUndefined();
      expect((await db.pool.query(`select to_regclass('public.t') as t`)).rows[0].t).toBeNull();
    } finally {
      await db.close();
    }
  });

  it('stops before the first contract step with beforeContract', async () => {
    const db = await freshDatabase('none');
    try {
      const results = await db.runner({ dir: migrationsFolder(basic) }).up({ beforeContract: true });
      expect(results.map((r) => r.version)).toEqual([1, 2, 3]);
    } finally {
      await db.close();
    }
  });

  it('lets two runners started at once apply each step exactly once', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder({
        ...basic,
        '0002_t_note_expand.up.sql': 'select pg_sleep(0.4);\nalter table t add column note text;',
      });
      const [a, b] = await Promise.all([db.runner({ dir }).up(), db.runner({ dir }).up()]);
      expect(a.length + b.length).toBe(4);
      expect([a.length, b.length].sort()).toEqual([0, 4]);
      const applied = await db.pool.query(
        `select version, count(*)::int as n from abymed.migration_log where outcome = 'applied' group by version order by version`,
      );
      expect(applied.rows).toEqual([1, 2, 3, 4].map((version) => ({ version, n: 1 })));
    } finally {
      await db.close();
    }
  });

  it('refuses an applied file whose checksum changed', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder(basic);
      await db.runner({ dir }).up({ steps: 2 });
      writeFileSync(join(dir, '0002_t_note_expand.up.sql'), 'alter table t add column note varchar(10);');
      await expect(db.runner({ dir }).up()).rejects.toThrow(/0002_t_note_expand\.up\.sql was edited after it was applied/);
      expect(await versionRow(db)).toEqual({ version: 2, dirty: false });
    } finally {
      await db.close();
    }
  });

  it('leaves no trace of a failing transactional step', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder({
        ...basic,
        '0002_t_note_expand.up.sql': 'alter table t add column note text;\ncreate table u (id int);\nselect * from no_such_table;',
      });
      const runner = db.runner({ dir });
      await runner.up({ steps: 1 });
      const before = await snapshotCatalog(db.pool);
      await expect(runner.up()).rejects.toThrow(/0002_t_note_expand\.up\.sql:3:\d+: relation "no_such_table" does not exist/);
      expect(diffSnapshots(before, await snapshotCatalog(db.pool))).toEqual([]);
      expect(await versionRow(db)).toEqual({ version: 1, dirty: false });
      const failed = await db.pool.query(`select count(*)::int as n from abymed.migration_log where outcome = 'failed' and version = 2`);
      expect(failed.rows[0].n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('marks a failed non-transactional step dirty, names the statement, and resumes after the fix', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder({
        '0001_baseline.up.sql': "create table t (id int primary key, code text); insert into t values (1, 'x'), (2, 'x');",
        '0001_baseline.down.sql': 'drop table t;',
        '0002_t_code_expand.up.sql':
          '--! no-transaction\ncreate index concurrently t_id_idx on t (id);\ncreate unique index concurrently t_code_key on t (code);',
        '0002_t_code_expand.down.sql':
          '--! no-transaction\ndrop index concurrently if exists t_code_key;\ndrop index concurrently if exists t_id_idx;',
      });
      const runner = db.runner({ dir });
      await expect(runner.up()).rejects.toThrow(/could not create unique index "t_code_key"/);
      const status = await runner.status();
      expect(status.dirty).toMatchObject({ version: 2, direction: 'up', statementIndex: 1 });
      expect(status.dirty?.statement).toMatch(/create unique index concurrently t_code_key/);
      expect(status.dirty?.wayForward).toMatch(/resume from that statement/);
      const invalid = await db.pool.query(`select count(*)::int as n from pg_index where not indisvalid`);
      expect(invalid.rows[0].n).toBe(1); // the failure left an INVALID index behind, as PostgreSQL does
      // Another step cannot start on a dirty database, and down refuses too.
      await expect(runner.down()).rejects.toThrow(/dirty at version 2/);

      await db.pool.query(`update t set code = 'y' where id = 2`);
      const resumed = await runner.up();
      expect(resumed.map((r) => r.version)).toEqual([2]);
      expect(await versionRow(db)).toEqual({ version: 2, dirty: false });
      const after = await db.pool.query(`select count(*)::int as n from pg_index where not indisvalid`);
      expect(after.rows[0].n).toBe(0);
      const idx = await db.pool.query(`select count(*)::int as n from pg_indexes where indexname in ('t_id_idx', 't_code_key')`);
      expect(idx.rows[0].n).toBe(2);
    } finally {
      await db.close();
    }
  });

  it('retries a blocked step under the lock timeout and never makes a reader wait long', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder(basic);
      const runner = db.runner({ dir, lockTimeoutMs: 200 });
      await runner.up({ steps: 1 });
      const blocker = await db.client();
      const reader = await db.client();
      await blocker.query('begin');
      await blocker.query('select * from t'); // ACCESS SHARE, held for 5 s
      const release = setTimeout(() => void blocker.query('commit'), 5000);
      const latencies: number[] = [];
      let migrating = true;
      const t0 = Date.now();
      const migration = runner.up({ steps: 1 }).finally(() => {
        migrating = false;
      });
      while (migrating) {
        const s = Date.now();
        await reader.query('select count(*) from t');
        latencies.push(Date.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
      const results = await migration;
      clearTimeout(release);
      expect(results[0]?.status).toBe('applied');
      expect(results[0]?.lockRetries).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(4500);
      // The reader queues behind the waiting ALTER at most one lock timeout (200 ms) plus a margin.
      expect(Math.max(...latencies)).toBeLessThan(200 + 300);
      const retries = await db.pool.query(`select count(*)::int as n from abymed.migration_log where outcome = 'lock_retry'`);
      expect(retries.rows[0].n).toBe(results[0]?.lockRetries);
      await blocker.end();
      await reader.end();
    } finally {
      await db.close();
    }
  });

  it('retries a step chosen as a deadlock victim; the step applies once', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder({
        '0001_baseline.up.sql': 'create table a (id int); create table b (id int);',
        '0001_baseline.down.sql': 'drop table b; drop table a;',
        '0002_ab_expand.up.sql':
          '--! lock-timeout: 5s\nlock table a in access exclusive mode;\nselect pg_sleep(0.3);\nlock table b in access exclusive mode;\nalter table a add column x int;',
        '0002_ab_expand.down.sql': 'alter table a drop column x;',
      });
      const runner = db.runner({ dir });
      await runner.up({ steps: 1 });
      const other = await db.client();
      // The other session waits longer before checking for deadlocks, so the migration is the victim.
      await other.query(`set deadlock_timeout = '10s'`);
      await other.query('begin');
      await other.query('lock table b in access exclusive mode');
      const migration = runner.up();
      // Until the step holds a (and sleeps before asking for b): a fixed pause lost the race on a busy machine.
      const holdsA = async () =>
        (
          await db.pool.query(
            `select 1 from pg_locks where relation = 'a'::regclass and mode = 'AccessExclusiveLock' and granted and pid <> $1`,
            [(await other.query('select pg_backend_pid() as pid')).rows[0].pid],
          )
        ).rowCount;
      for (let i = 0; i < 500 && !(await holdsA()); i++) await new Promise((r) => setTimeout(r, 10));
      const otherLock = other.query('lock table a in access exclusive mode').then(() => other.query('commit'));
      const results = await migration;
      await otherLock;
      expect(results.map((r) => [r.version, r.status])).toEqual([[2, 'applied']]);
      expect(results[0]?.lockRetries).toBeGreaterThan(0);
      const log = await db.pool.query(
        `select count(*)::int as n from abymed.migration_log where version = 2 and outcome = 'lock_retry' and error like '%deadlock%'`,
      );
      expect(log.rows[0].n).toBeGreaterThan(0);
      await other.end();
    } finally {
      await db.close();
    }
  });

  it('plans statements, transaction boundaries and locks without applying anything', async () => {
    const db = await freshDatabase('none');
    try {
      const runner = db.runner({ dir: migrationsFolder(basic) });
      await runner.up({ steps: 1 });
      const plan = await runner.plan('up');
      expect(plan.map((p) => [p.version, p.transaction])).toEqual([
        [2, 'single'],
        [3, 'per-statement'],
        [4, 'single'],
      ]);
      expect(plan[0]?.statements[0]?.locks).toEqual([{ relation: 't', mode: 'ACCESS EXCLUSIVE', rows: expect.any(Number) }]);
      expect(plan[1]?.statements[0]?.strongest).toBe('SHARE UPDATE EXCLUSIVE');
      expect(await versionRow(db)).toEqual({ version: 1, dirty: false });
      const down = await runner.plan('down');
      expect(down.map((p) => p.version)).toEqual([1]);
    } finally {
      await db.close();
    }
  });

  it('refuses a backfill step whose job is unknown, leaving the step unapplied; runs it through the hook', async () => {
    const db = await freshDatabase('none');
    try {
      const dir = migrationsFolder({
        '0001_baseline.up.sql': 'create table t (id int);',
        '0001_baseline.down.sql': 'drop table t;',
        '0002_t_fill_backfill.up.sql': '--! backfill: t-fill\n',
        '0002_t_fill_backfill.down.sql': 'select 1;',
      });
      await expect(db.runner({ dir }).up()).rejects.toThrow(/t-fill/);
      expect((await db.pool.query('select version, dirty from schema_migrations')).rows[0]).toEqual({ version: 2, dirty: true });
      await db.runner({ dir }).force(2);
      let ran = '';
      const results = await db.runner({ dir, backfill: async (job) => void (ran = job) }).up();
      expect(ran).toBe('t-fill');
      expect(results.map((r) => r.version)).toEqual([2]);
    } finally {
      await db.close();
    }
  });
});
