-- 0041 T1.4 deferred legacy mirror (expand): two corrections to 0040, found by the API tests.
--   * history -> legacy now runs at commit (a deferrable constraint trigger). A transfer closes
--     the old period before it opens the next; mirrored immediately, the close left the legacy
--     column NULL in between, and row-level security (which decides visibility from those columns
--     until the contract step) then hid the device from the very caller transferring it. At commit
--     the mirror sees only the final state, and writes each column once.
--   * a DELETE of a period is a correction of the record, not a change of party, and is no longer
--     mirrored (0045 down removes backfilled periods and must not clear the columns they came from).
--   * the customer copy also names an organization by its legacy code (organizations.external_ref,
--     'CUST-NNNNNN'), as the seeded data does (seed manifest: customers.non_uuid_id).
-- Undo: 0041 down restores the 0040 definitions (immediate trigger, uuid-only customer link).
create or replace function equipment_relationships_to_legacy() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_column text := equipment_relationships_legacy_column(new.relationship_type);
  v_party  uuid;
begin
  if tg_op = 'UPDATE' and (new.equipment_id <> old.equipment_id or new.relationship_type <> old.relationship_type) then
    raise exception 'a period cannot move to another device or relationship type; close it and open a new one'
      using errcode = 'check_violation', table = 'equipment_relationships';
  end if;
  if v_column is null or current_setting('abymed.equipment_relationships_syncing', true) = 'on' then
    return null;
  end if;
  select case when new.relationship_type = 'installed_at' then r.facility_id else r.organization_id end into v_party
    from equipment_relationships r
   where r.equipment_id = new.equipment_id and r.relationship_type = new.relationship_type and r.valid_to is null;
  perform set_config('abymed.equipment_relationships_syncing', 'on', true);
  execute format('update equipment set %1$I = $1 where id = $2 and %1$I is distinct from $1', v_column)
    using v_party, new.equipment_id;
  perform set_config('abymed.equipment_relationships_syncing', 'off', true);
  return null;
end $$;

drop trigger trg_equipment_relationships_to_legacy on equipment_relationships;
create constraint trigger trg_equipment_relationships_to_legacy
  after insert or update on equipment_relationships
  deferrable initially deferred
  for each row execute function equipment_relationships_to_legacy();

create or replace function equipment_relationships_customer_org(p_customer_id text) returns uuid
language sql stable parallel safe security definer set search_path = public, pg_temp as $$
  select coalesce(
    (select o.id from organizations o
      where p_customer_id ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
        and o.id = p_customer_id::uuid),
    (select min(o.id::text)::uuid from organizations o where o.external_ref = p_customer_id
      having count(*) = 1))
$$;
