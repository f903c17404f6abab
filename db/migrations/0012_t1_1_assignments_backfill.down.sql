-- 0012 T1.1 assignments (down): takes back what the backfill wrote, so the database is at 0011
-- again: every assignment that is still exactly the row t1_1_backfill_row (0010) derives from its
-- ticket now (same name-based id, same values, same timestamps). Running 0012 up again derives the
-- very same rows. An assignment the backfill created that has moved on since (the new application or
-- the legacy-side sync accepted, started, completed or superseded it, or its ticket's inline details
-- changed) is no longer the backfill's: it is the ticket's history, which 0011's shape holds, so it
-- stays where it is (nothing to archive, nothing lost), and a rerun leaves that ticket alone as it
-- already has an assignment. Deleting assignments never touches the inline columns (the sync runs
-- on insert and update only), so the legacy rows stay exactly as they are. The job's quarantine and
-- progress rows go too, so an up runs it afresh.
delete from engineer_assignments a
 using service_tickets t
 where a.assigned_by = 'migration_T1.1' and a.assignment_sequence = 1 and t.id = a.ticket_id
   and to_jsonb(a) = to_jsonb(t1_1_backfill_row(t));
do $$
begin
  if to_regclass('abymed.quarantine') is not null then
    delete from abymed.quarantine where job = 't1_1_assignments';
  end if;
  if to_regclass('abymed.backfill_progress') is not null then
    delete from abymed.backfill_progress where job = 't1_1_assignments';
  end if;
end $$;
