--! no-transaction
-- 0004 down: drops the two indexes 0004 built, concurrently, so readers and writers are not blocked.
drop index concurrently if exists idx_service_tickets_created_at_id;
drop index concurrently if exists idx_equipment_sold_by_dealer_id;
