-- 0940 T1.4 equipment static parties (contract) down: the legacy shape again. The four columns
-- come back with their 0001 types and foreign keys and the 0001/0004 indexes, filled from the open
-- periods of equipment_relationships (the history keeps everything; the columns hold the current
-- party of each role). Then the 0040/0041 sync triggers, helpers and drift view, and the 0003
-- equipment policies and caller_equipment_ids(), are restored as they were.
-- One transaction (registration writes the columns once they exist and needs the sync with them).
-- Its locks come first, in the order every writer takes them: ACCESS EXCLUSIVE on equipment under
-- the step's 200 ms budget (retried), then, under 50 ms each, SHARE ROW EXCLUSIVE on
-- equipment_relationships (for its trigger) and on organizations and organization_facilities (the
-- foreign keys), so a workload queued behind the step waits for the budget at most, then for the
-- fill (one pass over the open periods).
-- Undone by running 0940 up again.
--! lock-timeout: 200ms

lock table equipment in access exclusive mode;
set local lock_timeout = '50ms';
lock table equipment_relationships, organizations, organization_facilities in share row exclusive mode;

alter table equipment
  add column manufacturer_org_id uuid references organizations (id) on delete set null,
  add column sold_by_dealer_id uuid references organizations (id) on delete set null,
  add column owned_by_org_id uuid references organizations (id) on delete set null,
  add column installed_facility_id uuid references organization_facilities (id) on delete set null;

-- Fill from the open periods. The updated_at trigger is off for this one statement, so
-- equipment.updated_at keeps the instant of the last real change (the data is as before 0940).
alter table equipment disable trigger trg_equipment_updated_at;
update equipment e
   set manufacturer_org_id = p.mfr, sold_by_dealer_id = p.dealer, owned_by_org_id = p.owner, installed_facility_id = p.facility
  from (select r.equipment_id,
               max(r.organization_id::text) filter (where r.relationship_type = 'manufactured_by')::uuid as mfr,
               max(r.organization_id::text) filter (where r.relationship_type = 'sold_by')::uuid as dealer,
               max(r.organization_id::text) filter (where r.relationship_type = 'owned_by')::uuid as owner,
               max(r.facility_id::text) filter (where r.relationship_type = 'installed_at')::uuid as facility
          from equipment_relationships r
         where r.valid_to is null
         group by r.equipment_id) p
 where p.equipment_id = e.id;
alter table equipment enable trigger trg_equipment_updated_at;

create index idx_equipment_manufacturer_org_id on equipment (manufacturer_org_id);
create index idx_equipment_owned_by_org_id on equipment (owned_by_org_id);
create index idx_equipment_sold_by_dealer_id on equipment (sold_by_dealer_id);

drop policy party_read on equipment;
drop policy party_insert on equipment;
drop policy party_update on equipment;
create or replace function caller_equipment_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(e.id::text), '{}') from equipment e
   where e.manufacturer_org_id = caller_party_org_id()
      or e.sold_by_dealer_id = caller_party_org_id()
      or e.owned_by_org_id = caller_party_org_id()
$$;

create policy party_read on equipment for select to abymed_app
  using (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id())
      or id = any ((select caller_assigned_equipment_ids())::text[]));
create policy party_insert on equipment for insert to abymed_app
  with check (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id()));
create policy party_update on equipment for update to abymed_app
  using (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id()))
  with check (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id()));

create function equipment_relationships_legacy_column(p_type text) returns text
language sql immutable parallel safe as $$
  select case p_type
    when 'manufactured_by' then 'manufacturer_org_id'
    when 'sold_by' then 'sold_by_dealer_id'
    when 'owned_by' then 'owned_by_org_id'
    when 'installed_at' then 'installed_facility_id'
  end
$$;

create function equipment_relationships_initial_from(p_installation_date date, p_purchase_date date, p_created_at timestamptz)
returns timestamptz language sql stable parallel safe as $$
  select least(coalesce(coalesce(p_installation_date, p_purchase_date)::timestamp at time zone 'Asia/Kolkata', p_created_at), now())
$$;

create function equipment_relationships_customer_org(p_customer_id text) returns uuid
language sql stable parallel safe security definer set search_path = public, pg_temp as $$
  select coalesce(
    (select o.id from organizations o
      where p_customer_id ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
        and o.id = p_customer_id::uuid),
    (select min(o.id::text)::uuid from organizations o where o.external_ref = p_customer_id
      having count(*) = 1))
$$;

create function equipment_relationships_backfill_conflict(
  p_owned_by_org_id uuid, p_customer_id text, p_installed_facility_id uuid, p_installation_date date, p_purchase_date date)
returns text language sql stable parallel safe security definer set search_path = public, pg_temp as $$
  select case
    when p_owned_by_org_id is not null and equipment_relationships_customer_org(p_customer_id) is not null
         and equipment_relationships_customer_org(p_customer_id) <> p_owned_by_org_id
      then format('owner conflict: owned_by_org_id %s but the customer copy names organization %s', p_owned_by_org_id, p_customer_id)
    when p_installation_date is not null and p_purchase_date is not null and p_installation_date < p_purchase_date
      then format('installed on %s before it was purchased on %s: the start of its first periods is unknown', p_installation_date, p_purchase_date)
  end
$$;

create function equipment_relationships_backfill_id(p_equipment_id text, p_type text) returns uuid
language sql immutable parallel safe as $$
  select md5('equipment_relationships:' || p_equipment_id || ':' || p_type)::uuid
$$;

create function equipment_relationships_apply_legacy(
  p_equipment_id varchar, p_type text, p_org uuid, p_facility uuid, p_old_org uuid, p_old_facility uuid,
  p_initial timestamptz, p_is_insert boolean)
returns void language plpgsql security definer set search_path = public, pg_temp as $$
declare
  cur        equipment_relationships;
  ts         timestamptz := clock_timestamp();
  v_has_new  boolean := coalesce(p_facility, p_org) is not null;
  v_last_end timestamptz;
  v_actor    text := coalesce(nullif(current_setting('abymed.user_id', true), ''), 'legacy-app');
  v_kind     text := case p_type when 'installed_at' then 'relocation' else 'transfer' end;
  v_reason   text := 'legacy write to equipment.' || equipment_relationships_legacy_column(p_type);
begin
  select * into cur from equipment_relationships
   where equipment_id = p_equipment_id and relationship_type = p_type and valid_to is null
   for update;
  if found then
    -- Same party (for installed_at: same facility): the history already says so, e.g. because
    -- this write is the mirror of a transfer made through the new API.
    if (p_type = 'installed_at' and cur.facility_id is not distinct from p_facility)
       or (p_type <> 'installed_at' and cur.organization_id is not distinct from p_org) then
      return;
    end if;
    if cur.valid_from >= ts then
      -- The open period began at this very instant (same transaction): correct it in place, a
      -- zero-length period would hold nothing.
      if v_has_new then
        update equipment_relationships set organization_id = p_org, facility_id = p_facility where id = cur.id;
      else
        delete from equipment_relationships where id = cur.id;
      end if;
      return;
    end if;
    update equipment_relationships set valid_to = ts where id = cur.id;
    if v_has_new then
      insert into equipment_relationships (equipment_id, relationship_type, organization_id, facility_id, valid_from,
        transfer_type, transfer_reason, created_by)
      values (p_equipment_id, p_type, p_org, p_facility, ts, v_kind, v_reason, v_actor);
    end if;
    return;
  end if;

  if not v_has_new then
    return;
  end if;
  select max(valid_to) into v_last_end from equipment_relationships
   where equipment_id = p_equipment_id and relationship_type = p_type;
  if v_last_end is not null then
    -- Closed history exists and nobody holds the role now: the new party starts now.
    insert into equipment_relationships (equipment_id, relationship_type, organization_id, facility_id, valid_from,
      transfer_type, transfer_reason, created_by)
    values (p_equipment_id, p_type, p_org, p_facility, greatest(ts, v_last_end), v_kind, v_reason, v_actor);
  elsif p_is_insert or coalesce(p_old_facility, p_old_org) is null then
    -- A registration, or the first party this device ever had for the role.
    insert into equipment_relationships (equipment_id, relationship_type, organization_id, facility_id, valid_from,
      transfer_type, transfer_reason, created_by)
    values (p_equipment_id, p_type, p_org, p_facility, case when p_is_insert then least(p_initial, ts) else ts end,
      'initial', v_reason, v_actor);
  else
    -- A device the backfill has not reached yet is re-owned: record the old party first, from the
    -- same start the backfill would have used, so no history is lost.
    if p_initial < ts then
      insert into equipment_relationships (id, equipment_id, relationship_type, organization_id, facility_id, valid_from,
        valid_to, transfer_type, transfer_reason, created_by)
      values (equipment_relationships_backfill_id(p_equipment_id, p_type), p_equipment_id, p_type, p_old_org, p_old_facility,
        p_initial, ts, 'initial', 'backfilled from equipment.' || equipment_relationships_legacy_column(p_type) || ' at its first change',
        'migration:T1.4');
    end if;
    insert into equipment_relationships (equipment_id, relationship_type, organization_id, facility_id, valid_from,
      transfer_type, transfer_reason, created_by)
    values (p_equipment_id, p_type, p_org, p_facility, ts, v_kind, v_reason, v_actor);
  end if;
end $$;

create function equipment_relationships_from_legacy() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_initial timestamptz;
  v_insert  boolean := tg_op = 'INSERT';
begin
  if current_setting('abymed.equipment_relationships_syncing', true) = 'on' then
    return null; -- the mirror of a history change (see equipment_relationships_to_legacy)
  end if;
  if not v_insert
     and new.manufacturer_org_id is not distinct from old.manufacturer_org_id
     and new.sold_by_dealer_id is not distinct from old.sold_by_dealer_id
     and new.owned_by_org_id is not distinct from old.owned_by_org_id
     and new.installed_facility_id is not distinct from old.installed_facility_id then
    return null;
  end if;
  perform set_config('abymed.equipment_relationships_syncing', 'on', true);
  v_initial := equipment_relationships_initial_from(new.installation_date, new.purchase_date, new.created_at);
  perform equipment_relationships_apply_legacy(new.id, 'manufactured_by', new.manufacturer_org_id, null,
    case when not v_insert then old.manufacturer_org_id end, null, v_initial, v_insert);
  perform equipment_relationships_apply_legacy(new.id, 'sold_by', new.sold_by_dealer_id, null,
    case when not v_insert then old.sold_by_dealer_id end, null, v_initial, v_insert);
  perform equipment_relationships_apply_legacy(new.id, 'owned_by', new.owned_by_org_id, null,
    case when not v_insert then old.owned_by_org_id end, null, v_initial, v_insert);
  perform equipment_relationships_apply_legacy(new.id, 'installed_at',
    (select f.org_id from organization_facilities f where f.id = new.installed_facility_id), new.installed_facility_id,
    case when not v_insert then (select f.org_id from organization_facilities f where f.id = old.installed_facility_id) end,
    case when not v_insert then old.installed_facility_id end, v_initial, v_insert);
  perform set_config('abymed.equipment_relationships_syncing', 'off', true);
  return null;
end $$;

create trigger trg_equipment_relationships_from_legacy
  after insert or update of manufacturer_org_id, sold_by_dealer_id, owned_by_org_id, installed_facility_id on equipment
  for each row execute function equipment_relationships_from_legacy();

create function equipment_relationships_to_legacy() returns trigger
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

create constraint trigger trg_equipment_relationships_to_legacy
  after insert or update on equipment_relationships
  deferrable initially deferred
  for each row execute function equipment_relationships_to_legacy();

create view equipment_relationships_drift as
select e.id as equipment_id, c.relationship_type, c.legacy_party, r.id as period_id,
       case when c.relationship_type = 'installed_at' then r.facility_id else r.organization_id end as history_party
  from equipment e
 cross join lateral (values ('manufactured_by', e.manufacturer_org_id), ('sold_by', e.sold_by_dealer_id),
                            ('owned_by', e.owned_by_org_id), ('installed_at', e.installed_facility_id)) c(relationship_type, legacy_party)
  left join equipment_relationships r
    on r.equipment_id = e.id and r.relationship_type = c.relationship_type and r.valid_to is null
 where c.legacy_party is distinct from case when c.relationship_type = 'installed_at' then r.facility_id else r.organization_id end;
