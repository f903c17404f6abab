import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignEngineer, changeStatus, writeHistory } from '../../src/legacy/tickets.ts';
import { useFreshDatabase } from '../support/database.ts';
import { assignments, buildWorld, history, inline, legacyTicket, statusDrift, type World } from './fixtures.ts';

/**
 * T1.1/T3.2 in the database while the legacy application still writes: its exact statement
 * sequences (src/legacy/tickets.ts) replayed on engineer_assignments, one history row per status
 * change, the legacy app's own history insert absorbed into the row the trigger wrote.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase({ to: 13 });
let db: pg.Client;
let world: World;

beforeAll(async () => {
  db = await t.db.client();
  world = await buildWorld(db);
});
afterAll(async () => db?.end());

const eng = (i: number) => world.engineers[i] as World['engineers'][number];

describe('legacy writes → engineer_assignments', () => {
  it('an assignment, an escalation to a higher tier and a same-tier reassignment each keep their row', async () => {
    const id = await legacyTicket(db, world);
    await assignEngineer(db, { ticketId: id, engineer: eng(0), tier: 1, fromStatus: 'new', by: 'dispatcher' });
    await assignEngineer(db, { ticketId: id, engineer: eng(1), tier: 2, fromStatus: 'assigned', by: 'dispatcher' });
    await assignEngineer(db, { ticketId: id, engineer: eng(3), tier: 2, fromStatus: 'assigned', by: 'dispatcher' });
    const rows = await assignments(db, id);
    expect(rows.map((r) => [r.seq, r.engineer_id, r.status, r.tier, r.type])).toEqual([
      [1, eng(0).id, 'escalated', 1, 'manual'],
      [2, eng(1).id, 'rejected', 2, 'escalation'],
      [3, eng(3).id, 'assigned', 2, 'manual'],
    ]);
    expect(rows[0].escalation_reason).toMatch(/tier 2/);
    expect(rows[1].rejection_reason).toBe('reassigned in the legacy application');
    // The inline columns are the legacy app's own, untouched.
    expect(await inline(db, id)).toMatchObject({
      assigned_engineer_id: eng(3).id,
      assigned_engineer_name: eng(3).full_name,
      assignment_tier: 2,
    });
  });

  it('start and resolve move the active assignment; the ticket keeps one history row per change', async () => {
    const id = await legacyTicket(db, world);
    await assignEngineer(db, { ticketId: id, engineer: eng(2), tier: 1, fromStatus: 'new', by: 'dispatcher' });
    await changeStatus(db, { ticketId: id, from: 'assigned', to: 'in_progress', by: 'engineer' });
    expect((await assignments(db, id))[0].status).toBe('in_progress');
    await changeStatus(db, { ticketId: id, from: 'in_progress', to: 'resolved', by: 'engineer', notes: 'coil replaced' });
    const [done] = await assignments(db, id);
    expect(done).toMatchObject({ status: 'completed', completion_status: 'success', time_spent_hours: '1.50' });
    const h = await history(db, id);
    expect(h.map((r) => [r.from_status, r.to_status, r.origin])).toEqual([
      [null, 'new', 'legacy'],
      ['new', 'assigned', 'legacy'],
      ['assigned', 'in_progress', 'legacy'],
      ['in_progress', 'resolved', 'legacy'],
    ]);
    expect(await statusDrift(db)).toEqual([]);
  });

  it('a cancelled ticket closes its assignment; reopening with the engineer still named opens the next one', async () => {
    const id = await legacyTicket(db, world);
    await assignEngineer(db, { ticketId: id, engineer: eng(4), tier: 3, fromStatus: 'new', by: 'dispatcher' });
    await changeStatus(db, { ticketId: id, from: 'assigned', to: 'cancelled', by: 'dispatcher' });
    await db.query(`update service_tickets set status = 'assigned' where id = $1`, [id]);
    const rows = await assignments(db, id);
    expect(rows.map((r) => [r.seq, r.status])).toEqual([
      [1, 'rejected'],
      [2, 'assigned'],
    ]);
    expect(rows[0].rejection_reason).toBe('ticket cancelled');
  });

  it('an inline engineer that names no engineer: the legacy write succeeds, no row is invented, the previous one closes', async () => {
    const id = await legacyTicket(db, world);
    await assignEngineer(db, { ticketId: id, engineer: eng(0), tier: 1, fromStatus: 'new', by: 'dispatcher' });
    const ghost = { id: '0b9f4d3e-1111-4c4c-8888-000000000001', full_name: 'Deleted Engineer' };
    await assignEngineer(db, { ticketId: id, engineer: ghost, tier: 1, fromStatus: 'assigned', by: 'dispatcher' });
    await assignEngineer(db, {
      ticketId: id,
      engineer: { id: 'ENG-001', full_name: 'Old Code' },
      tier: 1,
      fromStatus: 'assigned',
      by: 'x',
    });
    expect((await assignments(db, id)).map((r) => [r.seq, r.status])).toEqual([[1, 'rejected']]);
    expect((await inline(db, id)).assigned_engineer_id).toBe('ENG-001');
    const { rows } = await db.query('select count(*)::int as n from abymed.t1_1_sync_failures');
    expect(rows[0].n).toBe(0);
  });

  it('an assignment written in the new shape appears in the legacy columns, without echoing back', async () => {
    const id = await legacyTicket(db, world);
    await db.query('begin');
    await db.query(`select set_config('abymed.writer', 'core', true)`);
    await db.query(
      `insert into engineer_assignments (ticket_id, engineer_id, assignment_tier, assignment_tier_name, assigned_by) values ($1, $2, 2, 'Dealer', 'test')`,
      [id, eng(3).id],
    );
    await db.query('commit');
    expect(await inline(db, id)).toMatchObject({
      assigned_engineer_id: eng(3).id,
      assigned_engineer_name: eng(3).full_name,
      assignment_tier: 2,
      assignment_tier_name: 'Dealer',
    });
    expect((await assignments(db, id)).length).toBe(1);
  });
});

describe('T3.2: ticket_status_history is the one record of status', () => {
  it('the legacy follow-up row keeps its id and values and takes the place of the trigger row', async () => {
    const id = await legacyTicket(db, world);
    const acks = await changeStatus(db, { ticketId: id, from: 'new', to: 'cancelled', by: 'ops', notes: 'duplicate' });
    const historyAck = acks.find((a) => a.table === 'ticket_status_history');
    const rows = await history(db, id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      id: historyAck?.key.id,
      from_status: 'new',
      to_status: 'cancelled',
      origin: 'legacy',
      changed_by: 'ops',
    });
  });

  it('a follow-up that arrives after a later change is still absorbed, and the latest row stays the latest', async () => {
    const id = await legacyTicket(db, world);
    // Legacy session A updates; before its history insert, session B changes the status again.
    await db.query(`update service_tickets set status = 'assigned' where id = $1`, [id]);
    await db.query(`update service_tickets set status = 'in_progress' where id = $1`, [id]);
    await writeHistory(db, id, 'assigned', 'in_progress', 'b', null);
    await writeHistory(db, id, 'new', 'assigned', 'a', null);
    const rows = await history(db, id);
    expect(rows.map((r) => [r.from_status, r.to_status, r.changed_by])).toEqual([
      [null, 'new', 'legacy-user'],
      ['new', 'assigned', 'a'],
      ['assigned', 'in_progress', 'b'],
    ]);
    expect(await statusDrift(db)).toEqual([]);
  });

  it('a legacy history insert for a change that never happened is refused (kept aside), never recorded as the latest', async () => {
    const id = await legacyTicket(db, world);
    const acks = await writeHistory(db, id, 'new', 'resolved', 'ghost', 'update was lost');
    expect(acks).toEqual([]);
    expect((await history(db, id)).map((r) => r.to_status)).toEqual(['new']);
    const { rows } = await db.query('select to_status, ticket_status from abymed.t3_2_refused_history where ticket_id = $1', [id]);
    expect(rows).toEqual([{ to_status: 'resolved', ticket_status: 'new' }]);
  });

  it('a status change with no follow-up still has its row, written in the same transaction', async () => {
    const id = await legacyTicket(db, world);
    await db.query('begin');
    await db.query(`update service_tickets set status = 'on_hold' where id = $1`, [id]);
    const inside = await db.query('select count(*)::int as n from ticket_status_history where ticket_id = $1', [id]);
    await db.query('rollback');
    expect(inside.rows[0].n).toBe(2);
    expect((await history(db, id)).length).toBe(1);
  });

  it('history is append-only: the latest row cannot be rewritten or deleted, but goes with its ticket', async () => {
    const id = await legacyTicket(db, world);
    await expect(db.query(`update ticket_status_history set to_status = 'closed' where ticket_id = $1`, [id])).rejects.toMatchObject({
      code: '23514',
      constraint: 'ticket_status_history_append_only',
    });
    await expect(db.query(`delete from ticket_status_history where ticket_id = $1`, [id])).rejects.toMatchObject({ code: '23514' });
    await db.query(`update ticket_status_history set reason = 'typo fixed' where ticket_id = $1`, [id]);
    await db.query(`delete from service_tickets where id = $1`, [id]);
    const { rows } = await db.query('select count(*)::int as n from ticket_status_history where ticket_id = $1', [id]);
    expect(rows[0].n).toBe(0);
  });
});

describe('the assignment state machine in the database', () => {
  it('refuses complete before start, a second active assignment, and edits of a closed assignment', async () => {
    const id = await legacyTicket(db, world);
    await assignEngineer(db, { ticketId: id, engineer: eng(1), tier: 1, fromStatus: 'new', by: 'dispatcher' });
    await expect(
      db.query(
        `update engineer_assignments set status = 'completed', completion_status = 'success', completed_at = now() where ticket_id = $1`,
        [id],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'engineer_assignments_transition' });
    await expect(
      db.query(`insert into engineer_assignments (ticket_id, engineer_id) values ($1, $2)`, [id, eng(2).id]),
    ).rejects.toMatchObject({
      code: '23505',
      constraint: 'engineer_assignments_one_active_per_ticket',
    });
    await expect(db.query(`update engineer_assignments set status = 'escalated' where ticket_id = $1`, [id])).rejects.toMatchObject({
      code: '23514',
    });
    await db.query(`update engineer_assignments set status = 'in_progress', started_at = now() where ticket_id = $1`, [id]);
    await db.query(
      `update engineer_assignments set status = 'completed', completion_status = 'success', completed_at = now(), time_spent_hours = 2 where ticket_id = $1`,
      [id],
    );
    await expect(db.query(`update engineer_assignments set diagnosis = 'later edit' where ticket_id = $1`, [id])).rejects.toMatchObject({
      code: '23514',
    });
    await db.query(`update engineer_assignments set customer_rating = 5, customer_feedback = 'quick' where ticket_id = $1`, [id]);
    await expect(db.query(`update engineer_assignments set customer_rating = 1 where ticket_id = $1`, [id])).rejects.toMatchObject({
      code: '23514',
    });
  });

  it("an assignment id is a uuid and its ticket id has the ticket key's own type (no overflow, no cast)", async () => {
    const { rows } = await db.query(
      `select a.atttypid::regtype::text as type, format_type(a.atttypid, a.atttypmod) as full, a.attname
         from pg_attribute a where a.attrelid = 'engineer_assignments'::regclass and a.attname in ('id', 'ticket_id', 'engineer_id')
        order by a.attname`,
    );
    const ticketKey = await db.query(
      `select format_type(atttypid, atttypmod) as full from pg_attribute where attrelid = 'service_tickets'::regclass and attname = 'id'`,
    );
    expect(rows.map((r) => [r.attname, r.full])).toEqual([
      ['engineer_id', 'uuid'],
      ['id', 'uuid'],
      ['ticket_id', ticketKey.rows[0].full],
    ]);
    // A KSUID ticket (27 characters) takes assignments without any id arithmetic.
    const id = await legacyTicket(db, world);
    expect(id).toHaveLength(27);
    await assignEngineer(db, { ticketId: id, engineer: eng(0), tier: 1, fromStatus: 'new', by: 'd' });
    expect((await assignments(db, id)).length).toBe(1);
  });

  it('a deleted engineer leaves the assignment with its name', async () => {
    const { rows } = await db.query(`insert into engineers (full_name, org_id) values ('Temp Engineer', $1) returning id, full_name`, [
      world.dealerId,
    ]);
    const id = await legacyTicket(db, world);
    await assignEngineer(db, { ticketId: id, engineer: rows[0], tier: 2, fromStatus: 'new', by: 'd' });
    await db.query('delete from engineers where id = $1', [rows[0].id]);
    expect((await assignments(db, id))[0]).toMatchObject({ engineer_id: null, engineer_name: 'Temp Engineer', status: 'assigned' });
  });
});
