import type pg from 'pg';

/**
 * Legacy procurement data at any scale, written in SQL (generate_series) so a million JSON items
 * take seconds, with the JSONB defects of the seed manifest (src/seed/manifest.ts) placed by
 * arithmetic on the item's index. `expectedT13Counts` repeats that arithmetic in TypeScript, so a
 * test knows the exact count of every class without reading the data back.
 *
 * Layout: `products` products with 2 SKUs each; RFQ i has 3 lines; every RFQ whose items are an
 * array gets 2 quotes answering its 3 lines (the manifest: no quote refers to an object-shaped RFQ).
 *   RFQ item k = 3(i−1)+j, by k mod 50: 1 quantity_string, 2 quantity_negative, 3 quantity_missing,
 *     4 unknown_sku, 5 and 6 name_only; RFQ i with i mod 40 = 0: items_not_array.
 *   quote line m = 3(2(i−1)+q−1)+j, by m mod 60: 1 total_mismatch (tax left out),
 *     2 indian_number_format (unit and total price), 3 rfq_line_missing (rfq_line 9).
 */
export interface ProcurementScale {
  rfqs: number;
  products?: number;
}

const RFQ_LINES = 3;
const QUOTES_PER_RFQ = 2;

export const rfqId = (i: number) => `R${String(i).padStart(25, '0')}`;
export const quoteId = (i: number, q: number) => `Q${String(i).padStart(29, '0')}${q}`;

type RfqClass = 'quantity_string' | 'quantity_negative' | 'quantity_missing' | 'unknown_sku' | 'name_only' | 'clean';
const rfqClass = (k: number): RfqClass =>
  (
    ({ 1: 'quantity_string', 2: 'quantity_negative', 3: 'quantity_missing', 4: 'unknown_sku', 5: 'name_only', 6: 'name_only' }) as Record<
      number,
      RfqClass
    >
  )[k % 50] ?? 'clean';
type QuoteClass = 'total_mismatch' | 'indian_number_format' | 'rfq_line_missing' | 'clean';
const quoteClass = (m: number): QuoteClass =>
  (({ 1: 'total_mismatch', 2: 'indian_number_format', 3: 'rfq_line_missing' }) as Record<number, QuoteClass>)[m % 60] ?? 'clean';
const objectShaped = (i: number) => i % 40 === 0;

/** Writes the data as the legacy application would (so, after 0031, through the sync triggers). */
export async function generateLegacyProcurement(client: pg.ClientBase, scale: ProcurementScale): Promise<void> {
  const products = scale.products ?? 20;
  await client.query(
    `insert into organizations (id, name, org_type) values
       ('00000000-0000-4000-8000-00000000a001', 'Apollo Hospitals Chennai', 'hospital'),
       ('00000000-0000-4000-8000-00000000a002', 'MedSupply Mumbai', 'distributor')
     on conflict do nothing`,
  );
  await client.query(
    `insert into products (id, name, category)
     select md5('product' || p)::uuid, (array['ECG Machine Pro', 'Ventilator Max', 'Infusion Pump Lite', 'Patient Monitor', 'X-Ray XR-900'])[1 + p % 5] || ' ' || p,
            (array['cardiology', 'critical_care', 'infusion', 'monitoring', 'imaging'])[1 + p % 5]
       from generate_series(1, $1) p`,
    [products],
  );
  await client.query(
    `insert into skus (id, product_id, sku_code, name)
     select md5('sku' || p || '-' || s)::uuid, md5('product' || p)::uuid, 'SKU-' || left(md5('sku' || p || '-' || s), 8), 'SKU ' || p || '-' || s
       from generate_series(1, $1) p, generate_series(1, 2) s`,
    [products],
  );
  // One RFQ line as JSON, by its global index k.
  const line = `
    case (k % 50)
      when 1 then jsonb_build_object('line', j, 'product_id', pid, 'sku_id', sid, 'name', nm, 'quantity', qty::text, 'unit', 'piece')
      when 2 then jsonb_build_object('line', j, 'product_id', pid, 'sku_id', sid, 'name', nm, 'quantity', -qty, 'unit', 'piece')
      when 3 then jsonb_build_object('line', j, 'product_id', pid, 'sku_id', sid, 'name', nm, 'unit', 'piece')
      when 4 then jsonb_build_object('line', j, 'product_id', pid, 'sku_id', md5('missing-sku' || k)::uuid, 'name', nm, 'quantity', qty, 'unit', 'piece')
      when 5 then jsonb_build_object('line', j, 'name', nm, 'quantity', qty, 'unit', 'piece')
      when 6 then jsonb_build_object('line', j, 'name', nm, 'quantity', qty, 'unit', 'piece')
      else jsonb_build_object('line', j, 'product_id', pid, 'sku_id', sid, 'name', nm, 'quantity', qty, 'unit', 'piece',
                              'required_by', (date '2026-01-01' + (k % 90))::text, 'specifications', jsonb_build_object('voltage', '230V'))
    end`;
  const lineValues = `
    from generate_series(1, ${RFQ_LINES}) j,
    lateral (select (i - 1) * ${RFQ_LINES} + j as k, 1 + ((i + j) % $2) as p) a,
    lateral (select md5('product' || a.p)::uuid as pid, md5('sku' || a.p || '-' || (1 + a.k % 2))::uuid as sid,
                    'Item ' || a.p || '/' || j as nm, 1 + a.k % 5 as qty) b`;
  await client.query(
    `insert into rfqs (id, rfq_number, requesting_org_id, title, status, response_deadline, items)
     select 'R' || lpad(i::text, 25, '0'), 'RFQ-' || i, '00000000-0000-4000-8000-00000000a001', 'Procurement round ' || i, 'published',
            timestamptz '2026-03-01' + i * interval '1 minute',
            case when i % 40 = 0
                 then (select ${line} ${lineValues.replace('generate_series(1, 3) j', 'generate_series(1, 1) j')})
                 else (select jsonb_agg(${line} order by j) ${lineValues}) end
       from generate_series(1, $1) i`,
    [scale.rfqs, products],
  );
  await client.query(
    `insert into quotes (id, quote_number, rfq_id, supplier_org_id, status, total_amount, line_items)
     select 'Q' || lpad(i::text, 29, '0') || q, 'QT-' || i || '-' || q, 'R' || lpad(i::text, 25, '0'),
            '00000000-0000-4000-8000-00000000a002', 'submitted', null,
            (select jsonb_agg(
               case (m % 60)
                 when 1 then jsonb_build_object('rfq_line', j, 'product_id', pid, 'sku_id', sid, 'name', nm, 'quantity', qty,
                               'unit_price', price, 'tax_amount', tax, 'total_price', qty * price, 'lead_time_days', 7)
                 when 2 then jsonb_build_object('rfq_line', j, 'product_id', pid, 'sku_id', sid, 'name', nm, 'quantity', qty,
                               'unit_price', to_char(price, 'FM99,99,99,99,990.00'), 'tax_amount', tax,
                               'total_price', to_char(qty * price + tax, 'FM99,99,99,99,990.00'), 'lead_time_days', 7)
                 when 3 then jsonb_build_object('rfq_line', 9, 'product_id', pid, 'sku_id', sid, 'name', nm, 'quantity', qty,
                               'unit_price', price, 'tax_amount', tax, 'total_price', qty * price + tax, 'lead_time_days', 7)
                 else jsonb_build_object('rfq_line', j, 'product_id', pid, 'sku_id', sid, 'name', nm, 'quantity', qty,
                               'unit_price', price, 'tax_amount', tax, 'total_price', qty * price + tax, 'lead_time_days', 3 + m % 20)
               end order by j)
               from generate_series(1, ${RFQ_LINES}) j,
               lateral (select ((i - 1) * ${QUOTES_PER_RFQ} + q - 1) * ${RFQ_LINES} + j as m, 1 + ((i + j) % $2) as p) a,
               lateral (select md5('product' || a.p)::uuid as pid, md5('sku' || a.p || '-' || (1 + a.m % 2))::uuid as sid,
                               'Item ' || a.p || '/' || j as nm, 1 + ((i - 1) * ${RFQ_LINES} + j) % 5 as qty,
                               (10000 + (a.m * 7919) % 240000)::numeric(15,2) as price) b,
               lateral (select round(b.qty * b.price * 0.18, 2) as tax) c)
       from generate_series(1, $1) i, generate_series(1, ${QUOTES_PER_RFQ}) q
      where i % 40 <> 0`,
    [scale.rfqs, products],
  );
}

/** The exact count of every T1.3 class the generator seeds, keyed like the seed manifest. */
export function expectedT13Counts(scale: ProcurementScale): Record<string, number> {
  const counts: Record<string, number> = {
    'rfqs.items_not_array': 0,
    'rfq_items.quantity_string': 0,
    'rfq_items.quantity_negative': 0,
    'rfq_items.quantity_missing': 0,
    'rfq_items.unknown_sku': 0,
    'rfq_items.name_only': 0,
    'quote_items.total_mismatch': 0,
    'quote_items.indian_number_format': 0,
    'quote_items.rfq_line_missing': 0,
    // Not a seeded class: a clean quote line answering an RFQ line that is quarantined itself.
    'quote_items.rfq_line_quarantined': 0,
  };
  const bump = (key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (let i = 1; i <= scale.rfqs; i++) {
    if (objectShaped(i)) {
      bump('rfqs.items_not_array');
      continue;
    }
    const quarantinedLines = new Set<number>();
    for (let j = 1; j <= RFQ_LINES; j++) {
      const c = rfqClass((i - 1) * RFQ_LINES + j);
      if (c !== 'clean') bump(`rfq_items.${c}`);
      if (c === 'quantity_negative' || c === 'quantity_missing' || c === 'unknown_sku') quarantinedLines.add(j);
    }
    for (let q = 1; q <= QUOTES_PER_RFQ; q++) {
      for (let j = 1; j <= RFQ_LINES; j++) {
        const c = quoteClass(((i - 1) * QUOTES_PER_RFQ + q - 1) * RFQ_LINES + j);
        if (c !== 'clean') bump(`quote_items.${c}`);
        if ((c === 'clean' || c === 'indian_number_format') && quarantinedLines.has(j)) bump('quote_items.rfq_line_quarantined');
      }
    }
  }
  return counts;
}

/** Items per source the generator writes (object-shaped RFQs count as one quarantined value). */
export function expectedT13Items(scale: ProcurementScale): { rfqs: number; quotes: number } {
  let rfqs = 0;
  let quotes = 0;
  for (let i = 1; i <= scale.rfqs; i++) {
    rfqs += objectShaped(i) ? 1 : RFQ_LINES;
    if (!objectShaped(i)) quotes += QUOTES_PER_RFQ * RFQ_LINES;
  }
  return { rfqs, quotes };
}
