import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findRfq } from './rfqs.ts';

/**
 * Quote comparison for one RFQ, by the original's default weights: price 40, quality 30,
 * delivery 20, compliance 10 (origin-facts §1). Price and delivery are measured from the quotes
 * (the cheapest total scores 100, others best/total × 100; delivery (best + 1)/(days + 1) × 100
 * on the longest lead time of the quote's lines, 0 when no line states one); quality
 * and compliance are the reviewer's scores (0–100) per quote, 0 when not given. Weights may be
 * overridden but must add up to 100. Only submitted, under-review and accepted quotes compete.
 */
export interface Weights {
  price: number;
  quality: number;
  delivery: number;
  compliance: number;
}

export const DEFAULT_WEIGHTS: Weights = { price: 40, quality: 30, delivery: 20, compliance: 10 };

export interface ReviewerScores {
  quality?: number;
  compliance?: number;
}

export interface QuoteScore {
  quote_id: string;
  quote_number: string | null;
  supplier_org_id: string | null;
  status: string;
  total_amount: string;
  /** The longest lead time of its lines: when everything has arrived. */
  lead_time_days: number | null;
  /** RFQ lines it answers, of all the RFQ's lines. */
  lines_covered: number;
  lines_requested: number;
  scores: { price: number; quality: number; delivery: number; compliance: number };
  weighted: number;
  rank: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function compareQuotes(
  tx: Tx,
  rfqId: string,
  options: { weights?: Partial<Weights>; reviewer?: Record<string, ReviewerScores> } = {},
): Promise<{ rfq_id: string; weights: Weights; quotes: QuoteScore[] }> {
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  const sum = weights.price + weights.quality + weights.delivery + weights.compliance;
  if (sum !== 100) throw new AppError('invalid_value', `weights must add up to 100, they add up to ${sum}`, { weights });
  await findRfq(tx, rfqId);
  const { rows } = await sql<{
    id: string;
    quote_number: string | null;
    supplier_org_id: string | null;
    status: string;
    total: string;
    lead: number | null;
    covered: number;
    requested: number;
  }>`
    select q.id, q.quote_number, q.supplier_org_id, q.status,
           coalesce(sum(i.total_price), 0)::text as total, max(i.lead_time_days) as lead,
           count(distinct i.rfq_item_id)::int as covered,
           (select count(*)::int from rfq_items r where r.rfq_id = q.rfq_id) as requested
      from quotes q left join quote_items i on i.quote_id = q.id
     where q.rfq_id = ${rfqId} and q.status in ('submitted', 'under_review', 'accepted')
     group by q.id order by q.id`.execute(tx);
  const totals = rows.map((r) => Number(r.total)).filter((t) => t > 0);
  const leads = rows.map((r) => r.lead).filter((l): l is number => l !== null);
  const bestTotal = totals.length ? Math.min(...totals) : 0;
  const bestLead = leads.length ? Math.min(...leads) : 0;
  const scored = rows.map((r) => {
    const total = Number(r.total);
    const reviewer = options.reviewer?.[r.id] ?? {};
    const scores = {
      price: total > 0 ? round2((100 * bestTotal) / total) : 0,
      quality: clampScore(reviewer.quality),
      // Days + 1, so a same-day offer (0 days) is comparable and does not zero every other quote.
      delivery: r.lead === null ? 0 : round2((100 * (bestLead + 1)) / (r.lead + 1)),
      compliance: clampScore(reviewer.compliance),
    };
    const weighted = round2(
      (scores.price * weights.price +
        scores.quality * weights.quality +
        scores.delivery * weights.delivery +
        scores.compliance * weights.compliance) /
        100,
    );
    return {
      quote_id: r.id,
      quote_number: r.quote_number,
      supplier_org_id: r.supplier_org_id,
      status: r.status,
      total_amount: r.total,
      lead_time_days: r.lead,
      lines_covered: r.covered,
      lines_requested: r.requested,
      scores,
      weighted,
      rank: 0,
    };
  });
  scored.sort((a, b) => b.weighted - a.weighted || a.quote_id.localeCompare(b.quote_id));
  scored.forEach((s, i) => {
    s.rank = i + 1;
  });
  return { rfq_id: rfqId, weights, quotes: scored };
}

function clampScore(v: number | undefined): number {
  if (v === undefined) return 0;
  if (!(v >= 0 && v <= 100)) throw new AppError('invalid_value', `a reviewer score must be between 0 and 100, got ${v}`);
  return v;
}
