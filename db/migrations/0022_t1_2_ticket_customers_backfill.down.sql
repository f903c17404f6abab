--! no-transaction
-- 0022 T1.2 ticket customers (backfill) down: sets service_tickets.customer_uuid back to NULL in
-- committed batches of 5000 (no long row locks on a hot table). The customers, their sources and
-- the review queue stay: the expand's tables hold them, and 0022 up finds every ticket's customer
-- again through customer_sources. Undo: 0022 up.
call t1_2_unlink('service_tickets', 5000);
