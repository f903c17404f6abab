--! no-transaction
-- 0004 platform tenancy indexes (expand): the indexes the row-level security policies (0003) and
-- the ticket list's cursor need, built CONCURRENTLY so a populated legacy database keeps taking
-- writes while they build (hence no transaction; the runner resumes after a failure and drops an
-- invalid leftover first).
--   * equipment.sold_by_dealer_id: the "what it sold" arm of the equipment policy (the baseline
--     indexes manufacturer_org_id and owned_by_org_id already);
--   * service_tickets (created_at desc, id desc): newest-first keyset pagination without a sort.
-- Undo: 0004 down drops both indexes (concurrently as well).
create index concurrently if not exists idx_equipment_sold_by_dealer_id on equipment (sold_by_dealer_id);
create index concurrently if not exists idx_service_tickets_created_at_id on service_tickets (created_at desc, id desc);
