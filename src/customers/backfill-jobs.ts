import type { BackfillJob } from '../db/backfill/job.ts';

/**
 * T1.2 backfill jobs (migrations 0022 and 0023). Each batch calls the SQL function the expand
 * (0020) created, which resolves every row of the batch in key order through
 * t1_2_resolve_customer() — the same rule the triggers apply to rows the legacy application writes
 * during the transition — and links the row. Rows already linked are skipped, so a replayed batch
 * changes nothing. Nothing is quarantined: every ticket gets a customer (a blank name becomes
 * "Unnamed customer …"), and an ambiguous match becomes a review case, not a failure.
 */
const linkJob = (name: string, source: string, fn: string, description: string): BackfillJob => ({
  name,
  description,
  source,
  key: ['id'],
  convert: async (tx, batch) => {
    const { rows } = await tx.query<{ n: number }>(`select ${fn}($1) as n`, [batch.predicate]);
    return Number(rows[0]?.n ?? 0);
  },
});

export const customerJobs: BackfillJob[] = [
  linkJob(
    't1_2_ticket_customers',
    'service_tickets',
    't1_2_link_tickets',
    'service_tickets.customer_uuid from the customer copies (legacy id, name, phone), deduplicated',
  ),
  linkJob(
    't1_2_equipment_customers',
    'equipment',
    't1_2_link_equipment',
    'equipment.customer_uuid from the customer copy (legacy id, name)',
  ),
];
