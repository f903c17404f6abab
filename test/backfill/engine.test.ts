import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackfillJob, quarantineCount, readProgress, runBackfill } from '../../src/db/backfill/index.ts';
import { hashData } from '../../src/db/catalog.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * The engine on toy tables it knows nothing about: batches, quarantine by rule and by error,
 * idempotence, composite keys, the upper bound under concurrent inserts, and back-off when other
 * sessions wait on locks.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase('none');
let client: pg.Client;

const copyJob: BackfillJob = {
  name: 'toy_copy',
  description: 'toy_src.v upper-cased into toy_dst, except rows marked bad',
  source: 'toy_src',
  key: ['id'],
  convert: `insert into toy_dst (id, v) select s.id, upper(s.v) from toy_src s where {batch}
            on conflict (id) do update set v = excluded.v where toy_dst.v is distinct from excluded.v`,
  quarantine: { where: `s.v like 'bad%'`, reason: `'marked bad: ' || s.v` },
};

const N = 20000;
const markedBad = Math.floor(N / 97);
const nulls = Math.floor(N / 1999);

beforeAll(async () => {
  client = await t.db.client();
  await client.query(`
    create table toy_src (id int primary key, v text);
    create table toy_dst (id int primary key, v text not null);
    insert into toy_src select i, case when i % 97 = 0 then 'bad' || i when i % 1999 = 0 then null else 'v' || i end
      from generate_series(1, ${N}) i;
    create table toy_pair (a int, b text, n text, primary key (a, b));
    insert into toy_pair select i % 50, 'k' || i, case when i % 111 = 0 then 'x' || i else i::text end from generate_series(1, 5000) i;
    create table toy_pair_dst (a int, b text, n int not null, primary key (a, b));`);
});
afterAll(async () => client?.end());

describe('backfill engine', () => {
  it('converts every row once and quarantines rows by rule and rows whose conversion fails', async () => {
    const seen: number[] = [];
    const result = await runBackfill(client, copyJob, { onProgress: (e) => seen.push(e.rowsDone) });
    expect(result).toMatchObject({ totalRows: N, rowsDone: N, rowsChanged: N - markedBad - nulls, quarantined: markedBad + nulls });
    expect(result.batches).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(N);
    expect(await quarantineCount(client, 'toy_copy')).toBe(markedBad + nulls);
    const reasons = await client.query(`select reason, payload from abymed.quarantine where job = 'toy_copy' and key = '{97}'`);
    expect(reasons.rows[0]).toEqual({ reason: 'marked bad: bad97', payload: { id: 97, v: 'bad97' } });
    const failed = await client.query(`select reason from abymed.quarantine where job = 'toy_copy' and key = '{1999}'`);
    expect(failed.rows[0]?.reason).toMatch(/^conversion failed \(23502\)/);
    const [progress] = await readProgress(client, 'toy_copy');
    expect(progress).toMatchObject({ status: 'done', rowsDone: N, cursorKey: [String(N)] });
  });

  it('is idempotent: a second run changes nothing', async () => {
    const before = await hashData(client);
    const again = await runBackfill(client, copyJob);
    expect(again.rowsChanged).toBe(0);
    expect(again.resumed).toBe(false);
    expect((await hashData(client)).total).toBe(before.total);
    expect(await quarantineCount(client, 'toy_copy')).toBe(markedBad + nulls);
  });

  it('walks a composite key in order', async () => {
    const job: BackfillJob = {
      name: 'toy_pair',
      description: 'composite key',
      source: 'toy_pair',
      key: ['a', 'b'],
      convert: `insert into toy_pair_dst select s.a, s.b, s.n::int from toy_pair s where {batch} on conflict do nothing`,
    };
    const result = await runBackfill(client, job, { initialBatchSize: 37, maxBatchSize: 300 });
    const badCasts = Math.floor(5000 / 111);
    expect(result.quarantined).toBe(badCasts);
    const { rows } = await client.query('select count(*)::int as n from toy_pair_dst');
    expect(rows[0].n).toBe(5000 - badCasts);
  });

  it('finishes while inserts arrive faster than it copies: bounded to the rows that existed at start', async () => {
    await client.query('create table toy_hot (id bigint generated always as identity primary key, v text)');
    await client.query(`insert into toy_hot (v) select 'x' from generate_series(1, 1500)`);
    await client.query('create table toy_hot_dst (id bigint primary key, v text)');
    const writer = await t.db.client();
    let stop = false;
    let inserted = 0;
    const inserting = (async () => {
      while (!stop) {
        await writer.query(`insert into toy_hot (v) select 'y' from generate_series(1, 200)`);
        inserted += 200;
      }
    })();
    const job: BackfillJob = {
      name: 'toy_hot',
      description: 'copy under insert load',
      source: 'toy_hot',
      key: ['id'],
      // Slowed to ~1 ms a row so the writer outpaces it many times over.
      convert: `insert into toy_hot_dst select s.id, s.v from toy_hot s where {batch} and pg_sleep(0.001)::text = ''
                on conflict (id) do nothing`,
    };
    const result = await runBackfill(client, job);
    stop = true;
    await inserting;
    await writer.end();
    // The bound is taken when the run starts (the writer may already have added a few batches).
    expect(result.totalRows).toBeGreaterThanOrEqual(1500);
    expect(result.rowsDone).toBe(result.totalRows);
    expect(inserted).toBeGreaterThan(2 * result.rowsDone);
    const { rows } = await client.query(
      'select (select count(*) from toy_hot_dst)::int as copied, (select count(*) from toy_hot)::int as source',
    );
    expect(rows[0].copied).toBe(result.totalRows);
    expect(rows[0].source).toBeGreaterThan(3 * rows[0].copied);
  });

  it('backs off while another session waits on a lock', async () => {
    await client.query('create table toy_lock (id int primary key, v text)');
    await client.query(`insert into toy_lock select i, 'a' from generate_series(1, 3000) i`);
    await client.query('create table toy_lock_dst (id int primary key, v text)');
    const holder = await t.db.client();
    const waiter = await t.db.client();
    await holder.query('begin');
    await holder.query('update toy_lock set v = v where id = 1');
    const waiting = waiter.query(`update toy_lock set v = 'b' where id = 1`);
    const release = setTimeout(() => holder.query('commit'), 600);
    const job: BackfillJob = {
      name: 'toy_lock',
      description: 'back-off',
      source: 'toy_lock',
      key: ['id'],
      convert: `insert into toy_lock_dst select s.id, s.v from toy_lock s where {batch} on conflict (id) do nothing`,
    };
    const result = await runBackfill(client, job, { lockTimeoutMs: 100 });
    await waiting;
    clearTimeout(release);
    await holder.end();
    await waiter.end();
    expect(result.lockBackoffs).toBeGreaterThan(0);
    expect(result.rowsDone).toBe(3000);
  });
});
