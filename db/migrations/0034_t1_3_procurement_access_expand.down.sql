-- 0034 T1.3 procurement access (down): removes what 0034 up added — the policies, row-level
-- security on rfqs, quotes, rfq_items and quote_items, the grants, the final-status trigger, the
-- numbering functions and their sequences. No row is touched.
drop policy supplier_write on quote_items;
drop policy parent_read on quote_items;
drop policy requester_write on rfq_items;
drop policy parent_read on rfq_items;
drop policy party_update on quotes;
drop policy supplier_write on quotes;
drop policy procurement_read on quotes;
drop policy requester_update on rfqs;
drop policy requester_write on rfqs;
drop policy procurement_read on rfqs;
drop policy admin_all on quote_items;
drop policy admin_all on rfq_items;
drop policy admin_all on quotes;
drop policy admin_all on rfqs;
alter table quote_items disable row level security;
alter table rfq_items disable row level security;
alter table quotes disable row level security;
alter table rfqs disable row level security;
revoke select on procurement_item_quarantine from abymed_app_admin;
revoke usage on sequence rfq_number_seq, quote_number_seq from abymed_app, abymed_app_admin;
revoke select, insert, update, delete on rfq_items, quote_items from abymed_app, abymed_app_admin;
revoke select, insert, update on rfqs, quotes from abymed_app, abymed_app_admin;
revoke select on products, skus from abymed_app, abymed_app_admin;
drop function caller_requested_rfq_ids();
drop trigger trg_quotes_final_status on quotes;
drop function t13_quotes_final_status();
drop function next_quote_number();
drop function next_rfq_number();
drop sequence quote_number_seq;
drop sequence rfq_number_seq;
