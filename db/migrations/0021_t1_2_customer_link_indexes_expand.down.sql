--! no-transaction
-- 0021 T1.2 customer link indexes (expand) down: drops the two indexes 0021 up built, without
-- blocking writes. Undo: 0021 up.
drop index concurrently if exists idx_equipment_customer_uuid;
drop index concurrently if exists idx_service_tickets_customer_uuid;
