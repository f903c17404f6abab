-- 0040 T1.4 equipment relationships (expand): who made, sold, owns, hosts, services and leases a
-- device, as history instead of four static columns on `equipment` (review issue #2).
--
--   * table equipment_relationships: one row per (equipment, relationship type, validity period).
--     Periods are half-open [valid_from, valid_to), valid_to NULL = open. The exclusion constraint
--     uses tstzrange(valid_from, valid_to, '[)'), so closing one period and opening the next at the
--     same instant never conflicts (the original used inclusive ranges and rejected every transfer,
--     origin-facts §4 T1.4). The table is new and empty here: adding the constraint takes no lock
--     on a populated table (migration-practice §5 item 9).
--   * two-way sync with the legacy columns until the contract step (0940):
--       legacy -> history: a write to equipment.manufacturer_org_id / sold_by_dealer_id /
--         owned_by_org_id / installed_facility_id closes the open period of that type and opens
--         the next at the same instant (a registration opens the first periods);
--       history -> legacy: a change of the open period of one of those four types writes its
--         party back into the column.
--     Each trigger only acts on statements of an application, never on the other trigger's own
--     writes (transaction-local flag abymed.equipment_relationships_syncing), and each compares
--     before it writes, so there is no loop. Both are SECURITY DEFINER: a caller under row-level
--     security changes the device it may change, and the mirror follows.
--   * helpers for the backfill (0045) and the validation report: the instant a first period starts,
--     the conflict rule, and the drift view (static columns vs open periods).
--   * row-level security: a caller reads the history of the equipment it sees, and its own
--     organization's rows (what it owned before); it writes history of equipment it may update.
--
-- Undo: 0040 down archives the rows of equipment_relationships into
-- abymed.equipment_relationships_archive (history the legacy columns cannot hold is kept), then
-- drops the triggers, functions, views and the table. The legacy columns were never touched. Up
-- again restores the latest archive for the devices nothing changed meanwhile (see the restore).

create table equipment_relationships (
  id                    uuid primary key default uuid_v7(),
  -- Same type as equipment.id (varchar(32) until T2.2 moves the keys to uuid).
  equipment_id          varchar(32) not null references equipment (id) on delete cascade,
  relationship_type     text not null
                        constraint equipment_relationships_type_check check (relationship_type in ('manufactured_by', 'sold_by',
                          'owned_by', 'installed_at', 'serviced_by', 'leased_to')),
  -- History must not lose a party: an organization or facility that appears here cannot be
  -- deleted (the legacy convention is soft deletion through status).
  organization_id       uuid references organizations (id) on delete restrict,
  facility_id           uuid references organization_facilities (id) on delete restrict,
  valid_from            timestamptz not null,
  valid_to              timestamptz,
  transfer_type         text not null default 'initial'
                        constraint equipment_relationships_transfer_type_check check (transfer_type in ('initial', 'sale', 'lease',
                          'transfer', 'relocation')),
  transfer_reason       text,
  transfer_document_url text,
  amount                numeric(15,2) constraint equipment_relationships_amount_check check (amount >= 0),
  currency              text not null default 'INR' constraint equipment_relationships_currency_check check (currency ~ '^[A-Z]{3}$'),
  created_by            text not null,
  created_at            timestamptz not null default now(),
  constraint equipment_relationships_period_check check (valid_to is null or valid_to > valid_from),
  -- installed_at names a facility (its organization is recorded beside it); every other type an organization.
  constraint equipment_relationships_party_check check (
    case when relationship_type = 'installed_at' then facility_id is not null else organization_id is not null end),
  constraint equipment_relationships_no_overlap exclude using gist (
    equipment_id with =, relationship_type with =, tstzrange(valid_from, valid_to, '[)') with &&)
);

comment on table equipment_relationships is
  'T1.4: parties of a device over time; half-open [valid_from, valid_to), at most one period per equipment and type at any instant.';

-- At most one open period per device and type (implied by the exclusion constraint; this index is
-- the fast path of the sync triggers to "the open period").
create unique index equipment_relationships_open_key on equipment_relationships (equipment_id, relationship_type)
  where valid_to is null;
-- "Who was X's owner at T": the latest period of that type starting at or before T.
create index idx_equipment_relationships_equipment_from on equipment_relationships (equipment_id, relationship_type, valid_from desc);
-- "What did org Y own at T" / "what was at facility F at T": index-only scans.
create index idx_equipment_relationships_org_from on equipment_relationships (organization_id, relationship_type, valid_from)
  include (valid_to, equipment_id);
create index idx_equipment_relationships_facility_from on equipment_relationships (facility_id, valid_from)
  include (valid_to, equipment_id) where facility_id is not null;

-- After a rollback (0040 down archived the periods), the periods of the latest archive come back
-- exactly (same ids, same times) for every device nothing changed while the history was away: its
-- static columns still name the parties its archived open periods named, and every party still
-- exists. A device the legacy application re-owned meanwhile keeps its history in the archive
-- only, and the backfill (0045) opens its periods from the columns like any other device's; so
-- down then up gives back the first up, and never a period that contradicts the columns. The
-- triggers below do not exist yet, so the restore writes nothing back into `equipment`.
do $restore$
begin
  if to_regclass('abymed.equipment_relationships_archive') is null then
    return;
  end if;
  execute $q$
    with batch as (
      select a.* from abymed.equipment_relationships_archive a
       where a.archived_at = (select max(archived_at) from abymed.equipment_relationships_archive)
    ), open_party as (
      select equipment_id, relationship_type, coalesce(facility_id, organization_id) as party
        from batch where valid_to is null
    ), unchanged as (
      select e.id from equipment e
       where exists (select 1 from batch b where b.equipment_id = e.id)
         and e.manufacturer_org_id is not distinct from
             (select party from open_party o where o.equipment_id = e.id and o.relationship_type = 'manufactured_by')
         and e.sold_by_dealer_id is not distinct from
             (select party from open_party o where o.equipment_id = e.id and o.relationship_type = 'sold_by')
         and e.owned_by_org_id is not distinct from
             (select party from open_party o where o.equipment_id = e.id and o.relationship_type = 'owned_by')
         and e.installed_facility_id is not distinct from
             (select party from open_party o where o.equipment_id = e.id and o.relationship_type = 'installed_at')
         and not exists (select 1 from batch b where b.equipment_id = e.id
                          and ((b.organization_id is not null and not exists (select 1 from organizations x where x.id = b.organization_id))
                            or (b.facility_id is not null and not exists (select 1 from organization_facilities f where f.id = b.facility_id))))
    )
    insert into equipment_relationships (id, equipment_id, relationship_type, organization_id, facility_id, valid_from, valid_to,
                                         transfer_type, transfer_reason, transfer_document_url, amount, currency, created_by, created_at)
    select b.id, b.equipment_id, b.relationship_type, b.organization_id, b.facility_id, b.valid_from, b.valid_to,
           b.transfer_type, b.transfer_reason, b.transfer_document_url, b.amount, b.currency, b.created_by, b.created_at
      from batch b join unchanged u on u.id = b.equipment_id
  $q$;
end
$restore$;

-- The legacy column that mirrors each type's open period until the contract step.
create function equipment_relationships_legacy_column(p_type text) returns text
language sql immutable parallel safe as $$
  select case p_type
    when 'manufactured_by' then 'manufacturer_org_id'
    when 'sold_by' then 'sold_by_dealer_id'
    when 'owned_by' then 'owned_by_org_id'
    when 'installed_at' then 'installed_facility_id'
  end
$$;

-- When a device's first periods start: its installation date, else its purchase date (midnight in
-- India), else when it was registered; never in the future, so a transfer today can close it.
create function equipment_relationships_initial_from(p_installation_date date, p_purchase_date date, p_created_at timestamptz)
returns timestamptz language sql stable parallel safe as $$
  select least(coalesce(coalesce(p_installation_date, p_purchase_date)::timestamp at time zone 'Asia/Kolkata', p_created_at), now())
$$;

-- The organization a legacy customer copy names, when customer_id is an organization's uuid
-- (32 hex digits fit varchar(32); a hyphenated uuid does not). Anything else names no organization.
create function equipment_relationships_customer_org(p_customer_id text) returns uuid
language sql stable parallel safe security definer set search_path = public, pg_temp as $$
  select o.id from organizations o
   where p_customer_id ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'
     and o.id = p_customer_id::uuid
$$;

-- Why a device's static columns cannot become history as they stand (NULL: they can). Such rows
-- go to abymed.quarantine for a person to resolve; the backfill writes nothing for them.
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

-- The deterministic id of a backfilled period, so a re-run (or down then up) writes identical rows.
create function equipment_relationships_backfill_id(p_equipment_id text, p_type text) returns uuid
language sql immutable parallel safe as $$
  select md5('equipment_relationships:' || p_equipment_id || ':' || p_type)::uuid
$$;

-- legacy -> history for one type. Called by the equipment trigger with the column's new and old
-- party; the caller holds the equipment row lock, so writes to one device are serialised.
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

-- history -> legacy: the party of the open period of a mirrored type, written into its column.
create function equipment_relationships_to_legacy() returns trigger
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

create trigger trg_equipment_relationships_to_legacy
  after insert or update or delete on equipment_relationships
  for each row execute function equipment_relationships_to_legacy();

-- Devices whose legacy columns disagree with their open periods (empty while the sync works and
-- after the backfill); the validation report and the zero-downtime harness read it.
create view equipment_relationships_drift as
select e.id as equipment_id, c.relationship_type, c.legacy_party, r.id as period_id,
       case when c.relationship_type = 'installed_at' then r.facility_id else r.organization_id end as history_party
  from equipment e
 cross join lateral (values ('manufactured_by', e.manufacturer_org_id), ('sold_by', e.sold_by_dealer_id),
                            ('owned_by', e.owned_by_org_id), ('installed_at', e.installed_facility_id)) c(relationship_type, legacy_party)
  left join equipment_relationships r
    on r.equipment_id = e.id and r.relationship_type = c.relationship_type and r.valid_to is null
 where c.legacy_party is distinct from case when c.relationship_type = 'installed_at' then r.facility_id else r.organization_id end;

-- Row-level security (0003's model): read the history of the equipment you see and your own
-- organization's periods; write periods of equipment you may update.
grant select, insert, update on equipment_relationships to abymed_app, abymed_app_admin;
alter table equipment_relationships enable row level security;
create policy admin_all on equipment_relationships to abymed_app_admin using (true) with check (true);
create policy party_read on equipment_relationships for select to abymed_app
  using (organization_id = (select caller_party_org_id())
      or exists (select 1 from equipment e where e.id = equipment_id));
create policy party_insert on equipment_relationships for insert to abymed_app
  with check (exists (select 1 from equipment e where e.id = equipment_id));
create policy party_update on equipment_relationships for update to abymed_app
  using (exists (select 1 from equipment e where e.id = equipment_id))
  with check (exists (select 1 from equipment e where e.id = equipment_id));
