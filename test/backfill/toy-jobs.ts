import type { BackfillJob } from '../../src/db/backfill/index.ts';

/**
 * A toy job over seeded legacy data, loaded by `abymed backfill --jobs test/backfill/toy-jobs.ts`:
 * copy each ticket's inline engineer into `<table>` as a uuid, and quarantine the tickets whose
 * assigned_engineer_id names no engineer (the seed manifest's `tickets.engineer_missing`). Slowed
 * to ~2 ms a row so a test can kill it halfway.
 */
export function ticketEngineerJob(name: string, table: string): BackfillJob {
  return {
    name,
    description: `inline ticket engineers into ${table}`,
    source: 'service_tickets',
    key: ['id'],
    convert: `insert into ${table} (ticket_id, engineer_id, engineer_name)
              select s.id, e.id, s.assigned_engineer_name from service_tickets s join engineers e on e.id::text = s.assigned_engineer_id
               where {batch} and pg_sleep(0.002)::text = ''
              on conflict (ticket_id) do update set engineer_id = excluded.engineer_id, engineer_name = excluded.engineer_name
               where (${table}.engineer_id, ${table}.engineer_name) is distinct from (excluded.engineer_id, excluded.engineer_name)`,
    quarantine: {
      where: 's.assigned_engineer_id is not null and not exists (select 1 from engineers e where e.id::text = s.assigned_engineer_id)',
      reason: `'assigned_engineer_id ' || s.assigned_engineer_id || ' names no engineer'`,
    },
  };
}

export const toyTableDdl = (table: string) =>
  `create table ${table} (ticket_id varchar(32) primary key, engineer_id uuid not null, engineer_name text)`;

export const jobs: BackfillJob[] = [
  ticketEngineerJob('toy_uninterrupted', 'toy_engineers_a'),
  ticketEngineerJob('toy_killed', 'toy_engineers_b'),
];
