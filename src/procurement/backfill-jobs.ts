import type { BackfillJob, Batch } from '../db/backfill/job.ts';

/**
 * T1.3 backfill: every legacy RFQ and quote through the same SQL the sync triggers use
 * (t13_sync_rfq / t13_sync_quote, migration 0031), so a backfilled line is exactly what a legacy
 * write during the transition produces, and a replayed batch changes nothing. Items that cannot be
 * converted go to procurement_item_quarantine with their original JSON; these jobs need no row-level
 * quarantine rule (a row is never unconvertible as a whole: its bad items are). A row whose sync
 * raises anyway (a bug) is quarantined by the engine with the error.
 *
 * RFQs come first (0032): a quote line links to an RFQ line row. Each job writes only its own
 * table (and its own quarantine entries), so each backfill step's down takes back exactly that.
 */
const syncEach =
  (call: 't13_sync_rfq(s.id, false)' | 't13_sync_quote(s.id)', table: 'rfqs' | 'quotes') =>
  async (tx: { query: (q: string) => Promise<{ rows: { n: number }[] }> }, batch: Batch) => {
    const { rows } = await tx.query(`select coalesce(sum(${call}), 0)::integer as n from ${table} s where ${batch.predicate}`);
    return rows[0]?.n ?? 0;
  };

export const procurementJobs: BackfillJob[] = [
  {
    name: 't1_3_rfq_items',
    description: 'rfqs.items JSONB → rfq_items rows (+ quarantine of unconvertible items)',
    source: 'rfqs',
    key: ['id'],
    convert: syncEach('t13_sync_rfq(s.id, false)', 'rfqs'),
  },
  {
    name: 't1_3_quote_items',
    description: 'quotes.line_items JSONB → quote_items rows (+ quarantine of unconvertible lines)',
    source: 'quotes',
    key: ['id'],
    convert: syncEach('t13_sync_quote(s.id)', 'quotes'),
  },
];
