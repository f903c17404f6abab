import { type BenchQuery, sameParams } from './types.ts';

/**
 * Reads the legacy application already serves, unchanged by any ticket: the same SQL on both
 * sides, so the ratio shows what the fixed schema's extra triggers, indexes and policies cost or
 * save a read that did not change (a ratio near 1 is the expected, good answer). Reads that a
 * ticket changes live in that ticket's own file (t1-1.ts …), written by its engineer.
 */
const ticketSample = (column: string) => `select ${column} from service_tickets order by md5(id || $1) limit $2`;

export default [
  {
    ticket: 'platform',
    name: 'equipment by QR code (the scan that opens a ticket)',
    targetMs: 100,
    legacySql: 'select * from equipment where qr_code = $1',
    fixedSql: 'select * from equipment where qr_code = $1',
    params: async (ctx) =>
      sameParams(await ctx.rows('legacy', 'select qr_code from equipment order by md5(id || $1) limit $2', [ctx.seed, ctx.count])),
  },
  {
    ticket: 'platform',
    name: 'ticket by ticket number',
    targetMs: 100,
    legacySql: 'select * from service_tickets where ticket_number = $1',
    fixedSql: 'select * from service_tickets where ticket_number = $1',
    params: async (ctx) => sameParams(await ctx.rows('legacy', ticketSample('ticket_number'), [ctx.seed, ctx.count])),
  },
  {
    ticket: 'platform',
    name: 'service history of a device (20 newest tickets)',
    targetMs: 100,
    legacySql: `select id, ticket_number, status, priority, created_at from service_tickets
                 where equipment_id = $1 order by created_at desc limit 20`,
    fixedSql: `select id, ticket_number, status, priority, created_at from service_tickets
                where equipment_id = $1 order by created_at desc limit 20`,
    params: async (ctx) => sameParams(await ctx.rows('legacy', ticketSample('equipment_id'), [ctx.seed, ctx.count])),
  },
  {
    ticket: 'platform',
    name: 'newest tickets page after a cursor (ticket list)',
    targetMs: 100,
    legacySql: `select id, ticket_number, status, priority, created_at from service_tickets
                 where (created_at, id) < ($1::timestamptz, $2) order by created_at desc, id desc limit 50`,
    fixedSql: `select id, ticket_number, status, priority, created_at from service_tickets
                where (created_at, id) < ($1::timestamptz, $2) order by created_at desc, id desc limit 50`,
    params: async (ctx) => sameParams(await ctx.rows('legacy', ticketSample('created_at, id'), [ctx.seed, ctx.count])),
  },
  {
    ticket: 'platform',
    name: 'SLA-breached open tickets (dashboard)',
    targetMs: 100,
    legacySql: `select id, ticket_number, priority, sla_resolution_due from service_tickets
                 where sla_breached and status not in ('resolved', 'closed', 'cancelled') and priority = $1
                 order by sla_resolution_due limit 50`,
    fixedSql: `select id, ticket_number, priority, sla_resolution_due from service_tickets
                where sla_breached and status not in ('resolved', 'closed', 'cancelled') and priority = $1
                order by sla_resolution_due limit 50`,
    // Four priorities only: the same values repeat, which is what a dashboard's refresh does.
    params: async (ctx) => {
      const priorities = ['critical', 'high', 'medium', 'low'];
      return Array.from({ length: ctx.count }, (_, i) => ({ legacy: [priorities[i % 4]], fixed: [priorities[i % 4]] }));
    },
  },
] satisfies BenchQuery[];
