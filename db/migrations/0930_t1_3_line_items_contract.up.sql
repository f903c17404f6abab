-- 0930 T1.3 line items (contract): the rows are now the only shape. Runs once no application reads
-- or writes rfqs.items / quotes.line_items (the legacy application is retired); the new application
-- keeps writing RFQs, quotes and their lines throughout. Statement by statement (no transaction):
--   1. drops the legacy→rows triggers, one table at a time (only the retired legacy application
--      needed them). Undone by 0930 down, which recreates them as 0031 made them. This comes first
--      because their sync made an RFQ or quote write lock its parent before the lines, the reverse of
--      a line write (lines, then parent): with them gone every writer locks in the order of step 2;
--   2. creates the archive table t13_jsonb_archive (new, nobody waits on it). Undone: 0930 down drops it;
--   3. ONE statement, atomically: takes ACCESS EXCLUSIVE on quote_items, rfq_items, quotes, rfqs in
--      that order — the order every new-application transaction first touches them in (a quote line
--      insert: quote_items, rfq_items, quotes; a line: rfq_items, rfqs; a quote: quotes, rfqs), so a
--      writer waits a moment and never deadlocks (lock-timeout 500 ms, below deadlock_timeout: should
--      an unforeseen cycle form, the step times out, releases and retries first); then, with the
--      rows→JSONB mirror still exact up to this instant, archives the JSONB of each RFQ and quote
--      whose exact value the rows cannot rebuild (original ≠ rebuilt), drops the rows→JSONB mirror,
--      the views over the JSONB and the two columns. Nothing can be written between the archive and
--      the drop, so the archive is exactly the JSONB dropped, and re-running the contract after a down
--      archives the same rows again. Undone by 0930 down (columns filled from the archive or the rows);
--   4. drops the sync functions (no table lock). Undone: 0930 down recreates them.
-- Kept: rfq_items, quote_items, procurement_item_quarantine (the unconvertible originals are never
-- dropped), the pure conversion functions of 0030 and the JSONB builders of 0031, which the down uses.
-- A failed run resumes at the failed statement (the runner records each statement done).
--! no-transaction
--! lock-timeout: 500ms

drop trigger trg_quotes_line_items_to_rows_update on quotes;
drop trigger trg_quotes_line_items_to_rows on quotes;
drop trigger trg_rfqs_items_to_rows_update on rfqs;
drop trigger trg_rfqs_items_to_rows on rfqs;
drop trigger trg_rfqs_delete_end on rfqs;
drop trigger trg_rfqs_delete_begin on rfqs;

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
  'T1.3 contract: rfqs.items / quotes.line_items as they were when dropped (original), where the rows did not rebuild them exactly, and what the rows rebuilt then (rebuilt); read only by 0930 down.';

do $$
begin
  lock table quote_items, rfq_items, quotes, rfqs in access exclusive mode;
  -- Compared as text: the exact bytes the legacy application wrote (jsonb equality calls 2.0 and 2 equal).
  insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
    select 'rfqs', r.id, r.items, b.rebuilt, r.updated_at
      from rfqs r cross join lateral (select t13_rfq_items_json(r.id) as rebuilt) b
     where r.items::text is distinct from b.rebuilt::text;
  insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
    select 'quotes', q.id, q.line_items, b.rebuilt, q.updated_at
      from quotes q cross join lateral (select t13_quote_line_items_json(q.id) as rebuilt) b
     where q.line_items::text is distinct from b.rebuilt::text;
  drop trigger trg_quote_items_to_json_delete on quote_items;
  drop trigger trg_quote_items_to_json_update on quote_items;
  drop trigger trg_quote_items_to_json_insert on quote_items;
  drop trigger trg_rfq_items_to_json_delete on rfq_items;
  drop trigger trg_rfq_items_to_json_update on rfq_items;
  drop trigger trg_rfq_items_to_json_insert on rfq_items;
  drop view t13_sync_mismatches;
  drop view t13_item_verdicts;
  alter table quotes drop column line_items;
  alter table rfqs drop column items;
end $$;

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
