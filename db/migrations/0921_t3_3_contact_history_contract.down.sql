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
    if not exists (select 1 from contact_primary_periods where org_id = r.id) then
      select array_agg(id order by active is not false desc, updated_at desc, created_at desc, id) into v_ids
        from contact_persons where org_id = r.id and is_primary;
      if v_ids is not null then
        insert into contact_primary_periods (org_id, contact_id, effective_from, source, changed_by, change_reason)
        select r.id, c.id, c.effective_from, 'backfill', 'migration_t3_3',
               case when cardinality(v_ids) > 1 then 'kept of ' || cardinality(v_ids) || ' primary contacts: ' || v_rule
                    else 'primary contact in the legacy data' end
          from contact_persons c where c.id = v_ids[1];
        insert into contact_primary_conflicts (org_id, kept_contact_id, demoted_contact_id, rule)
        select r.id, v_ids[1], d, v_rule from unnest(v_ids[2:]) d on conflict do nothing;
        update contact_persons set is_primary = false where id = any (v_ids[2:]);
        v_n := v_n + 1;
      end if;
    end if;
  end loop;
  perform set_config('abymed.t3_3_backfill', 'off', true);
  return v_n;
end $$;
