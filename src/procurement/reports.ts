import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';

/**
 * The questions the architecture review could not answer while lines lived in JSONB (target-schema
 * §4): RFQs for a product, average quoted price by product, demand by category. Each is one indexed
 * query over rfq_items / quote_items (bench/queries/t1.3.ts measures them against the JSONB scans).
 * They read through the caller's row-level security, so each answers for what the caller may see.
 */
export async function rfqsForProduct(tx: Tx, productId: string) {
  const { rows } = await sql<{
    rfq_id: string;
    rfq_number: string | null;
    title: string;
    status: string;
    lines: number;
    quantity: number;
    earliest_required_by: string | null;
  }>`
    select r.id as rfq_id, r.rfq_number, r.title, r.status, count(*)::int as lines, sum(i.quantity)::int as quantity,
           min(i.required_by_date) as earliest_required_by
      from rfq_items i join rfqs r on r.id = i.rfq_id
     where i.product_id = ${productId}
        or i.sku_id in (select s.id from skus s where s.product_id = ${productId})
     group by r.id order by r.created_at desc, r.id`.execute(tx);
  return rows;
}

/** Quoted unit prices per product over quotes that reached the requester (submitted or later, not withdrawn). */
export async function averageQuotedPriceByProduct(tx: Tx, options: { productId?: string } = {}) {
  const { rows } = await sql<{
    product_id: string;
    product_name: string;
    category: string | null;
    quote_lines: number;
    quantity: number;
    average_unit_price: string;
    min_unit_price: string;
    max_unit_price: string;
  }>`
    select p.id as product_id, p.name as product_name, p.category, count(*)::int as quote_lines, sum(i.quantity)::int as quantity,
           round(avg(i.unit_price), 2)::text as average_unit_price, min(i.unit_price)::text as min_unit_price,
           max(i.unit_price)::text as max_unit_price
      from quote_items i
      join quotes q on q.id = i.quote_id and q.status in ('submitted', 'under_review', 'accepted', 'rejected', 'expired')
      join products p on p.id = coalesce(i.product_id, (select s.product_id from skus s where s.id = i.sku_id))
     where (${options.productId ?? null}::uuid is null or p.id = ${options.productId ?? null}::uuid)
     group by p.id order by p.name, p.id`.execute(tx);
  return rows;
}

/** Quantities asked for per product category in RFQs that went out (not drafts, not cancelled). */
export async function demandByCategory(tx: Tx, options: { from?: string; to?: string } = {}) {
  const { rows } = await sql<{ category: string; rfqs: number; lines: number; quantity: number }>`
    select coalesce(p.category, 'uncategorised') as category, count(distinct r.id)::int as rfqs, count(*)::int as lines,
           sum(i.quantity)::int as quantity
      from rfq_items i
      join rfqs r on r.id = i.rfq_id and r.status in ('published', 'closed', 'awarded')
      left join products p on p.id = coalesce(i.product_id, (select s.product_id from skus s where s.id = i.sku_id))
     where (${options.from ?? null}::timestamptz is null or r.created_at >= ${options.from ?? null}::timestamptz)
       and (${options.to ?? null}::timestamptz is null or r.created_at < ${options.to ?? null}::timestamptz)
     group by 1 order by quantity desc, category`.execute(tx);
  return rows;
}
