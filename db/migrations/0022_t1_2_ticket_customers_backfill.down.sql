--! no-transaction
-- 0022 T1.2 ticket customers (backfill) down: takes back exactly what 0022 up wrote, so the database
-- is at 0021 again, and archives it so that the next 0022 up writes the same rows again.
--   1. service_tickets.customer_uuid back to NULL in committed batches of 5000 (no long row locks on
--      a hot table); each link is archived with the identity its copies had
--      (abymed.t1_2_backfill_links);
--   2. one short transaction: the customers this backfill created (created_by 'backfill_tickets'),
--      those merged into them, their sources, legacy ids and review cases, and the sources it
--      recorded, are archived into abymed.t1_2_backfill_rows and deleted; links written since 1
--      likewise. Writers that resolve or name a customer wait for it (its lock is held for
--      milliseconds; the runner retries it on lock timeout).
-- Nothing is lost: 0022 up puts the archived rows back (merges and review decisions included) before
-- its first batch, and relinks a ticket to its archived customer when its copies did not change.
-- The legacy copies and updated_at are never touched. Undo: 0022 up.
call t1_2_unlink('service_tickets', 5000);
select t1_2_backfill_takeback('backfill_tickets');
