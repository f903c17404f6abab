-- 0013 T3.2 status history (down): deletes the reconciling rows the backfill appended (origin
-- reconcile), which brings back the drift it repaired, exactly as it was. History is append-only
-- (0010's guard), so this runs as marked maintenance. The job's progress row goes too.
select set_config('abymed.history_maintenance', 'on', true);
delete from ticket_status_history where origin = 'reconcile';
do $$
begin
  if to_regclass('abymed.backfill_progress') is not null then
    delete from abymed.backfill_progress where job = 't3_2_status_history';
  end if;
end $$;
