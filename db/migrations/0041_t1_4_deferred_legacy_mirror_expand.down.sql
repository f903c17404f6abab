-- 0041 T1.4 deferred legacy mirror (expand) down: back to the 0040 definitions (an immediate
-- history -> legacy trigger that also mirrors deletes; customer copy linked by uuid only).
-- Undone by running 0041 up again.
create or replace function equipment_relationships_to_legacy() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_equipment_id varchar := coalesce(new.equipment_id, old.equipment_id);
  v_type         text := coalesce(new.relationship_type, old.relationship_type);
  v_column       text := equipment_relationships_legacy_column(v_type);
  v_party        uuid;
begin
  if tg_op = 'UPDATE' and (new.equipment_id <> old.equipment_id or new.relationship_type <> old.relationship_type) then
    raise exception 'a period cannot move to another device or relationship type; close it and open a new one'
      using errcode = 'check_violation', table = 'equipment_relationships';
  end if;
  if v_column is null or current_setting('abymed.equipment_relationships_syncing', true) = 'on' then
    return null;
  end if;
  select case when v_type = 'installed_at' then r.facility_id else r.organization_id end into v_party
    from equipment_relationships r
   where r.equipment_id = v_equipment_id and r.relationship_type = v_type and r.valid_to is null;
  perform set_config('abymed.equipment_relationships_syncing', 'on', true);
  execute format('update equipment set %1$I = $1 where id = $2 and %1$I is distinct from $1', v_column)
    using v_party, v_equipment_id;
  perform set_config('abymed.equipment_relationships_syncing', 'off', true);
  return null;
end $$;

drop trigger trg_equipment_relationships_to_legacy on equipment_relationships;
create trigger trg_equipment_relationships_to_legacy
  after insert or update or delete on equipment_relationships
  for each row execute function equipment_relationships_to_legacy();

create or replace function equipment_relationships_customer_org(p_customer_id text) returns uuid
language sql stable parallel safe security definer set search_path = public, pg_temp as $$
  select o.id from organizations o
   where p_customer_id ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
     and o.id = p_customer_id::uuid
$$;
