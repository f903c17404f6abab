-- 0024 T1.2 customer links (backfill) down: drops the "every ticket has a customer" check and
-- re-adds the two foreign keys NOT VALID, as 0020 left them (catalog-identical). Each statement
-- is metadata only. Undo: 0024 up.
alter table service_tickets drop constraint service_tickets_customer_uuid_present;
alter table service_tickets drop constraint service_tickets_customer_uuid_fkey;
alter table service_tickets add constraint service_tickets_customer_uuid_fkey
  foreign key (customer_uuid) references customers (id) not valid;
alter table equipment drop constraint equipment_customer_uuid_fkey;
alter table equipment add constraint equipment_customer_uuid_fkey
  foreign key (customer_uuid) references customers (id) on delete set null not valid;
