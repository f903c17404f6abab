--! no-transaction
-- 0950 down: drops the SLA dashboard's partial index, concurrently, so readers and writers are not
-- blocked.
drop index concurrently if exists idx_service_tickets_sla_breached_open;
