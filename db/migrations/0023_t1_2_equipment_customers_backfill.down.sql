--! no-transaction
-- 0023 T1.2 equipment customers (backfill) down: sets equipment.customer_uuid back to NULL in
-- committed batches. Undo: 0023 up.
call t1_2_unlink('equipment', 5000);
