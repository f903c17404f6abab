import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import { newLegacyId } from '../ids.ts';
import { type Actor, actingOrg, assertParty } from './access.ts';
import { lineTotal, sumAmounts } from './money.ts';
import { findRfq } from './rfqs.ts';
import { assertQuoteMove, type QuoteStatus } from './workflow.ts';

/**
 * Quotes and their lines (quote_items). A line's total is computed here with the database's own
 * formula; a total sent by the client must equal it (else 422), and the check constraint
 * quote_items_total_price_check rejects any writer that gets it wrong.
 */
export interface QuoteItemInput {
  /** The RFQ line this answers, by id or by line number (one of them, or neither). */
  rfq_item_id?: string | null;
  rfq_line?: number | null;
  product_id?: string | null;
  sku_id?: string | null;
  name: string;
  quantity: number;
  unit_price: string;
  tax_amount?: string;
  discount_percentage?: string;
  /** Optional: checked against the computed total. */
  total_price?: string;
  lead_time_days?: number | null;
  notes?: string | null;
}

export interface QuoteRow {
  id: string;
  quote_number: string | null;
  rfq_id: string | null;
  supplier_org_id: string | null;
  status: QuoteStatus;
  currency: string | null;
  total_amount: string | null;
  valid_until: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface QuoteItemRow {
  id: string;
  quote_id: string;
  line_number: number;
  rfq_id: string | null;
  rfq_item_id: string | null;
  rfq_line: number | null;
  product_id: string | null;
  sku_id: string | null;
  name: string;
  quantity: number;
  unit_price: string;
  tax_amount: string;
  discount_percentage: string;
  total_price: string;
  lead_time_days: number | null;
  notes: string | null;
}

const QUOTE_COLUMNS = sql.raw(
  'id, quote_number, rfq_id, supplier_org_id, status, currency, total_amount, valid_until, created_at, updated_at',
);

export async function findQuote(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<QuoteRow> {
  const { rows } =
    await sql<QuoteRow>`select ${QUOTE_COLUMNS} from quotes where id = ${id} ${sql.raw(options.lock ? 'for update' : '')}`.execute(tx);
  if (!rows[0]) throw notFound('quote', id);
  return rows[0];
}

export async function quoteItems(tx: Tx, quoteId: string): Promise<QuoteItemRow[]> {
  const { rows } = await sql<QuoteItemRow>`
    select i.id, i.quote_id, i.line_number, i.rfq_id, i.rfq_item_id, r.line_number as rfq_line, i.product_id, i.sku_id, i.name, i.quantity,
           i.unit_price, i.tax_amount, i.discount_percentage, i.total_price, i.lead_time_days, i.notes
      from quote_items i left join rfq_items r on r.id = i.rfq_item_id
     where i.quote_id = ${quoteId} order by i.line_number`.execute(tx);
  return rows;
}

export async function getQuote(tx: Tx, id: string): Promise<QuoteRow & { items: QuoteItemRow[] }> {
  const quote = await findQuote(tx, id);
  return { ...quote, items: await quoteItems(tx, id) };
}

export interface ListQuotesOptions {
  rfqId?: string;
  supplierOrgId?: string;
  status?: QuoteStatus;
  /** (Default: 50) */
  limit?: number;
}

export async function listQuotes(tx: Tx, o: ListQuotesOptions = {}): Promise<QuoteRow[]> {
  const { rows } = await sql<QuoteRow>`
    select ${QUOTE_COLUMNS} from quotes
     where (${o.rfqId ?? null}::text is null or rfq_id = ${o.rfqId ?? null})
       and (${o.supplierOrgId ?? null}::uuid is null or supplier_org_id = ${o.supplierOrgId ?? null}::uuid)
       and (${o.status ?? null}::text is null or status = ${o.status ?? null})
     order by created_at desc, id limit ${o.limit ?? 50}`.execute(tx);
  return rows;
}

/** The line as stored: total computed, a client total checked, the RFQ line resolved within the quote's RFQ. */
async function prepareLine(tx: Tx, rfqId: string | null, item: QuoteItemInput) {
  const total = lineTotal({
    quantity: item.quantity,
    unitPrice: item.unit_price,
    taxAmount: item.tax_amount,
    discountPercentage: item.discount_percentage,
  });
  if (item.total_price !== undefined && lineTotal({ quantity: 1, unitPrice: item.total_price }) !== total) {
    throw new AppError(
      'check_violation',
      `total_price ${item.total_price} does not add up: quantity × unit_price × (1 − discount/100) + tax = ${total}`,
      {
        field: 'total_price',
        expected: total,
      },
    );
  }
  let rfqItemId = item.rfq_item_id ?? null;
  if (rfqItemId === null && item.rfq_line != null) {
    const { rows } = await sql<{ id: string }>`select id from rfq_items where rfq_id = ${rfqId} and line_number = ${item.rfq_line}`.execute(
      tx,
    );
    if (!rows[0]) throw new AppError('foreign_key_violation', `the quote's RFQ has no line ${item.rfq_line}`, { field: 'rfq_line' });
    rfqItemId = rows[0].id;
  }
  return {
    ...item,
    rfq_item_id: rfqItemId,
    total_price: total,
    tax_amount: item.tax_amount ?? '0',
    discount_percentage: item.discount_percentage ?? '0',
  };
}

async function insertLines(
  tx: Tx,
  quote: { id: string; rfq_id: string | null },
  items: QuoteItemInput[],
  firstLine: number,
): Promise<void> {
  if (items.length === 0) return;
  const prepared = [];
  for (const item of items) prepared.push(await prepareLine(tx, quote.rfq_id, item));
  // rfq_id is set from the quote by trg_quote_items_rfq_id; the composite FK then proves the RFQ line is the quote's RFQ's.
  await sql`
    insert into quote_items (quote_id, line_number, rfq_item_id, product_id, sku_id, name, quantity, unit_price, tax_amount,
                             discount_percentage, total_price, lead_time_days, notes)
    select ${quote.id}, ${firstLine} + i.ord - 1, i.rfq_item_id, i.product_id, i.sku_id, i.name, i.quantity, i.unit_price, i.tax_amount,
           i.discount_percentage, i.total_price, i.lead_time_days, i.notes
      from jsonb_to_recordset(${JSON.stringify(prepared.map((x, k) => ({ ...x, ord: k + 1 })))}::jsonb)
        as i(rfq_item_id uuid, product_id uuid, sku_id uuid, name text, quantity integer, unit_price numeric, tax_amount numeric,
             discount_percentage numeric, total_price numeric, lead_time_days integer, notes text, ord bigint)`.execute(tx);
  await refreshTotal(tx, quote.id);
}

/** quotes.total_amount is the sum of the line totals (as the legacy application kept it). */
async function refreshTotal(tx: Tx, quoteId: string): Promise<void> {
  const { rows } = await sql<{ total_price: string }>`select total_price from quote_items where quote_id = ${quoteId}`.execute(tx);
  await sql`update quotes set total_amount = ${sumAmounts(rows.map((r) => r.total_price))}::numeric where id = ${quoteId}`.execute(tx);
}

export interface CreateQuoteOptions {
  rfqId: string;
  currency?: string;
  validUntil?: string | null;
  items: QuoteItemInput[];
}

/** A draft quote of the caller's organization on a published RFQ. */
export async function createQuote(tx: Tx, actor: Actor, o: CreateQuoteOptions): Promise<QuoteRow & { items: QuoteItemRow[] }> {
  const org = actingOrg(actor, 'quoting');
  const rfq = await findRfq(tx, o.rfqId);
  if (rfq.status !== 'published')
    throw new AppError('invalid_transition', `RFQ ${o.rfqId} is ${rfq.status}: quotes are taken only while it is published`);
  if (rfq.requesting_org_id === org) throw new AppError('forbidden', 'an organization cannot quote on its own RFQ');
  const id = newLegacyId();
  await sql`
    insert into quotes (id, quote_number, rfq_id, supplier_org_id, status, currency, valid_until)
    values (${id}, next_quote_number(), ${o.rfqId}, ${org}, 'draft', ${o.currency ?? 'INR'}, ${o.validUntil ?? null})`.execute(tx);
  await insertLines(tx, { id, rfq_id: o.rfqId }, o.items, 1);
  return getQuote(tx, id);
}

async function lockDraft(tx: Tx, actor: Actor, quoteId: string): Promise<QuoteRow> {
  const visible = await findQuote(tx, quoteId);
  assertParty(actor, visible.supplier_org_id, 'supplier', 'change the lines of a quote');
  const quote = await findQuote(tx, quoteId, { lock: true });
  if (quote.status !== 'draft')
    throw new AppError('invalid_transition', `quote ${quoteId} is ${quote.status}: lines change only while it is a draft`);
  return quote;
}

export async function addQuoteItem(tx: Tx, actor: Actor, quoteId: string, item: QuoteItemInput): Promise<QuoteItemRow> {
  const quote = await lockDraft(tx, actor, quoteId);
  const { rows } = await sql<{
    next: number;
  }>`select coalesce(max(line_number), 0) + 1 as next from quote_items where quote_id = ${quoteId}`.execute(tx);
  const line = rows[0]?.next ?? 1;
  await insertLines(tx, quote, [item], line);
  return (await quoteItems(tx, quoteId)).find((i) => i.line_number === line) as QuoteItemRow;
}

export async function removeQuoteItem(tx: Tx, actor: Actor, quoteId: string, itemId: string): Promise<void> {
  await lockDraft(tx, actor, quoteId);
  const res = await sql`delete from quote_items where quote_id = ${quoteId} and id = ${itemId}`.execute(tx);
  if (!res.numAffectedRows) throw notFound('quote line', itemId);
  await refreshTotal(tx, quoteId);
}

/** Which party takes each step: the supplier submits and withdraws; the requester reviews, accepts and rejects; either expires. */
const STEP_PARTY: Record<Exclude<QuoteStatus, 'draft'>, 'supplier' | 'requester' | 'either'> = {
  submitted: 'supplier',
  withdrawn: 'supplier',
  under_review: 'requester',
  accepted: 'requester',
  rejected: 'requester',
  expired: 'either',
};

export async function moveQuote(tx: Tx, actor: Actor, quoteId: string, to: Exclude<QuoteStatus, 'draft'>): Promise<QuoteRow> {
  const visible = await findQuote(tx, quoteId);
  const rfq = visible.rfq_id ? await findRfq(tx, visible.rfq_id).catch(() => null) : null;
  const party = STEP_PARTY[to];
  if (party === 'supplier') assertParty(actor, visible.supplier_org_id, 'supplier', `mark a quote ${to}`);
  if (party === 'requester') assertParty(actor, rfq?.requesting_org_id ?? null, 'requester', `mark a quote ${to}`);
  if (
    party === 'either' &&
    actor.role !== 'system_admin' &&
    actor.orgId !== visible.supplier_org_id &&
    actor.orgId !== rfq?.requesting_org_id
  ) {
    assertParty(actor, null, 'supplier', 'expire a quote');
  }
  const quote = await findQuote(tx, quoteId, { lock: true });
  assertQuoteMove(quoteId, quote.status, to);
  if (to === 'submitted') {
    if ((await quoteItems(tx, quoteId)).length === 0)
      throw new AppError('invalid_transition', `quote ${quoteId} has no lines; add at least one before submitting`);
    if (rfq?.status !== 'published')
      throw new AppError('invalid_transition', `the RFQ of quote ${quoteId} is ${rfq?.status ?? 'missing'}, not published`);
  }
  await sql`update quotes set status = ${to} where id = ${quoteId}`.execute(tx);
  return findQuote(tx, quoteId);
}
