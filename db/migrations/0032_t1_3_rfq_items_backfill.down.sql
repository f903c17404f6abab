-- 0032 T1.3 rfq items (backfill, down): takes back what the backfill wrote, so the database is at
-- 0032 − 1 again: the rfq_items rows derived from the JSONB (their id is t13_line_id's, so rows the new
-- application wrote, which carry their own id, stay) and the open quarantine entries of rfqs.
-- Nothing is lost: each of them is a copy of an item still in rfqs's JSONB (resolved quarantine
-- entries, whose originals are no longer there, are kept). The sync flag is set so that these
-- deletes do not rewrite the JSONB. Running 0032 up again derives the same rows and entries.
select set_config('abymed.t13_syncing', 'on', true);
delete from rfq_items i where i.id = t13_line_id('rfq_items', i.rfq_id, i.line_number);
delete from procurement_item_quarantine where source_table = 'rfqs' and resolved_at is null;
