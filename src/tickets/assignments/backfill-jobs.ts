import type { BackfillJob } from '../../db/backfill/job.ts';

/**
 * T1.1 and T3.2 backfill jobs (migrations 0012 and 0013). Each batch hands its tickets to a
 * per-ticket SQL function (0010) that takes the ticket's row lock and re-reads it, so a legacy write
 * racing the batch is either already visible or waits; both functions are idempotent.
 */

const INLINE_ENGINEER_UNKNOWN = `s.assigned_engineer_id is not null and t1_1_engineer_from_inline(s.assigned_engineer_id) is null`;

export const assignmentsJob: BackfillJob = {
  name: 't1_1_assignments',
  description: 'one engineer_assignments row per ticket with an inline engineer (status mapped from the ticket)',
  source: 'service_tickets',
  key: ['id'],
  convert: async (tx, batch) => {
    const { rows } = await tx.query(
      `select count(*) filter (where t1_1_backfill_ticket(s.id))::int as n
         from service_tickets s where ${batch.predicate} and s.assigned_engineer_id is not null`,
    );
    return rows[0].n as number;
  },
  // Never invented: an FK row cannot name an engineer that does not exist.
  quarantine: {
    where: INLINE_ENGINEER_UNKNOWN,
    reason: `case when btrim(s.assigned_engineer_id) ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
               then 'inline engineer ' || s.assigned_engineer_id || ' (' || coalesce(s.assigned_engineer_name, 'no name') || ') does not exist'
               else 'inline engineer id ' || quote_literal(s.assigned_engineer_id) || ' is not a uuid' end`,
  },
};

export const statusHistoryJob: BackfillJob = {
  name: 't3_2_status_history',
  description: 'append one reconciling ticket_status_history row where the ticket status and its latest history row disagree',
  source: 'service_tickets',
  key: ['id'],
  convert: async (tx, batch) => {
    // A set-based pre-filter finds the drifted tickets; the function re-checks each under its lock.
    const { rows } = await tx.query(
      `select count(*) filter (where t3_2_reconcile_ticket(s.id))::int as n
         from service_tickets s where ${batch.predicate}
          and s.status is distinct from ticket_latest_history_status(s.id)`,
    );
    return rows[0].n as number;
  },
};

export const ticketJobs: BackfillJob[] = [assignmentsJob, statusHistoryJob];
