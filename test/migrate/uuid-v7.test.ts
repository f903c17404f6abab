import { describe, expect, it } from 'vitest';
import { useFreshDatabase } from '../support/database.ts';

const fixture = useFreshDatabase('all');

describe('uuid_v7()', () => {
  it('is a version 7, RFC variant UUID carrying its timestamp', async () => {
    const { rows } = await fixture.db.pool.query(`select uuid_v7('2026-01-02T03:04:05.678Z') as id`);
    const id: string = rows[0].id;
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(new Date(ms).toISOString()).toBe('2026-01-02T03:04:05.678Z');
  });

  it('increases across 100k values generated in one statement (out-of-order pairs only within one microsecond)', async () => {
    const { rows } = await fixture.db.pool.query(`
      with g as (select n, uuid_v7() as id from generate_series(1, 100000) n)
      select count(*) filter (where id <= lag) as not_increasing, count(distinct id) as distinct_ids
        from (select id, lag(id) over (order by n) as lag from g) x`);
    expect(rows[0].distinct_ids).toBe(100000);
    // Within one microsecond the low bits are random, so equal-time neighbours may come out of order;
    // so allow a few; a v7 random inside each millisecond would fail this by far.
    expect(rows[0].not_increasing).toBeLessThan(1000);
  });
});
