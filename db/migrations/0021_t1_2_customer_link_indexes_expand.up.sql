--! no-transaction
-- 0021 T1.2 customer link indexes (expand): "a customer's tickets" and "a customer's equipment"
-- need an index on the new link columns of two populated legacy tables, so they are built
-- CONCURRENTLY (writes continue; the runner drops an invalid leftover before a retry).
-- Undo: 0021 down drops both indexes, concurrently as well.
create index concurrently if not exists idx_service_tickets_customer_uuid on service_tickets (customer_uuid, created_at desc);
create index concurrently if not exists idx_equipment_customer_uuid on equipment (customer_uuid) where customer_uuid is not null;
