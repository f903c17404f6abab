-- 0025 T3.3 contact history (expand): contact persons with validity periods, and the primary contact
-- of an organization as a history with at most one primary at any instant (review issue #12;
-- docs/database/T1.2-T3.3.md). Additive only.
--
--   * contact_persons gains effective_from / effective_to (half-open, NULL end = still a contact).
--     Nullable and without a default at ADD time, so nothing is rewritten; the default now() is set
--     afterwards (metadata only) so new rows get it. 0026 fills existing rows.
--   * contact_primary_periods: who was the primary contact of an organization, from when, until
--     when. The "one primary at any instant" rule is an EXCLUDE constraint on this NEW table, never
--     on the populated, hot contact_persons (an exclusion constraint added there would scan it under
--     ACCESS EXCLUSIVE: migration-practice M3).
--   * set_primary_contact(): closes the open period and opens the next at the same instant, in one
--     transaction, serialised per organization by an advisory lock, so two concurrent "make primary"
--     calls both succeed one after the other and never overlap. It keeps the legacy is_primary
--     column in step.
--   * triggers on contact_persons: the legacy application's "flip is_primary" (and inserting a
--     primary contact) goes through set_primary_contact(); setting active false closes the contact's
--     validity, and the reverse. Deactivating a contact does not touch is_primary (the legacy
--     application never did); the API ends a primary contact's period explicitly.
--   * contact_primary_conflicts: what the backfill found and decided (two primaries in one org).
--   * grants and row-level security for the API roles (0003): a tenant sees the contacts of its
--     network and changes those of its own organization.
-- If a previous down archived the periods (abymed.t3_3_archive_*), they are restored here.
-- Undo: 0025 down archives the periods and the conflict report, then drops what 0025 created.

alter table contact_persons add column effective_from timestamptz;
alter table contact_persons add column effective_to timestamptz;
alter table contact_persons alter column effective_from set default now();
alter table contact_persons add constraint contact_persons_effective_check
  check (effective_to is null or effective_from is null or effective_to > effective_from) not valid;

create table contact_primary_periods (
  id             uuid primary key default uuid_v7(),
  org_id         uuid not null references organizations (id) on delete cascade,
  contact_id     uuid not null references contact_persons (id) on delete cascade,
  effective_from timestamptz not null,
  effective_to   timestamptz,
  source         text not null constraint contact_primary_periods_source_check check (source in ('backfill', 'legacy', 'api')),
  changed_by     text not null default 'system',
  change_reason  text,
  created_at     timestamptz not null default now(),
  constraint contact_primary_periods_range_check check (effective_to is null or effective_to > effective_from),
  constraint contact_primary_periods_no_overlap exclude using gist (org_id with =, tstzrange(effective_from, effective_to, '[)') with &&)
);
comment on table contact_primary_periods is 'T3.3: primary contact of an organization over time, [effective_from, effective_to), at most one at any instant.';
create index idx_contact_primary_periods_contact_id on contact_primary_periods (contact_id);
create unique index idx_contact_primary_periods_open on contact_primary_periods (org_id) where effective_to is null;

create table contact_primary_conflicts (
  org_id             uuid not null references organizations (id) on delete cascade,
  kept_contact_id    uuid not null references contact_persons (id) on delete cascade,
  demoted_contact_id uuid not null references contact_persons (id) on delete cascade,
  rule               text not null,
  found_at           timestamptz not null default now(),
  primary key (org_id, demoted_contact_id)
);
comment on table contact_primary_conflicts is 'T3.3 backfill report: organizations that had several primary contacts, which one was kept and why.';

do $$
begin
  if to_regclass('abymed.t3_3_archive_contact_primary_periods') is not null then
    insert into contact_primary_periods select * from abymed.t3_3_archive_contact_primary_periods
     where contact_id in (select id from contact_persons);
    insert into contact_primary_conflicts select * from abymed.t3_3_archive_contact_primary_conflicts
     where demoted_contact_id in (select id from contact_persons) and kept_contact_id in (select id from contact_persons);
    -- Emptied, not dropped (an expand step drops nothing); the next down replaces them.
    truncate abymed.t3_3_archive_contact_primary_periods, abymed.t3_3_archive_contact_primary_conflicts;
  end if;
end $$;

-- The instants of the open backfill periods 0026 down removed, for the next 0026 up. In abymed,
-- created once and never dropped (like the archives), emptied by t3_3_backfill_orgs.
create table if not exists abymed.t3_3_backfill_periods (
  org_id         uuid not null,
  contact_id     uuid not null,
  effective_from timestamptz not null,
  primary key (org_id, contact_id)
);

-- Makes p_contact the primary contact of p_org from p_at (default: now, read after the lock so a
-- later caller never closes a period before it began). Idempotent when it already is.
-- Errors: 23503 (foreign_key_violation, a 422) when the contact is not one of the organization's;
-- 23P01 (exclusion_violation, a 409) when p_at is not after the start of the current period.
create function set_primary_contact(p_org uuid, p_contact uuid, p_at timestamptz, p_source text, p_by text, p_reason text)
returns contact_primary_periods
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_contact contact_persons%rowtype;
  v_open    contact_primary_periods%rowtype;
  v_new     contact_primary_periods%rowtype;
  v_at      timestamptz;
begin
  perform pg_advisory_xact_lock(hashtextextended('abymed.primary_contact:' || p_org::text, 0));
  select * into v_contact from contact_persons where id = p_contact;
  if not found or v_contact.org_id <> p_org then
    raise exception 'contact % is not a contact of organization %', p_contact, p_org
      using errcode = 'foreign_key_violation', detail = 'contact_id', hint = 'choose one of the organization''s contacts';
  end if;
  v_at := coalesce(p_at, clock_timestamp());
  select * into v_open from contact_primary_periods where org_id = p_org and effective_to is null;
  if v_open.contact_id = p_contact then
    return v_open;
  end if;
  if v_open.id is not null then
    if v_at <= v_open.effective_from then
      if p_at is not null then
        raise exception 'the current primary contact period of organization % began at %, after %', p_org, v_open.effective_from, p_at
          using errcode = 'exclusion_violation', detail = 'conflicting period ' || v_open.id;
      end if;
      v_at := v_open.effective_from + interval '1 microsecond';
    end if;
    update contact_primary_periods set effective_to = v_at where id = v_open.id;
  end if;
  insert into contact_primary_periods (org_id, contact_id, effective_from, source, changed_by, change_reason)
  values (p_org, p_contact, v_at, p_source, coalesce(p_by, 'system'), p_reason)
  returning * into v_new;
  perform set_config('abymed.t3_3_syncing', 'on', true);
  update contact_persons set is_primary = (id = p_contact)
   where org_id = p_org and ((id = p_contact and is_primary is not true) or (id <> p_contact and is_primary));
  perform set_config('abymed.t3_3_syncing', 'off', true);
  return v_new;
end $$;

-- Ends p_contact's primary period at p_at (if it has the open one); the organization then has no
-- primary contact until the next set_primary_contact().
create function clear_primary_contact(p_org uuid, p_contact uuid, p_at timestamptz) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_open contact_primary_periods%rowtype;
begin
  perform pg_advisory_xact_lock(hashtextextended('abymed.primary_contact:' || p_org::text, 0));
  select * into v_open from contact_primary_periods where org_id = p_org and effective_to is null and contact_id = p_contact;
  if v_open.id is not null then
    update contact_primary_periods
       set effective_to = greatest(coalesce(p_at, clock_timestamp()), v_open.effective_from + interval '1 microsecond')
     where id = v_open.id;
  end if;
  perform set_config('abymed.t3_3_syncing', 'on', true);
  update contact_persons set is_primary = false where id = p_contact and is_primary;
  perform set_config('abymed.t3_3_syncing', 'off', true);
end $$;

-- Before a write: active and effective_to say the same thing, whoever wrote one of them.
create function t3_3_contact_validity() returns trigger
language plpgsql as $$
begin
  if current_setting('abymed.t3_3_backfill', true) = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' then
    new.effective_from := coalesce(new.effective_from, now());
    if new.active is false and new.effective_to is null then
      new.effective_to := new.effective_from + interval '1 microsecond';
    end if;
  elsif new.active is distinct from old.active and new.effective_to is not distinct from old.effective_to then
    new.effective_to := case when new.active is false then greatest(now(), coalesce(new.effective_from, now()) + interval '1 microsecond') end;
  elsif new.effective_to is distinct from old.effective_to and new.active is not distinct from old.active then
    new.active := new.effective_to is null or new.effective_to > now();
  end if;
  return new;
end $$;

create trigger trg_contact_persons_t3_3_validity before insert or update of active, effective_to on contact_persons
  for each row execute function t3_3_contact_validity();

-- After a write: the legacy is_primary flag drives the period history (the new application calls
-- set_primary_contact() itself; its own is_primary updates carry abymed.t3_3_syncing and are skipped).
create function t3_3_contact_primary_sync() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if current_setting('abymed.t3_3_syncing', true) = 'on' or current_setting('abymed.t3_3_backfill', true) = 'on' then
    return null;
  end if;
  if new.is_primary and (tg_op = 'INSERT' or old.is_primary is not true) then
    perform set_primary_contact(new.org_id, new.id, null, 'legacy', 'legacy', 'is_primary set by the legacy application');
  elsif tg_op = 'UPDATE' and old.is_primary and new.is_primary is not true then
    perform clear_primary_contact(new.org_id, new.id, null);
  end if;
  return null;
end $$;

create trigger trg_contact_persons_t3_3_primary after insert or update of is_primary on contact_persons
  for each row execute function t3_3_contact_primary_sync();

-- The backfill (0026) fills new columns and reports; it must not look like an edit to the legacy
-- application: this trigger sorts after trg_contact_persons_updated_at and puts updated_at back.
create function t3_3_keep_updated_at() returns trigger
language plpgsql as $$
begin
  if current_setting('abymed.t3_3_backfill', true) = 'on' then
    new.updated_at := old.updated_at;
  end if;
  return new;
end $$;
create trigger trg_contact_persons_zz_t3_3_keep_updated_at before update on contact_persons
  for each row execute function t3_3_keep_updated_at();

-- Backfill, one keyset batch of organizations (job t3_3_contact_periods, src/organizations/contacts-backfill-jobs.ts):
--   * effective_from := created_at where unset; an inactive contact's effective_to := its last
--     update (the best the legacy data knows);
--   * an organization without any period gets one from its primary contact's effective_from;
--   * an organization whose flagged primary is not the contact of its open period (the legacy
--     application flipped it while the walk was below 0025, so the periods 0025 restored are stale)
--     gets its open period closed and the flagged contact's opened at that contact's updated_at;
--   * with several primaries the rule below keeps one, demotes the others (is_primary false) and
--     records each in contact_primary_conflicts, which 0026 down uses to put them back.
-- Its rows carry no clock reading: ids and timestamps come from the data, so 0026 down → up is exact.
-- Deterministic rule: active before inactive, then the most recently updated (the last legacy
-- "flip" wins), then the most recently created, then the smallest id.
create function t3_3_backfill_orgs(p_where text) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r        record;
  v_ids    uuid[];
  v_open   contact_primary_periods%rowtype;
  v_at     timestamptz;
  v_by     text;
  v_prev   timestamptz;
  v_reason text;
  v_n      int := 0;
  v_k      int;
  v_rule   text := 'active first, then latest updated_at, then latest created_at, then smallest id';
begin
  perform set_config('abymed.t3_3_backfill', 'on', true);
  for r in execute 'select s.id from organizations s where (' || p_where || ') order by s.id' loop
    update contact_persons set effective_from = created_at where org_id = r.id and effective_from is null;
    get diagnostics v_k = row_count;
    v_n := v_n + v_k;
    update contact_persons set effective_to = greatest(updated_at, effective_from + interval '1 microsecond')
     where org_id = r.id and active is false and effective_to is null;
    select array_agg(id order by active is not false desc, updated_at desc, created_at desc, id) into v_ids
      from contact_persons where org_id = r.id and is_primary;
    continue when v_ids is null;
    select * into v_open from contact_primary_periods where org_id = r.id and effective_to is null;
    v_at := null;
    if not exists (select 1 from contact_primary_periods where org_id = r.id) then
      -- The organization's first period, from when its primary contact became a contact.
      select effective_from into v_at from contact_persons where id = v_ids[1];
      v_by := 'migration_t3_3';
      v_reason := case when cardinality(v_ids) > 1 then 'kept of ' || cardinality(v_ids) || ' primary contacts: ' || v_rule
                       else 'primary contact in the legacy data' end;
    elsif v_open.contact_id = any (v_ids) then
      -- The history's primary is still flagged: it stays; other flagged contacts are demoted below.
      v_ids := array[v_open.contact_id] || array_remove(v_ids, v_open.contact_id);
    else
      -- The legacy application changed the primary contact while T3.3 was rolled back below 0025 (its
      -- flips then wrote no history), so the periods 0025 restored end on a stale contact: the open one
      -- closes, and the flagged contact's opens, when the legacy flip made it primary (its updated_at).
      select updated_at into v_at from contact_persons where id = v_ids[1];
      -- The instant a previous run chose, kept by 0026 down (a later legacy re-flip of the same
      -- contact moves its updated_at, not the instant it became primary): down → up is exact.
      select b.effective_from into v_prev from abymed.t3_3_backfill_periods b where b.org_id = r.id and b.contact_id = v_ids[1];
      v_at := coalesce(v_prev, v_at);
      if v_open.id is not null then
        v_at := greatest(v_at, v_open.effective_from + interval '1 microsecond');
        update contact_primary_periods set effective_to = v_at where id = v_open.id;
        v_by := 'migration_t3_3_reconcile';  -- 0026 down reopens the period that ends where this one begins
      else
        v_at := greatest(v_at, (select max(effective_to) from contact_primary_periods where org_id = r.id));
        v_by := 'migration_t3_3';
      end if;
      v_reason := 'made primary by the legacy application while the history was rolled back'
                  || case when cardinality(v_ids) > 1 then '; kept of ' || cardinality(v_ids) || ' primary contacts: ' || v_rule else '' end;
    end if;
    if v_at is not null then
      -- Derived from the data only (id from organization, contact and instant; created_at = the
      -- instant), so running the backfill again after its down gives the same row.
      insert into contact_primary_periods (id, org_id, contact_id, effective_from, source, changed_by, change_reason, created_at)
      values (md5('t3_3_contact_periods:' || r.id || ':' || v_ids[1] || ':' || (extract(epoch from v_at) * 1000000)::bigint)::uuid,
              r.id, v_ids[1], v_at, 'backfill', v_by,
              v_reason, v_at);
      v_n := v_n + 1;
    end if;
    delete from abymed.t3_3_backfill_periods where org_id = r.id;
    if cardinality(v_ids) > 1 then
      insert into contact_primary_conflicts (org_id, kept_contact_id, demoted_contact_id, rule, found_at)
      select r.id, v_ids[1], d.id, v_rule, greatest(k.updated_at, d.updated_at)
        from contact_persons d, contact_persons k
       where d.id = any (v_ids[2:]) and k.id = v_ids[1]
      on conflict do nothing;
      update contact_persons set is_primary = false where id = any (v_ids[2:]);
      v_n := v_n + 1;
    end if;
  end loop;
  perform set_config('abymed.t3_3_backfill', 'off', true);
  return v_n;
end $$;

-- Grants and row-level security for the API roles (0003): contacts of the caller's network.
grant select, insert, update on contact_persons to abymed_app, abymed_app_admin;
grant select on contact_primary_periods, contact_primary_conflicts to abymed_app, abymed_app_admin;
alter table contact_persons enable row level security;
alter table contact_primary_periods enable row level security;
alter table contact_primary_conflicts enable row level security;
create policy admin_all on contact_persons to abymed_app_admin using (true) with check (true);
create policy admin_all on contact_primary_periods to abymed_app_admin using (true) with check (true);
create policy admin_all on contact_primary_conflicts to abymed_app_admin using (true) with check (true);
create policy network_read on contact_persons for select to abymed_app
  using (org_id = any ((select caller_network_org_ids())::uuid[]));
create policy own_org_write on contact_persons for insert to abymed_app
  with check (org_id = (select caller_party_org_id()));
create policy own_org_update on contact_persons for update to abymed_app
  using (org_id = (select caller_party_org_id())) with check (org_id = (select caller_party_org_id()));
create policy network_read on contact_primary_periods for select to abymed_app
  using (org_id = any ((select caller_network_org_ids())::uuid[]));
create policy network_read on contact_primary_conflicts for select to abymed_app
  using (org_id = any ((select caller_network_org_ids())::uuid[]));
