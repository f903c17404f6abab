import type pg from 'pg';
import { written } from './written.ts';

/** RFQs and quotes with their lines inline as JSONB (flaw #4), as the old procurement module wrote them. */
export interface RfqItem {
  line: number;
  product_id?: string;
  sku_id?: string;
  name: string;
  quantity: number;
  unit: string;
  required_by?: string;
  notes?: string;
}

export function createRfq(
  db: pg.ClientBase,
  input: { id: string; number: string; orgId: string | null; title: string; items: RfqItem[]; by: string },
) {
  return written(
    db,
    'rfqs',
    ['id'],
    ['rfq_number', 'requesting_org_id', 'title', 'status', 'response_deadline', 'items', 'created_by'],
    `insert into rfqs (id, rfq_number, requesting_org_id, title, status, response_deadline, items, created_by)
     values ($1, $2, $3, $4, 'published', now() + interval '14 days', $5, $6)`,
    [input.id, input.number, input.orgId, input.title, JSON.stringify(input.items), input.by],
  );
}

export interface QuoteLine {
  rfq_line?: number;
  product_id?: string;
  sku_id?: string;
  name: string;
  quantity: number;
  unit_price: number;
  tax_amount?: number;
  total_price: number;
  lead_time_days?: number;
}

export function createQuote(
  db: pg.ClientBase,
  input: { id: string; number: string; rfqId: string; supplierOrgId: string | null; lines: QuoteLine[] },
) {
  const total = input.lines.reduce((sum, l) => sum + l.total_price, 0);
  return written(
    db,
    'quotes',
    ['id'],
    ['quote_number', 'rfq_id', 'supplier_org_id', 'status', 'currency', 'total_amount', 'valid_until', 'line_items'],
    `insert into quotes (id, quote_number, rfq_id, supplier_org_id, status, currency, total_amount, valid_until, line_items)
     values ($1, $2, $3, $4, 'submitted', 'INR', $5, current_date + 30, $6)`,
    [input.id, input.number, input.rfqId, input.supplierOrgId, total.toFixed(2), JSON.stringify(input.lines)],
  );
}
