-- 0026 T3.3 contact periods (backfill) down: puts the legacy data back as the backfill found it.
--   * contacts demoted by the backfill become primary again (from contact_primary_conflicts), and
--     the report rows go;
--   * the periods the backfill opened go (periods written later by the legacy "flip" or the API
--     stay: they are history the expand's tables hold);
--   * effective_from/effective_to that the backfill derived (created_at; the last update of an
--     inactive contact) are cleared.
-- The abymed.t3_3_backfill flag keeps updated_at and stops the sync triggers. Undo: 0026 up.
select set_config('abymed.t3_3_backfill', 'on', true);
update contact_persons c set is_primary = true
  from contact_primary_conflicts k where k.demoted_contact_id = c.id and c.is_primary is not true;
delete from contact_primary_conflicts;
delete from contact_primary_periods where source = 'backfill';
update contact_persons set effective_to = null
 where active is false and effective_to = greatest(updated_at, effective_from + interval '1 microsecond');
update contact_persons set effective_from = null where effective_from = created_at;
