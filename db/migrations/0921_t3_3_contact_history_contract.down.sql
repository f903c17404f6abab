-- 0921 T3.3 contact history (contract) down: the legacy is_primary flag and the 0025 triggers again.
--   * is_primary re-added and filled from abymed.t3_3_archive_is_primary; a contact added after the
--     contract gets true when it holds its organization's open primary period;
--   * effective_from nullable again; the 0025 range check back to NOT VALID (as 0025 left it);
--   * the 0025 versions of the functions and triggers re-created (same text).
-- updated_at is kept (the keep trigger with the backfill flag). Undo: 0921 up.
alter table contact_persons alter column effective_from drop not null;
alter table contact_persons drop constraint contact_persons_effective_check;
alter table contact_persons add constraint contact_persons_effective_check
  check (effective_to is null or effective_from is null or effective_to > effective_from) not valid;
alter table contact_persons add column is_primary boolean default false;
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
select set_config('abymed.t3_3_backfill', 'on', true);
-- ADD COLUMN gave every row the default; the archive (and, for later rows, the open period) says what it was.
update contact_persons c set is_primary = a.is_primary from abymed.t3_3_archive_is_primary a
 where a.id = c.id and c.is_primary is distinct from a.is_primary;
update contact_persons c set is_primary = true
 where not exists (select 1 from abymed.t3_3_archive_is_primary a where a.id = c.id)
   and exists (select 1 from contact_primary_periods p where p.contact_id = c.id and p.effective_to is null);
select set_config('abymed.t3_3_backfill', 'off', true);
drop table abymed.t3_3_archive_is_primary;

create or replace function set_primary_contact(p_org uuid, p_contact uuid, p_at timestamptz, p_source text, p_by text, p_reason text)
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

create or replace function clear_primary_contact(p_org uuid, p_contact uuid, p_at timestamptz) returns void
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
