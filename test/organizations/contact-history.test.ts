import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, snapshotCatalog } from '../../src/db/catalog.ts';
import type { MigrationRunner } from '../../src/db/migrate/index.ts';
import { t12MigrationsDir } from '../customers/support.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * T3.3: contact persons with history. The backfill resolves two primaries deterministically and
 * reports them; the legacy "flip is_primary" writes history; concurrent "make primary" never
 * overlaps; "who was primary on D" is right on both sides of a change; the round trips are exact.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase('none');
let c: pg.Client;
let runner: MigrationRunner;
const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';
const A1 = '00000000-0000-4000-8000-0000000000a1';
const A2 = '00000000-0000-4000-8000-0000000000a2';
const A3 = '00000000-0000-4000-8000-0000000000a3';
const B1 = '00000000-0000-4000-8000-0000000000b1';
const LEGACY = 'select id, org_id, is_primary, active, updated_at from contact_persons order by id';

beforeAll(async () => {
  c = await t.db.client();
  runner = t.db.runner({ dir: await t12MigrationsDir() });
  await runner.up({ to: 8 });
  await c.query(`insert into organizations (id, name, org_type) values ($1, 'AIIMS Delhi', 'hospital'), ($2, 'Medanta', 'hospital')`, [
    ORG_A,
    ORG_B,
  ]);
  // Org A has two primary contacts (the seed's defect); A2 was flipped last.
  await c.query(
    `insert into contact_persons (id, org_id, name, email, primary_phone, is_primary, active, created_at, updated_at) values
      ($1, $4, 'Dr. Rao', 'rao@aiims.example', '+919800000011', true, true, '2024-01-01', '2024-03-01'),
      ($2, $4, 'Ms. Iyer', 'iyer@aiims.example', '+919800000012', true, true, '2024-02-01', '2024-06-01'),
      ($3, $4, 'Mr. Khan', 'khan@aiims.example', '+919800000013', false, false, '2024-01-15', '2024-05-01'),
      ($5, $6, 'Dr. Mehta', 'mehta@medanta.example', '+919800000021', true, true, '2024-01-01', '2024-01-01')`,
    [A1, A2, A3, ORG_A, B1, ORG_B],
  );
});
afterAll(async () => c?.end());

const primaryAt = async (org: string, at: string) =>
  (
    await c.query(
      `select contact_id from contact_primary_periods where org_id = $1 and effective_from <= $2 and (effective_to is null or effective_to > $2)`,
      [org, at],
    )
  ).rows.map((r) => r.contact_id);

describe('T3.3 contact history', () => {
  let legacyBefore: unknown[];
  let catalogBefore: Awaited<ReturnType<typeof snapshotCatalog>>;

  it('backfill resolves two primaries deterministically, reports them, and keeps updated_at', async () => {
    legacyBefore = (await c.query(LEGACY)).rows;
    catalogBefore = await snapshotCatalog(c);
    await runner.up({ to: 26 });
    const conflicts = await c.query('select org_id, kept_contact_id, demoted_contact_id, rule from contact_primary_conflicts');
    expect(conflicts.rows).toEqual([
      { org_id: ORG_A, kept_contact_id: A2, demoted_contact_id: A1, rule: expect.stringContaining('latest updated_at') },
    ]);
    const flags = await c.query('select id, is_primary, updated_at from contact_persons order by id');
    expect(flags.rows.map((r) => [r.id, r.is_primary])).toEqual([
      [A1, false],
      [A2, true],
      [A3, false],
      [B1, true],
    ]);
    expect(flags.rows.map((r) => r.updated_at)).toEqual(legacyBefore.map((r) => (r as { updated_at: Date }).updated_at));
    expect(await primaryAt(ORG_A, '2024-03-01')).toEqual([A2]);
    const khan = await c.query('select effective_from, effective_to from contact_persons where id = $1', [A3]);
    expect(khan.rows[0].effective_to).toEqual(new Date('2024-05-01T00:00:00Z'));
  });

  it("the legacy application's flip of is_primary closes one period and opens the next; as_of answers both sides", async () => {
    await c.query('update contact_persons set is_primary = false where org_id = $1', [ORG_B]);
    await c.query(
      `insert into contact_persons (id, org_id, name, email, primary_phone) values
                   ('00000000-0000-4000-8000-0000000000b2', $1, 'Ms. Gill', 'gill@medanta.example', '+919800000022')`,
      [ORG_B],
    );
    const before = new Date();
    await c.query(`update contact_persons set is_primary = true where id = '00000000-0000-4000-8000-0000000000b2'`);
    const periods = await c.query(
      'select contact_id, effective_from, effective_to, source from contact_primary_periods where org_id = $1 order by effective_from',
      [ORG_B],
    );
    expect(periods.rows.map((r) => [r.contact_id, r.source, r.effective_to === null])).toEqual([
      [B1, 'backfill', false],
      ['00000000-0000-4000-8000-0000000000b2', 'legacy', true],
    ]);
    expect(await primaryAt(ORG_B, '2024-06-01')).toEqual([B1]);
    expect(await primaryAt(ORG_B, new Date(Date.now() + 1000).toISOString())).toEqual(['00000000-0000-4000-8000-0000000000b2']);
    expect(before).toBeTruthy();
  });

  it('a legacy flip without un-setting the old primary still leaves exactly one primary', async () => {
    await c.query('update contact_persons set is_primary = true where id = $1', [A1]);
    const flags = await c.query('select id from contact_persons where org_id = $1 and is_primary', [ORG_A]);
    expect(flags.rows).toEqual([{ id: A1 }]);
    expect(await primaryAt(ORG_A, new Date(Date.now() + 1000).toISOString())).toEqual([A1]);
  });

  it('two concurrent "make primary" calls for one organization: both succeed in turn, one primary at every instant', async () => {
    const s1 = await t.db.client();
    const s2 = await t.db.client();
    try {
      for (let round = 0; round < 5; round++) {
        await s1.query('begin');
        await s2.query('begin');
        await s1.query(`select set_primary_contact($1, $2, null, 'api', 'u1', 'round')`, [ORG_A, A2]);
        const second = s2.query(`select set_primary_contact($1, $2, null, 'api', 'u2', 'round')`, [ORG_A, A3]);
        await s1.query('commit');
        await second;
        await s2.query('commit');
      }
    } finally {
      await s1.end();
      await s2.end();
    }
    const overlaps = await c.query(`select count(*)::int n from contact_primary_periods a join contact_primary_periods b
      on a.org_id = b.org_id and a.id < b.id and tstzrange(a.effective_from, a.effective_to) && tstzrange(b.effective_from, b.effective_to)`);
    expect(overlaps.rows[0].n).toBe(0);
    const open = await c.query('select contact_id from contact_primary_periods where org_id = $1 and effective_to is null', [ORG_A]);
    expect(open.rows).toEqual([{ contact_id: A3 }]);
    const gaps = await c.query(
      `select count(*)::int n from contact_primary_periods a where org_id = $1 and effective_to is not null
      and not exists (select 1 from contact_primary_periods b where b.org_id = a.org_id and b.effective_from = a.effective_to)`,
      [ORG_A],
    );
    expect(gaps.rows[0].n).toBe(0);
    const flags = await c.query('select id from contact_persons where org_id = $1 and is_primary', [ORG_A]);
    expect(flags.rows).toEqual([{ id: A3 }]);
  });

  it('refuses a contact of another organization and a change dated before the current period', async () => {
    await expect(c.query(`select set_primary_contact($1, $2, null, 'api', 'u', null)`, [ORG_A, B1])).rejects.toMatchObject({
      code: '23503',
    });
    await expect(c.query(`select set_primary_contact($1, $2, '2020-01-01', 'api', 'u', null)`, [ORG_A, A1])).rejects.toMatchObject({
      code: '23P01',
    });
  });

  it('an overlapping period cannot be written by anyone', async () => {
    await expect(
      c.query(`insert into contact_primary_periods (org_id, contact_id, effective_from, source) values ($1, $2, '2024-04-01', 'api')`, [
        ORG_A,
        A1,
      ]),
    ).rejects.toMatchObject({ code: '23P01' });
  });

  it('the contract drops is_primary and its down restores it exactly; expand down archives the history', async () => {
    const flags = (await c.query(LEGACY)).rows;
    await runner.up();
    const col = await c.query(
      `select 1 from information_schema.columns where table_name = 'contact_persons' and column_name = 'is_primary'`,
    );
    expect(col.rowCount).toBe(0);
    await runner.down({ to: 26 });
    expect((await c.query(LEGACY)).rows).toEqual(flags);
    const periods = (await c.query('select * from contact_primary_periods order by id')).rows;
    await runner.down({ to: 8 });
    // The backfill demoted A1 (kept A2), but later changes superseded that: the legacy flip of A1,
    // then the API made A3 primary and cleared A1. 0026 down re-promotes a demoted contact only
    // while the contact kept is still the primary, so A1 keeps the value the last change gave it
    // (re-promoting it would give org A two primaries against one open period after up again).
    const demoted = await c.query('select is_primary from contact_persons where id = $1', [A1]);
    expect(demoted.rows[0].is_primary).toBe(false);
    expect(diffSnapshots(catalogBefore, await snapshotCatalog(c))).toEqual([]);
    await runner.up({ to: 26 });
    const again = (await c.query('select * from contact_primary_periods order by id')).rows;
    expect(again).toEqual(periods);
    const disagree = await c.query(`select c.id from contact_persons c
      where coalesce(c.is_primary, false) <> exists (select 1 from contact_primary_periods p where p.contact_id = c.id and p.effective_to is null)`);
    expect(disagree.rows).toEqual([]);
  });
});
