import type { ConsistencyCheck } from '../../zero-downtime/workload.ts';

/**
 * What the zero-downtime harness checks for T1.1/T3.2 at every checkpoint: one row per disagreement.
 *   - the inline columns name the engineer of the ticket's active assignment (from the expand on);
 *   - an open ticket whose inline engineer exists has an active assignment for them, unless that
 *     engineer's last assignment is completed (work done, waiting for parts or the customer) —
 *     from the backfill on, when legacy-era tickets have their rows;
 *   - the ticket's status equals its latest history row's to_status (from the reconciliation on).
 * The inline checks end with the contract step that drops those columns.
 */
const CONTRACT = 910;

export const ticketConsistencyChecks: ConsistencyCheck[] = [
  {
    name: 't1.1 inline engineer = active assignment',
    from: 10,
    until: CONTRACT,
    sql: `select t.id, t.assigned_engineer_id, a.engineer_id
            from current_ticket_assignments a join service_tickets t on t.id = a.ticket_id
           where t.assigned_engineer_id is distinct from a.engineer_id::text`,
  },
  {
    name: 't1.1 open ticket with a known inline engineer has an active assignment',
    from: 12,
    until: CONTRACT,
    sql: `select t.id, t.assigned_engineer_id, t.status
            from service_tickets t
           where t.status in ('new', 'assigned', 'in_progress', 'on_hold')
             and t1_1_engineer_from_inline(t.assigned_engineer_id) is not null
             and not exists (select 1 from current_ticket_assignments a where a.ticket_id = t.id)
             and not exists (select 1 from engineer_assignments a where a.ticket_id = t.id and a.status = 'completed'
                               and a.engineer_id = t1_1_engineer_from_inline(t.assigned_engineer_id)
                               and a.assignment_sequence = (select max(assignment_sequence) from engineer_assignments b where b.ticket_id = t.id))`,
  },
  {
    name: 't3.2 ticket status = latest history row',
    from: 13,
    sql: `select t.id, t.status, ticket_latest_history_status(t.id) as latest
            from service_tickets t where t.status is distinct from ticket_latest_history_status(t.id)`,
  },
  {
    name: 't1.1 legacy-side sync failures',
    from: 10,
    until: CONTRACT,
    sql: `select ticket_id, sqlstate, message from abymed.t1_1_sync_failures`,
  },
];
