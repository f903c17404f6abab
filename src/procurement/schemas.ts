import { Type } from 'typebox';
import { DateOnly, LegacyId, Money, Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';
import { QUOTE_STATUSES, RFQ_STATUSES } from './workflow.ts';

/** Request and response shapes of the procurement routes (routes.ts). */
const Amount = Type.String({ pattern: '^\\d{1,13}(\\.\\d{1,2})?$', description: 'Rupees, at most two decimals, as a string' });
const Percent = Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,2})?$', description: 'Percentage 0–100 as a string' });
const RfqId = Type.String({
  minLength: 1,
  maxLength: 26,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'RFQ id (26-character ULID, or a legacy id)',
});

export const RfqParams = Type.Object({ id: RfqId });
export const RfqItemParams = Type.Object({ id: RfqId, item_id: Uuid });
export const QuoteParams = Type.Object({ id: LegacyId });
export const QuoteItemParams = Type.Object({ id: LegacyId, item_id: Uuid });
export const RfqQuotesParams = Type.Object({ rfq_id: RfqId });
export const SupplierParams = Type.Object({ supplier_id: Uuid });
export const ProductParams = Type.Object({ product_id: Uuid });

export const RfqItemInput = Type.Object(
  {
    product_id: Type.Optional(Nullable(Uuid)),
    sku_id: Type.Optional(Nullable(Uuid)),
    name: Type.String({ minLength: 1, maxLength: 500 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    unit: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    required_by_date: Type.Optional(Nullable(DateOnly)),
    specifications: Type.Optional(Nullable(Type.Record(Type.String(), Type.Unknown()))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  },
  { additionalProperties: false },
);

export const RfqItem = Type.Object({
  id: Uuid,
  rfq_id: Type.String(),
  line_number: Type.Integer(),
  product_id: Nullable(Uuid),
  sku_id: Nullable(Uuid),
  name: Type.String(),
  quantity: Type.Integer(),
  unit: Nullable(Type.String()),
  required_by_date: Nullable(DateOnly),
  specifications: Nullable(Type.Record(Type.String(), Type.Unknown())),
  notes: Nullable(Type.String()),
});

export const Rfq = Type.Object({
  id: Type.String(),
  rfq_number: Nullable(Type.String()),
  requesting_org_id: Nullable(Uuid),
  title: Type.String(),
  status: StringEnum(RFQ_STATUSES),
  response_deadline: Nullable(Timestamp),
  created_by: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const RfqWithItems = Type.Intersect([Rfq, Type.Object({ items: Type.Array(RfqItem) })]);

export const CreateRfqBody = Type.Object(
  {
    title: Type.String({ minLength: 5, maxLength: 255 }),
    response_deadline: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    items: Type.Array(RfqItemInput, { maxItems: 500, default: [] }),
  },
  { additionalProperties: false },
);

export const ListRfqsQuery = Type.Object({
  status: Type.Optional(StringEnum(RFQ_STATUSES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(RfqId),
});

export const AwardBody = Type.Object({ quote_id: LegacyId }, { additionalProperties: false });

export const QuoteItemInput = Type.Object(
  {
    rfq_item_id: Type.Optional(Nullable(Uuid)),
    rfq_line: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    product_id: Type.Optional(Nullable(Uuid)),
    sku_id: Type.Optional(Nullable(Uuid)),
    name: Type.String({ minLength: 1, maxLength: 500 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    unit_price: Amount,
    tax_amount: Type.Optional(Amount),
    discount_percentage: Type.Optional(Percent),
    total_price: Type.Optional(Amount),
    lead_time_days: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 3650 }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  },
  { additionalProperties: false },
);

export const QuoteItem = Type.Object({
  id: Uuid,
  quote_id: Type.String(),
  line_number: Type.Integer(),
  rfq_id: Nullable(Type.String()),
  rfq_item_id: Nullable(Uuid),
  rfq_line: Nullable(Type.Integer()),
  product_id: Nullable(Uuid),
  sku_id: Nullable(Uuid),
  name: Type.String(),
  quantity: Type.Integer(),
  unit_price: Money,
  tax_amount: Money,
  discount_percentage: Money,
  total_price: Money,
  lead_time_days: Nullable(Type.Integer()),
  notes: Nullable(Type.String()),
});

export const Quote = Type.Object({
  id: Type.String(),
  quote_number: Nullable(Type.String()),
  rfq_id: Nullable(Type.String()),
  supplier_org_id: Nullable(Uuid),
  status: StringEnum(QUOTE_STATUSES),
  currency: Nullable(Type.String()),
  total_amount: Nullable(Money),
  valid_until: Nullable(DateOnly),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const QuoteWithItems = Type.Intersect([Quote, Type.Object({ items: Type.Array(QuoteItem) })]);

export const CreateQuoteBody = Type.Object(
  {
    rfq_id: RfqId,
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', default: 'INR' })),
    valid_until: Type.Optional(Nullable(DateOnly)),
    items: Type.Array(QuoteItemInput, { maxItems: 500, default: [] }),
  },
  { additionalProperties: false },
);

export const ListQuotesQuery = Type.Object({
  rfq_id: Type.Optional(RfqId),
  status: Type.Optional(StringEnum(QUOTE_STATUSES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

const Score = Type.Number({ minimum: 0, maximum: 100 });
export const CompareBody = Type.Object(
  {
    weights: Type.Optional(
      Type.Object(
        { price: Type.Optional(Score), quality: Type.Optional(Score), delivery: Type.Optional(Score), compliance: Type.Optional(Score) },
        { additionalProperties: false },
      ),
    ),
    reviewer_scores: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object({ quality: Type.Optional(Score), compliance: Type.Optional(Score) }, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const Comparison = Type.Object({
  rfq_id: Type.String(),
  weights: Type.Object({ price: Type.Number(), quality: Type.Number(), delivery: Type.Number(), compliance: Type.Number() }),
  quotes: Type.Array(
    Type.Object({
      quote_id: Type.String(),
      quote_number: Nullable(Type.String()),
      supplier_org_id: Nullable(Uuid),
      status: Type.String(),
      total_amount: Money,
      lead_time_days: Nullable(Type.Integer()),
      lines_covered: Type.Integer(),
      lines_requested: Type.Integer(),
      scores: Type.Object({ price: Type.Number(), quality: Type.Number(), delivery: Type.Number(), compliance: Type.Number() }),
      weighted: Type.Number(),
      rank: Type.Integer(),
    }),
  ),
});

export const RfqsForProduct = Type.Object({
  items: Type.Array(
    Type.Object({
      rfq_id: Type.String(),
      rfq_number: Nullable(Type.String()),
      title: Type.String(),
      status: Type.String(),
      lines: Type.Integer(),
      quantity: Type.Integer(),
      earliest_required_by: Nullable(DateOnly),
    }),
  ),
});

export const AveragePrices = Type.Object({
  items: Type.Array(
    Type.Object({
      product_id: Uuid,
      product_name: Type.String(),
      category: Nullable(Type.String()),
      quote_lines: Type.Integer(),
      quantity: Type.Integer(),
      average_unit_price: Money,
      min_unit_price: Money,
      max_unit_price: Money,
    }),
  ),
});

export const AveragePriceQuery = Type.Object({ product_id: Type.Optional(Uuid) });

export const DemandByCategory = Type.Object({
  items: Type.Array(Type.Object({ category: Type.String(), rfqs: Type.Integer(), lines: Type.Integer(), quantity: Type.Integer() })),
});

export const DemandQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});
