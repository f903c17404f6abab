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
-- Statement by statement (no transaction), each lock short and on as few tables as possible:
--   1. the four foreign keys of the columns go, one statement each: dropping a foreign key takes
--      ACCESS EXCLUSIVE on the referenced table too (organizations, organization_facilities, which
--      every request reads), so each takes its two locks alone, for catalog work only, under a
--      200 ms lock budget (retried), instead of piling them up in one transaction behind the
--      equipment lock. Between these statements and step 2 the columns are merely unchecked: the
--      only writer left (registration through the API) validates its parties, and the sync still
--      records them in equipment_relationships, whose own foreign keys stay;
--   2. ONE statement, atomically: ACCESS EXCLUSIVE on equipment, then equipment_relationships (the
--      order every writer locks them in), drops both sync triggers and the drift view, rewrites the
--      equipment policies and caller_equipment_ids(), and drops the columns — catalog work only.
--      Atomic because registration writes the static columns while they exist and relies on the
--      legacy -> history trigger to open the device's periods;
--   3. drops the sync's functions and helpers (no table lock).
-- A failed run resumes at the failed statement (the runner records each statement done).
-- Undo: 0940 down adds the columns back (same types, foreign keys and indexes), fills them from
-- the open periods, and restores the sync triggers, helpers, view and the 0003 policies; nothing
-- in equipment_relationships is touched either way, so no history is lost.
--! no-transaction
--! lock-timeout: 200ms

alter table equipment drop constraint equipment_manufacturer_org_id_fkey;

alter table equipment drop constraint equipment_sold_by_dealer_id_fkey;

alter table equipment drop constraint equipment_owned_by_org_id_fkey;

alter table equipment drop constraint equipment_installed_facility_id_fkey;

do $$
begin
  lock table equipment in access exclusive mode;
  -- The first lock had the step's budget; the second is normally free at once (every writer takes
  -- equipment first), so it waits briefly while the equipment queue grows.
  perform set_config('lock_timeout', '50ms', true);
  lock table equipment_relationships in access exclusive mode;

  drop trigger trg_equipment_relationships_from_legacy on equipment;
  drop trigger trg_equipment_relationships_to_legacy on equipment_relationships;
  drop view equipment_relationships_drift;

  drop policy party_read on equipment;
  drop policy party_insert on equipment;
  drop policy party_update on equipment;

  -- Equipment the caller's organization made, sold or owns now, from the current periods.
  create or replace function caller_equipment_ids() returns text[] language sql stable security definer
    set search_path = public, pg_temp as $fn$
    select coalesce(array_agg(distinct r.equipment_id::text), '{}') from equipment_relationships r
     where r.organization_id = caller_party_org_id()
       and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
       and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
  $fn$;

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
end $$;

drop function equipment_relationships_from_legacy();

drop function equipment_relationships_to_legacy();

drop function equipment_relationships_apply_legacy(varchar, text, uuid, uuid, uuid, uuid, timestamptz, boolean);

drop function equipment_relationships_backfill_conflict(uuid, text, uuid, date, date);

drop function equipment_relationships_customer_org(text);

drop function equipment_relationships_backfill_id(text, text);

drop function equipment_relationships_initial_from(date, date, timestamptz);

drop function equipment_relationships_legacy_column(text);
