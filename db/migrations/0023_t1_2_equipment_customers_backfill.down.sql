--! no-transaction
-- 0023 T1.2 equipment customers (backfill) down: takes back exactly what 0023 up wrote, as 0022
-- down does for tickets: equipment.customer_uuid back to NULL in committed batches (links archived
-- into abymed.t1_2_backfill_links), then, in one short transaction, the customers this backfill
-- created (created_by 'backfill_equipment') with everything depending on them, and the sources it
-- recorded, archived into abymed.t1_2_backfill_rows and deleted. 0023 up puts them back.
-- Undo: 0023 up.
call t1_2_unlink('equipment', 5000);
select t1_2_backfill_takeback('backfill_equipment');
