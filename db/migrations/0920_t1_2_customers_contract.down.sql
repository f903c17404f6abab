-- 0920 T1.2 customers (contract) down: the legacy shape again — copies on tickets and devices,
-- kept in step by the 0020 triggers — exactly as 0920 up found it.
--   * columns re-added, filled from abymed.t1_2_archive_*_copies; a ticket written after the
--     contract (not in the archive) gets its copies from its customer;
--   * service_tickets.customer_id (uuid) takes back the name customer_uuid, loses NOT NULL and gets
--     the validated CHECK of 0024 back; FK and index names follow; the legacy indexes return;
--   * the 0020 functions and triggers are re-created (same text as 0020).
-- The restoring UPDATEs keep updated_at (the keep trigger with the linking flag on), so the legacy
-- rows are byte-identical to what the contract archived. The whole step is one transaction and
-- holds service_tickets exclusively while it restores: a rollback path, run in a maintenance
-- window at scale. Undo: 0920 up.
drop trigger trg_service_tickets_t1_2_follow_merge on service_tickets;
drop function t1_2_follow_merge();

create function t1_2_keep_updated_at() returns trigger
language plpgsql as $$
begin
  if current_setting('abymed.t1_2_linking', true) = 'on' then
    new.updated_at := old.updated_at;
  end if;
  return new;
end $$;

create function customer_legacy_code(p_customer_id uuid) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_code text;
begin
  select legacy_id into v_code from customer_legacy_ids where customer_id = p_customer_id order by created_at, legacy_id limit 1;
  if v_code is null then
    v_code := replace(p_customer_id::text, '-', '');
    insert into customer_legacy_ids (legacy_id, customer_id) values (v_code, p_customer_id) on conflict (legacy_id) do nothing;
  end if;
  return v_code;
end $$;

alter index idx_service_tickets_customer_id rename to idx_service_tickets_customer_uuid;
alter table service_tickets rename constraint service_tickets_customer_id_fkey to service_tickets_customer_uuid_fkey;
alter table service_tickets alter column customer_id drop not null;
alter table service_tickets rename column customer_id to customer_uuid;
alter table service_tickets add constraint service_tickets_customer_uuid_present check (customer_uuid is not null) not valid;
alter table service_tickets validate constraint service_tickets_customer_uuid_present;
alter table service_tickets add column customer_id varchar(32);
alter table service_tickets add column customer_name varchar(500);
alter table service_tickets add column customer_phone varchar(20);
alter table service_tickets add column customer_whatsapp varchar(20);
alter table equipment add column customer_id varchar(32);
alter table equipment add column customer_name varchar(500);
alter table equipment add column customer_uuid uuid;
create trigger trg_service_tickets_zz_t1_2_keep_updated_at before update of customer_uuid on service_tickets
  for each row execute function t1_2_keep_updated_at();
create trigger trg_equipment_zz_t1_2_keep_updated_at before update of customer_uuid on equipment
  for each row execute function t1_2_keep_updated_at();

select set_config('abymed.t1_2_linking', 'on', true);
-- The keep trigger fires on updates of customer_uuid; naming it in SET makes it fire here too.
update service_tickets t
   set customer_id = a.customer_id, customer_name = a.customer_name, customer_phone = a.customer_phone,
       customer_whatsapp = a.customer_whatsapp, customer_uuid = t.customer_uuid
  from abymed.t1_2_archive_ticket_copies a where a.id = t.id;
update service_tickets t
   set customer_id = customer_legacy_code(c.id), customer_name = left(c.name, 500), customer_phone = c.primary_phone,
       customer_whatsapp = c.whatsapp, customer_uuid = t.customer_uuid
  from customers c
 where c.id = t.customer_uuid and t.customer_name is null;
update equipment e set customer_id = a.customer_id, customer_name = a.customer_name, customer_uuid = a.customer_uuid
  from abymed.t1_2_archive_equipment_copies a where a.id = e.id;
select set_config('abymed.t1_2_linking', 'off', true);
alter table service_tickets alter column customer_name set not null;
drop table abymed.t1_2_archive_ticket_copies;
drop table abymed.t1_2_archive_equipment_copies;

alter table equipment add constraint equipment_customer_uuid_fkey foreign key (customer_uuid) references customers (id) on delete set null;
create index idx_equipment_customer_uuid on equipment (customer_uuid) where customer_uuid is not null;
create index idx_service_tickets_customer_id on service_tickets (customer_id);
create index idx_equipment_customer_id on equipment (customer_id);

create function t1_2_sync_ticket_customer() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  c customers%rowtype;
begin
  if pg_trigger_depth() > 1 or current_setting('abymed.t1_2_linking', true) = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' and new.customer_uuid is null
     or tg_op = 'UPDATE' and new.customer_uuid is not distinct from old.customer_uuid
        and (new.customer_id, new.customer_name, new.customer_phone) is distinct from (old.customer_id, old.customer_name, old.customer_phone)
  then
    -- The legacy application wrote the copies: find (or create) the customer they describe.
    new.customer_uuid := t1_2_surviving_customer(t1_2_resolve_customer(new.customer_id, new.customer_name, new.customer_phone,
                                                                        new.customer_whatsapp, 'legacy_ticket'));
  elsif new.customer_uuid is not null and (tg_op = 'INSERT' or new.customer_uuid is distinct from old.customer_uuid) then
    -- The new application chose the customer: the copies follow it (or its survivor, if merged).
    new.customer_uuid := t1_2_surviving_customer(new.customer_uuid);
    select * into c from customers where id = new.customer_uuid;
    if found then
      new.customer_id := customer_legacy_code(c.id);
      new.customer_name := left(c.name, 500);
      new.customer_phone := c.primary_phone;
      new.customer_whatsapp := c.whatsapp;
    end if;
  end if;
  return new;
end $$;

create trigger trg_service_tickets_t1_2_customer
  before insert or update of customer_id, customer_name, customer_phone, customer_whatsapp, customer_uuid on service_tickets
  for each row execute function t1_2_sync_ticket_customer();

create function t1_2_sync_equipment_customer() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  c customers%rowtype;
begin
  if pg_trigger_depth() > 1 or current_setting('abymed.t1_2_linking', true) = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' and new.customer_uuid is null
     or tg_op = 'UPDATE' and new.customer_uuid is not distinct from old.customer_uuid
        and (new.customer_id, new.customer_name) is distinct from (old.customer_id, old.customer_name)
  then
    new.customer_uuid := t1_2_surviving_customer(t1_2_resolve_customer(new.customer_id, new.customer_name, null, null, 'legacy_equipment', false));
  elsif new.customer_uuid is not null and (tg_op = 'INSERT' or new.customer_uuid is distinct from old.customer_uuid) then
    new.customer_uuid := t1_2_surviving_customer(new.customer_uuid);
    select * into c from customers where id = new.customer_uuid;
    if found then
      new.customer_id := customer_legacy_code(c.id);
      new.customer_name := left(c.name, 500);
    end if;
  elsif new.customer_uuid is null and tg_op = 'UPDATE' and old.customer_uuid is not null then
    new.customer_id := null;
    new.customer_name := null;
  end if;
  return new;
end $$;

create trigger trg_equipment_t1_2_customer
  before insert or update of customer_id, customer_name, customer_uuid on equipment
  for each row execute function t1_2_sync_equipment_customer();

create function t1_2_push_customer_to_copies() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  update service_tickets
     set customer_name = left(new.name, 500), customer_phone = new.primary_phone, customer_whatsapp = new.whatsapp
   where customer_uuid = new.id
     and (customer_name, customer_phone, customer_whatsapp) is distinct from (left(new.name, 500), new.primary_phone, new.whatsapp);
  update equipment set customer_name = left(new.name, 500)
   where customer_uuid = new.id and customer_name is distinct from left(new.name, 500);
  return null;
end $$;

create trigger trg_customers_t1_2_push_copies
  after update of name, primary_phone, whatsapp on customers
  for each row when ((old.name, old.primary_phone, old.whatsapp) is distinct from (new.name, new.primary_phone, new.whatsapp))
  execute function t1_2_push_customer_to_copies();

create function t1_2_link_tickets(p_where text) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r record;
  v_ids text[] := '{}';
  v_customers uuid[] := '{}';
  v_link uuid;
  v_changed int;
begin
  perform t1_2_backfill_restore('backfill_tickets');
  perform set_config('abymed.t1_2_linking', 'on', true);
  -- The batch's rows by primary key first, then the filter: offered both, the planner would AND in
  -- the customer_uuid index, whose null entries cover the whole unlinked table, at every batch.
  for r in execute 'with batch as materialized (select s.id, s.customer_id, s.customer_name, s.customer_phone, s.customer_whatsapp,'
                   || ' s.customer_uuid from service_tickets s where (' || p_where || '))'
                   || ' select * from batch where customer_uuid is null order by id' loop
    v_ids := v_ids || r.id::text;
    select l.customer_id into v_link from abymed.t1_2_backfill_links l
     where l.source_table = 'service_tickets' and l.id = r.id::text
       and l.identity_key = customer_identity_key(r.customer_id, r.customer_name, r.customer_phone)
       and exists (select 1 from customers c where c.id = l.customer_id);
    if v_link is null then
      v_link := t1_2_resolve_customer(r.customer_id, r.customer_name, r.customer_phone, r.customer_whatsapp, 'backfill_tickets');
    end if;
    v_customers := v_customers || t1_2_surviving_customer(v_link);
  end loop;
  update service_tickets t set customer_uuid = u.customer_id
    from unnest(v_ids, v_customers) as u(id, customer_id)
   where t.id = u.id and t.customer_uuid is null and u.customer_id is not null;
  get diagnostics v_changed = row_count;
  delete from abymed.t1_2_backfill_links where source_table = 'service_tickets' and id = any (v_ids);
  perform set_config('abymed.t1_2_linking', 'off', true);
  return v_changed;
end $$;

create function t1_2_link_equipment(p_where text) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r record;
  v_ids text[] := '{}';
  v_customers uuid[] := '{}';
  v_link uuid;
  v_changed int;
begin
  perform t1_2_backfill_restore('backfill_equipment');
  perform set_config('abymed.t1_2_linking', 'on', true);
  for r in execute 'with batch as materialized (select s.id, s.customer_id, s.customer_name, s.customer_uuid from equipment s where ('
                   || p_where || ')) select * from batch where customer_uuid is null'
                   || ' and (customer_id is not null or customer_name is not null) order by id' loop
    v_ids := v_ids || r.id::text;
    select l.customer_id into v_link from abymed.t1_2_backfill_links l
     where l.source_table = 'equipment' and l.id = r.id::text
       and l.identity_key = customer_identity_key(r.customer_id, r.customer_name, null)
       and exists (select 1 from customers c where c.id = l.customer_id);
    if v_link is null then
      v_link := t1_2_resolve_customer(r.customer_id, r.customer_name, null, null, 'backfill_equipment', false);
    end if;
    v_customers := v_customers || t1_2_surviving_customer(v_link);
  end loop;
  update equipment t set customer_uuid = u.customer_id
    from unnest(v_ids, v_customers) as u(id, customer_id)
   where t.id = u.id and t.customer_uuid is null and u.customer_id is not null;
  get diagnostics v_changed = row_count;
  delete from abymed.t1_2_backfill_links where source_table = 'equipment' and id = any (v_ids);
  perform set_config('abymed.t1_2_linking', 'off', true);
  return v_changed;
end $$;

create procedure t1_2_unlink(p_table text, p_batch int default 5000)
language plpgsql as $$
declare
  n int;
begin
  loop
    perform set_config('abymed.t1_2_linking', 'on', true);
    execute format(
      'with u as (update %1$I t set customer_uuid = null
                    from (select ctid as c, customer_uuid as cu from %1$I where customer_uuid is not null limit %2$s) s
                   where t.ctid = s.c
               returning t.id::text as id, s.cu, customer_identity_key(t.customer_id, t.customer_name, %3$s) as k)
       insert into abymed.t1_2_backfill_links as l (source_table, id, customer_id, identity_key)
       select %1$L, id, cu, k from u
       on conflict (source_table, id) do update set customer_id = excluded.customer_id, identity_key = excluded.identity_key',
      p_table, p_batch, case p_table when 'service_tickets' then 't.customer_phone' else 'null' end);
    get diagnostics n = row_count;
    commit;
    exit when n = 0;
  end loop;
end $$;
