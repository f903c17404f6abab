import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashData, snapshotCatalog } from '../../src/db/catalog.ts';
import { ksuid } from '../../src/legacy/ids.ts';
import { reportT11 } from '../../src/tickets/assignments/validation.ts';
import { useFreshDatabase } from '../support/database.ts';
import { buildWorld, statusDrift, type World } from './fixtures.ts';

/**
 * T1.1/T3.2 on a populated legacy database: the read-only report first, then expand and the two
 * backfills through the runner and the engine, then down and up again. Defects are planted here
 * with exact counts, the way the seed plants them (tickets.engineer_missing, engineer_renamed,
 * status_disagrees_with_history, no_history).
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase({ to: 8 });
let db: pg.Client;
let world: World;

const plant = { clean: 0, missing: 3, notUuid: 1, renamed: 2, disagrees: 4, noHistory: 5, plain: 6 };

async function ticket(status: string, engineer: string | null, name: string | null, history: string[] | null): Promise<string> {
  const id = ksuid();
  await db.query(
    `insert into service_tickets (id, ticket_number, equipment_id, serial_number, equipment_name, customer_name, issue_description, status,
       assigned_engineer_id, assigned_engineer_name, assignment_tier, assigned_at, labor_hours, resolved_at)
     values ($1, $2, $3, 'SN', 'MRI', 'Apollo', 'broken', $4::text, $5::text, $6, case when $5::text is null then null else 2 end,
       case when $5::text is null then null else now() - interval '2 days' end, case when $4::text = 'resolved' then 2.5 end,
       case when $4::text = 'resolved' then now() - interval '1 day' end)`,
    [id, `TKT-${id}`, world.equipment.id, status, engineer, name],
  );
  let from: string | null = null;
  for (const [i, to] of (history ?? []).entries()) {
    await db.query(
      `insert into ticket_status_history (id, ticket_id, from_status, to_status, changed_at) values ($1, $2, $3, $4, now() - make_interval(hours => $5))`,
      [ksuid(), id, from, to, 100 - i],
    );
    from = to;
  }
  return id;
}

beforeAll(async () => {
  db = await t.db.client();
  world = await buildWorld(db);
  const e = world.engineers[0] as World['engineers'][number];
  const f = world.engineers[2] as World['engineers'][number];
  for (let i = 0; i < plant.plain; i++) await ticket('assigned', e.id, e.full_name, ['new', 'assigned']);
  await ticket('in_progress', f.id, f.full_name, ['new', 'assigned', 'in_progress']);
  await ticket('resolved', f.id, f.full_name, ['new', 'assigned', 'in_progress', 'resolved']);
  for (let i = 0; i < plant.missing; i++)
    await ticket('assigned', '0b9f4d3e-1111-4c4c-8888-00000000000' + i, 'Gone Engineer', ['new', 'assigned']);
  await ticket('assigned', 'ENG-007', 'Old Code', ['new', 'assigned']);
  for (let i = 0; i < plant.renamed; i++) await ticket('assigned', f.id, 'Arun M.', ['new', 'assigned']);
  for (let i = 0; i < plant.disagrees; i++) await ticket('in_progress', null, null, ['new', 'assigned']);
  for (let i = 0; i < plant.noHistory; i++) await ticket('new', null, null, null);
});
afterAll(async () => db?.end());

describe('T1.1/T3.2 validation report and backfill', () => {
  it('the report, read-only, counts exactly what was planted', async () => {
    const before = await hashData(db);
    const r = await reportT11(db);
    expect(Object.fromEntries(r.classes.map((c) => [c.id, c.count]))).toEqual({
      'tickets.engineer_missing': plant.missing,
      'tickets.engineer_not_uuid': plant.notUuid,
      'tickets.engineer_renamed': plant.renamed,
      'tickets.status_disagrees_with_history': plant.disagrees,
      'tickets.no_history': plant.noHistory,
    });
    expect(r.toConvert).toEqual({ assigned: plant.plain + plant.renamed, completed: 1, in_progress: 1 });
    expect((await hashData(db)).total).toBe(before.total);
  });

  it('expand + backfills: one assignment per ticket with a real engineer, missing ones quarantined, drift repaired by appending', async () => {
    const catalogBefore = await snapshotCatalog(db);
    const dataBefore = await hashData(db);
    await t.db.runner().up({ to: 13 });
    const { rows } = await db.query(
      `select status, count(*)::int as n, count(distinct ticket_id)::int as tickets from engineer_assignments group by 1 order by 1`,
    );
    expect(rows).toEqual([
      { status: 'assigned', n: plant.plain + plant.renamed, tickets: plant.plain + plant.renamed },
      { status: 'completed', n: 1, tickets: 1 },
      { status: 'in_progress', n: 1, tickets: 1 },
    ]);
    const q = await db.query(`select reason from abymed.quarantine where job = 't1_1_assignments' order by reason`);
    expect(q.rows).toHaveLength(plant.missing + plant.notUuid);
    expect(q.rows.at(-1)?.reason).toMatch(/is not a uuid/);
    const renamed = await db.query(`select distinct engineer_name from engineer_assignments where engineer_name = 'Arun M.'`);
    expect(renamed.rows).toHaveLength(1);
    const completed = await db.query(`select time_spent_hours, completion_status from engineer_assignments where status = 'completed'`);
    expect(completed.rows[0]).toEqual({ time_spent_hours: '2.50', completion_status: 'success' });
    expect(await statusDrift(db)).toEqual([]);
    const appended = await db.query(`select count(*)::int as n from ticket_status_history where origin = 'reconcile'`);
    expect(appended.rows[0].n).toBe(plant.disagrees + plant.noHistory);
    // The legacy rows themselves are untouched: the inline columns, the ticket status, every old history row.
    const legacy = await db.query(`select count(*)::int as n from ticket_status_history where origin is null`);
    expect(legacy.rows[0].n).toBeGreaterThan(0);
    const report = await reportT11(db);
    expect(report.classes.find((c) => c.id === 'tickets.status_disagrees_with_history')?.count).toBe(0);

    // A second run of both jobs changes nothing.
    const again = await hashData(db);
    await db.query(`update abymed.backfill_progress set status = 'done'`);
    const { runBackfill, backfillJob } = await import('../../src/db/backfill/index.ts');
    expect((await runBackfill(db, backfillJob('t1_1_assignments'))).rowsChanged).toBe(0);
    expect((await runBackfill(db, backfillJob('t3_2_status_history'))).rowsChanged).toBe(0);
    const afterAgain = await hashData(db);
    expect(afterAgain.tables['public.engineer_assignments']).toBe(again.tables['public.engineer_assignments']);
    expect(afterAgain.tables['public.ticket_status_history']).toBe(again.tables['public.ticket_status_history']);

    // Down restores the legacy catalog and data exactly; up again gives the same result.
    const upCatalog = await snapshotCatalog(db);
    await t.db.runner().down({ to: 8 });
    expect(await snapshotCatalog(db)).toEqual(catalogBefore);
    expect((await hashData(db)).tables).toEqual(dataBefore.tables);
    await t.db.runner().up({ to: 13 });
    expect(await snapshotCatalog(db)).toEqual(upCatalog);
    expect(await statusDrift(db)).toEqual([]);
  });
});
