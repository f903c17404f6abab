import { BASE_MS, DAY, HOUR, iso, isoDay, rupees, type SeedContext } from './context.ts';
import { json, line } from './copy.ts';
import { base36, ksuid, scatter, ulid, uuid } from './ids.ts';
import { DEFECTS } from './manifest.ts';
import { Quota, quotaFor } from './rng.ts';
import type { Org, Sku, World } from './world.ts';

/**
 * RFQs (40 per scale unit) with their line items inline in `items` (#4), and quotes with
 * `line_items`, ids ULID-sized for RFQs (varchar(26)) and KSUIDs for quotes (#10). Seeds
 * rfqs.items_not_array, rfq_items.* and quote_items.*: classes are exclusive per element, elements
 * of an object-shaped `items` are clean, and no quote answers such an RFQ.
 */
const SPAN = 365 * DAY;
const GST_PERCENT = 12;

type RfqClass = 'quantity_string' | 'quantity_negative' | 'quantity_missing' | 'unknown_sku' | 'name_only';
type QuoteClass = 'total_mismatch' | 'indian_number_format' | 'rfq_line_missing';

const FREE_TEXT_ITEMS = [
  'Multipara monitor with EtCO2 module',
  'Portable ultrasound with linear probe',
  'ICU ventilator, invasive and non-invasive',
  '12-channel ECG machine with interpretation',
  'Syringe pump, dual channel',
  'Mobile digital X-ray unit',
];

interface RfqItem {
  line: number;
  sku: Sku;
  quantity: number;
  cls: RfqClass | null;
  element: Record<string, unknown>;
}

/** '1,25,000.00': rupees with Indian digit grouping (lakh, crore). */
export function indianFormat(paise: number): string {
  const whole = String(Math.trunc(paise / 100));
  const head = whole.slice(0, -3);
  const tail = whole.slice(-3);
  const grouped = head ? `${head.replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${tail}` : tail;
  return `${grouped}.${String(paise % 100).padStart(2, '0')}`;
}

export async function seedProcurement(ctx: SeedContext, world: World): Promise<void> {
  const rng = ctx.rng('procurement');
  // At least 10, so every element class has a population to be drawn from at tiny scales.
  const count = Math.max(10, Math.round(40 * ctx.scale));
  const slot = Math.max(1, Math.floor(SPAN / count));
  const shapeQuota = new Quota(count, { object: quotaFor(DEFECTS['rfqs.items_not_array'].rate, count) });
  const buyers = [...world.customers, ...world.distributors];
  const suppliers = [...world.distributors, ...world.others.filter((o) => o.kind === 'supplier'), ...world.manufacturers];

  // Phase 1: the shape of every RFQ and quote, so element populations are known before classes are drawn.
  const rfqs = Array.from({ length: count }, (_, i) => {
    const created = BASE_MS + Math.floor((i * SPAN) / count) + rng.int(0, slot - 1);
    const object = shapeQuota.next(rng) === 'object';
    const status: string = rng.weighted([
      ['draft', 10],
      ['published', 30],
      ['closed', 25],
      ['awarded', 25],
      ['cancelled', 10],
    ] as const);
    return {
      id: ulid(rng, created),
      number: `RFQ-${new Date(created).getUTCFullYear()}-${String(i + 1).padStart(6, '0')}`,
      created,
      buyer: rng.chance(0.8) ? rng.pick(world.customers) : rng.pick(buyers),
      status,
      object,
      lines: object ? 1 : rng.int(1, 5),
      items: [] as RfqItem[],
      quotes: [] as { supplier: Org; lines: number[] }[],
    };
  });
  const elementCount = rfqs.reduce((s, r) => s + (r.object ? 0 : r.lines), 0);
  // Tiny scales still need quote lines for every quote class: the first array-shaped RFQs are awarded.
  const minimumQuoted = 3;
  for (const rfq of rfqs.filter((r) => !r.object).slice(0, minimumQuoted)) rfq.status = 'awarded';
  const q = (key: keyof typeof DEFECTS) => quotaFor(DEFECTS[key].rate, elementCount);
  const itemQuota = new Quota<RfqClass>(elementCount, {
    quantity_string: q('rfq_items.quantity_string'),
    quantity_negative: q('rfq_items.quantity_negative'),
    quantity_missing: q('rfq_items.quantity_missing'),
    unknown_sku: q('rfq_items.unknown_sku'),
    name_only: q('rfq_items.name_only'),
  });
  const rfqsWith = new Map<RfqClass, Set<string>>();

  for (const rfq of rfqs) {
    for (let n = 1; n <= rfq.lines; n++) {
      const sku = rng.pick(world.skus);
      const quantity = rng.int(1, 10);
      const cls = rfq.object ? null : itemQuota.next(rng);
      if (cls) rfqsWith.set(cls, (rfqsWith.get(cls) ?? new Set()).add(rfq.id));
      const element: Record<string, unknown> =
        cls === 'name_only'
          ? { line: n, name: rng.pick(FREE_TEXT_ITEMS), quantity, unit: 'unit' }
          : {
              line: n,
              product_id: sku.productId,
              sku_id: cls === 'unknown_sku' ? uuid(rng) : sku.id,
              name: sku.name,
              unit: 'unit',
              ...(cls === 'quantity_missing'
                ? {}
                : { quantity: cls === 'quantity_string' ? String(quantity) : cls === 'quantity_negative' ? -rng.int(1, 5) : quantity }),
              ...(rng.chance(0.6) ? { required_by: isoDay(rfq.created + rng.int(30, 120) * DAY) } : {}),
              ...(rng.chance(0.4) ? { specifications: { warranty_years: rng.pick([1, 2, 3, 5]), installation: true } } : {}),
              ...(rng.chance(0.2)
                ? { notes: rng.pick(['Include installation and training', 'Buy-back of old unit', 'Delivery to the central store']) }
                : {}),
            };
      rfq.items.push({ line: n, sku, quantity, cls, element });
    }
    if (!rfq.object && (rfq.status === 'published' || rfq.status === 'closed' || rfq.status === 'awarded')) {
      for (const supplier of rng.sample(suppliers, rng.int(1, 3))) {
        const lines = rfq.items.map((it) => it.line).filter(() => rng.chance(0.85));
        rfq.quotes.push({ supplier, lines: lines.length > 0 ? lines : [1] });
      }
    }
  }

  const rfqLines: string[] = rfqs.map((rfq) => {
    const first = rfq.items[0] as RfqItem;
    const title = `Procurement of ${rfq.items.length > 1 ? `${rfq.items.length} items incl. ` : ''}${first.sku.name.split(' - ')[0]}`;
    return line([
      rfq.id,
      rfq.number,
      rfq.buyer.id,
      title,
      rfq.status,
      iso(rfq.created + rng.int(14, 30) * DAY),
      json(rfq.object ? first.element : rfq.items.map((it) => it.element)),
      `${rfq.buyer.externalRef ?? rfq.buyer.code}-procurement`,
      iso(rfq.created),
      iso(rfq.created + rng.int(1, 72) * HOUR),
    ]);
  });
  ctx.shape('rfqs.id.ulid', rfqs.length);
  ctx.defect('rfqs.items_not_array', { rows: shapeQuota.taken.get('object') ?? 0, population: count });
  for (const cls of ['quantity_string', 'quantity_negative', 'quantity_missing', 'unknown_sku', 'name_only'] as const) {
    ctx.defect(`rfq_items.${cls}`, {
      rows: itemQuota.taken.get(cls) ?? 0,
      population: elementCount,
      units: { rfqs: rfqsWith.get(cls)?.size ?? 0 },
    });
  }
  ctx.expect('rfqs', rfqLines.length);
  await ctx.load(
    'rfqs',
    ['id', 'rfq_number', 'requesting_org_id', 'title', 'status', 'response_deadline', 'items', 'created_by', 'created_at', 'updated_at'],
    rfqLines,
  );

  // Phase 2: quotes.
  const quoteElements = rfqs.reduce((s, r) => s + r.quotes.reduce((t, qq) => t + qq.lines.length, 0), 0);
  const qq = (key: keyof typeof DEFECTS) => quotaFor(DEFECTS[key].rate, quoteElements);
  const lineQuota = new Quota<QuoteClass>(quoteElements, {
    total_mismatch: qq('quote_items.total_mismatch'),
    indian_number_format: qq('quote_items.indian_number_format'),
    rfq_line_missing: qq('quote_items.rfq_line_missing'),
  });
  const quotesWith = new Map<QuoteClass, Set<string>>();
  const numberOffset = rng.int(0, 36 ** 7 - 1);
  const quoteLines: string[] = [];
  let k = 0;
  let answersDefective = 0;
  let answersDefectiveClean = 0;
  for (const rfq of rfqs) {
    rfq.quotes.forEach((quote, position) => {
      const created = rfq.created + rng.int(1, 13) * DAY + rng.int(0, 23) * HOUR;
      const id = ksuid(rng, created);
      let total = 0;
      const elements = quote.lines.map((ln) => {
        const item = rfq.items[ln - 1] as RfqItem;
        // The supplier quotes a real catalogue SKU even when the RFQ line named an unknown one or none.
        const sku = item.sku;
        const quantity = item.cls === null || item.cls === 'unknown_sku' || item.cls === 'name_only' ? item.quantity : rng.int(1, 5);
        const unitPrice = Math.round((sku.price * (0.85 + rng.int(0, 20) / 100)) / 10_000) * 10_000;
        const tax = Math.round((quantity * unitPrice * GST_PERCENT) / 100);
        const correct = quantity * unitPrice + tax;
        const cls = lineQuota.next(rng);
        if (cls) quotesWith.set(cls, (quotesWith.get(cls) ?? new Set()).add(id));
        if (cls !== 'rfq_line_missing' && item.cls !== null) {
          answersDefective++;
          if (cls === null) answersDefectiveClean++;
        }
        const stored = cls === 'total_mismatch' ? quantity * unitPrice : correct;
        total += stored;
        return {
          rfq_line: cls === 'rfq_line_missing' ? rfq.items.length + rng.int(1, 3) : ln,
          product_id: sku.productId,
          sku_id: sku.id,
          name: sku.name,
          quantity,
          unit_price: cls === 'indian_number_format' ? indianFormat(unitPrice) : unitPrice / 100,
          tax_amount: tax / 100,
          total_price: cls === 'indian_number_format' ? indianFormat(stored) : stored / 100,
          lead_time_days: rng.int(7, 60),
        };
      });
      const status =
        rfq.status === 'awarded'
          ? position === 0
            ? 'accepted'
            : 'rejected'
          : rfq.status === 'closed'
            ? rng.pick(['rejected', 'expired'])
            : rng.pick(['submitted', 'under_review', 'draft', 'withdrawn']);
      const number = `QT-${base36(rng.int(0, 36 ** 3 - 1), 3)}${base36(scatter(k++, 7919, numberOffset, 36 ** 7), 7)}`;
      quoteLines.push(
        line([
          id,
          number,
          rfq.id,
          quote.supplier.id,
          status,
          'INR',
          rupees(total),
          isoDay(created + rng.int(30, 90) * DAY),
          json(elements),
          iso(created),
          iso(created + rng.int(1, 48) * HOUR),
        ]),
      );
    });
  }
  ctx.shape('quotes.id.ksuid', quoteLines.length);
  // Quote lines whose rfq_line names an RFQ element of an rfq_items.* class (whatever their own class),
  // and those of them with no class of their own.
  ctx.derived['quote_items.answers_defective_rfq_item'] = answersDefective;
  ctx.derived['quote_items.answers_defective_rfq_item.clean'] = answersDefectiveClean;
  for (const cls of ['total_mismatch', 'indian_number_format', 'rfq_line_missing'] as const) {
    ctx.defect(`quote_items.${cls}`, {
      rows: lineQuota.taken.get(cls) ?? 0,
      population: quoteElements,
      units: { quotes: quotesWith.get(cls)?.size ?? 0 },
    });
  }
  ctx.expect('quotes', quoteLines.length);
  await ctx.load(
    'quotes',
    [
      'id',
      'quote_number',
      'rfq_id',
      'supplier_org_id',
      'status',
      'currency',
      'total_amount',
      'valid_until',
      'line_items',
      'created_at',
      'updated_at',
    ],
    quoteLines,
  );
}
