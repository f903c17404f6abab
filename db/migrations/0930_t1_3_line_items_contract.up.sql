-- 0930 T1.3 line items (contract): the rows are now the only shape. Runs once no application reads
-- or writes rfqs.items / quotes.line_items (the legacy application is retired); the new application
-- keeps writing RFQs, quotes and their lines throughout. Statement by statement (no transaction):
--   1. drops the legacy→rows triggers, one table at a time (only the retired legacy application
--      needed them). Undone by 0930 down, which recreates them as 0031 made them. This comes first
--      because their sync made an RFQ or quote write lock its parent before the lines, the reverse of
--      a line write (lines, then parent): with them gone every writer locks in the order of step 4;
--   2. creates the archive table t13_jsonb_archive (new, nobody waits on it), and a change list
--      t13_jsonb_archive_changes filled by capture triggers on rfqs, quotes, rfq_items, quote_items
--      and procurement_item_quarantine (everything t13_rfq_items_json / t13_quote_line_items_json
--      read): each write notes its RFQ or quote. Creating each trigger takes SHARE ROW EXCLUSIVE on its
--      table for a moment (catalog only, 200 ms lock budget, retried). Undone: 0930 down drops the
--      archive; the change list and its triggers are gone by the end of this step;
--   3. archives, with plain reads and no strong lock, the JSONB of each RFQ and quote whose exact value
--      the rows cannot rebuild (original ≠ rebuilt, compared as text). Each insert is a statement of
--      its own, so its snapshot is taken after the capture triggers committed: every write it does
--      not see is in the change list;
--   4. ONE statement, atomically: takes ACCESS EXCLUSIVE on quote_items, rfq_items, quotes, rfqs in
--      that order — the order every new-application transaction first touches them in (a quote line
--      insert: quote_items, rfq_items, quotes; a line: rfq_items, rfqs; a quote: quotes, rfqs), so a
--      writer waits a moment and never deadlocks (lock budget 200 ms for the first table, 50 ms for
--      each next one, all below deadlock_timeout: should an unforeseen cycle form, the step times
--      out, releases and retries first); then, with the rows→JSONB mirror still exact up to this
--      instant, re-archives only the RFQs and quotes in the change list (and the quotes of a changed
--      RFQ, whose rebuilt lines name its line numbers), drops the capture triggers on these four
--      tables, the rows→JSONB mirror, the views over the JSONB and the two columns. Nothing can be
--      written between the re-archive and the drop, so the archive is exactly the JSONB dropped (what
--      one transaction archiving everything under the lock would have written), and re-running the
--      contract after a down archives the same rows again. The lock is held for the catalog work and
--      the few RFQs and quotes written since step 3, whatever the size of the tables. Undone by 0930
--      down (columns filled from the archive or the rows);
--   5. drops the last capture trigger (procurement_item_quarantine, which nothing writes any more),
--      the change list, and the sync functions (no lock on the four tables). Undone: 0930 down
--      recreates the sync functions.
-- Kept: rfq_items, quote_items, procurement_item_quarantine (the unconvertible originals are never
-- dropped), the pure conversion functions of 0030 and the JSONB builders of 0031, which the down uses.
-- A failed run resumes at the failed statement (the runner records each statement done).
--! no-transaction
--! lock-timeout: 200ms

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

-- RFQs and quotes whose archived JSONB may have changed since it was read (step 4 re-archives them).
create table t13_jsonb_archive_changes (
  source_table text not null,
  source_id    varchar(32) not null,
  primary key (source_table, source_id)
);

-- tg_argv: the source table ('rfqs' or 'quotes') and the column naming the source row; without
-- them (procurement_item_quarantine) the row's own source_table and source_id.
create function t13_jsonb_archive_note_change() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  insert into t13_jsonb_archive_changes (source_table, source_id)
  select distinct v.source_table, v.source_id
    from (select coalesce(tg_argv[0], r ->> 'source_table') as source_table, r ->> coalesce(tg_argv[1], 'source_id') as source_id
            from (values (to_jsonb(old)), (to_jsonb(new))) x(r) where r is not null) v
   where v.source_table in ('rfqs', 'quotes') and v.source_id is not null
  on conflict do nothing;
  return null;
end $$;

create trigger trg_t13_jsonb_archive_changes after insert or update or delete on rfqs
  for each row execute function t13_jsonb_archive_note_change('rfqs', 'id');
create trigger trg_t13_jsonb_archive_changes after insert or update or delete on rfq_items
  for each row execute function t13_jsonb_archive_note_change('rfqs', 'rfq_id');
create trigger trg_t13_jsonb_archive_changes after insert or update or delete on quotes
  for each row execute function t13_jsonb_archive_note_change('quotes', 'id');
create trigger trg_t13_jsonb_archive_changes after insert or update or delete on quote_items
  for each row execute function t13_jsonb_archive_note_change('quotes', 'quote_id');
create trigger trg_t13_jsonb_archive_changes after insert or update or delete on procurement_item_quarantine
  for each row execute function t13_jsonb_archive_note_change();

-- Compared as text: the exact bytes the legacy application wrote (jsonb equality calls 2.0 and 2 equal).
insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
  select 'rfqs', r.id, r.items, b.rebuilt, r.updated_at
    from rfqs r cross join lateral (select t13_rfq_items_json(r.id) as rebuilt) b
   where r.items::text is distinct from b.rebuilt::text;

insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
  select 'quotes', q.id, q.line_items, b.rebuilt, q.updated_at
    from quotes q cross join lateral (select t13_quote_line_items_json(q.id) as rebuilt) b
   where q.line_items::text is distinct from b.rebuilt::text;

do $$
begin
  lock table quote_items in access exclusive mode;
  -- The first lock had the step's budget; the next ones are normally free at once (every writer
  -- touches the tables in this order), so each waits briefly while the queues behind grow.
  perform set_config('lock_timeout', '50ms', true);
  lock table rfq_items in access exclusive mode;
  lock table quotes in access exclusive mode;
  lock table rfqs in access exclusive mode;

  -- Nothing can write them now: re-archive what was written since the archive was read.
  insert into t13_jsonb_archive_changes (source_table, source_id)
    select 'quotes', q.id from quotes q
      join t13_jsonb_archive_changes c on c.source_table = 'rfqs' and c.source_id = q.rfq_id
  on conflict do nothing;
  delete from t13_jsonb_archive a using t13_jsonb_archive_changes c
   where a.source_table = c.source_table and a.source_id = c.source_id;
  insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
    select 'rfqs', r.id, r.items, b.rebuilt, r.updated_at
      from rfqs r join t13_jsonb_archive_changes c on c.source_table = 'rfqs' and c.source_id = r.id
     cross join lateral (select t13_rfq_items_json(r.id) as rebuilt) b
     where r.items::text is distinct from b.rebuilt::text;
  insert into t13_jsonb_archive (source_table, source_id, original, rebuilt, written_at)
    select 'quotes', q.id, q.line_items, b.rebuilt, q.updated_at
      from quotes q join t13_jsonb_archive_changes c on c.source_table = 'quotes' and c.source_id = q.id
     cross join lateral (select t13_quote_line_items_json(q.id) as rebuilt) b
     where q.line_items::text is distinct from b.rebuilt::text;
  drop trigger trg_t13_jsonb_archive_changes on rfqs;
  drop trigger trg_t13_jsonb_archive_changes on rfq_items;
  drop trigger trg_t13_jsonb_archive_changes on quotes;
  drop trigger trg_t13_jsonb_archive_changes on quote_items;

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

drop trigger trg_t13_jsonb_archive_changes on procurement_item_quarantine;
drop function t13_jsonb_archive_note_change();
drop table t13_jsonb_archive_changes;

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
