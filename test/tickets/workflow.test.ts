import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.ts';
import { isAppError } from '../../src/errors.ts';
import { assignEngineer as legacyAssign } from '../../src/legacy/tickets.ts';
import { assignEngineer } from '../../src/tickets/assignments/assign-engineer.ts';
import {
  acceptAssignment,
  addCustomerFeedback,
  completeAssignment,
  failAssignment,
  rejectAssignment,
  startAssignment,
} from '../../src/tickets/assignments/assignment-steps.ts';
import { ticketConsistencyChecks } from '../../src/tickets/assignments/consistency-checks.ts';
import { escalateAssignment } from '../../src/tickets/assignments/escalate-assignment.ts';
import { engineerWorkload, listTicketAssignments } from '../../src/tickets/assignments/queries.ts';
import { escalationRateByCategory, reassignmentsPerTicket, ticketsNeedingTier } from '../../src/tickets/assignments/reports.ts';
import { suggestEngineers } from '../../src/tickets/assignments/suggest-engineers.ts';
import { moveTicketStatus } from '../../src/tickets/assignments/ticket-steps.ts';
import { useFreshDatabase } from '../support/database.ts';
import { assignments, buildWorld, history, inline, legacyTicket, statusDrift, type World } from './fixtures.ts';

/**
 * The T1.1 workflow (src/tickets/assignments) on a real database: escalation history, the one-active
 * rule under 20 concurrent dispatchers, refused steps answering 409 with the current state and
 * changing nothing, and the ticket status following in the same transaction.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase({ to: 13 });
let db: pg.Client;
let world: World;
const by = 'dispatcher-1';

beforeAll(async () => {
  db = await t.db.client();
  world = await buildWorld(db);
  // The distributor of the selling dealer, for tier 3 suggestions.
  await db.query(`insert into org_relationships (parent_org_id, child_org_id, rel_type) values ($1, $2, 'dealer_of')`, [
    world.distributorId,
    world.dealerId,
  ]);
});
afterAll(async () => db?.end());

const eng = (i: number) => world.engineers[i] as World['engineers'][number];
const run = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(t.db.db, fn);

async function snapshot(ticketId: string) {
  const { rows } = await db.query(
    `select t.status, t.updated_at, (select jsonb_agg(to_jsonb(a) order by a.assignment_sequence) from engineer_assignments a where a.ticket_id = t.id) as a,
            (select count(*) from ticket_status_history h where h.ticket_id = t.id) as h
       from service_tickets t where t.id = $1`,
    [ticketId],
  );
  return rows[0];
}

async function expect409(step: () => Promise<unknown>, ticketId: string, current: Record<string, unknown>) {
  const before = await snapshot(ticketId);
  const err = await step().then(
    () => undefined,
    (e) => e,
  );
  expect(isAppError(err), String(err)).toBe(true);
  expect(err.status).toBe(409);
  expect(err.details.current).toMatchObject(current);
  expect(await snapshot(ticketId)).toEqual(before);
}

describe('assignment workflow', () => {
  it('L1 → L2 → L3 escalation keeps every assignment with its reason and hours', async () => {
    const ticketId = await legacyTicket(db, world, 'medium');
    const first = await run((tx) =>
      assignEngineer(tx, { ticketId, engineerId: eng(0).id, tier: 1, tierName: 'Warranty Coverage', assignedBy: by }),
    );
    await run((tx) => acceptAssignment(tx, first.id, { engineerId: eng(0).id, by: 'priya' }));
    await run((tx) => startAssignment(tx, first.id, { engineerId: eng(0).id, by: 'priya' }));
    expect((await inline(db, ticketId)).status).toBe('in_progress');
    await db.query(`update engineer_assignments set time_spent_hours = 1.25 where id = $1`, [first.id]);
    const second = await run((tx) =>
      escalateAssignment(tx, { ticketId, reason: 'needs gradient coil calibration', nextEngineerId: eng(3).id, escalatedBy: by }),
    );
    expect(second).toMatchObject({ assignment_sequence: 2, assignment_tier: 2, assignment_type: 'escalation', status: 'assigned' });
    expect((await inline(db, ticketId)).status).toBe('assigned');
    await run((tx) => acceptAssignment(tx, second.id, { engineerId: eng(3).id, by: 'suresh' }));
    const third = await run((tx) => escalateAssignment(tx, { ticketId, reason: 'dealer lacks the part', escalatedBy: by }));
    // Auto-picked: the distributor's L3 engineer at tier 3.
    expect(third).toMatchObject({
      assignment_sequence: 3,
      assignment_tier: 3,
      engineer_id: eng(4).id,
      assignment_tier_name: 'Distributor Service',
    });
    await run((tx) => startAssignment(tx, third.id, { engineerId: eng(4).id, by: 'vikram' }));
    await run((tx) =>
      completeAssignment(tx, third.id, {
        engineerId: eng(4).id,
        by: 'vikram',
        completionStatus: 'success',
        diagnosis: 'coil drift',
        actionsTaken: 'recalibrated gradient coil',
        partsUsed: [{ part_number: 'GC-7', part_name: 'sensor', quantity: 1, cost: 4500 }],
        timeSpentHours: 3.5,
      }),
    );
    const timeline = await run((tx) => listTicketAssignments(tx, ticketId));
    expect(timeline.map((a) => [a.assignment_sequence, a.assignment_tier, a.status, a.moved_on_because, a.time_spent_hours])).toEqual([
      [1, 1, 'escalated', 'needs gradient coil calibration', '1.25'],
      [2, 2, 'escalated', 'dealer lacks the part', null],
      [3, 3, 'completed', 'completed: success', '3.50'],
    ]);
    expect(await inline(db, ticketId)).toMatchObject({ status: 'resolved', assigned_engineer_id: eng(4).id, assignment_tier: 3 });
    const h = await history(db, ticketId);
    expect(h.map((r) => r.to_status)).toEqual(['new', 'assigned', 'in_progress', 'assigned', 'in_progress', 'resolved']);
    expect(h.slice(1).every((r) => r.origin === 'core')).toBe(true);
    await run((tx) => addCustomerFeedback(tx, third.id, { rating: 5, feedback: 'fixed in a day', by: 'customer' }));
    expect(await run((tx) => engineerWorkload(tx, eng(4).id))).toMatchObject({ active_count: 0, completed_count: 1, avg_hours: '3.50' });
  });

  it('20 concurrent assigns of one ticket: exactly one active assignment, the other 19 get 409', async () => {
    const ticketId = await legacyTicket(db, world);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        run((tx) => assignEngineer(tx, { ticketId, engineerId: eng(i % world.engineers.length).id, assignedBy: `dispatcher-${i}` })),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    expect(lost.every((r) => isAppError(r.reason) && r.reason.status === 409)).toBe(true);
    const { rows } = await db.query(`select count(*)::int as n from current_ticket_assignments where ticket_id = $1`, [ticketId]);
    expect(rows[0].n).toBe(1);
    expect((await assignments(db, ticketId)).length).toBe(1);
  });

  it('invalid steps answer 409 with the current state and change nothing', async () => {
    const ticketId = await legacyTicket(db, world);
    const a = await run((tx) => assignEngineer(tx, { ticketId, engineerId: eng(1).id, assignedBy: by }));
    // complete before start
    await expect409(
      () => run((tx) => completeAssignment(tx, a.id, { engineerId: eng(1).id, by: 'x', completionStatus: 'success' })),
      ticketId,
      { assignment_status: 'assigned', ticket_status: 'assigned' },
    );
    // accept by another engineer
    await expect409(() => run((tx) => acceptAssignment(tx, a.id, { engineerId: eng(2).id, by: 'x' })), ticketId, {
      assignment_status: 'assigned',
      engineer_id: eng(1).id,
    });
    // escalate before the engineer accepted
    await expect409(() => run((tx) => escalateAssignment(tx, { ticketId, reason: 'x', escalatedBy: by })), ticketId, {
      assignment_status: 'assigned',
    });
    // escalate a closed ticket
    await run((tx) => moveTicketStatus(tx, 'cancel', { ticketId, by, reason: 'customer withdrew' }));
    await expect409(
      () => run((tx) => escalateAssignment(tx, { ticketId, reason: 'x', nextEngineerId: eng(2).id, escalatedBy: by })),
      ticketId,
      {
        ticket_status: 'cancelled',
      },
    );
    // feedback on work that never completed
    await expect409(() => run((tx) => addCustomerFeedback(tx, a.id, { rating: 4, by: 'c' })), ticketId, { assignment_status: 'rejected' });
    expect(await statusDrift(db)).toEqual([]);
  });

  it('reject and fail close the assignment; the next assign opens sequence + 1; the legacy columns follow', async () => {
    const ticketId = await legacyTicket(db, world);
    const a = await run((tx) => assignEngineer(tx, { ticketId, engineerId: eng(0).id, assignedBy: by }));
    expect((await inline(db, ticketId)).assigned_engineer_id).toBe(eng(0).id);
    await run((tx) => rejectAssignment(tx, a.id, { engineerId: eng(0).id, by: 'priya', reason: 'on another site' }));
    // Nobody is on the ticket now, as the legacy application would show it.
    expect((await inline(db, ticketId)).assigned_engineer_id).toBeNull();
    const b = await run((tx) => assignEngineer(tx, { ticketId, engineerId: eng(2).id, assignedBy: by }));
    await run((tx) => startAssignment(tx, b.id, { by: 'arun' }));
    await run((tx) => failAssignment(tx, b.id, { by: 'arun', reason: 'power supply fault beyond field repair' }));
    const c = await run((tx) => assignEngineer(tx, { ticketId, engineerId: eng(4).id, tier: 3, assignedBy: by }));
    expect(c.assignment_sequence).toBe(3);
    expect((await assignments(db, ticketId)).map((r) => r.status)).toEqual(['rejected', 'failed', 'assigned']);
    expect(await inline(db, ticketId)).toMatchObject({ assigned_engineer_id: eng(4).id, status: 'assigned', assignment_tier: 3 });
  });

  it('after any mix of legacy and new writes, status equals the latest history row and every change has its row', async () => {
    const ticketId = await legacyTicket(db, world);
    const a = await run((tx) => assignEngineer(tx, { ticketId, engineerId: eng(0).id, assignedBy: by }));
    // The legacy application reassigns (its own statements), the new one escalates, the legacy one resolves.
    await legacyAssign(db, { ticketId, engineer: eng(1), tier: 1, fromStatus: 'assigned', by: 'legacy' });
    expect((await assignments(db, ticketId)).map((r) => [r.engineer_id, r.status])).toEqual([
      [eng(0).id, 'rejected'],
      [eng(1).id, 'assigned'],
    ]);
    void a;
    const current = (await assignments(db, ticketId))[1];
    expect(current).toBeDefined();
    const { rows } = await db.query(`select id from current_ticket_assignments where ticket_id = $1`, [ticketId]);
    await run((tx) => acceptAssignment(tx, rows[0].id, { by: 'rajesh' }));
    await run((tx) => escalateAssignment(tx, { ticketId, reason: 'specialist', nextEngineerId: eng(2).id, escalatedBy: by }));
    await run((tx) => moveTicketStatus(tx, 'start', { ticketId, by }));
    await db.query(`update service_tickets set status = 'resolved', resolved_at = now() where id = $1`, [ticketId]);
    await db.query(
      `insert into ticket_status_history (id, ticket_id, from_status, to_status, changed_by) values ('LEGACYROW1', $1, 'in_progress', 'resolved', 'legacy')`,
      [ticketId],
    );
    const h = await history(db, ticketId);
    expect(h.map((r) => r.to_status)).toEqual(['new', 'assigned', 'in_progress', 'resolved']);
    expect(h.at(-1)?.id).toBe('LEGACYROW1');
    expect((await assignments(db, ticketId)).at(-1)?.status).toBe('completed');
    expect(await statusDrift(db)).toEqual([]);
  });

  it('ticket steps follow the state machine: acknowledge, start needs an engineer, hold/resume, resolve, close', async () => {
    const ticketId = await legacyTicket(db, world, 'high');
    await run((tx) => moveTicketStatus(tx, 'acknowledge', { ticketId, by }));
    await expect409(() => run((tx) => moveTicketStatus(tx, 'start', { ticketId, by })), ticketId, { ticket_status: 'new' });
    await run((tx) => assignEngineer(tx, { ticketId, engineerId: eng(1).id, assignedBy: by }));
    await run((tx) => moveTicketStatus(tx, 'start', { ticketId, by }));
    await run((tx) => moveTicketStatus(tx, 'hold', { ticketId, by, reason: 'waiting for parts' }));
    await expect409(() => run((tx) => moveTicketStatus(tx, 'close', { ticketId, by })), ticketId, { ticket_status: 'on_hold' });
    await run((tx) => moveTicketStatus(tx, 'resume', { ticketId, by }));
    await run((tx) => moveTicketStatus(tx, 'resolve', { ticketId, by, resolutionNotes: 'replaced fuse', laborHours: 2 }));
    await run((tx) => moveTicketStatus(tx, 'close', { ticketId, by }));
    const h = await history(db, ticketId);
    expect(h.map((r) => r.to_status)).toEqual(['new', 'assigned', 'in_progress', 'on_hold', 'in_progress', 'resolved', 'closed']);
    expect(h[3]).toMatchObject({ changed_by: by });
    expect((await assignments(db, ticketId))[0]).toMatchObject({ status: 'completed', time_spent_hours: '2.00' });
  });

  it('suggestions: eligible tiers for the equipment, the minimum level by priority, workload', async () => {
    const critical = await legacyTicket(db, world, 'critical');
    const s = await run((tx) => suggestEngineers(tx, critical));
    // L3 only: Arun (manufacturer, tier 1), Vikram (distributor, tier 3).
    expect(s.map((e) => [e.full_name, e.tier, e.engineer_level])).toEqual([
      ['Arun Menon', 1, 3],
      ['Vikram Reddy', 3, 3],
    ]);
    expect(s[0]).toMatchObject({ rank: 1, tier_name: 'Warranty Coverage', min_level: 3 });
    const low = await legacyTicket(db, world, 'low');
    const all = await run((tx) => suggestEngineers(tx, low));
    expect(all.map((e) => e.tier)).toEqual([1, 1, 1, 2, 3, 4]);
    expect(all.at(-1)).toMatchObject({ full_name: 'Anita Rao', tier_name: 'In-house BME' });
  });

  it('reports: escalation rate by category, tickets that needed tier 3+, reassignments per ticket', async () => {
    const rates = await run((tx) => escalationRateByCategory(tx));
    const mri = rates.find((r) => r.category === 'MRI');
    expect(mri?.tickets).toBeGreaterThan(0);
    expect(Number(mri?.escalation_rate)).toBeGreaterThan(0);
    const high = await run((tx) => ticketsNeedingTier(tx, 3));
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((r) => r.max_tier >= 3)).toBe(true);
    const re = await run((tx) => reassignmentsPerTicket(tx));
    expect(re[0]?.reassignments).toBeGreaterThanOrEqual(2);
    expect(re.every((r) => r.reassignments === r.assignments - 1)).toBe(true);
  });

  it('after all of the above, the zero-downtime consistency checks find no disagreement', async () => {
    for (const check of ticketConsistencyChecks) {
      const { rows } = await db.query(check.sql);
      expect(rows, check.name).toEqual([]);
    }
  });
});
