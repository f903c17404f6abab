-- 0030 T1.3 line items (expand): RFQ and quote lines as real rows beside the legacy JSONB.
--   * rfq_items, quote_items: one row per line with real FKs (rfqs, products, skus, the RFQ line a
--     quote line answers) and checks on quantities and money, so no client can store a line the
--     business cannot use;
--   * procurement_item_quarantine: JSONB items that cannot become rows, kept with their original
--     JSON and the reason (never dropped); the contract's down puts them back into the JSONB;
--   * the conversion rules as SQL functions, t13_rfq_lines() and t13_quote_lines(): one verdict per
--     JSONB item (as_is, normalised with the normalisations named, or quarantined with the defect).
--     The validation report (`abymed validate t1.3`), the sync triggers (0031) and the backfill
--     (0032) all call them, so the report says exactly what the backfill will do.
-- Nothing here writes a legacy row; the legacy application sees no difference.
-- Undo: 0030 down drops the functions and the three tables (their rows are derived from the JSONB,
-- which this step never changes, so nothing is lost).

-- Lines carry no timestamps of their own: they are part of their RFQ or quote, whose created_at
-- and updated_at say when they were written. A line derived from the legacy JSONB gets the id
-- t13_line_id() computes from its place (or the "id" its JSON element carries), so deriving it again
-- after a rollback gives the same row; a line the new application writes gets uuid_v7().
create table rfq_items (
  id               uuid primary key default uuid_v7(),
  -- Same type as rfqs.id (varchar(26) until T2.2 moves the keys to uuid).
  rfq_id           varchar(26) not null references rfqs (id) on delete cascade,
  line_number      integer not null constraint rfq_items_line_number_check check (line_number > 0),
  product_id       uuid references products (id),
  sku_id           uuid references skus (id),
  name             text not null constraint rfq_items_name_check check (btrim(name) <> ''),
  quantity         integer not null constraint rfq_items_quantity_check check (quantity > 0),
  unit             text,
  required_by_date date,
  specifications   jsonb,
  notes            text,
  constraint rfq_items_rfq_id_line_number_key unique (rfq_id, line_number),
  -- Target of quote_items' composite FK: a quote line can only point to a line of its own RFQ.
  constraint rfq_items_id_rfq_id_key unique (id, rfq_id)
);
create index idx_rfq_items_product_id on rfq_items (product_id);
create index idx_rfq_items_sku_id on rfq_items (sku_id);

create table quote_items (
  id                  uuid primary key default uuid_v7(),
  quote_id            varchar(32) not null references quotes (id) on delete cascade,
  -- 1-based place of the line in the quote (the legacy JSON's array position).
  line_number         integer not null constraint quote_items_line_number_check check (line_number > 0),
  -- Always the quote's rfq_id (set by trg_quote_items_rfq_id), so the composite FK below proves the
  -- RFQ line belongs to the quote's RFQ. Deleting the RFQ line unlinks the quote line, never the quote.
  rfq_id              varchar(26),
  rfq_item_id         uuid,
  product_id          uuid references products (id),
  sku_id              uuid references skus (id),
  name                text not null constraint quote_items_name_check check (btrim(name) <> ''),
  quantity            integer not null constraint quote_items_quantity_check check (quantity > 0),
  unit_price          numeric(15,2) not null constraint quote_items_unit_price_check check (unit_price >= 0),
  tax_amount          numeric(15,2) not null default 0 constraint quote_items_tax_amount_check check (tax_amount >= 0),
  discount_percentage numeric(5,2) not null default 0
                      constraint quote_items_discount_percentage_check check (discount_percentage between 0 and 100),
  total_price         numeric(15,2) not null,
  lead_time_days      integer constraint quote_items_lead_time_days_check check (lead_time_days >= 0),
  notes               text,
  constraint quote_items_quote_id_line_number_key unique (quote_id, line_number),
  constraint quote_items_rfq_item_fkey foreign key (rfq_item_id, rfq_id) references rfq_items (id, rfq_id)
    on delete set null (rfq_item_id),
  -- A total that does not add up is rejected on write, whoever writes it.
  constraint quote_items_total_price_check
    check (total_price = round(quantity * unit_price * (1 - discount_percentage / 100) + tax_amount, 2))
);
create index idx_quote_items_rfq_item on quote_items (rfq_item_id, rfq_id);
create index idx_quote_items_product_id on quote_items (product_id);
create index idx_quote_items_sku_id on quote_items (sku_id);

-- quote_items.rfq_id follows the quote: a client cannot claim another RFQ to reach its lines.
create function t13_quote_items_rfq_id() returns trigger
language plpgsql as $$
begin
  new.rfq_id := (select q.rfq_id from quotes q where q.id = new.quote_id);
  return new;
end $$;
create trigger trg_quote_items_rfq_id before insert or update on quote_items
  for each row execute function t13_quote_items_rfq_id();

create table procurement_item_quarantine (
  id             uuid primary key default uuid_v7(),
  source_table   text not null constraint procurement_item_quarantine_source_table_check check (source_table in ('rfqs', 'quotes')),
  source_id      varchar(32) not null,
  -- 1-based array position of the item; NULL when the whole JSONB value is not an array.
  item_index     integer,
  original       jsonb not null,
  defect         text not null,
  reason         text not null,
  -- When the legacy application wrote the item (its row's updated_at at the time).
  quarantined_at timestamptz not null,
  -- Set when the legacy application rewrote the JSONB so that this original is no longer in it.
  resolved_at    timestamptz,
  constraint procurement_item_quarantine_source_key unique nulls not distinct (source_table, source_id, item_index)
);

-- ---------------------------------------------------------------------------------------------
-- Safe parsing (PostgreSQL 15 has no pg_input_is_valid): each returns NULL instead of raising.
-- ---------------------------------------------------------------------------------------------

-- A JSON number or a number written as a string: plain ("12", "12.50"), or grouped in the Indian
-- ("1,25,000.00") or Western ("125,000.00") way, optionally after ₹, Rs. or INR.
-- form: number | numeric_string | grouped_string | missing | invalid.
create function t13_number(p jsonb, out value numeric, out form text)
language plpgsql immutable parallel safe as $$
declare
  s text;
begin
  if p is null or jsonb_typeof(p) = 'null' then
    form := 'missing';
  elsif jsonb_typeof(p) = 'number' then
    value := (p #>> '{}')::numeric;
    form := 'number';
  elsif jsonb_typeof(p) <> 'string' then
    form := 'invalid';
  else
    s := regexp_replace(btrim(p #>> '{}'), '^(₹|rs\.?|inr)\s*', '', 'i');
    if s = '' then
      form := 'missing';
    elsif s ~ '^[+-]?[0-9]+(\.[0-9]+)?$' then
      value := s::numeric;
      form := 'numeric_string';
    elsif s ~ '^[+-]?[0-9]{1,2}(,[0-9]{2})*,[0-9]{3}(\.[0-9]+)?$' or s ~ '^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$' then
      value := replace(s, ',', '')::numeric;
      form := 'grouped_string';
    else
      form := 'invalid';
    end if;
  end if;
end $$;

-- A whole number in integer range, or NULL.
create function t13_whole(p numeric) returns integer
language sql immutable parallel safe as $$
  select case when p = trunc(p) and p between -2147483648 and 2147483647 then p::integer end
$$;

-- A uuid written as a JSON string, or NULL.
create function t13_uuid(p jsonb) returns uuid
language sql immutable parallel safe as $$
  select case when jsonb_typeof(p) = 'string'
               and btrim(p #>> '{}') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              then btrim(p #>> '{}')::uuid end
$$;

-- A calendar date written "YYYY-MM-DD" (a timestamp's date part is accepted), or NULL.
create function t13_date(p jsonb) returns date
language plpgsql immutable parallel safe as $$
begin
  if jsonb_typeof(p) = 'string' and (p #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then
    return substring(p #>> '{}' from 1 for 10)::date;
  end if;
  return null;
exception when others then
  return null;  -- 2025-02-30 and the like
end $$;

-- A JSON string's text, trimmed; NULL when absent, blank or not a string.
create function t13_text(p jsonb) returns text
language sql immutable parallel safe as $$
  select case when jsonb_typeof(p) = 'string' then nullif(btrim(p #>> '{}'), '') end
$$;

-- An object without its top-level null members (nested values, e.g. specifications, untouched).
create function t13_strip_nulls(p jsonb) returns jsonb
language sql immutable parallel safe as $$
  select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from jsonb_each(p) where jsonb_typeof(value) <> 'null'
$$;

-- The id of a row derived from a JSONB item: a name-based UUID of its kind, parent and number
-- (rfq_items: RFQ id and line; quote_items: quote id and line; quarantine: source and index).
create function t13_line_id(p_kind text, p_parent varchar, p_number integer) returns uuid
language sql immutable parallel safe as $$
  select md5(p_kind || ':' || p_parent || ':' || coalesce(p_number::text, 'whole'))::uuid
$$;

-- ---------------------------------------------------------------------------------------------
-- Verdicts. Every JSONB item gets exactly one verdict; a quarantined item gets the FIRST defect in
-- the order checked below (so each item is counted once). Normalisations are listed by name, also
-- on an item that a later check quarantines (the report counts the form found, and how many of
-- those end quarantined anyway).
-- ---------------------------------------------------------------------------------------------

-- One RFQ item (before the duplicate-line check, which needs the whole array).
create function t13_rfq_line(e jsonb, pos integer,
  out verdict text, out defect text, out reason text, out normalisations text[],
  out line_number integer, out product_id uuid, out sku_id uuid, out name text, out quantity integer,
  out unit text, out required_by_date date, out specifications jsonb, out notes text, out remark text, out row_id uuid)
language plpgsql stable as $$
#variable_conflict use_variable
declare
  n record;
  sku_product uuid;
begin
  normalisations := '{}';
  verdict := 'quarantined';
  if jsonb_typeof(e) is distinct from 'object' then
    defect := 'item_not_object';
    reason := format('item %s is a JSON %s, not an object', pos, jsonb_typeof(e));
    return;
  end if;

  -- line: the item's own "line" when given, else its array position.
  n := t13_number(e -> 'line');
  if n.form = 'missing' then
    line_number := pos;
    normalisations := normalisations || 'line_from_position'::text;
  elsif n.form = 'invalid' or t13_whole(n.value) is null or n.value <= 0 then
    defect := 'invalid_line';
    reason := format('item %s: line %s is not a positive whole number', pos, e -> 'line');
    return;
  else
    line_number := t13_whole(n.value);
    if n.form <> 'number' then normalisations := normalisations || 'line_string'::text; end if;
  end if;

  n := t13_number(e -> 'quantity');
  if n.form = 'missing' then
    defect := 'quantity_missing';
    reason := format('line %s has no quantity', line_number);
    return;
  elsif n.form = 'invalid' then
    defect := 'quantity_invalid';
    reason := format('line %s: quantity %s is not a number', line_number, e -> 'quantity');
    return;
  elsif n.value < 0 then
    defect := 'quantity_negative';
    reason := format('line %s: quantity %s is negative', line_number, n.value);
    return;
  elsif n.value = 0 then
    defect := 'quantity_zero';
    reason := format('line %s: quantity is 0', line_number);
    return;
  elsif t13_whole(n.value) is null then
    defect := 'quantity_not_whole';
    reason := format('line %s: quantity %s is not a whole number', line_number, n.value);
    return;
  end if;
  quantity := t13_whole(n.value);
  if n.form = 'numeric_string' then normalisations := normalisations || 'quantity_string'::text; end if;
  if n.form = 'grouped_string' then normalisations := normalisations || 'indian_number_format'::text; end if;

  if e ? 'product_id' and jsonb_typeof(e -> 'product_id') <> 'null' then
    product_id := t13_uuid(e -> 'product_id');
    if product_id is null or not exists (select 1 from products p where p.id = product_id) then
      defect := 'unknown_product';
      reason := format('line %s: product %s does not exist', line_number, e -> 'product_id');
      product_id := null;
      return;
    end if;
  end if;
  if e ? 'sku_id' and jsonb_typeof(e -> 'sku_id') <> 'null' then
    sku_id := t13_uuid(e -> 'sku_id');
    select s.product_id into sku_product from skus s where s.id = sku_id;
    if not found then
      defect := 'unknown_sku';
      reason := format('line %s: SKU %s does not exist', line_number, e -> 'sku_id');
      sku_id := null;
      return;
    end if;
    if product_id is not null and sku_product <> product_id then
      defect := 'sku_product_mismatch';
      reason := format('line %s: SKU %s belongs to product %s, not %s', line_number, sku_id, sku_product, product_id);
      return;
    end if;
  end if;

  name := t13_text(e -> 'name');
  if name is null then
    defect := 'name_missing';
    reason := format('line %s has no name', line_number);
    return;
  end if;

  if e ? 'required_by' and jsonb_typeof(e -> 'required_by') <> 'null' then
    required_by_date := t13_date(e -> 'required_by');
    if required_by_date is null then
      defect := 'invalid_required_by';
      reason := format('line %s: required_by %s is not a date', line_number, e -> 'required_by');
      return;
    end if;
  end if;

  unit := t13_text(e -> 'unit');
  specifications := case when jsonb_typeof(e -> 'specifications') <> 'null' then e -> 'specifications' end;
  notes := t13_text(e -> 'notes');
  -- Converted, but with no catalogue link: demand and price questions by product will not see it.
  if product_id is null and sku_id is null then remark := 'name_only'; end if;
  -- A line the new application wrote carries its row's id (0031 mirrors it), so it keeps it.
  row_id := t13_uuid(e -> 'id');
  verdict := case when cardinality(normalisations) = 0 then 'as_is' else 'normalised' end;
end $$;

-- Every item of an RFQ's items value, in array order. A value that is not an array is one
-- quarantined entry with item_index NULL; a second convertible item with the same line is a duplicate.
create function t13_rfq_lines(p_items jsonb)
returns table (item_index integer, original jsonb, verdict text, defect text, reason text, normalisations text[],
  line_number integer, product_id uuid, sku_id uuid, name text, quantity integer, unit text,
  required_by_date date, specifications jsonb, notes text, remark text, row_id uuid)
language plpgsql stable as $$
#variable_conflict use_variable
declare
  r record;
  seen integer[] := '{}';
begin
  if jsonb_typeof(p_items) is distinct from 'array' then
    item_index := null;
    original := coalesce(p_items, 'null'::jsonb);
    verdict := 'quarantined';
    defect := 'items_not_array';
    reason := format('items is a JSON %s, not an array', coalesce(jsonb_typeof(p_items), 'null'));
    normalisations := '{}';
    return next;
    return;
  end if;
  for r in select x.value as e, x.ordinality::integer as pos, l.*
             from jsonb_array_elements(p_items) with ordinality x, t13_rfq_line(x.value, x.ordinality::integer) l
            order by x.ordinality loop
    item_index := r.pos; original := r.e; verdict := r.verdict; defect := r.defect; reason := r.reason;
    normalisations := r.normalisations; line_number := r.line_number; product_id := r.product_id;
    sku_id := r.sku_id; name := r.name; quantity := r.quantity; unit := r.unit;
    required_by_date := r.required_by_date; specifications := r.specifications; notes := r.notes; remark := r.remark; row_id := r.row_id;
    if verdict <> 'quarantined' then
      if line_number = any (seen) then
        verdict := 'quarantined';
        defect := 'duplicate_line';
        reason := format('item %s repeats line %s', item_index, line_number);
      else
        seen := seen || line_number;
      end if;
    end if;
    return next;
  end loop;
end $$;

-- One quote line. p_rfq_lines: the convertible line numbers of the quote's RFQ (NULL: no such RFQ);
-- p_rfq_all_lines: the line numbers of all its items, quarantined ones included.
create function t13_quote_line(e jsonb, pos integer, p_rfq_lines integer[], p_rfq_all_lines integer[],
  out verdict text, out defect text, out reason text, out normalisations text[],
  out rfq_line integer, out product_id uuid, out sku_id uuid, out name text, out quantity integer,
  out unit_price numeric, out tax_amount numeric, out discount_percentage numeric, out total_price numeric,
  out lead_time_days integer, out notes text, out row_id uuid)
language plpgsql stable as $$
#variable_conflict use_variable
declare
  n record;
  sku_product uuid;
  expected numeric;
begin
  normalisations := '{}';
  verdict := 'quarantined';
  if jsonb_typeof(e) is distinct from 'object' then
    defect := 'item_not_object';
    reason := format('line %s is a JSON %s, not an object', pos, jsonb_typeof(e));
    return;
  end if;

  n := t13_number(e -> 'quantity');
  if n.form = 'missing' then
    defect := 'quantity_missing';
    reason := format('line %s has no quantity', pos);
    return;
  elsif n.form = 'invalid' then
    defect := 'quantity_invalid';
    reason := format('line %s: quantity %s is not a number', pos, e -> 'quantity');
    return;
  elsif n.value < 0 then
    defect := 'quantity_negative';
    reason := format('line %s: quantity %s is negative', pos, n.value);
    return;
  elsif n.value = 0 then
    defect := 'quantity_zero';
    reason := format('line %s: quantity is 0', pos);
    return;
  elsif t13_whole(n.value) is null then
    defect := 'quantity_not_whole';
    reason := format('line %s: quantity %s is not a whole number', pos, n.value);
    return;
  end if;
  quantity := t13_whole(n.value);
  if n.form = 'numeric_string' then normalisations := normalisations || 'quantity_string'::text; end if;
  if n.form = 'grouped_string' then normalisations := normalisations || 'indian_number_format'::text; end if;

  -- Money: unit_price required; tax and discount default to 0; at most two decimals (paise).
  n := t13_number(e -> 'unit_price');
  if n.form = 'missing' then
    defect := 'unit_price_missing';
    reason := format('line %s has no unit_price', pos);
    return;
  elsif n.form = 'invalid' or n.value <> round(n.value, 2) or abs(n.value) >= 1e13 then
    defect := 'unit_price_invalid';
    reason := format('line %s: unit_price %s is not an amount in rupees and paise', pos, e -> 'unit_price');
    return;
  elsif n.value < 0 then
    defect := 'unit_price_negative';
    reason := format('line %s: unit_price %s is negative', pos, n.value);
    return;
  end if;
  unit_price := n.value;
  if n.form = 'grouped_string' and not ('indian_number_format' = any (normalisations)) then normalisations := normalisations || 'indian_number_format'::text; end if;
  if n.form = 'numeric_string' then normalisations := normalisations || 'amount_string'::text; end if;

  n := t13_number(e -> 'tax_amount');
  if n.form = 'invalid' or (n.value is not null and (n.value < 0 or n.value <> round(n.value, 2) or n.value >= 1e13)) then
    defect := 'tax_amount_invalid';
    reason := format('line %s: tax_amount %s is not a non-negative amount', pos, e -> 'tax_amount');
    return;
  end if;
  tax_amount := coalesce(n.value, 0);
  if n.form = 'grouped_string' and not ('indian_number_format' = any (normalisations)) then normalisations := normalisations || 'indian_number_format'::text; end if;
  if n.form = 'numeric_string' and not ('amount_string' = any (normalisations)) then normalisations := normalisations || 'amount_string'::text; end if;

  n := t13_number(e -> 'discount_percentage');
  if n.form = 'invalid' or (n.value is not null and (n.value < 0 or n.value > 100 or n.value <> round(n.value, 2))) then
    defect := 'discount_invalid';
    reason := format('line %s: discount_percentage %s is not between 0 and 100', pos, e -> 'discount_percentage');
    return;
  end if;
  discount_percentage := coalesce(n.value, 0);

  if e ? 'rfq_line' and jsonb_typeof(e -> 'rfq_line') <> 'null' then
    n := t13_number(e -> 'rfq_line');
    rfq_line := t13_whole(n.value);
    if rfq_line is null or not (rfq_line = any (coalesce(p_rfq_all_lines, '{}'))) then
      defect := 'rfq_line_missing';
      reason := case when p_rfq_lines is null then format('line %s points to RFQ line %s, but the quote''s RFQ does not exist', pos, e -> 'rfq_line')
                     else format('line %s points to RFQ line %s, which the RFQ does not have', pos, e -> 'rfq_line') end;
      rfq_line := null;
      return;
    end if;
  end if;

  if e ? 'product_id' and jsonb_typeof(e -> 'product_id') <> 'null' then
    product_id := t13_uuid(e -> 'product_id');
    if product_id is null or not exists (select 1 from products p where p.id = product_id) then
      defect := 'unknown_product';
      reason := format('line %s: product %s does not exist', pos, e -> 'product_id');
      product_id := null;
      return;
    end if;
  end if;
  if e ? 'sku_id' and jsonb_typeof(e -> 'sku_id') <> 'null' then
    sku_id := t13_uuid(e -> 'sku_id');
    select s.product_id into sku_product from skus s where s.id = sku_id;
    if not found then
      defect := 'unknown_sku';
      reason := format('line %s: SKU %s does not exist', pos, e -> 'sku_id');
      sku_id := null;
      return;
    end if;
    if product_id is not null and sku_product <> product_id then
      defect := 'sku_product_mismatch';
      reason := format('line %s: SKU %s belongs to product %s, not %s', pos, sku_id, sku_product, product_id);
      return;
    end if;
  end if;

  name := t13_text(e -> 'name');
  if name is null then
    defect := 'name_missing';
    reason := format('line %s has no name', pos);
    return;
  end if;

  if e ? 'lead_time_days' and jsonb_typeof(e -> 'lead_time_days') <> 'null' then
    n := t13_number(e -> 'lead_time_days');
    lead_time_days := t13_whole(n.value);
    if lead_time_days is null or lead_time_days < 0 then
      defect := 'lead_time_invalid';
      reason := format('line %s: lead_time_days %s is not a whole number of days', pos, e -> 'lead_time_days');
      lead_time_days := null;
      return;
    end if;
  end if;

  -- The total must add up; a missing total is computed (nothing is lost), a wrong one is never fixed.
  expected := round(quantity * unit_price * (1 - discount_percentage / 100) + tax_amount, 2);
  n := t13_number(e -> 'total_price');
  if n.form = 'missing' then
    normalisations := normalisations || 'total_computed'::text;
  elsif n.form = 'invalid' then
    defect := 'total_invalid';
    reason := format('line %s: total_price %s is not a number', pos, e -> 'total_price');
    return;
  elsif round(n.value, 2) <> expected or n.value <> round(n.value, 2) then
    defect := 'total_mismatch';
    reason := format('line %s: total_price %s is not quantity × unit_price × (1 − discount) + tax = %s', pos, n.value, expected);
    return;
  elsif n.form = 'grouped_string' and not ('indian_number_format' = any (normalisations)) then
    normalisations := normalisations || 'indian_number_format'::text;
  elsif n.form = 'numeric_string' and not ('amount_string' = any (normalisations)) then
    normalisations := normalisations || 'amount_string'::text;
  end if;
  total_price := expected;
  notes := t13_text(e -> 'notes');
  row_id := t13_uuid(e -> 'id');

  -- Checked last, after the line's own content: the RFQ line exists in the JSONB but is itself
  -- quarantined, so there is no row to link to. Re-evaluated whenever the RFQ is rewritten
  -- (t13_sync_rfq re-syncs its quotes).
  if rfq_line is not null and not (rfq_line = any (p_rfq_lines)) then
    defect := 'rfq_line_quarantined';
    reason := format('line %s points to RFQ line %s, which is quarantined', pos, rfq_line);
    return;
  end if;
  verdict := case when cardinality(normalisations) = 0 then 'as_is' else 'normalised' end;
end $$;

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

-- ---------------------------------------------------------------------------------------------
-- The validation report: one row per JSONB item of both tables, read-only.
-- ---------------------------------------------------------------------------------------------
create view t13_item_verdicts as
  select 'rfqs'::text as source_table, r.id::varchar(32) as source_id, l.item_index, l.verdict, l.defect, l.reason,
         l.normalisations, l.remark, l.original
    from rfqs r, t13_rfq_lines(r.items) l
  union all
  select 'quotes', q.id, l.item_index, l.verdict, l.defect, l.reason, l.normalisations, null, l.original
    from quotes q, t13_quote_lines(q.rfq_id, q.line_items) l;

comment on view t13_item_verdicts is
  'T1.3 validation: every item of rfqs.items and quotes.line_items with its verdict (as_is, normalised, quarantined), defect and reason.';
