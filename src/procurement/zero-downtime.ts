import { newLegacyId } from '../ids.ts';
import type { ConsistencyCheck, FindAgainRule, OpContext, Workload } from '../zero-downtime/workload.ts';
import { newRfqId } from './ids.ts';

/**
 * T1.3 in the zero-downtime harness (docs/zero-downtime.md):
 *   * consistency: t13_sync_mismatches (0031) is empty at every checkpoint between the backfills
 *     and the contract — every legacy JSONB item is a row or an open quarantine entry, and every row
 *     is in the JSONB;
 *   * find again: from the contract on, the legacy application's RFQ and quote writes are found in
 *     t13_jsonb_archive (the exact JSONB it wrote, archived where the rows do not rebuild it byte for
 *     byte), else rebuilt from the rows;
 *   * the new application: creates RFQs with lines and quotes with lines as rows only (as the API
 *     does), from 0034 on, and reads the review's three questions. It writes only its own RFQs and
 *     quotes, so it never changes what the legacy application acknowledged.
 */
export const procurementConsistencyChecks: ConsistencyCheck[] = [
  { name: 't1_3_jsonb_vs_rows', from: 33, until: 930, sql: 'select source_table, source_id, line from t13_sync_mismatches' },
];

/** Below 0030 the new application's lines live only in the JSONB it was mirrored into (guarded casts: legacy items may hold anything). */
const int = (expr: string) => `case when ${expr} ~ '^-?[0-9]{1,9}$' then (${expr})::integer end`;
const num = (expr: string) => `case when ${expr} ~ '^-?[0-9]+(\\.[0-9]+)?$' then (${expr})::numeric end`;
const uuid = (expr: string) =>
  `case when ${expr} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (${expr})::uuid end`;
const elements = (column: string) => `jsonb_array_elements(case when jsonb_typeof(${column}) = 'array' then ${column} else '[]' end)`;

export const procurementFindAgainRules: FindAgainRule[] = [
  {
    table: 'rfq_items',
    from: 1,
    relation: `(select r.id as rfq_id, ${int("e ->> 'line'")} as line_number, e ->> 'name' as name, ${int("e ->> 'quantity'")} as quantity,
                       ${uuid("e ->> 'product_id'")} as product_id
                  from rfqs r cross join lateral ${elements('r.items')} e)`,
  },
  { table: 'rfq_items', from: 30, relation: 'rfq_items' },
  {
    table: 'quote_items',
    from: 1,
    relation: `(select q.id as quote_id, x.n::integer as line_number, ${int("x.e ->> 'quantity'")} as quantity,
                       ${num("x.e ->> 'unit_price'")} as unit_price, ${num("x.e ->> 'total_price'")} as total_price
                  from quotes q cross join lateral ${elements('q.line_items')} with ordinality as x(e, n))`,
  },
  { table: 'quote_items', from: 30, relation: 'quote_items' },
  {
    table: 'rfqs',
    from: 930,
    relation: `(select r.*, coalesce(a.original, t13_rfq_items_json(r.id)) as items
                  from rfqs r left join t13_jsonb_archive a on a.source_table = 'rfqs' and a.source_id = r.id)`,
  },
  {
    table: 'quotes',
    from: 930,
    relation: `(select q.*, coalesce(a.original, t13_quote_line_items_json(q.id)) as line_items
                  from quotes q left join t13_jsonb_archive a on a.source_table = 'quotes' and a.source_id = q.id)`,
  },
];

interface State extends Record<string, unknown> {
  products: string[];
  orgs: string[];
  rfqs: { id: string; lines: number }[];
}

const pick = <T>(ctx: OpContext, list: T[]): T | undefined => list[Math.floor(ctx.rng() * list.length)];

async function createRfqWithLines(ctx: OpContext): Promise<boolean> {
  const s = ctx.state as State;
  const id = newRfqId();
  const org = pick(ctx, s.orgs) ?? null;
  const rfq = await ctx.db.query(
    `insert into rfqs (id, rfq_number, requesting_org_id, title, status, created_by)
     values ($1, next_rfq_number(), $2, 'New-app RFQ', 'published', 'procurement-app')
     returning jsonb_build_object('title', title, 'status', status, 'requesting_org_id', requesting_org_id) as w`,
    [id, org],
  );
  ctx.ack({ table: 'rfqs', key: { id }, values: rfq.rows[0].w });
  const lines = 1 + Math.floor(ctx.rng() * 3);
  const res = await ctx.db.query(
    `insert into rfq_items (rfq_id, line_number, product_id, name, quantity, unit)
     select $1, n, $2::uuid, 'Line ' || n, $3 + n, 'piece' from generate_series(1, $4::int) n
     returning line_number::text as line, jsonb_build_object('name', name, 'quantity', quantity, 'product_id', product_id) as w`,
    [id, pick(ctx, s.products) ?? null, Math.floor(ctx.rng() * 5), lines],
  );
  for (const r of res.rows) ctx.ack({ table: 'rfq_items', key: { rfq_id: id, line_number: r.line }, values: r.w });
  s.rfqs.push({ id, lines });
  return true;
}

async function quoteOwnRfq(ctx: OpContext): Promise<boolean> {
  const s = ctx.state as State;
  const rfq = pick(ctx, s.rfqs);
  if (!rfq) return false;
  const id = newLegacyId();
  await ctx.db.query(
    `insert into quotes (id, quote_number, rfq_id, supplier_org_id, status) values ($1, next_quote_number(), $2, $3, 'submitted')`,
    [id, rfq.id, pick(ctx, s.orgs) ?? null],
  );
  const price = 1000 + Math.floor(ctx.rng() * 100000);
  const res = await ctx.db.query(
    `insert into quote_items (quote_id, line_number, rfq_item_id, name, quantity, unit_price, tax_amount, total_price, lead_time_days)
     select $1, i.line_number, i.id, i.name, i.quantity, $2::numeric, round($2::numeric * i.quantity * 0.18, 2),
            round($2::numeric * i.quantity * 1.18, 2), 7
       from rfq_items i where i.rfq_id = $3
     returning line_number::text as line, jsonb_build_object('quantity', quantity, 'unit_price', unit_price, 'total_price', total_price) as w`,
    [id, price, rfq.id],
  );
  for (const r of res.rows) ctx.ack({ table: 'quote_items', key: { quote_id: id, line_number: r.line }, values: r.w });
  return true;
}

async function readQuestions(ctx: OpContext): Promise<boolean> {
  const product = pick(ctx, (ctx.state as State).products);
  if (!product) return false;
  await ctx.db.query(`select r.id from rfq_items i join rfqs r on r.id = i.rfq_id where i.product_id = $1 group by r.id limit 50`, [
    product,
  ]);
  await ctx.db.query(`select product_id, avg(unit_price) from quote_items where product_id = $1 group by product_id`, [product]);
  return true;
}

export const procurementWorkload: Workload = {
  name: 'procurement-app',
  from: 34,
  async prepare(db) {
    const products = (await db.query<{ id: string }>('select id from products order by id limit 50')).rows.map((r) => r.id);
    const orgs = (await db.query<{ id: string }>('select id from organizations order by id limit 50')).rows.map((r) => r.id);
    return { products, orgs, rfqs: [] } satisfies State;
  },
  ops: [
    { name: 'create_rfq_with_lines', kind: 'write', weight: 2, run: createRfqWithLines },
    { name: 'quote_own_rfq', kind: 'write', weight: 2, run: quoteOwnRfq },
    { name: 'procurement_questions', kind: 'read', weight: 1, run: readQuestions },
  ],
};
