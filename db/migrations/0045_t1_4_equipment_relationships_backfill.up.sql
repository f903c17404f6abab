-- 0045 T1.4 equipment relationships (backfill): one `initial` period per known party of every
-- device that has no history yet, from the static columns and the customer copy, valid from the
-- installation date, else the purchase date, else the registration. Run by the backfill engine
-- (job equipment_relationships_initial, src/equipment/relationships-backfill.ts) in keyset batches,
-- resumable; devices whose sources disagree go to abymed.quarantine with the reason. This file's
-- statements are not run: the directive hands the step to the engine.
-- Preview without writing: `abymed validate t1.4`.
-- Undo: 0045 down removes the periods this backfill wrote that are still exactly as it wrote them.
--! backfill: equipment_relationships_initial
select 1;
