-- 0930 T1.3 line items (contract): the rows are now the only shape. Runs once no application reads
-- or writes rfqs.items / quotes.line_items (the legacy application is retired). Statement by
-- statement (no transaction): each DDL statement holds its one table's strong lock for an instant,
-- so the new application, which keeps writing lines, never waits long and never deadlocks against
-- a lock held on another table (its quote writes touch quotes, then rfqs, then the lines). A failed
-- run resumes at the failed statement (the runner records each statement done).
--   1. stops mirroring rows into the JSONB (the rows→JSONB triggers), which freezes it;
--   2. archives each row's JSONB exactly as it was, with the JSONB its rows rebuild to at this
--      instant (t13_jsonb_archive), so the down can give back the original bytes of every RFQ and
--      quote whose lines did not change since (a line written later is found in the rows);
--   3. drops the rest of the sync and the views over the JSONB;
--   4. drops the columns rfqs.items and quotes.line_items.
-- Kept: rfq_items, quote_items, procurement_item_quarantine (the unconvertible originals are never
-- dropped), the pure conversion functions of 0030 and the JSONB builders of 0031, which the down uses.
-- Undo: 0930 down adds the columns back and restores the sync exactly as 0031 made it, filling the
-- columns from the archive (rows unchanged since the contract) or from the rows plus the open
-- quarantined originals (rows written since).
--! no-transaction
--! lock-timeout: 2s

drop trigger trg_quote_items_to_json_delete on quote_items;
drop trigger trg_quote_items_to_json_update on quote_items;
drop trigger trg_quote_items_to_json_insert on quote_items;
drop trigger trg_rfq_items_to_json_delete on rfq_items;
drop trigger trg_rfq_items_to_json_update on rfq_items;
drop trigger trg_rfq_items_to_json_insert on rfq_items;

create table t13_jsonb_archive (
  source_table text not null constraint t13_jsonb_archive_source_table_check check (source_table in ('rfqs', 'quotes')),
  source_id    varchar(32) not null,
  original     jsonb not null,
  rebuilt      jsonb not null,
  -- The source row's updated_at: when the archived JSONB was last written.
  written_at   timestamptz not null,
  constraint t13_jsonb_archive_pkey primary key (source_table, source_id)
);
comment on table t13_jsonb_archive is
  'T1.3 contract: rfqs.items / quotes.line_items as they were when dropped (original) and as the rows rebuilt them then (rebuilt); read only by 0930 down.';
insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
  select 'rfqs', r.id, r.items, t13_rfq_items_json(r.id), r.updated_at from rfqs r;
insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
  select 'quotes', q.id, q.line_items, t13_quote_line_items_json(q.id), q.updated_at from quotes q;

drop view t13_sync_mismatches;
drop view t13_item_verdicts;
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
drop function t13_quote_lines(varchar, jsonb);

alter table quotes drop column line_items;
alter table rfqs drop column items;
