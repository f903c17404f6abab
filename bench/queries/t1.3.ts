import type { BenchQuery, ParamContext, ParamSet } from './types.ts';

/**
 * T1.3 line items: the questions the review could not answer while lines lived in JSONB. Legacy
 * answers them by unnesting every RFQ's or quote's JSONB (no index can help: the product is inside
 * an array element); fixed reads rfq_items / quote_items through their product indexes. The legacy
 * side skips what the JSONB cannot be trusted with (non-array values, amounts not written as plain
 * numbers), which is also why its answers can differ from the fixed side's: the fixed side leaves
 * out quarantined items (docs/database/T1.3.md).
 */
const products = async (ctx: ParamContext): Promise<ParamSet[]> =>
  (
    await ctx.rows<{ id: string }>(
      'fixed',
      `select id from (select distinct product_id as id from rfq_items where product_id is not null) d order by md5(id::text || $1) limit $2`,
      [ctx.seed, ctx.count],
    )
  ).map((r) => ({ legacy: [r.id], fixed: [r.id] }));

/** A read without parameters, sampled `count` times. */
const repeat = async (ctx: ParamContext): Promise<ParamSet[]> => Array.from({ length: ctx.count }, () => ({ legacy: [], fixed: [] }));

export const t13Queries = [
  {
    ticket: 'T1.3',
    name: 'RFQs for product X',
    targetMs: 100,
    legacySql: `select r.id, r.rfq_number from rfqs r
                 where jsonb_typeof(r.items) = 'array'
                   and exists (select 1 from jsonb_array_elements(r.items) e where e ->> 'product_id' = $1::text)
                 order by r.id`,
    fixedSql: `select r.id, r.rfq_number from rfqs r
                where r.id in (select i.rfq_id from rfq_items i where i.product_id = $1::uuid)
                order by r.id`,
    params: products,
  },
  {
    ticket: 'T1.3',
    name: 'average quoted price by product',
    targetMs: 100,
    legacySql: `select e ->> 'product_id' as product_id, round(avg((e ->> 'unit_price')::numeric), 2) as average, count(*) as lines
                  from quotes q, jsonb_array_elements(case when jsonb_typeof(q.line_items) = 'array' then q.line_items else '[]' end) e
                 where e ->> 'product_id' is not null and jsonb_typeof(e -> 'unit_price') = 'number'
                 group by 1 order by 1`,
    fixedSql: `select product_id::text as product_id, round(avg(unit_price), 2) as average, count(*) as lines
                 from quote_items where product_id is not null group by 1 order by 1`,
    params: repeat,
  },
  {
    ticket: 'T1.3',
    name: 'average quoted price of product X',
    targetMs: 100,
    legacySql: `select $1::text as product_id, round(avg((e ->> 'unit_price')::numeric), 2) as average, count(*) as lines
                  from quotes q, jsonb_array_elements(case when jsonb_typeof(q.line_items) = 'array' then q.line_items else '[]' end) e
                 where e ->> 'product_id' = $1::text and jsonb_typeof(e -> 'unit_price') = 'number'`,
    fixedSql: `select $1::text as product_id, round(avg(unit_price), 2) as average, count(*) as lines
                 from quote_items where product_id = $1::uuid`,
    params: products,
  },
  {
    ticket: 'T1.3',
    name: 'demand by category',
    targetMs: 100,
    legacySql: `select coalesce(p.category, 'uncategorised') as category, sum((e ->> 'quantity')::numeric) as quantity
                  from rfqs r, jsonb_array_elements(case when jsonb_typeof(r.items) = 'array' then r.items else '[]' end) e
                  left join products p on p.id::text = e ->> 'product_id'
                 where jsonb_typeof(e -> 'quantity') = 'number' and (e ->> 'quantity')::numeric > 0
                 group by 1 order by 1`,
    fixedSql: `select coalesce(p.category, 'uncategorised') as category, sum(i.quantity) as quantity
                 from rfq_items i left join products p on p.id = i.product_id
                group by 1 order by 1`,
    params: repeat,
  },
] satisfies BenchQuery[];

export default t13Queries;
