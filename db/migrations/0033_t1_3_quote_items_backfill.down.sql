-- 0033 T1.3 quote items (backfill, down): takes back what the backfill wrote, so the database is at
-- 0033 − 1 again: the quote_items rows derived from the JSONB (their id is t13_line_id's, so rows the new
-- application wrote, which carry their own id, stay) and the open quarantine entries of quotes.
-- Nothing is lost: each of them is a copy of an item still in quotes's JSONB (resolved quarantine
-- entries, whose originals are no longer there, are kept). The sync flag is set so that these
-- deletes do not rewrite the JSONB. Running 0033 up again derives the same rows and entries.
select set_config('abymed.t13_syncing', 'on', true);
delete from quote_items i where i.id = t13_line_id('quote_items', i.quote_id, i.line_number);
delete from procurement_item_quarantine where source_table = 'quotes' and resolved_at is null;
