-- 0030 T1.3 line items (down): drops what 0030 up created. The rows of rfq_items and quote_items
-- are copies of the legacy JSONB (0031's sync keeps the JSONB complete), and the quarantine holds
-- originals that are still in the JSONB, so dropping them loses nothing the legacy shape does not
-- hold. 0031 down has already removed the sync triggers.
drop view t13_item_verdicts;
drop function t13_quote_lines(varchar, jsonb);
drop function t13_quote_line(jsonb, integer, integer[], integer[]);
drop function t13_rfq_lines(jsonb);
drop function t13_rfq_line(jsonb, integer);
drop function t13_line_id(text, varchar, integer);
drop function t13_strip_nulls(jsonb);
drop function t13_text(jsonb);
drop function t13_date(jsonb);
drop function t13_uuid(jsonb);
drop function t13_whole(numeric);
drop function t13_number(jsonb);
drop table procurement_item_quarantine;
drop table quote_items;
drop function t13_quote_items_rfq_id();
drop table rfq_items;
