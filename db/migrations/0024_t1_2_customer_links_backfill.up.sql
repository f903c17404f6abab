--! no-transaction
-- 0024 T1.2 customer links (backfill): proves what 0022/0023 did, without blocking writes.
--   * VALIDATE the two foreign keys added NOT VALID by 0020 (SHARE UPDATE EXCLUSIVE: reads and
--     writes continue while it scans);
--   * every ticket has a customer: a CHECK added NOT VALID, then validated the same way. From here
--     on the triggers keep it true for the legacy application's inserts, and the contract (0920)
--     turns it into NOT NULL without a scan.
-- Undo: 0024 down drops the check and puts the two foreign keys back to NOT VALID.
alter table service_tickets validate constraint service_tickets_customer_uuid_fkey;
alter table equipment validate constraint equipment_customer_uuid_fkey;
alter table service_tickets add constraint service_tickets_customer_uuid_present check (customer_uuid is not null) not valid;
alter table service_tickets validate constraint service_tickets_customer_uuid_present;
