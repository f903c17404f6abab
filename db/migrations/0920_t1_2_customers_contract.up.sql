-- 0920 T1.2 customers (contract): the copies go; tickets keep one `customer_id uuid` FK.
-- Runs once no application reads the copies (the legacy application is retired; contract steps
-- come after every expand). In one transaction:
--   * every ticket's and device's copy (customer_id, customer_name, customer_phone,
--     customer_whatsapp; customer_uuid of devices) is archived per row into
--     abymed.t1_2_archive_ticket_copies / _equipment_copies, so the down restores them exactly;
--   * the sync triggers and their functions go;
--   * service_tickets drops the copies; customer_uuid takes the final name customer_id and becomes
--     NOT NULL without a scan (0024 validated a CHECK proving it); the FK and index follow the name;
--   * a trigger makes writes of customer_id follow a merge to its survivor (the 0020 triggers did);
--   * equipment drops its copy and its link: ownership lives in equipment_relationships (T1.4),
--     and "a customer's equipment" is read through its tickets.
-- Undo: 0920 down re-adds the columns, restores the copies from the archive (and, for rows written
-- after the contract, from customers), and re-attaches the triggers of 0020.
drop table if exists abymed.t1_2_archive_ticket_copies;
create table abymed.t1_2_archive_ticket_copies as
  select id, customer_id, customer_name, customer_phone, customer_whatsapp from service_tickets;
alter table abymed.t1_2_archive_ticket_copies add primary key (id);
drop table if exists abymed.t1_2_archive_equipment_copies;
create table abymed.t1_2_archive_equipment_copies as
  select id, customer_id, customer_name, customer_uuid from equipment
   where customer_id is not null or customer_name is not null or customer_uuid is not null;
alter table abymed.t1_2_archive_equipment_copies add primary key (id);

drop trigger trg_service_tickets_zz_t1_2_keep_updated_at on service_tickets;
drop trigger trg_equipment_zz_t1_2_keep_updated_at on equipment;
drop trigger trg_customers_t1_2_push_copies on customers;
drop trigger trg_equipment_t1_2_customer on equipment;
drop trigger trg_service_tickets_t1_2_customer on service_tickets;
drop procedure t1_2_unlink(text, int);
drop function t1_2_keep_updated_at();
drop function t1_2_link_equipment(text);
drop function t1_2_link_tickets(text);
drop function t1_2_push_customer_to_copies();
drop function t1_2_sync_equipment_customer();
drop function t1_2_sync_ticket_customer();
drop function customer_legacy_code(uuid);

alter table service_tickets drop column customer_id;
alter table service_tickets drop column customer_name;
alter table service_tickets drop column customer_phone;
alter table service_tickets drop column customer_whatsapp;
alter table service_tickets rename column customer_uuid to customer_id;
alter table service_tickets alter column customer_id set not null;
alter table service_tickets drop constraint service_tickets_customer_uuid_present;
alter table service_tickets rename constraint service_tickets_customer_uuid_fkey to service_tickets_customer_id_fkey;
alter index idx_service_tickets_customer_uuid rename to idx_service_tickets_customer_id;

alter table equipment drop column customer_id;
alter table equipment drop column customer_name;
alter table equipment drop column customer_uuid;

-- From here the new application alone writes customer_id; a write racing a review-queue merge
-- still lands on the survivor (t1_2_surviving_customer, 0020), as the 0020 triggers ensured before.
create function t1_2_follow_merge() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  new.customer_id := t1_2_surviving_customer(new.customer_id);
  return new;
end $$;
create trigger trg_service_tickets_t1_2_follow_merge before insert or update of customer_id on service_tickets
  for each row execute function t1_2_follow_merge();
