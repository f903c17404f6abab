-- 0940 T1.4 equipment static parties (contract): the four static party columns of `equipment`
-- go; equipment_relationships is the only record of who made, sold, owns and hosts a device.
-- Run only once no application reads or writes equipment.manufacturer_org_id, sold_by_dealer_id,
-- owned_by_org_id or installed_facility_id (the legacy application's "register equipment with
-- static owner columns" stops working here by design).
--   * the two sync triggers, the drift view and the backfill helpers go with the columns;
--   * row-level security decided "equipment of my organization" from those columns (0003): the
--     equipment policies and caller_equipment_ids() now read the current periods instead (made,
--     sold or owned by the caller's organization now), so callers see what they saw before;
--   * the indexes on the columns (0001, 0004) go with them.
-- Undo: 0940 down adds the columns back (same types, foreign keys and indexes), fills them from
-- the open periods, and restores the sync triggers, helpers, view and the 0003 policies; nothing
-- in equipment_relationships is touched either way, so no history is lost.
--! lock-timeout: 2s

drop trigger trg_equipment_relationships_from_legacy on equipment;
drop trigger trg_equipment_relationships_to_legacy on equipment_relationships;
drop view equipment_relationships_drift;
drop function equipment_relationships_from_legacy();
drop function equipment_relationships_to_legacy();
drop function equipment_relationships_apply_legacy(varchar, text, uuid, uuid, uuid, uuid, timestamptz, boolean);
drop function equipment_relationships_backfill_conflict(uuid, text, uuid, date, date);
drop function equipment_relationships_customer_org(text);
drop function equipment_relationships_backfill_id(text, text);
drop function equipment_relationships_initial_from(date, date, timestamptz);
drop function equipment_relationships_legacy_column(text);

drop policy party_read on equipment;
drop policy party_insert on equipment;
drop policy party_update on equipment;

-- Equipment the caller's organization made, sold or owns now, from the current periods.
create or replace function caller_equipment_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(distinct r.equipment_id::text), '{}') from equipment_relationships r
   where r.organization_id = caller_party_org_id()
     and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
     and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
$$;

create policy party_read on equipment for select to abymed_app
  using (id = any ((select caller_equipment_ids())::text[])
      or id = any ((select caller_assigned_equipment_ids())::text[]));
-- A new device has no periods yet: any organization's caller may register one (its first periods
-- then make it theirs).
create policy party_insert on equipment for insert to abymed_app
  with check ((select caller_party_org_id()) is not null);
create policy party_update on equipment for update to abymed_app
  using (id = any ((select caller_equipment_ids())::text[]))
  with check (id = any ((select caller_equipment_ids())::text[]));

alter table equipment
  drop column manufacturer_org_id,
  drop column sold_by_dealer_id,
  drop column owned_by_org_id,
  drop column installed_facility_id;
