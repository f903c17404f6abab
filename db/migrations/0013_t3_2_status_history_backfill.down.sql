-- 0013 T3.2 status history (down): takes back the reconciling rows the backfill appended (origin
-- reconcile) that are still their ticket's latest row, which brings back the drift they repaired,
-- exactly as it was; running 0013 up again appends the very same rows (t3_2_reconcile_ticket derives
-- id, position and time from the ticket and its history). A reconciling row that later rows follow
-- is part of the ticket's history now (the next change was recorded after it), not a repair that can
-- be undone: it stays, and a rerun finds nothing to repair for that ticket. History is append-only
-- (0010's guard), so this runs as marked maintenance. The job's progress row goes too.
select set_config('abymed.history_maintenance', 'on', true);
delete from ticket_status_history h
 where h.origin = 'reconcile'
   and h.id = (select l.id from ticket_status_history l where l.ticket_id = h.ticket_id
                order by l.history_seq desc nulls last, l.changed_at desc, l.id desc limit 1);
do $$
begin
  if to_regclass('abymed.backfill_progress') is not null then
    delete from abymed.backfill_progress where job = 't3_2_status_history';
  end if;
end $$;
