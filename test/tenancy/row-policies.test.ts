import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.ts';
import { listEquipment } from '../../src/equipment/queries.ts';
import { seedLegacyData } from '../../src/seed/index.ts';
import { listTickets } from '../../src/tickets/queries.ts';
import { callerScopeFilter, type ScopeOptions } from '../../src/tenancy/caller-scope.ts';
import { APP_ROLE, callerSettings, withCaller } from '../../src/tenancy/with-caller.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * 0951 (and 0953, for customers) replaced the array-valued row policies of service_tickets and equipment (each statement built
 * the caller's whole set of devices and assigned tickets) by per-row questions answered through an
 * index. On the legacy generator's data migrated all the way up — reassignments, escalations,
 * completed last assignments, transfers of ownership — every organization's admin and every engineer
 * with assignments must see, under the policies, exactly the rows the set functions name (they stay
 * in the schema for 0951 down, so the old answer can still be asked).
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase('none');
let c: pg.Client;

interface TestCaller {
  userId: string;
  orgId: string | null;
  role: string;
}
let callers: TestCaller[] = [];

beforeAll(async () => {
  const runner = t.db.runner();
  await runner.up({ to: 1 });
  await seedLegacyData(t.db.pool, { scale: 0.3, seed: 20_261_126 });
  await runner.up();
  c = await t.db.client();
  await reassignSome(c);
  await deepenNetwork(c);
  // One admin per organization, and an engineer user for each engineer who has worked a ticket.
  const orgs = await c.query(`select id from organizations order by id`);
  const engineers = await c.query(
    `select e.id, e.org_id from engineers e where exists (select 1 from engineer_assignments a where a.engineer_id = e.id) order by e.id`,
  );
  const made = await c.query<{ id: string; org_id: string; role: string }>(
    `insert into users (email, full_name, role, org_id, engineer_id)
     select 'admin-' || o.id || '@test.example', 'Admin', 'hospital_admin', o.id, null from unnest($1::uuid[]) o(id)
     union all
     select 'eng-' || e.id || '@test.example', 'Engineer', 'engineer', e.org_id, e.id
       from unnest($2::uuid[], $3::uuid[]) e(id, org_id)
     returning id, org_id, role`,
    [orgs.rows.map((r) => r.id), engineers.rows.map((r) => r.id), engineers.rows.map((r) => r.org_id)],
  );
  callers = made.rows.map((r) => ({ userId: r.id, orgId: r.org_id, role: r.role }));
}, 300_000);
afterAll(async () => c?.end());

/**
 * The legacy data gives each ticket one assignment; the branches that matter are made here, on 90
 * tickets with an active assignment: a third completed (completed and last: still the engineer's),
 * a third escalated to an engineer of another organization, a third completed and then handed to
 * another engineer (completed but not last: no longer the first engineer's).
 */
async function reassignSome(client: pg.Client) {
  const active = await client.query<{ id: string; ticket_id: string; engineer_id: string }>(
    `select a.id, a.ticket_id, a.engineer_id from engineer_assignments a
      where t1_1_is_active(a.status) and a.engineer_id is not null order by a.ticket_id limit 90`,
  );
  expect(active.rows.length).toBe(90);
  for (const [i, a] of active.rows.entries()) {
    const group = i % 3;
    // assigned → accepted → in_progress, the way an engineer works a ticket, before it is closed.
    await client.query(`update engineer_assignments set status = 'accepted', accepted_at = now() where id = $1 and status = 'assigned'`, [
      a.id,
    ]);
    await client.query(`update engineer_assignments set status = 'in_progress', started_at = now() where id = $1 and status = 'accepted'`, [
      a.id,
    ]);
    if (group === 1) {
      await client.query(
        `update engineer_assignments set status = 'escalated', completion_status = 'escalated', completed_at = now(),
                escalation_reason = 'needs a tier 2 engineer' where id = $1`,
        [a.id],
      );
    } else {
      await client.query(
        `update engineer_assignments set status = 'completed', completion_status = 'success', completed_at = now() where id = $1`,
        [a.id],
      );
    }
    if (group === 0) continue;
    await client.query(
      `insert into engineer_assignments (ticket_id, engineer_id, assignment_type)
       select $1::varchar, e.id, 'escalation' from engineers e
        where e.org_id is distinct from (select org_id from engineers where id = $2) order by md5(e.id::text || $1::varchar) limit 1`,
      [a.ticket_id, a.engineer_id],
    );
  }
}

/**
 * The generator's channels are two levels deep (manufacturer → distributor → hospital); the network
 * reaches three. Below three dealers that have a distributor above them: a hospital (three levels
 * under the manufacturer), below the first hospital another customer organization (four: outside the manufacturer's
 * network, inside the distributor's), and two links that do not count today (ended yesterday,
 * starting tomorrow).
 */
async function deepenNetwork(client: pg.Client) {
  const current = (r: string) =>
    `${r}.relationship_status = 'active' and (${r}.start_date is null or ${r}.start_date <= current_date) and (${r}.end_date is null or ${r}.end_date > current_date)`;
  const dealers = (
    await client.query<{ id: string }>(
      `select distinct k.child_org_id as id from org_relationships k
         join org_relationships d on d.child_org_id = k.parent_org_id
         join organizations o on o.id = k.child_org_id
        where o.org_type = 'dealer' and ${current('k')} and ${current('d')} order by 1 limit 3`,
    )
  ).rows.map((r) => r.id);
  expect(dealers).toHaveLength(3);
  const org = async (name: string, type: string) =>
    (await client.query<{ id: string }>(`insert into organizations (name, org_type) values ($1, $2) returning id`, [name, type])).rows[0]
      ?.id as string;
  const link = (parent: string, child: string, dates = '') =>
    client.query(
      `insert into org_relationships (parent_org_id, child_org_id, rel_type, relationship_status${dates ? ', start_date, end_date' : ''})
       values ($1, $2, 'dealer_of', 'active'${dates})`,
      [parent, child],
    );
  const hospitals: string[] = [];
  for (const [i, dealer] of dealers.entries()) {
    hospitals.push(await org(`Deep Hospital ${i}`, 'hospital'));
    await link(dealer, hospitals[i] as string);
  }
  await link(hospitals[0] as string, await org('Deep Clinic 0', 'clinic'));
  await link(dealers[1] as string, await org('Deep Clinic 1', 'clinic'), ', current_date - 30, current_date - 1');
  await link(dealers[2] as string, await org('Deep Clinic 2', 'clinic'), ', current_date + 1, null');
}

/** Runs `sql` in a transaction carrying the caller's settings, as the application role or as the owner. */
async function asCaller<T extends pg.QueryResultRow>(caller: TestCaller, sql: string, underPolicies: boolean) {
  await c.query('begin');
  try {
    for (const [k, v] of Object.entries(callerSettings(caller as Parameters<typeof callerSettings>[0]))) {
      await c.query('select set_config($1, $2, true)', [k, v]);
    }
    if (underPolicies) await c.query(`set local role ${APP_ROLE}`);
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.query('rollback');
  }
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/** The rows the set functions (0910, 0940) name for the caller: what the policies showed before 0951. */
const SET_TICKETS = `with s as (select caller_equipment_ids() as eq, caller_assigned_ticket_ids() as tk)
  select t.id from service_tickets t, s where t.equipment_id = any (s.eq) or t.id = any (s.tk) order by t.id`;
const SET_DEVICES = `with s as (select caller_equipment_ids() as eq, caller_assigned_equipment_ids() as ae)
  select e.id from equipment e, s where e.id = any (s.eq) or e.id = any (s.ae) order by e.id`;

/** Customers as 0020's policy showed them: the network as a set, tickets through the set functions. */
const SET_CUSTOMERS = `with s as (select caller_network_org_ids() as net, caller_equipment_ids() as eq, caller_assigned_ticket_ids() as tk)
  select c.id from customers c, s
   where c.organization_id = any (s.net) or c.created_by_org_id = caller_org_id()
      or exists (select 1 from service_tickets t where t.customer_id = c.id and (t.equipment_id = any (s.eq) or t.id = any (s.tk)))
   order by c.id`;

/** What the caller sees of `table` under the policies, asserted equal to what `setSql` names; returns it. */
async function expectPolicyMatchesSets(caller: TestCaller, table: string, setSql: string): Promise<string[]> {
  const underPolicies = ids(await asCaller(caller, `select id from ${table} order by id`, true));
  expect(underPolicies, `${table} of ${caller.role} ${caller.userId}`).toEqual(ids(await asCaller(caller, setSql, false)));
  return underPolicies;
}

// Each test asks every caller of the network, with the old set functions as the reference (they read
// every assignment per call): ~50 s on PostgreSQL 15 here, more on the embedded server under CI load.
// A test that overran its time would leave its queries running on the shared client into the next.
const EVERY_CALLER = { timeout: 900_000 };

describe('0951 row policies by key', EVERY_CALLER, () => {
  it('the seeded network is rich enough to tell the two apart', async () => {
    expect(callers.filter((x) => x.role === 'engineer').length).toBeGreaterThan(5);
    // Tickets seen only through an assignment that is completed and last (the subtle branch).
    const completedLast = await c.query(
      `select count(*)::int as n from engineer_assignments a where a.status = 'completed'
          and not exists (select 1 from engineer_assignments b where b.ticket_id = a.ticket_id and b.assignment_sequence > a.assignment_sequence)`,
    );
    expect(completedLast.rows[0].n).toBeGreaterThan(0);
    const reassigned = await c.query(`select count(distinct ticket_id)::int as n from engineer_assignments where assignment_sequence > 1`);
    expect(reassigned.rows[0].n).toBe(60);
  });

  it('every caller sees exactly the tickets and devices the set functions name', async () => {
    let seenTickets = 0;
    let seenThroughAssignmentOnly = 0;
    let seenDevices = 0;
    let seenCustomers = 0;
    for (const caller of callers) {
      seenTickets += (await expectPolicyMatchesSets(caller, 'service_tickets', SET_TICKETS)).length;
      seenDevices += (await expectPolicyMatchesSets(caller, 'equipment', SET_DEVICES)).length;
      seenCustomers += (await expectPolicyMatchesSets(caller, 'customers', SET_CUSTOMERS)).length;
      const onlyAssigned = await asCaller<{ n: number }>(
        caller,
        `with s as (select caller_equipment_ids() as eq, caller_assigned_ticket_ids() as tk)
         select count(*)::int as n from service_tickets t, s where t.id = any (s.tk) and not t.equipment_id = any (s.eq)`,
        false,
      );
      seenThroughAssignmentOnly += onlyAssigned[0]?.n ?? 0;
    }
    // Not a comparison of two empty sets: callers see tickets and devices, some only through an assignment.
    expect(seenTickets).toBeGreaterThan(0);
    expect(seenDevices).toBeGreaterThan(0);
    expect(seenCustomers).toBeGreaterThan(0);
    expect(seenThroughAssignmentOnly).toBeGreaterThan(0);
  });

  it('caller_in_network (0953) answers, organization by organization, what caller_network_org_ids() holds', async () => {
    let members = 0;
    for (const caller of callers) {
      const byKey = ids(await asCaller(caller, 'select id from organizations where caller_in_network(id) order by id', false));
      const bySet = ids(
        await asCaller(caller, 'select o.id from organizations o where o.id = any (caller_network_org_ids()) order by o.id', false),
      );
      expect(byKey, `network of ${caller.role} ${caller.userId}`).toEqual(bySet);
      members += byKey.length;
    }
    // More than each caller's own organization: the walk over channel levels is exercised.
    expect(members).toBeGreaterThan(callers.length);
  });

  it('updates reach exactly the rows the set functions allow', async () => {
    for (const caller of callers.filter((_, i) => i % 5 === 0)) {
      // An update that touches every ticket the policy lets through, counted, then rolled back.
      const updated = await asCaller<{ id: string }>(caller, `update service_tickets set updated_at = updated_at returning id`, true);
      const allowed = await asCaller<{ id: string }>(caller, SET_TICKETS, false);
      expect(ids(updated).sort()).toEqual(ids(allowed).sort());
      const devices = await asCaller<{ id: string }>(caller, `update equipment set updated_at = updated_at returning id`, true);
      const held = await asCaller<{ id: string }>(caller, `select unnest(caller_equipment_ids()) as id`, false);
      expect(ids(devices).sort()).toEqual(ids(held).sort());
    }
  });
});

/** Every page of a list, following the cursor. */
async function allPages(caller: TestCaller, list: 'tickets' | 'equipment', options: ScopeOptions): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const who = caller as Pick<Caller, 'userId' | 'orgId' | 'role'>;
    const q = { limit: 100, cursor };
    const page =
      list === 'tickets'
        ? await withCaller(t.db.db, who, (tx) => listTickets(tx, q, options))
        : await withCaller(t.db.db, who, (tx) => listEquipment(tx, q, options));
    out.push(...page.items.map((r) => r.id));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

const WALK: ScopeOptions = { scopeMax: -1 };
const BY_SCOPE: ScopeOptions = { scopeMax: 1_000_000 };

describe('0952 caller scope: the lists read a small caller by id, with the same answer', EVERY_CALLER, () => {
  it('every caller gets the same pages walking the index and reading its scope by id', async () => {
    let listed = 0;
    for (const caller of callers) {
      for (const list of ['tickets', 'equipment'] as const) {
        const walked = await allPages(caller, list, WALK);
        const byScope = await allPages(caller, list, BY_SCOPE);
        expect(byScope, `${list} of ${caller.role} ${caller.userId}`).toEqual(walked);
        listed += walked.length;
      }
    }
    expect(listed).toBeGreaterThan(0);
  });

  it('the default picks the scope for a small caller, the walk for a system admin', async () => {
    const sizes = new Map<string, boolean>();
    for (const caller of callers.slice(0, 6)) {
      const filter = await withCaller(t.db.db, caller as Pick<Caller, 'userId' | 'orgId' | 'role'>, (tx) =>
        callerScopeFilter(tx, 'tickets', 51),
      );
      // A seeded network at this scale is far below √(51 × tickets) ≥ 1000 for every tenant.
      sizes.set(caller.userId, filter !== undefined);
    }
    expect([...sizes.values()].every(Boolean)).toBe(true);
    const admin = { userId: callers[0]?.userId ?? '', orgId: null, role: 'system_admin' } as const;
    expect(await withCaller(t.db.db, admin, (tx) => callerScopeFilter(tx, 'tickets', 51))).toBeUndefined();
    expect(await withCaller(t.db.db, admin, (tx) => callerScopeFilter(tx, 'equipment', 51))).toBeUndefined();
  });

  it('a scope over its limit answers NULL (walk), at or under it the ids', async () => {
    const caller = callers.find((x) => x.role === 'engineer');
    if (!caller) throw new Error('no engineer caller');
    const size = await asCaller<{ n: number }>(caller, 'select cardinality(caller_ticket_scope(1000000))::int as n', false);
    const n = size[0]?.n ?? 0;
    expect(n).toBeGreaterThan(1);
    const at = await asCaller<{ small: boolean }>(caller, `select caller_ticket_scope(${n}) is not null as small`, false);
    const below = await asCaller<{ small: boolean }>(caller, `select caller_ticket_scope(${n - 1}) is not null as small`, false);
    expect(at[0]?.small).toBe(true);
    expect(below[0]?.small).toBe(false);
  });
});
