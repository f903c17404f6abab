-- 0921 T3.3 contact history (contract): the primary contact lives only in contact_primary_periods.
--   * contact_persons.is_primary (the legacy flag without history) is archived per row into
--     abymed.t3_3_archive_is_primary and dropped, with the triggers that kept it in step and the
--     backfill function; set_primary_contact()/clear_primary_contact() stop writing it;
--   * effective_from becomes NOT NULL without a long scan under lock: a CHECK is added NOT VALID,
--     validated (SHARE UPDATE EXCLUSIVE), then SET NOT NULL uses it; the 0025 range check is
--     validated the same way.
-- Undo: 0921 down re-adds is_primary from the archive (rows added later: from the open periods)
-- and restores the 0025 functions and triggers.
drop table if exists abymed.t3_3_archive_is_primary;
create table abymed.t3_3_archive_is_primary as select id, is_primary from contact_persons;
alter table abymed.t3_3_archive_is_primary add primary key (id);

drop trigger trg_contact_persons_t3_3_primary on contact_persons;
drop trigger trg_contact_persons_zz_t3_3_keep_updated_at on contact_persons;
drop function t3_3_contact_primary_sync();
drop function t3_3_backfill_orgs(text);
drop function t3_3_keep_updated_at();
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
end $$;

alter table contact_persons drop column is_primary;

alter table contact_persons validate constraint contact_persons_effective_check;
alter table contact_persons add constraint contact_persons_effective_from_present check (effective_from is not null) not valid;
alter table contact_persons validate constraint contact_persons_effective_from_present;
alter table contact_persons alter column effective_from set not null;
alter table contact_persons drop constraint contact_persons_effective_from_present;
