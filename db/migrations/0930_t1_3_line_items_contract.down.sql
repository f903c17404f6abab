-- 0930 T1.3 line items (contract, down): gives the legacy application its JSONB back. One
-- transaction: the new application keeps writing lines, and a line committed between filling the
-- JSONB and mirroring it (or a fill racing a mirror update of the same row) would be missing from the
-- JSONB; inside one transaction holding the tables nothing can be written in between.
--   1. takes ACCESS EXCLUSIVE on quote_items, rfq_items, quotes, rfqs in that order, the order every
--      new-application transaction first touches them in (no sync triggers exist at this version), so
--      a writer waits a moment and never deadlocks (lock budget 200 ms for the first table, retried,
--      50 ms for each next one, all below deadlock_timeout);
--   2. adds rfqs.items and quotes.line_items again (not null default '[]', as the baseline had them)
--      and recreates the functions of 0030/0031 that the up dropped, and the rows→JSONB mirror;
--   3. fills the columns: the archived original where the rows still rebuild to what they rebuilt to
--      at the contract (the original bytes come back), else the JSONB rebuilt from the rows and the
--      open quarantined originals (what the up did not archive because the rows rebuilt it exactly,
--      and every line written since); the fill is not an edit, so updated_at is kept;
--   4. drops the archive, recreates the legacy→rows triggers and the views, identical to 0030/0031
--      (the catalog round-trip test compares them).
-- Undo: 0930 up (archives what the rows cannot rebuild, drops the columns and the sync again).
--! lock-timeout: 200ms

lock table quote_items in access exclusive mode;
set local lock_timeout = '50ms';
lock table rfq_items, quotes, rfqs in access exclusive mode;
alter table rfqs add column items jsonb not null default '[]'::jsonb;
alter table quotes add column line_items jsonb not null default '[]'::jsonb;

-- Every line of a quote's line_items value, in array order; line_number is the array position.
-- The RFQ's lines are read from its items JSONB through the same rules as t13_rfq_lines, so the
-- verdict is the same before the backfill (report) and after it (sync).
create function t13_quote_lines(p_rfq_id varchar, p_items jsonb)
returns table (item_index integer, original jsonb, verdict text, defect text, reason text, normalisations text[],
  line_number integer, rfq_line integer, product_id uuid, sku_id uuid, name text, quantity integer,
  unit_price numeric, tax_amount numeric, discount_percentage numeric, total_price numeric,
  lead_time_days integer, notes text, row_id uuid)
language plpgsql stable as $$
#variable_conflict use_variable
declare
  rfq_lines integer[];
  rfq_all_lines integer[];
begin
  if jsonb_typeof(p_items) is distinct from 'array' then
    item_index := null;
    original := coalesce(p_items, 'null'::jsonb);
    verdict := 'quarantined';
    defect := 'items_not_array';
    reason := format('line_items is a JSON %s, not an array', coalesce(jsonb_typeof(p_items), 'null'));
    normalisations := '{}';
    return next;
    return;
  end if;
  select coalesce(array_agg(l.line_number) filter (where l.verdict <> 'quarantined'), '{}'),
         coalesce(array_agg(l.line_number) filter (where l.line_number is not null), '{}')
    into rfq_lines, rfq_all_lines
    from rfqs r left join lateral t13_rfq_lines(r.items) l on true
   where r.id = p_rfq_id
   group by r.id;
  if not found then rfq_lines := null; rfq_all_lines := null; end if;
  return query
    select x.ordinality::integer, x.value, l.verdict, l.defect, l.reason, l.normalisations,
           x.ordinality::integer, l.rfq_line, l.product_id, l.sku_id, l.name, l.quantity, l.unit_price,
           l.tax_amount, l.discount_percentage, l.total_price, l.lead_time_days, l.notes, l.row_id
      from jsonb_array_elements(p_items) with ordinality x, t13_quote_line(x.value, x.ordinality::integer, rfq_lines, rfq_all_lines) l
     order by x.ordinality;
end $$;

-- Records the quarantined verdicts of one source row and resolves the entries no longer in its JSONB.
-- p_at: when the legacy application wrote them (the source row's updated_at).
create function t13_quarantine(p_source text, p_source_id varchar, p_verdicts jsonb, p_at timestamptz) returns integer
language plpgsql as $$
declare
  n integer;
  total integer := 0;
begin
  insert into procurement_item_quarantine as q (id, source_table, source_id, item_index, original, defect, reason, quarantined_at)
  select t13_line_id('quarantine:' || p_source, p_source_id, (v ->> 'item_index')::integer), p_source, p_source_id,
         (v ->> 'item_index')::integer, v -> 'original', v ->> 'defect', v ->> 'reason', p_at
    from jsonb_array_elements(p_verdicts) v
  on conflict (source_table, source_id, item_index) do update
     set original = excluded.original, defect = excluded.defect, reason = excluded.reason, resolved_at = null,
         quarantined_at = case when q.original is distinct from excluded.original then excluded.quarantined_at else q.quarantined_at end
   where (q.original, q.defect, q.reason, q.resolved_at) is distinct from (excluded.original, excluded.defect, excluded.reason, null);
  get diagnostics n = row_count;
  total := total + n;
  update procurement_item_quarantine q set resolved_at = now()
   where q.source_table = p_source and q.source_id = p_source_id and q.resolved_at is null
     and not exists (select 1 from jsonb_array_elements(p_verdicts) v
                      where (v ->> 'item_index')::integer is not distinct from q.item_index);
  get diagnostics n = row_count;
  return total + n;
end $$;

-- Legacy → rows for one quote. Returns the number of rows written (0 when already in step).
create function t13_sync_quote(p_quote_id varchar) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  prev text := coalesce(current_setting('abymed.t13_syncing', true), '');
  q record;
  lines jsonb;
  n integer;
  total integer := 0;
begin
  perform set_config('abymed.t13_syncing', 'on', true);
  select id, rfq_id, line_items, updated_at into q from quotes where id = p_quote_id;
  if found then
    select coalesce(jsonb_agg(to_jsonb(l)), '[]') into lines from t13_quote_lines(q.rfq_id, q.line_items) l;
    with l as (
      select v.*, ri.id as rfq_item_id
        from jsonb_to_recordset(lines) as v(item_index integer, verdict text, line_number integer, rfq_line integer,
               product_id uuid, sku_id uuid, name text, quantity integer, unit_price numeric, tax_amount numeric,
               discount_percentage numeric, total_price numeric, lead_time_days integer, notes text, row_id uuid)
        left join rfq_items ri on ri.rfq_id = q.rfq_id and ri.line_number = v.rfq_line
       where v.verdict <> 'quarantined'
    )
    insert into quote_items as i (id, quote_id, line_number, rfq_id, rfq_item_id, product_id, sku_id, name, quantity, unit_price,
                                  tax_amount, discount_percentage, total_price, lead_time_days, notes)
    select coalesce(l.row_id, t13_line_id('quote_items', q.id, l.line_number)), q.id, l.line_number, q.rfq_id, l.rfq_item_id, l.product_id, l.sku_id, l.name, l.quantity, l.unit_price,
           l.tax_amount, l.discount_percentage, l.total_price, l.lead_time_days, l.notes
      from l
    on conflict (quote_id, line_number) do update
       set rfq_id = excluded.rfq_id, rfq_item_id = excluded.rfq_item_id, product_id = excluded.product_id,
           sku_id = excluded.sku_id, name = excluded.name, quantity = excluded.quantity, unit_price = excluded.unit_price,
           tax_amount = excluded.tax_amount, discount_percentage = excluded.discount_percentage,
           total_price = excluded.total_price, lead_time_days = excluded.lead_time_days, notes = excluded.notes
     where (i.rfq_id, i.rfq_item_id, i.product_id, i.sku_id, i.name, i.quantity, i.unit_price, i.tax_amount,
            i.discount_percentage, i.total_price, i.lead_time_days, i.notes)
           is distinct from (excluded.rfq_id, excluded.rfq_item_id, excluded.product_id, excluded.sku_id, excluded.name,
            excluded.quantity, excluded.unit_price, excluded.tax_amount, excluded.discount_percentage,
            excluded.total_price, excluded.lead_time_days, excluded.notes);
    get diagnostics n = row_count;
    total := total + n;
    delete from quote_items i
     where i.quote_id = q.id
       and not exists (select 1 from jsonb_array_elements(lines) v
                        where v ->> 'verdict' <> 'quarantined' and (v ->> 'line_number')::integer = i.line_number);
    get diagnostics n = row_count;
    total := total + n;
    total := total + t13_quarantine('quotes', q.id,
      (select coalesce(jsonb_agg(v), '[]') from jsonb_array_elements(lines) v where v ->> 'verdict' = 'quarantined'), q.updated_at);
  end if;
  perform set_config('abymed.t13_syncing', prev, true);
  return total;
end $$;

-- Legacy → rows for one RFQ, then (p_with_quotes) its quotes, whose links to RFQ lines may have
-- changed. The RFQ backfill passes false: quotes are the next step's job, so each step's down takes
-- back exactly what its up wrote.
create function t13_sync_rfq(p_rfq_id varchar, p_with_quotes boolean default true) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  prev text := coalesce(current_setting('abymed.t13_syncing', true), '');
  r record;
  lines jsonb;
  n integer;
  total integer := 0;
begin
  perform set_config('abymed.t13_syncing', 'on', true);
  select id, items, updated_at into r from rfqs where id = p_rfq_id;
  if found then
    select coalesce(jsonb_agg(to_jsonb(l)), '[]') into lines from t13_rfq_lines(r.items) l;
    insert into rfq_items as i (id, rfq_id, line_number, product_id, sku_id, name, quantity, unit, required_by_date,
                                specifications, notes)
    select coalesce(v.row_id, t13_line_id('rfq_items', r.id, v.line_number)), r.id, v.line_number, v.product_id, v.sku_id,
           v.name, v.quantity, v.unit, v.required_by_date, v.specifications, v.notes
      from jsonb_to_recordset(lines) as v(verdict text, line_number integer, product_id uuid, sku_id uuid, name text,
             quantity integer, unit text, required_by_date date, specifications jsonb, notes text, row_id uuid)
     where v.verdict <> 'quarantined'
    on conflict (rfq_id, line_number) do update
       set product_id = excluded.product_id, sku_id = excluded.sku_id, name = excluded.name, quantity = excluded.quantity,
           unit = excluded.unit, required_by_date = excluded.required_by_date, specifications = excluded.specifications,
           notes = excluded.notes
     where (i.product_id, i.sku_id, i.name, i.quantity, i.unit, i.required_by_date, i.specifications, i.notes)
           is distinct from (excluded.product_id, excluded.sku_id, excluded.name, excluded.quantity, excluded.unit,
            excluded.required_by_date, excluded.specifications, excluded.notes);
    get diagnostics n = row_count;
    total := total + n;
    delete from rfq_items i
     where i.rfq_id = r.id
       and not exists (select 1 from jsonb_array_elements(lines) v
                        where v ->> 'verdict' <> 'quarantined' and (v ->> 'line_number')::integer = i.line_number);
    get diagnostics n = row_count;
    total := total + n;
    total := total + t13_quarantine('rfqs', r.id,
      (select coalesce(jsonb_agg(v), '[]') from jsonb_array_elements(lines) v where v ->> 'verdict' = 'quarantined'), r.updated_at);
    if p_with_quotes then
      total := total + coalesce((select sum(t13_sync_quote(q.id)) from quotes q where q.rfq_id = r.id), 0);
    end if;
  end if;
  perform set_config('abymed.t13_syncing', prev, true);
  return total;
end $$;

-- The legacy write must succeed whatever its items hold: a failure of the copy (a SKU deleted
-- between the verdict and the insert, say) is quarantined for the whole value instead. Errors that
-- mean "retry the transaction" or "stop" are not swallowed.
create function t13_sync_safely(p_source text, p_id varchar, p_value jsonb) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  begin
    if p_source = 'rfqs' then perform t13_sync_rfq(p_id); else perform t13_sync_quote(p_id); end if;
  exception
    when serialization_failure or deadlock_detected or lock_not_available or query_canceled then raise;
    when others then
      insert into procurement_item_quarantine as q (id, source_table, source_id, item_index, original, defect, reason, quarantined_at)
      values (t13_line_id('quarantine:' || p_source, p_id, null), p_source, p_id, null, coalesce(p_value, 'null'::jsonb), 'sync_failed',
              sqlerrm, now())
      on conflict (source_table, source_id, item_index) do update
         set original = excluded.original, defect = excluded.defect, reason = excluded.reason, resolved_at = null;
  end;
end $$;

create function t13_rfqs_to_rows() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if current_setting('abymed.t13_syncing', true) = 'on' then return null; end if;
  perform t13_sync_safely('rfqs', new.id, new.items);
  return null;
end $$;

create function t13_quotes_to_rows() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  if current_setting('abymed.t13_syncing', true) = 'on' then return null; end if;
  perform t13_sync_safely('quotes', new.id, new.line_items);
  return null;
end $$;

-- A legacy DELETE of RFQs cascades to their lines and unlinks the quote lines that answered them.
-- Those cascaded writes must not rewrite the quotes' JSONB (the legacy application left it as it
-- was), so the flag is set for the statement; afterwards the affected quotes are re-derived from
-- their unchanged JSONB, which now quarantines the lines whose RFQ line is gone.
create function t13_rfqs_delete_begin() returns trigger
language plpgsql as $$
begin
  perform set_config('abymed.t13_before_delete', coalesce(current_setting('abymed.t13_syncing', true), ''), true);
  perform set_config('abymed.t13_syncing', 'on', true);
  return null;
end $$;

create function t13_rfqs_delete_end() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  prev text := coalesce(current_setting('abymed.t13_before_delete', true), '');
begin
  if prev <> 'on' then
    perform t13_sync_safely('quotes', q.id, q.line_items) from quotes q where q.rfq_id in (select id from old_rows);
  end if;
  perform set_config('abymed.t13_syncing', prev, true);
  return null;
end $$;

-- Rows → legacy. Statement-level with transition tables: one rebuild per RFQ or quote touched,
-- however many lines the statement wrote.
create function t13_rfq_items_to_json() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  prev text := coalesce(current_setting('abymed.t13_syncing', true), '');
begin
  if prev = 'on' then return null; end if;
  perform set_config('abymed.t13_syncing', 'on', true);
  if tg_op = 'INSERT' then
    update rfqs r set items = t13_rfq_items_json(r.id) where r.id in (select rfq_id from new_rows);
  elsif tg_op = 'UPDATE' then
    update rfqs r set items = t13_rfq_items_json(r.id)
     where r.id in (select rfq_id from new_rows union select rfq_id from old_rows);
  else
    update rfqs r set items = t13_rfq_items_json(r.id) where r.id in (select rfq_id from old_rows);
  end if;
  perform set_config('abymed.t13_syncing', prev, true);
  return null;
end $$;

create function t13_quote_items_to_json() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  prev text := coalesce(current_setting('abymed.t13_syncing', true), '');
begin
  if prev = 'on' then return null; end if;
  perform set_config('abymed.t13_syncing', 'on', true);
  if tg_op = 'INSERT' then
    update quotes q set line_items = t13_quote_line_items_json(q.id) where q.id in (select quote_id from new_rows);
  elsif tg_op = 'UPDATE' then
    update quotes q set line_items = t13_quote_line_items_json(q.id)
     where q.id in (select quote_id from new_rows union select quote_id from old_rows);
  else
    update quotes q set line_items = t13_quote_line_items_json(q.id) where q.id in (select quote_id from old_rows);
  end if;
  perform set_config('abymed.t13_syncing', prev, true);
  return null;
end $$;

create trigger trg_rfq_items_to_json_insert after insert on rfq_items
  referencing new table as new_rows for each statement execute function t13_rfq_items_to_json();
create trigger trg_rfq_items_to_json_update after update on rfq_items
  referencing old table as old_rows new table as new_rows for each statement execute function t13_rfq_items_to_json();
create trigger trg_rfq_items_to_json_delete after delete on rfq_items
  referencing old table as old_rows for each statement execute function t13_rfq_items_to_json();
create trigger trg_quote_items_to_json_insert after insert on quote_items
  referencing new table as new_rows for each statement execute function t13_quote_items_to_json();
create trigger trg_quote_items_to_json_update after update on quote_items
  referencing old table as old_rows new table as new_rows for each statement execute function t13_quote_items_to_json();
create trigger trg_quote_items_to_json_delete after delete on quote_items
  referencing old table as old_rows for each statement execute function t13_quote_items_to_json();

alter table rfqs disable trigger trg_rfqs_updated_at;
-- One JSONB rebuild per RFQ and per quote (offset 0 keeps the subquery whole), all under the lock.
update rfqs r
   set items = coalesce(a.original, b.rebuilt)
  from (select x.id, t13_rfq_items_json(x.id) as rebuilt from rfqs x offset 0) b
  left join t13_jsonb_archive a on a.source_table = 'rfqs' and a.source_id = b.id and a.rebuilt = b.rebuilt
 where r.id = b.id;
alter table rfqs enable trigger trg_rfqs_updated_at;
alter table quotes disable trigger trg_quotes_updated_at;
update quotes q
   set line_items = coalesce(a.original, b.rebuilt)
  from (select x.id, t13_quote_line_items_json(x.id) as rebuilt from quotes x offset 0) b
  left join t13_jsonb_archive a on a.source_table = 'quotes' and a.source_id = b.id and a.rebuilt = b.rebuilt
 where q.id = b.id;
alter table quotes enable trigger trg_quotes_updated_at;
drop table t13_jsonb_archive;

create trigger trg_rfqs_items_to_rows after insert on rfqs
  for each row execute function t13_rfqs_to_rows();
create trigger trg_rfqs_items_to_rows_update after update of items on rfqs
  for each row when (old.items is distinct from new.items) execute function t13_rfqs_to_rows();
create trigger trg_quotes_line_items_to_rows after insert on quotes
  for each row execute function t13_quotes_to_rows();
create trigger trg_quotes_line_items_to_rows_update after update of line_items, rfq_id on quotes
  for each row when (old.line_items is distinct from new.line_items or old.rfq_id is distinct from new.rfq_id)
  execute function t13_quotes_to_rows();
create trigger trg_rfqs_delete_begin before delete on rfqs
  for each statement execute function t13_rfqs_delete_begin();
create trigger trg_rfqs_delete_end after delete on rfqs
  referencing old table as old_rows for each statement execute function t13_rfqs_delete_end();

create view t13_item_verdicts as
  select 'rfqs'::text as source_table, r.id::varchar(32) as source_id, l.item_index, l.verdict, l.defect, l.reason,
         l.normalisations, l.remark, l.original
    from rfqs r, t13_rfq_lines(r.items) l
  union all
  select 'quotes', q.id, l.item_index, l.verdict, l.defect, l.reason, l.normalisations, null, l.original
    from quotes q, t13_quote_lines(q.rfq_id, q.line_items) l;

comment on view t13_item_verdicts is
  'T1.3 validation: every item of rfqs.items and quotes.line_items with its verdict (as_is, normalised, quarantined), defect and reason.';

-- Consistency (for the zero-downtime harness and the tests): what the JSONB says the rows should be,
-- against the rows, in line order; and the open quarantine against the quarantined verdicts.
-- Empty when both shapes are in step.
create view t13_sync_mismatches as
  with rfq_expected as (
    select r.id as source_id, row_number() over (partition by r.id order by l.line_number) as n,
           jsonb_build_array(l.line_number, l.product_id, l.sku_id, l.name, l.quantity, l.unit, l.required_by_date,
             l.specifications, l.notes) as v
      from rfqs r, t13_rfq_lines(r.items) l where l.verdict <> 'quarantined'
  ), rfq_actual as (
    select i.rfq_id as source_id, row_number() over (partition by i.rfq_id order by i.line_number) as n,
           jsonb_build_array(i.line_number, i.product_id, i.sku_id, i.name, i.quantity, i.unit, i.required_by_date,
             i.specifications, i.notes) as v
      from rfq_items i
  ), quote_expected as (
    select q.id as source_id, row_number() over (partition by q.id order by l.item_index) as n,
           jsonb_build_array(l.rfq_line, l.product_id, l.sku_id, l.name, l.quantity, l.unit_price, l.tax_amount,
             l.discount_percentage, l.total_price, l.lead_time_days, l.notes) as v
      from quotes q, t13_quote_lines(q.rfq_id, q.line_items) l where l.verdict <> 'quarantined'
  ), quote_actual as (
    select i.quote_id as source_id, row_number() over (partition by i.quote_id order by i.line_number) as n,
           jsonb_build_array(r.line_number, i.product_id, i.sku_id, i.name, i.quantity, i.unit_price, i.tax_amount,
             i.discount_percentage, i.total_price, i.lead_time_days, i.notes) as v
      from quote_items i left join rfq_items r on r.id = i.rfq_item_id
  ), quarantine_expected as (
    select 'rfqs'::text as source_table, r.id::varchar(32) as source_id, l.item_index, l.original
      from rfqs r, t13_rfq_lines(r.items) l where l.verdict = 'quarantined'
    union all
    select 'quotes', q.id, l.item_index, l.original
      from quotes q, t13_quote_lines(q.rfq_id, q.line_items) l where l.verdict = 'quarantined'
  ), quarantine_actual as (
    select source_table, source_id, item_index, original from procurement_item_quarantine
     where resolved_at is null and defect <> 'sync_failed'
  )
  select 'rfqs'::text as source_table, coalesce(e.source_id, a.source_id)::varchar(32) as source_id, coalesce(e.n, a.n)::integer as line,
         e.v as expected, a.v as actual
    from rfq_expected e full join rfq_actual a on a.source_id = e.source_id and a.n = e.n
   where e.v is distinct from a.v
  union all
  select 'quotes', coalesce(e.source_id, a.source_id), coalesce(e.n, a.n)::integer, e.v, a.v
    from quote_expected e full join quote_actual a on a.source_id = e.source_id and a.n = e.n
   where e.v is distinct from a.v
  union all
  select 'quarantine:' || coalesce(e.source_table, a.source_table), coalesce(e.source_id, a.source_id), coalesce(e.item_index, a.item_index),
         e.original, a.original
    from quarantine_expected e
    full join quarantine_actual a on a.source_table = e.source_table and a.source_id = e.source_id
                                 and a.item_index is not distinct from e.item_index
   where e.original is distinct from a.original;
comment on view t13_sync_mismatches is
  'T1.3: differences between the legacy JSONB (through the 0030 verdicts) and rfq_items/quote_items/quarantine; empty when in step.';
