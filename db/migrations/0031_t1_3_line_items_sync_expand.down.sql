-- 0031 T1.3 line items sync (down): stops keeping the JSONB and the rows in step by dropping the
-- triggers, the consistency view and the sync functions 0031 up created. Rows, JSONB and the
-- quarantine are left as they are (0030 down removes the rows; the JSONB is the legacy truth).
drop view t13_sync_mismatches;
drop trigger trg_quote_items_to_json_delete on quote_items;
drop trigger trg_quote_items_to_json_update on quote_items;
drop trigger trg_quote_items_to_json_insert on quote_items;
drop trigger trg_rfq_items_to_json_delete on rfq_items;
drop trigger trg_rfq_items_to_json_update on rfq_items;
drop trigger trg_rfq_items_to_json_insert on rfq_items;
drop trigger trg_quotes_line_items_to_rows_update on quotes;
drop trigger trg_quotes_line_items_to_rows on quotes;
drop trigger trg_rfqs_items_to_rows_update on rfqs;
drop trigger trg_rfqs_items_to_rows on rfqs;
drop trigger trg_rfqs_delete_end on rfqs;
drop trigger trg_rfqs_delete_begin on rfqs;
drop function t13_quote_items_to_json();
drop function t13_rfq_items_to_json();
drop function t13_quotes_to_rows();
drop function t13_rfqs_to_rows();
drop function t13_rfqs_delete_end();
drop function t13_rfqs_delete_begin();
drop function t13_sync_safely(text, varchar, jsonb);
drop function t13_sync_rfq(varchar, boolean);
drop function t13_sync_quote(varchar);
drop function t13_quarantine(text, varchar, jsonb, timestamptz);
drop function t13_quote_line_items_json(varchar);
drop function t13_rfq_items_json(varchar);
