/** Shapes of the procurement API (src/procurement/schemas.ts) as the console reads them. */
export interface RfqItem {
  id: string;
  line_number: number;
  product_id: string | null;
  sku_id: string | null;
  name: string;
  quantity: number;
  unit: string | null;
  required_by_date: string | null;
  notes: string | null;
}

export interface Rfq {
  id: string;
  rfq_number: string | null;
  requesting_org_id: string | null;
  title: string;
  status: string;
  response_deadline: string | null;
  created_at: string;
}

export interface QuoteItem {
  id: string;
  line_number: number;
  rfq_item_id: string | null;
  rfq_line: number | null;
  name: string;
  quantity: number;
  unit_price: string;
  tax_amount: string;
  discount_percentage: string;
  total_price: string;
  lead_time_days: number | null;
}

export interface Quote {
  id: string;
  quote_number: string | null;
  supplier_org_id: string | null;
  status: string;
  total_amount: string | null;
  valid_until: string | null;
  items?: QuoteItem[];
}

export interface QuoteScore {
  quote_id: string;
  scores: { price: number; quality: number; delivery: number; compliance: number };
  weighted: number;
  rank: number;
  lines_covered: number;
  lines_requested: number;
}

const INR = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
/** Amounts as people in India read them: ₹1,25,000.00. */
export const rupees = (amount: string | null | undefined) => (amount == null ? '—' : INR.format(Number(amount)));
