-- 0045 T1.4 equipment relationships (backfill) down: removes the periods the backfill wrote that
-- are still open and untouched (deterministic id, created by migration:T1.4, reason "backfilled
-- from equipment.<column>"), so the database is as 0040 left it. Periods closed since then are
-- history the static columns cannot hold and stay (0040 down archives them).
-- The static columns are the source of those rows and are kept; only an owner that the backfill
-- took from the customer copy (and the history -> legacy sync wrote into owned_by_org_id) is
-- cleared again. The sync is switched off for this transaction so removing a period does not
-- clear its legacy column.
-- Undone by running 0045 up again (the backfill re-creates identical rows).
select set_config('abymed.equipment_relationships_syncing', 'on', true);

update equipment e
   set owned_by_org_id = null
  from equipment_relationships r
 where r.equipment_id = e.id
   and r.relationship_type = 'owned_by'
   and r.valid_to is null
   and r.id = equipment_relationships_backfill_id(r.equipment_id, r.relationship_type)
   and r.transfer_reason = 'backfilled from equipment.customer_id'
   and e.owned_by_org_id = r.organization_id;

delete from equipment_relationships r
 where r.id = equipment_relationships_backfill_id(r.equipment_id, r.relationship_type)
   and r.valid_to is null
   and r.created_by = 'migration:T1.4'
   and r.transfer_reason like 'backfilled from equipment.%';

select set_config('abymed.equipment_relationships_syncing', 'off', true);
