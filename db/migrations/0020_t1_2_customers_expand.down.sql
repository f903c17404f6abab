-- 0020 T1.2 customers (expand) down: back to the legacy shape, where the copies on tickets and
-- equipment are the only customer data. The legacy columns were never changed by this step (the
-- triggers only wrote them the way the legacy application would have), so dropping the new objects
-- restores the legacy shape exactly.
-- What the legacy shape cannot hold — customers, their legacy ids, dedup sources and the review
-- queue with its resolutions — is archived into abymed.t1_2_archive_* first, not dropped; the next
-- 0020 up restores it. The ticket and device links are not archived here: 0022/0023 down archived
-- them (abymed.t1_2_backfill_links) with what those steps created (abymed.t1_2_backfill_rows); those
-- archives stay in abymed for the next 0022/0023 up.
-- Undo: 0020 up.

-- First stop the writes that create customers (the legacy application's, through the triggers on
-- these two tables): otherwise a customer and its review case committed between the archive
-- statements below would be archived half (the case without its customer). The lock is the one the
-- drops below need anyway, taken first (a weaker lock upgraded later deadlocks with a transaction
-- that read a table before writing it); held for milliseconds, under the runner's lock_timeout.
lock table equipment, service_tickets in access exclusive mode;

drop table if exists abymed.t1_2_archive_customers;
create table abymed.t1_2_archive_customers as
  select id, customer_type, name, primary_phone, whatsapp, email, organization_id, facility_id, address, status, merged_into_id,
         created_by_org_id, created_by, created_at, updated_at
    from customers;
drop table if exists abymed.t1_2_archive_customer_legacy_ids;
create table abymed.t1_2_archive_customer_legacy_ids as select * from customer_legacy_ids;
drop table if exists abymed.t1_2_archive_customer_sources;
create table abymed.t1_2_archive_customer_sources as select * from customer_sources;
drop table if exists abymed.t1_2_archive_customer_review_cases;
create table abymed.t1_2_archive_customer_review_cases as select * from customer_review_cases;

drop trigger trg_equipment_zz_t1_2_keep_updated_at on equipment;
drop trigger trg_service_tickets_zz_t1_2_keep_updated_at on service_tickets;
drop function t1_2_keep_updated_at();
drop trigger trg_customers_t1_2_push_copies on customers;
drop trigger trg_equipment_t1_2_customer on equipment;
drop trigger trg_service_tickets_t1_2_customer on service_tickets;
drop function t1_2_link_equipment(text);
drop function t1_2_link_tickets(text);
drop function t1_2_push_customer_to_copies();
drop function t1_2_sync_equipment_customer();
drop function t1_2_sync_ticket_customer();
drop procedure t1_2_unlink(text, int);
drop function t1_2_backfill_restore(text);
drop function t1_2_backfill_takeback(text);
drop function t1_2_merge_customers(uuid, uuid, text, text);
drop function t1_2_forecast_links();
drop function t1_2_forecast_customer(text, text, text, text, text, boolean);
drop function t1_2_resolve_customer(text, text, text, text, text, boolean);
drop function customer_legacy_code(uuid);
drop function t1_2_surviving_customer(uuid);
drop function customer_type_from_name(text);

alter table equipment drop constraint equipment_customer_uuid_fkey;
alter table service_tickets drop constraint service_tickets_customer_uuid_fkey;
-- The tables go first: the customers policy reads service_tickets.customer_uuid.
drop table customer_review_cases;
drop table customer_sources;
drop table customer_legacy_ids;
drop table customers;
alter table equipment drop column customer_uuid;
alter table service_tickets drop column customer_uuid;

drop function customer_identity_key(text, text, text);
drop function customer_name_key(text);
drop function normalize_in_phone(text);
