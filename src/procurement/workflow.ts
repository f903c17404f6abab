import { AppError } from '../errors.ts';

/**
 * The procurement state machines (origin-facts §1). RFQ: draft → published → closed / awarded /
 * cancelled. Quote: draft → submitted → under_review → accepted / rejected / expired / withdrawn;
 * accepted and rejected are final except for expiring (the database enforces that part too:
 * trg_quotes_final_status, migration 0034).
 */
export const RFQ_STATUSES = ['draft', 'published', 'closed', 'awarded', 'cancelled'] as const;
export type RfqStatus = (typeof RFQ_STATUSES)[number];
export const QUOTE_STATUSES = ['draft', 'submitted', 'under_review', 'accepted', 'rejected', 'expired', 'withdrawn'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

const RFQ_NEXT: Record<RfqStatus, readonly RfqStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['closed', 'awarded', 'cancelled'],
  closed: ['awarded', 'cancelled'],
  awarded: [],
  cancelled: [],
};

const QUOTE_NEXT: Record<QuoteStatus, readonly QuoteStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['under_review', 'accepted', 'rejected', 'withdrawn', 'expired'],
  under_review: ['accepted', 'rejected', 'withdrawn', 'expired'],
  accepted: ['expired'],
  rejected: ['expired'],
  expired: [],
  withdrawn: [],
};

export const canMoveRfq = (from: RfqStatus, to: RfqStatus) => RFQ_NEXT[from].includes(to);
export const canMoveQuote = (from: QuoteStatus, to: QuoteStatus) => QUOTE_NEXT[from].includes(to);

export function assertRfqMove(id: string, from: RfqStatus, to: RfqStatus): void {
  if (!canMoveRfq(from, to)) {
    throw new AppError(
      'invalid_transition',
      `RFQ ${id} is ${from}; it cannot become ${to} (allowed: ${RFQ_NEXT[from].join(', ') || 'none'})`,
      {
        from,
        to,
      },
    );
  }
}

export function assertQuoteMove(id: string, from: QuoteStatus, to: QuoteStatus): void {
  if (!canMoveQuote(from, to)) {
    throw new AppError(
      'invalid_transition',
      `quote ${id} is ${from}; it cannot become ${to} (allowed: ${QUOTE_NEXT[from].join(', ') || 'none'})`,
      {
        from,
        to,
      },
    );
  }
}
