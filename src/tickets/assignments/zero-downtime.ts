import { sql } from 'kysely';
import type pg from 'pg';
import { type Db, inTransaction, type Tx } from '../../db/database.ts';
import { newLegacyId } from '../../ids.ts';
import { dbOnSession } from '../../zero-downtime/session-db.ts';
import type { FindAgainRule, OpContext, Workload } from '../../zero-downtime/workload.ts';
import { assignEngineer } from './assign-engineer.ts';
import { acceptAssignment, completeAssignment, rejectAssignment, startAssignment } from './assignment-steps.ts';
import { escalateAssignment } from './escalate-assignment.ts';
import { listTicketAssignments } from './queries.ts';
import { moveTicketStatus } from './ticket-steps.ts';
import { type AssignmentRow, markCoreWrite } from './work-context.ts';

/**
 * T1.1 in the zero-downtime harness (docs/zero-downtime.md): the new application's workflow,
 * running beside the legacy application from the expand step (0010) on, through the backfills and
 * the contract. Each write op takes one ticket of its own through the workflow — open, assign,
 * accept, start, escalate, complete (or reject and reassign), close — one transaction per step, as
 * the API does, on the worker's session (dbOnSession). A ticket ends closed, which the legacy
 * application never picks (its workload acts on open tickets), so the two never write one row.
 *
 * Acknowledged: each assignment's status, engineer, sequence, tier and reasons, and the ticket's
 * status. A walk below 0010 drops engineer_assignments after archiving every row into
 * abymed.t1_1_archived_assignments (0010 down, the rollback's "kept, not dropped"); 0010 up puts a
 * ticket's archived rows back exactly while the ticket is unchanged, and leaves in the archive those
 * of a ticket the legacy application changed meanwhile. The find-again rule looks there for an
 * acknowledged assignment the live table no longer has.
 */
interface State extends Record<string, unknown> {
  db: Db;
  equipment: { id: string; serial_number: string; equipment_name: string | null }[];
  engineers: string[];
  closed: string[];
}

const ACTOR = 'tickets-app';
const pick = <T>(ctx: OpContext, list: T[]): T | undefined => list[Math.floor(ctx.rng() * list.length)];
const st = (ctx: OpContext) => ctx.state as State;

function ackAssignment(ctx: OpContext, a: AssignmentRow): void {
  ctx.ack({
    table: 'engineer_assignments',
    key: { id: a.id },
    values: {
      ticket_id: a.ticket_id,
      engineer_id: a.engineer_id,
      status: a.status,
      assignment_sequence: a.assignment_sequence,
      assignment_tier: a.assignment_tier,
      escalation_reason: a.escalation_reason,
      rejection_reason: a.rejection_reason,
      completion_status: a.completion_status,
    },
  });
}

/** One workflow step in its own transaction; the assignment it returns is acknowledged. */
async function step(ctx: OpContext, fn: (tx: Tx) => Promise<AssignmentRow>): Promise<AssignmentRow> {
  const row = await inTransaction(st(ctx).db, fn);
  ackAssignment(ctx, row);
  return row;
}

async function openTicket(ctx: OpContext): Promise<string | null> {
  const device = pick(ctx, st(ctx).equipment);
  if (!device) return null;
  const { id, status } = await inTransaction(st(ctx).db, async (tx) => {
    await markCoreWrite(tx, 'opened', ACTOR);
    // The customer: its legacy copy while there is one (T1.2's triggers link it), by uuid once the
    // contract 0920 dropped the copies.
    // The table lock first, then the catalog: 0920 either committed before this looked or waits.
    await sql`lock table service_tickets in access share mode`.execute(tx);
    const { rows: shape } = await sql<{ copies: boolean }>`
      select exists (select 1 from pg_attribute where attrelid = 'service_tickets'::regclass and attname = 'customer_name'
                      and not attisdropped) as copies`.execute(tx);
    const [customerColumn, customer] = shape[0]?.copies
      ? [sql`customer_name`, sql`'Zero-downtime check'`]
      : [sql`customer_id`, sql`t1_2_resolve_customer(null, 'Zero-downtime check', null, null, 'api')`];
    const { rows } = await sql<{ id: string; status: string }>`
      insert into service_tickets (id, ticket_number, equipment_id, serial_number, equipment_name, ${customerColumn},
                                   issue_description, priority, source, status, created_by)
      values (${newLegacyId()}, next_ticket_number(), ${device.id}, ${device.serial_number},
              ${device.equipment_name ?? device.serial_number}, ${customer}, 'Workflow under migration',
              'medium', 'web', 'new', ${ACTOR})
      returning id, status`.execute(tx);
    return rows[0] as { id: string; status: string };
  });
  ctx.ack({ table: 'service_tickets', key: { id }, values: { status } });
  return id;
}

async function closeTicket(ctx: OpContext, ticketId: string): Promise<void> {
  const r = await inTransaction(st(ctx).db, (tx) => moveTicketStatus(tx, 'close', { ticketId, by: ACTOR, reason: 'done' }));
  ctx.ack({ table: 'service_tickets', key: { id: ticketId }, values: { status: r.status } });
  st(ctx).closed.push(ticketId);
}

/** Two different engineers, or none. */
function twoEngineers(ctx: OpContext): [string, string] | null {
  const a = pick(ctx, st(ctx).engineers);
  const b = pick(
    ctx,
    st(ctx).engineers.filter((e) => e !== a),
  );
  return a && b ? [a, b] : null;
}

/** assign → accept → start → escalate → accept → start → complete → close. */
async function escalatedLifecycle(ctx: OpContext): Promise<boolean> {
  const pair = twoEngineers(ctx);
  const ticketId = pair && (await openTicket(ctx));
  if (!pair || !ticketId) return false;
  const by = { by: ACTOR };
  const first = await step(ctx, (tx) => assignEngineer(tx, { ticketId, engineerId: pair[0], tier: 1, assignedBy: ACTOR }));
  await step(ctx, (tx) => acceptAssignment(tx, first.id, by));
  await step(ctx, (tx) => startAssignment(tx, first.id, by));
  const second = await step(ctx, (tx) =>
    escalateAssignment(tx, { ticketId, reason: 'needs the next tier', nextEngineerId: pair[1], escalatedBy: ACTOR }),
  );
  // The escalated assignment's outcome was written in the same transaction.
  await inTransaction(st(ctx).db, async (tx) => {
    const { rows } = await sql<AssignmentRow>`select * from engineer_assignments where id = ${first.id}`.execute(tx);
    if (rows[0]) ackAssignment(ctx, rows[0]);
  });
  await step(ctx, (tx) => acceptAssignment(tx, second.id, by));
  await step(ctx, (tx) => startAssignment(tx, second.id, by));
  await step(ctx, (tx) => completeAssignment(tx, second.id, { ...by, completionStatus: 'success', timeSpentHours: 1.5 }));
  await closeTicket(ctx, ticketId);
  return true;
}

/** assign → reject → assign another → start → complete → close. */
async function rejectedLifecycle(ctx: OpContext): Promise<boolean> {
  const pair = twoEngineers(ctx);
  const ticketId = pair && (await openTicket(ctx));
  if (!pair || !ticketId) return false;
  const first = await step(ctx, (tx) => assignEngineer(tx, { ticketId, engineerId: pair[0], assignedBy: ACTOR }));
  await step(ctx, (tx) => rejectAssignment(tx, first.id, { by: ACTOR, reason: 'out of the service area' }));
  const second = await step(ctx, (tx) => assignEngineer(tx, { ticketId, engineerId: pair[1], assignedBy: ACTOR }));
  await step(ctx, (tx) => startAssignment(tx, second.id, { by: ACTOR }));
  await step(ctx, (tx) => completeAssignment(tx, second.id, { by: ACTOR, completionStatus: 'success' }));
  await closeTicket(ctx, ticketId);
  return true;
}

async function readTimeline(ctx: OpContext): Promise<boolean> {
  const ticketId = pick(ctx, st(ctx).closed);
  if (!ticketId) return false;
  await inTransaction(st(ctx).db, (tx) => listTicketAssignments(tx, ticketId));
  return true;
}

export const ticketsWorkload: Workload = {
  name: 'tickets-app',
  from: 10,
  async prepare(client: pg.ClientBase) {
    const equipment = (await client.query('select id, serial_number, equipment_name from equipment order by id limit 100')).rows;
    const engineers = (
      await client.query<{ id: string }>(`select id::text from engineers where status <> 'inactive' order by id limit 100`)
    ).rows;
    return { db: dbOnSession(client), equipment, engineers: engineers.map((e) => e.id), closed: [] } satisfies State;
  },
  ops: [
    { name: 'assign_accept_start_escalate_complete', kind: 'write', weight: 2, run: escalatedLifecycle },
    { name: 'assign_reject_reassign_complete', kind: 'write', weight: 1, run: rejectedLifecycle },
    { name: 'escalation_timeline', kind: 'read', weight: 1, run: readTimeline },
  ],
};

/**
 * From 0010 on, an acknowledged assignment is in engineer_assignments or, after a walk below 0010
 * dropped the table, in the archive its down wrote (the newest archived copy of each id).
 */
export const ticketFindAgainRules: FindAgainRule[] = [
  {
    table: 'engineer_assignments',
    from: 10,
    relation: `(select distinct on (s.id) s.* from (
                  select a.*, 0 as archived, null::timestamptz as archived_at from engineer_assignments a
                  union all
                  select (jsonb_populate_record(null::engineer_assignments, x.assignment)).*, 1, x.archived_at
                    from abymed.t1_1_archived_assignments x) s
                order by s.id, s.archived, s.archived_at desc)`,
  },
  {
    // From the contract 0910 on, the inline engineer columns are gone. The legacy application wrote
    // them only before it (it stops at the first contract), so its writes are found again exactly
    // in the archive 0910 took of every ticket's inline values.
    table: 'service_tickets',
    from: 910,
    relation: ticketsWithArchivedColumns(),
  },
];

/**
 * `service_tickets` with the inline engineer columns 0910 archived, plus `extra` (select list and
 * joins) for a later contract step's archive: one relation per version range, since the rule with
 * the highest `from` wins (relationFor), so a later step's rule must carry 0910's columns too.
 */
export function ticketsWithArchivedColumns(extra?: { columns: string; joins: string }): string {
  return `(select t.*, x.assigned_engineer_id, x.assigned_engineer_name, x.assignment_tier, x.assignment_tier_name, x.assigned_at${
    extra ? `, ${extra.columns}` : ''
  }
                  from service_tickets t left join abymed.t1_1_inline_archive x on x.ticket_id = t.id${extra ? ` ${extra.joins}` : ''})`;
}
