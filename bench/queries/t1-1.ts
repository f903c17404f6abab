import { type BenchQuery, sameParams } from './types.ts';

/**
 * T1.1 + T3.2 reads at scale (1M tickets): the current assignment of a ticket (origin-facts §8:
 * under 100 ms), a ticket's status history, and the escalation timeline the legacy shape cannot
 * answer. Fixed side: the partial unique index on active assignments, the (ticket, sequence)
 * unique index, and idx_ticket_status_history_latest (0011).
 */
const ticketSample = `select id from service_tickets order by md5(id || $1) limit $2`;

export default [
  {
    ticket: 'T1.1',
    name: 'current assignment of a ticket',
    targetMs: 100,
    legacySql: `select assigned_engineer_id, assigned_engineer_name, assignment_tier, assignment_tier_name, assigned_at
                  from service_tickets where id = $1`,
    fixedSql: `select engineer_id, engineer_name, assignment_tier, assignment_tier_name, assigned_at, status
                 from current_ticket_assignments where ticket_id = $1`,
    params: async (ctx) => sameParams(await ctx.rows('legacy', ticketSample, [ctx.seed, ctx.count])),
  },
  {
    ticket: 'T1.1',
    name: 'ticket status history, newest first',
    targetMs: 100,
    legacySql: `select from_status, to_status, changed_by, changed_at, reason from ticket_status_history
                 where ticket_id = $1 order by changed_at desc, id desc`,
    fixedSql: `select from_status, to_status, changed_by, changed_at, reason from ticket_status_history
                where ticket_id = $1 order by history_seq desc nulls last, changed_at desc, id desc`,
    params: async (ctx) => sameParams(await ctx.rows('legacy', ticketSample, [ctx.seed, ctx.count])),
  },
  {
    ticket: 'T1.1',
    name: "a ticket's current status per its latest history row",
    targetMs: 100,
    legacySql: `select to_status from ticket_status_history where ticket_id = $1 order by changed_at desc, id desc limit 1`,
    fixedSql: `select ticket_latest_history_status($1)`,
    params: async (ctx) => sameParams(await ctx.rows('legacy', ticketSample, [ctx.seed, ctx.count])),
  },
  {
    ticket: 'T1.1',
    name: 'escalation timeline of a ticket (every assignment in order)',
    targetMs: 100,
    legacySql: null,
    fixedSql: `select assignment_sequence, engineer_name, assignment_tier, status, assigned_at, completed_at, escalation_reason
                 from engineer_assignments where ticket_id = $1 order by assignment_sequence`,
    params: async (ctx) => sameParams(await ctx.rows('legacy', ticketSample, [ctx.seed, ctx.count])),
  },
  {
    ticket: 'T1.1',
    name: "an engineer's active assignments",
    targetMs: 100,
    legacySql: `select id, status from service_tickets where assigned_engineer_id = $1::text and status in ('assigned', 'in_progress', 'on_hold')`,
    fixedSql: `select id, ticket_id, status from engineer_assignments
                where engineer_id = $1::uuid and status in ('assigned', 'accepted', 'in_progress')`,
    params: async (ctx) =>
      sameParams(await ctx.rows('legacy', `select id from engineers order by md5(id::text || $1) limit $2`, [ctx.seed, ctx.count])),
  },
] satisfies BenchQuery[];
