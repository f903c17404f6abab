import type { BenchQuery, ParamSet } from './types.ts';

/**
 * T1.2 customers: the plan's lookups (origin-facts §4 T1.2: by id under 10 ms, name search under
 * 50 ms). Legacy answers them from the copies on service_tickets (a scan, and phones compared after
 * stripping their formatting, the only way the copies can be matched); fixed answers them from
 * customers (primary key, phone index, trigram index on the normalised name).
 */

/** Legacy customer ids drawn from the tickets, each with its customer's uuid on the fixed side. */
async function customerIds(ctx: Parameters<BenchQuery['params']>[0]): Promise<ParamSet[]> {
  const legacy = await ctx.rows<{ customer_id: string }>(
    'legacy',
    `select customer_id from (select distinct customer_id from service_tickets where customer_id is not null) d
      order by md5(customer_id || $1) limit $2`,
    [ctx.seed, ctx.count],
  );
  const out: ParamSet[] = [];
  for (const { customer_id } of legacy) {
    const [fixed] = await ctx.rows<{ id: string }>('fixed', 'select customer_id as id from customer_legacy_ids where legacy_id = $1', [
      customer_id,
    ]);
    if (fixed) out.push({ legacy: [customer_id], fixed: [fixed.id] });
  }
  return out;
}

export default [
  {
    name: 'customer by id',
    targetMs: 10,
    legacySql: `select customer_id, customer_name, customer_phone, customer_whatsapp from service_tickets
                 where customer_id = $1 order by created_at desc limit 1`,
    fixedSql: 'select id, name, primary_phone, whatsapp, email, customer_type, status from customers where id = $1',
    params: customerIds,
  },
  {
    name: 'customer by phone (any format)',
    targetMs: 10,
    legacySql: `select distinct customer_id, customer_name from service_tickets
                 where right(regexp_replace(coalesce(customer_phone, ''), '[^0-9]', '', 'g'), 10) = $1
                    or right(regexp_replace(coalesce(customer_whatsapp, ''), '[^0-9]', '', 'g'), 10) = $1`,
    fixedSql: `select id, name from customers where (primary_phone = normalize_in_phone($1) or whatsapp = normalize_in_phone($1))
                 and status <> 'merged'`,
    params: async (ctx) =>
      (
        await ctx.rows<{ phone: string }>(
          'legacy',
          `select phone from (select distinct right(customer_whatsapp, 10) as phone from service_tickets where customer_whatsapp is not null) d
            order by md5(phone || $1) limit $2`,
          [ctx.seed, ctx.count],
        )
      ).map((r) => ({ legacy: [r.phone], fixed: [r.phone] })),
  },
  {
    name: 'customer name search (typo-tolerant on fixed)',
    targetMs: 50,
    legacySql: `select customer_id, min(customer_name) as name from service_tickets where customer_name ilike '%' || $1 || '%'
                 group by customer_id limit 20`,
    fixedSql: `select id, name from customers
                 where (name_key % customer_name_key($1) or name_key like '%' || customer_name_key($1) || '%') and status <> 'merged'
                 order by similarity(name_key, customer_name_key($1)) desc, id limit 20`,
    params: async (ctx) =>
      (
        await ctx.rows<{ word: string }>(
          'legacy',
          `select word from (select distinct split_part(customer_name, ' ', 1) as word from service_tickets
                              where length(split_part(customer_name, ' ', 1)) >= 4) d
            order by md5(word || $1) limit $2`,
          [ctx.seed, ctx.count],
        )
      ).map((r) => ({ legacy: [r.word], fixed: [r.word] })),
  },
  {
    name: "a customer's latest tickets",
    // Legacy: the varchar copy of the customer's id; fixed: the uuid foreign key (0920 gives it the name customer_id).
    legacySql: 'select id, ticket_number, status, created_at from service_tickets where customer_id = $1 order by created_at desc limit 20',
    fixedSql:
      'select id, ticket_number, status, created_at from service_tickets where customer_id = $1::uuid order by created_at desc limit 20',
    params: customerIds,
  },
] satisfies BenchQuery[];
