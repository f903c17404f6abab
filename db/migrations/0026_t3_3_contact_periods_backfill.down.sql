-- 0026 T3.3 contact periods (backfill) down: takes back what the backfill wrote.
--   * contacts demoted by the backfill become primary again (from contact_primary_conflicts), and
--     the report rows go — while the contact kept is still the primary. Once a later flip changed
--     the primary, the demotion is history (that flip would have cleared the demoted flag too):
--     re-promoting would resurrect a primary the later change cleared, so the flag and the report
--     row stay;
--   * the periods the backfill opened that are still open go (their instants kept in
--     abymed.t3_3_backfill_periods, so that 0026 up opens them at the same instant); where one had closed a stale open
--     period to begin (changed_by 'migration_t3_3_reconcile'), that period is open again. A backfill
--     period that has since been closed by a later change stays: it is history the later periods
--     continue, kept by the expand's tables (0025 down archives it), and 0026 up leaves it alone;
--   * effective_from/effective_to that the backfill derived (created_at; the last update of an
--     inactive contact) are cleared.
-- The abymed.t3_3_backfill flag keeps updated_at and stops the sync triggers. Undo: 0026 up (which
-- derives the same rows again: their ids and times come from the data).
select set_config('abymed.t3_3_backfill', 'on', true);
update contact_persons c set is_primary = true
  from contact_primary_conflicts k join contact_persons kept on kept.id = k.kept_contact_id
 where k.demoted_contact_id = c.id and c.is_primary is not true and kept.is_primary;
delete from contact_primary_conflicts k using contact_persons kept where kept.id = k.kept_contact_id and kept.is_primary;
create temporary table t3_3_reopen on commit drop as
  select q.id
    from contact_primary_periods p join contact_primary_periods q on q.org_id = p.org_id and q.effective_to = p.effective_from
   where p.source = 'backfill' and p.changed_by = 'migration_t3_3_reconcile' and p.effective_to is null;
insert into abymed.t3_3_backfill_periods as b (org_id, contact_id, effective_from)
select org_id, contact_id, effective_from from contact_primary_periods where source = 'backfill' and effective_to is null
on conflict (org_id, contact_id) do update set effective_from = excluded.effective_from;
delete from contact_primary_periods where source = 'backfill' and effective_to is null;
update contact_primary_periods set effective_to = null where id in (select id from t3_3_reopen);
update contact_persons set effective_to = null
 where active is false and effective_to = greatest(updated_at, effective_from + interval '1 microsecond');
update contact_persons set effective_from = null where effective_from = created_at;
