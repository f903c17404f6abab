import type { BackfillJob } from '../db/backfill/job.ts';

/**
 * T3.3 backfill job (migration 0026): per keyset batch of organizations, t3_3_backfill_orgs()
 * (created by 0025) fills the contacts' validity dates and opens each organization's first
 * primary-contact period, resolving several primaries by the rule stated in that function and
 * recording each demotion in contact_primary_conflicts. An organization that already has a period
 * (a legacy flip after the expand) is left alone, so a replayed batch changes nothing.
 */
export const contactJobs: BackfillJob[] = [
  {
    name: 't3_3_contact_periods',
    description: 'contact_persons.effective_from/to and the first contact_primary_periods row per organization',
    source: 'organizations',
    key: ['id'],
    convert: async (tx, batch) => {
      const { rows } = await tx.query<{ n: number }>('select t3_3_backfill_orgs($1) as n', [batch.predicate]);
      return Number(rows[0]?.n ?? 0);
    },
  },
];
