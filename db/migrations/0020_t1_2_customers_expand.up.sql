-- 0020 T1.2 customers (expand): one `customers` table instead of the copies on service_tickets and
-- equipment (review issue #7; docs/database/T1.2-T3.3.md). Additive only; nothing here touches a
-- legacy row, so the legacy application keeps working unchanged.
--
--   * normalize_in_phone(), customer_name_key(), customer_identity_key(): the pure, immutable rules
--     the deduplication and every lookup share (mirrored in src/customers/normalize.ts, and a test
--     holds the two to the same answers). A phone that cannot be read becomes NULL, never a
--     placeholder such as 'UNKNOWN' (origin-facts §4 T1.2), and no index is unique on phone.
--   * customers; customer_legacy_ids (every legacy varchar id, UUID-shaped or not, resolves through
--     this text key: no ::uuid cast anywhere); customer_sources (each distinct legacy identity seen
--     on a ticket or a device, the customer it resolved to, with confidence and reason);
--     customer_review_cases (the dedup review queue: ambiguous matches wait for a person).
--   * service_tickets.customer_uuid and equipment.customer_uuid: the new link, nullable, with a
--     foreign key added NOT VALID (validated by 0024 without blocking writes). The contract (0920)
--     drops the copies and gives the ticket column its final name `customer_id`.
--   * t1_2_resolve_customer(): the one resolution rule, used by the backfill (0022/0023) and by the
--     triggers below, so a ticket the legacy application writes during the transition gets the same
--     customer the backfill would have given it.
--   * triggers, in step both ways: a legacy write of the copies sets customer_uuid; a new-app write
--     of customer_uuid fills the copies; a change to a customer's name or phones is pushed to the
--     copies of its tickets and devices. Loops are impossible: the push runs at trigger depth > 1,
--     where the ticket and equipment triggers return at once.
--   * row-level security for the API roles (0003): a tenant sees customers of its organization's
--     network, customers it created, and customers of tickets it can see.
-- If a previous down archived this step's tables (abymed.t1_2_archive_*), they are restored here,
-- so up → down → up loses nothing a person decided (merges, review resolutions).
-- Undo: 0020 down archives the new tables into abymed, then drops triggers, columns, tables and
-- functions created here.

create function normalize_in_phone(p text) returns text
language sql immutable parallel safe as $$
  -- Digits only; drop an international 00 or 0091/091 prefix, a 91 country code on 12 digits, a
  -- trunk 0 on 11 digits. What remains must be ten digits not starting with 0 and not one digit
  -- repeated (9999999999 is a placeholder, not a phone).
  select case when d ~ '^[1-9][0-9]{9}$' and d !~ '^([0-9])\1{9}$' then '+91' || d end
    from (select case
                   when x ~ '^0091[0-9]{10}$' then substr(x, 5)
                   when x ~ '^091[0-9]{10}$' then substr(x, 4)
                   when x ~ '^91[0-9]{10}$' then substr(x, 3)
                   when x ~ '^0[0-9]{10}$' then substr(x, 2)
                   else x
                 end as d
            from (select regexp_replace(coalesce(p, ''), '[^0-9]', '', 'g') as x) a) b
$$;
comment on function normalize_in_phone(text) is 'Indian phone as +91 and ten digits, or NULL when it cannot be read. Mirrored by normalizePhone() in src/customers/normalize.ts.';

create function customer_name_key(p text) returns text
language sql immutable parallel safe as $$
  -- ASCII lower case by translate() so the key does not depend on the database's collation;
  -- punctuation to spaces; common abbreviations spelled out; "the" and "m/s" dropped.
  select btrim(regexp_replace(
           regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
             ' ' || regexp_replace(translate(coalesce(p, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ&', 'abcdefghijklmnopqrstuvwxyz '),
                                   '[!-/:-@[-`{-~]', ' ', 'g') || ' ',
             ' (hosp|hospl|hsptl|hospitals) ', ' hospital ', 'g'),
             ' (pvt) ', ' private ', 'g'),
             ' (ltd) ', ' limited ', 'g'),
             ' (dr) ', ' doctor ', 'g'),
             ' (the|m s|and) ', ' ', 'g'),
             ' (centre|ctr) ', ' center ', 'g'),
           '\s+', ' ', 'g'))
$$;
comment on function customer_name_key(text) is 'Normalised customer name for matching. Mirrored by nameKey() in src/customers/normalize.ts.';

create function customer_identity_key(p_legacy_id text, p_name text, p_phone text) returns text
language sql immutable parallel safe as $$
  select md5(coalesce(nullif(btrim(p_legacy_id), ''), '') || '|' || customer_name_key(p_name) || '|'
             || coalesce(normalize_in_phone(p_phone), ''))
$$;

create table customers (
  id                  uuid primary key default uuid_v7(),
  customer_type       text not null default 'other'
                      constraint customers_customer_type_check check (customer_type in ('individual', 'hospital', 'clinic', 'lab',
                        'diagnostic_center', 'manufacturer', 'dealer', 'other')),
  name                text not null constraint customers_name_check check (btrim(name) <> '' and length(name) <= 500),
  name_key            text generated always as (customer_name_key(name)) stored,
  primary_phone       text constraint customers_primary_phone_check check (primary_phone ~ '^\+91[1-9][0-9]{9}$'),
  whatsapp            text constraint customers_whatsapp_check check (whatsapp ~ '^\+91[1-9][0-9]{9}$'),
  email               text constraint customers_email_check check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  organization_id     uuid references organizations (id) on delete set null,
  facility_id         uuid references organization_facilities (id) on delete set null,
  address             jsonb constraint customers_address_check check (address is null or jsonb_typeof(address) = 'object'),
  status              text not null default 'active'
                      constraint customers_status_check check (status in ('active', 'inactive', 'blocked', 'merged')),
  merged_into_id      uuid references customers (id),
  created_by_org_id   uuid,
  created_by          text not null default 'system',
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  constraint customers_merged_check check ((status = 'merged') = (merged_into_id is not null) and merged_into_id is distinct from id)
);
comment on table customers is 'T1.2: one row per customer; tickets point here instead of copying name and phones.';
create index idx_customers_primary_phone on customers (primary_phone) where primary_phone is not null;
create index idx_customers_whatsapp on customers (whatsapp) where whatsapp is not null;
create index idx_customers_name_key on customers (name_key);
create index idx_customers_name_key_trgm on customers using gin (name_key gin_trgm_ops);
create index idx_customers_organization_id on customers (organization_id) where organization_id is not null;
create index idx_customers_merged_into_id on customers (merged_into_id) where merged_into_id is not null;
create trigger trg_customers_updated_at before update on customers for each row execute function set_updated_at();

-- Every legacy customer id, UUID-shaped or not, is a text key here: it keeps resolving after merges.
create table customer_legacy_ids (
  legacy_id   text primary key constraint customer_legacy_ids_legacy_id_check check (btrim(legacy_id) <> '' and length(legacy_id) <= 32),
  customer_id uuid not null references customers (id) on delete cascade,
  created_at  timestamptz not null default now()
);
create index idx_customer_legacy_ids_customer_id on customer_legacy_ids (customer_id);

-- One row per distinct legacy identity (legacy id, normalised name, normalised phone): which
-- customer it became, how sure the match was, and why. The dedup report is a query over this table.
create table customer_sources (
  identity_key text primary key,
  customer_id  uuid not null references customers (id) on delete cascade,
  legacy_id    text,
  name         text not null,
  phone        text,
  confidence   numeric(3,2) not null constraint customer_sources_confidence_check check (confidence between 0 and 1),
  reason       text not null,
  source       text not null,
  created_at   timestamptz not null default now()
);
create index idx_customer_sources_customer_id on customer_sources (customer_id);
create index idx_customer_sources_phone on customer_sources (phone) where phone is not null;

-- The dedup review queue: a possible duplicate the rules would not merge on their own.
create table customer_review_cases (
  id                    uuid primary key default uuid_v7(),
  kind                  text not null constraint customer_review_cases_kind_check check (kind in ('same_phone_different_names',
                          'same_name_different_phones', 'same_name_several_customers')),
  customer_id           uuid not null references customers (id) on delete cascade,
  candidate_customer_id uuid not null references customers (id) on delete cascade,
  similarity            numeric(3,2),
  reason                text not null,
  status                text not null default 'open'
                        constraint customer_review_cases_status_check check (status in ('open', 'merged', 'kept_separate')),
  merged_into_id        uuid references customers (id),
  resolved_by           text,
  resolved_at           timestamptz,
  resolution_note       text,
  created_at            timestamptz not null default now(),
  constraint customer_review_cases_pair_key unique (customer_id, candidate_customer_id),
  constraint customer_review_cases_distinct_check check (customer_id <> candidate_customer_id),
  constraint customer_review_cases_resolved_check check ((status = 'open') = (resolved_at is null))
);
create index idx_customer_review_cases_open on customer_review_cases (created_at, id) where status = 'open';
create index idx_customer_review_cases_candidate on customer_review_cases (candidate_customer_id);

-- Restore what a previous down archived (nothing on a first run).
do $$
begin
  if to_regclass('abymed.t1_2_archive_customers') is not null then
    insert into customers (id, customer_type, name, primary_phone, whatsapp, email, organization_id, facility_id, address, status,
                           merged_into_id, created_by_org_id, created_by, created_at, updated_at)
      select id, customer_type, name, primary_phone, whatsapp, email, organization_id, facility_id, address, status,
             merged_into_id, created_by_org_id, created_by, created_at, updated_at
        from abymed.t1_2_archive_customers;  -- merged_into_id at once: its foreign key is checked at the end of the statement
    insert into customer_legacy_ids select * from abymed.t1_2_archive_customer_legacy_ids;
    insert into customer_sources select * from abymed.t1_2_archive_customer_sources;
    insert into customer_review_cases select * from abymed.t1_2_archive_customer_review_cases;
    -- Emptied, not dropped (an expand step drops nothing); the next down replaces them.
    truncate abymed.t1_2_archive_customers, abymed.t1_2_archive_customer_legacy_ids, abymed.t1_2_archive_customer_sources,
      abymed.t1_2_archive_customer_review_cases;
  end if;
end $$;

-- What a backfill's down (0022, 0023) took back, for its next up: links by row (with the identity
-- the row's copies had), and the rows it created. In abymed, created once and never dropped (like
-- the archives above), so a walk below 0020 keeps them; t1_2_link_* and t1_2_backfill_restore empty them.
create table if not exists abymed.t1_2_backfill_links (
  source_table text not null,
  id           text not null,
  customer_id  uuid not null,
  identity_key text not null,
  primary key (source_table, id)
);
create table if not exists abymed.t1_2_backfill_rows (
  backfill text not null,
  tbl      text not null,
  row      jsonb not null
);

-- The link columns: nullable and without a default, so adding them rewrites nothing; the foreign
-- keys are NOT VALID so adding them scans nothing (0024 validates them).
alter table service_tickets add column customer_uuid uuid;
alter table service_tickets add constraint service_tickets_customer_uuid_fkey
  foreign key (customer_uuid) references customers (id) not valid;
alter table equipment add column customer_uuid uuid;
alter table equipment add constraint equipment_customer_uuid_fkey
  foreign key (customer_uuid) references customers (id) on delete set null not valid;

-- Best guess of the customer type from a legacy name (the copies carried no type).
create function customer_type_from_name(p_name text) returns text
language sql immutable parallel safe as $$
  select case
    when customer_name_key(p_name) ~ '(hospital|medical college|institute of medical|aiims|nursing home)' then 'hospital'
    when customer_name_key(p_name) ~ '(diagnostic|imaging|scan)' then 'diagnostic_center'
    when customer_name_key(p_name) ~ '(lab|laboratory|laboratories|pathology)' then 'lab'
    when customer_name_key(p_name) ~ '(clinic|dispensary|polyclinic)' then 'clinic'
    else 'other'
  end
$$;

-- The legacy varchar(32) id a customer shows on copies: its first legacy id, else its UUID without
-- dashes (32 characters), registered so it resolves back.
create function customer_legacy_code(p_customer_id uuid) returns text
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_code text;
begin
  select legacy_id into v_code from customer_legacy_ids where customer_id = p_customer_id order by created_at, legacy_id limit 1;
  if v_code is null then
    v_code := replace(p_customer_id::text, '-', '');
    insert into customer_legacy_ids (legacy_id, customer_id) values (v_code, p_customer_id) on conflict (legacy_id) do nothing;
  end if;
  return v_code;
end $$;

-- The one resolution rule (docs/database/T1.2-T3.3.md, "Deduplication"), in order:
--   1. the identity was seen before                       → its customer (fast path, no lock);
--   2. the legacy id is known                             → that customer, confidence 1.00;
--   3. a customer has this phone and the same name key    → it, 0.99;
--      … a similar name (trigram ≥ 0.5)                   → best one, 0.50 + sim/2, unless the row
--        carries a legacy id the candidate does not know while the candidate has others (two legacy
--        customers with near names on one number are for a person to judge) → new customer + case;
--      (the row has no name                              → the phone's customer, 0.80)
--      a customer has this phone but a different name     → new customer + review case;
--   4. no phone: exactly one customer has this name key   → it, confidence 0.80;
--      several do                                        → new customer + review case;
--   5. a phone, nobody has it, the name key has a customer without a phone → it, 0.80;
--      the name key has customers with other phones      → new customer + review case;
--   6. otherwise                                          → new customer, confidence 1.00, 'new'.
-- Whatever the outcome, a phone that another customer also holds (as its primary phone or on one
-- of its sources) opens one same_phone_different_names case for the pair: one number under two
-- customers is always shown to a person, never merged blindly (origin-facts §4 T1.2).
-- Creating is serialised by one transaction-level advisory lock, so two sessions resolving the same
-- new identity at once end with one customer, and no lock order can deadlock. Merged customers are
-- never candidates; their legacy ids and sources already point at the survivor.
--
-- The rule's text is bound twice from one body, so there is one rule, not two:
--   * t1_2_resolve_customer: the live rule (public tables, the shared advisory lock);
--   * t1_2_forecast_customer: the same text with pg_temp first on its search_path and a lock key
--     private to the session. `abymed validate t1.2` copies the four customer tables into temporary
--     tables and runs the forecast in a READ ONLY transaction: it predicts exactly what the backfill
--     will do, and can neither write nor block anything the live rule uses.
do $do$
declare
  body text := $body$
declare
  v_legacy   text := nullif(btrim(p_legacy_id), '');
  v_name     text := nullif(btrim(p_name), '');
  v_key      text := customer_identity_key(p_legacy_id, p_name, p_phone);
  v_name_key text := customer_name_key(p_name);
  v_phone    text := normalize_in_phone(p_phone);
  v_id       uuid;
  v_conf     numeric(3,2) := 1.00;
  v_reason   text := 'new customer';
  v_rival    uuid;
  v_kind     text;
  v_sim      numeric(3,2);
  v_count    int;
  r          record;
begin
  -- Shared with every other writer; a backfill's take-back (t1_2_backfill_takeback) holds it alone.
  perform pg_advisory_xact_lock_shared(hashtextextended(__GATE_KEY__, 0));
  select customer_id into v_id from customer_sources where identity_key = v_key;
  if v_id is not null then
    return v_id;
  end if;
  if v_name is null and v_legacy is null and v_phone is null and not p_required then
    return null;  -- a device without a customer copy has no customer
  end if;
  perform pg_advisory_xact_lock(hashtextextended(__LOCK_KEY__, 0));
  select customer_id into v_id from customer_sources where identity_key = v_key;
  if v_id is not null then
    return v_id;
  end if;

  if v_legacy is not null then
    select customer_id into v_id from customer_legacy_ids where legacy_id = v_legacy;
    if v_id is not null then
      v_reason := 'same legacy customer id';
    end if;
  end if;

  if v_id is null and v_name is null then
    if not p_required then
      return null;  -- a device with an unknown legacy id and no name: nothing to create
    end if;
    -- A ticket must have a customer (service_tickets.customer_name is NOT NULL, but may be blank):
    -- name it after what it has, so it is findable and mergeable from the review queue.
    v_name := 'Unnamed customer' || coalesce(' ' || v_phone, ' ' || v_legacy, '');
  end if;

  if v_id is null and v_phone is not null then
    select c.id, case when c.name_key = v_name_key then 1::numeric else similarity(c.name_key, v_name_key)::numeric end as sim,
           v_legacy is not null and exists (select 1 from customer_legacy_ids l where l.customer_id = c.id) as other_ids
      into r
      from customers c
     where c.primary_phone = v_phone and c.status <> 'merged'
     order by 2 desc, c.id
     limit 1;
    if r.id is not null and v_name_key = '' then
      v_id := r.id;
      v_conf := 0.80;
      v_reason := 'same phone, name missing';
    elsif r.id is not null and (r.sim = 1 or (r.sim >= 0.5 and not r.other_ids)) then
      v_id := r.id;
      v_conf := case when r.sim = 1 then 0.99 else round(0.5 + r.sim / 2, 2) end;
      v_reason := case when r.sim = 1 then 'same phone, same name' else 'same phone, similar name' end;
    elsif r.id is not null then
      v_rival := r.id;
      v_sim := round(r.sim::numeric, 2);
      v_kind := 'same_phone_different_names';
    end if;
  end if;

  if v_id is null and v_rival is null and v_name_key <> '' then
    if v_phone is null then
      select count(*), min(id::text)::uuid into v_count, v_rival from customers where name_key = v_name_key and status <> 'merged';
      if v_count = 1 then
        v_id := v_rival;
        v_rival := null;
        v_conf := 0.80;
        v_reason := 'same name, phone missing';
      elsif v_count > 1 then
        v_kind := 'same_name_several_customers';
      end if;
    else
      select id into v_id from customers
       where name_key = v_name_key and status <> 'merged' and primary_phone is null order by id limit 1;
      if v_id is not null then
        v_conf := 0.80;
        v_reason := 'same name, phone was missing';
      else
        select id into v_rival from customers
         where name_key = v_name_key and status <> 'merged' and primary_phone <> v_phone order by id limit 1;
        if v_rival is not null then
          v_kind := 'same_name_different_phones';
        end if;
      end if;
    end if;
  end if;

  if v_id is null then
    insert into customers (customer_type, name, primary_phone, whatsapp, created_by)
    values (customer_type_from_name(v_name), left(v_name, 500), v_phone, normalize_in_phone(p_whatsapp), p_source)
    returning id into v_id;
    if v_rival is not null then
      v_reason := replace(v_kind, '_', ' ') || ': held for review';
      v_conf := 1.00;
      insert into customer_review_cases (kind, customer_id, candidate_customer_id, similarity, reason)
      values (v_kind, v_id, v_rival, v_sim,
              case v_kind
                when 'same_phone_different_names' then 'phone ' || v_phone || ' already belongs to "'
                  || (select name from customers where id = v_rival) || '"; "' || v_name || '" is '
                  || case when v_sim >= 0.5 then 'similar, but under another legacy customer id' else 'not similar enough to merge' end
                when 'same_name_different_phones' then 'name "' || v_name || '" already belongs to a customer with phone '
                  || (select primary_phone from customers where id = v_rival) || ', this one has ' || v_phone
                else 'name "' || v_name || '" matches several customers and the phone is missing'
              end)
      on conflict do nothing;
    end if;
  end if;

  -- One number under two customers: one case for the pair, whichever way round it is seen first.
  if v_phone is not null then
    -- The holders of the number by two index lookups; an OR over both tables here would make the
    -- planner walk every customer for each new identity (quadratic over a backfill).
    select c.id, c.name, c.name_key into r
      from customers c
     where c.id in (select x.id from customers x where x.primary_phone = v_phone
                    union all
                    select s.customer_id from customer_sources s where s.phone = v_phone)
       and c.id <> v_id and c.status <> 'merged'
       and not exists (select 1 from customer_review_cases k
                        where (k.customer_id = v_id and k.candidate_customer_id = c.id)
                           or (k.customer_id = c.id and k.candidate_customer_id = v_id))
     order by c.id
     limit 1;
    if r.id is not null then
      insert into customer_review_cases (kind, customer_id, candidate_customer_id, similarity, reason)
      values ('same_phone_different_names', v_id, r.id, round(similarity(r.name_key, v_name_key)::numeric, 2),
              'phone ' || v_phone || ' appears under "' || coalesce(v_name, '') || '" and under "' || r.name || '"')
      on conflict do nothing;
    end if;
  end if;

  insert into customer_sources (identity_key, customer_id, legacy_id, name, phone, confidence, reason, source)
  values (v_key, v_id, v_legacy, coalesce(v_name, ''), v_phone, v_conf, v_reason, p_source)
  on conflict (identity_key) do nothing;
  if v_legacy is not null then
    insert into customer_legacy_ids (legacy_id, customer_id) values (left(v_legacy, 32), v_id) on conflict (legacy_id) do nothing;
  end if;
  return v_id;
end
$body$;
  signature text := '(p_legacy_id text, p_name text, p_phone text, p_whatsapp text, p_source text, p_required boolean default true) returns uuid';
begin
  execute 'create function t1_2_resolve_customer' || signature
          || ' language plpgsql security definer set search_path = public, pg_temp as '
          || quote_literal(replace(replace(body, '__LOCK_KEY__', quote_literal('abymed.t1_2_resolve_customer')),
                                   '__GATE_KEY__', quote_literal('abymed.t1_2_backfill_takeback')));
  execute 'create function t1_2_forecast_customer' || signature
          || ' language plpgsql set search_path = pg_temp, public as '
          || quote_literal(replace(replace(body, '__LOCK_KEY__', quote_literal('abymed.t1_2_forecast:') || ' || pg_backend_pid()'),
                                   '__GATE_KEY__', quote_literal('abymed.t1_2_forecast_gate:') || ' || pg_backend_pid()'));
end
$do$;
comment on function t1_2_resolve_customer(text, text, text, text, text, boolean) is 'T1.2: the one customer resolution rule (live binding).';
comment on function t1_2_forecast_customer(text, text, text, text, text, boolean) is 'T1.2: the same rule on temporary copies of the customer tables, for `abymed validate t1.2`.';

-- The forecast of the backfill (0022, then 0023): every unlinked ticket, then every unlinked device
-- with a customer copy, in key order (the order of the backfill engine's keyset batches), into the
-- temporary table t1_2_forecast_links. Used by `abymed validate t1.2` only.
create function t1_2_forecast_links() returns int
language plpgsql set search_path = pg_temp, public as $$
declare
  r record;
  n int := 0;
begin
  for r in select s.id, s.customer_id, s.customer_name, s.customer_phone, s.customer_whatsapp
             from public.service_tickets s where s.customer_uuid is null order by s.id loop
    insert into pg_temp.t1_2_forecast_links (source_table, id, customer_id)
    values ('service_tickets', r.id, t1_2_forecast_customer(r.customer_id, r.customer_name, r.customer_phone, r.customer_whatsapp, 'backfill_tickets'));
    n := n + 1;
  end loop;
  for r in select s.id, s.customer_id, s.customer_name from public.equipment s
            where s.customer_uuid is null and (s.customer_id is not null or s.customer_name is not null) order by s.id loop
    insert into pg_temp.t1_2_forecast_links (source_table, id, customer_id)
    values ('equipment', r.id, t1_2_forecast_customer(r.customer_id, r.customer_name, null, null, 'backfill_equipment', false));
    n := n + 1;
  end loop;
  return n;
end $$;

-- A merged customer's rows go to its survivor. KEY SHARE waits while a merge holds the loser
-- FOR UPDATE (t1_2_merge_customers), then reads the merged row: a write racing a merge never
-- lands on the loser. Unknown ids come back unchanged (the foreign key then refuses them).
create function t1_2_surviving_customer(p_id uuid) returns uuid
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_id   uuid := p_id;
  v_next uuid;
begin
  if p_id is null then
    return null;
  end if;
  -- A customer named here cannot be taken back by a backfill's down before this transaction ends.
  perform pg_advisory_xact_lock_shared(hashtextextended('abymed.t1_2_backfill_takeback', 0));
  for i in 1..20 loop
    select merged_into_id into v_next from customers where id = v_id for key share;
    exit when v_next is null;
    v_id := v_next;
  end loop;
  return v_id;
end $$;

-- Resolves one open review case by merging: the loser's tickets, devices, sources and legacy ids
-- move to the survivor, the loser is marked merged, its other open cases follow it, and the case
-- closes — one transaction, no table lock (only the rows involved), so it runs while both
-- applications write. Order matters for concurrency: tickets are re-pointed before the loser is
-- locked FOR UPDATE (no deadlock with a legacy update that holds a ticket and waits for the loser),
-- then re-pointed again for rows committed in between; afterwards every writer follows the merge
-- (t1_2_surviving_customer). Works before and after the contract (customer_uuid → customer_id).
-- Errors: check_violation when the case is not open or the survivor is not one of its pair.
create function t1_2_merge_customers(p_case uuid, p_survivor uuid, p_by text, p_note text) returns customer_review_cases
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  k        customer_review_cases%rowtype;
  v_loser  uuid;
  v_col    text;
  v_other  record;
begin
  select * into k from customer_review_cases where id = p_case for update;
  if not found or k.status <> 'open' then
    raise exception 'review case % is not open', p_case using errcode = 'check_violation', detail = 'status';
  end if;
  if p_survivor not in (k.customer_id, k.candidate_customer_id) then
    raise exception 'customer % is not one of the pair of review case %', p_survivor, p_case
      using errcode = 'check_violation', detail = 'survivor_id';
  end if;
  v_loser := case when p_survivor = k.customer_id then k.candidate_customer_id else k.customer_id end;
  v_col := case when exists (select 1 from pg_attribute where attrelid = 'service_tickets'::regclass and attname = 'customer_uuid'
                               and not attisdropped) then 'customer_uuid' else 'customer_id' end;

  execute format('update service_tickets set %1$I = $1 where %1$I = $2', v_col) using p_survivor, v_loser;
  perform 1 from customers where id in (p_survivor, v_loser) order by id for update;
  if (select status from customers where id = v_loser) = 'merged' or (select status from customers where id = p_survivor) = 'merged' then
    raise exception 'customer % or % was merged meanwhile', p_survivor, v_loser using errcode = 'check_violation', detail = 'status';
  end if;
  execute format('update service_tickets set %1$I = $1 where %1$I = $2', v_col) using p_survivor, v_loser;
  if exists (select 1 from pg_attribute where attrelid = 'equipment'::regclass and attname = 'customer_uuid' and not attisdropped) then
    update equipment set customer_uuid = p_survivor where customer_uuid = v_loser;
  end if;
  update customer_sources set customer_id = p_survivor where customer_id = v_loser;
  update customer_legacy_ids set customer_id = p_survivor where customer_id = v_loser;
  update customers set status = 'merged', merged_into_id = p_survivor where id = v_loser;

  -- The loser's other open cases: with the survivor they are settled by this merge; with a third
  -- customer they now concern the survivor (unless the survivor already has that pair).
  for v_other in select * from customer_review_cases where status = 'open' and id <> p_case
                   and v_loser in (customer_id, candidate_customer_id) for update loop
    if p_survivor in (v_other.customer_id, v_other.candidate_customer_id)
       or exists (select 1 from customer_review_cases x where x.id <> v_other.id and
                  (x.customer_id, x.candidate_customer_id) in
                  ((p_survivor, case when v_other.customer_id = v_loser then v_other.candidate_customer_id else v_other.customer_id end),
                   (case when v_other.customer_id = v_loser then v_other.candidate_customer_id else v_other.customer_id end, p_survivor))) then
      update customer_review_cases set status = 'merged', merged_into_id = p_survivor, resolved_by = p_by, resolved_at = now(),
             resolution_note = 'settled by merging ' || v_loser || ' into ' || p_survivor || ' (case ' || p_case || ')'
       where id = v_other.id;
    elsif v_other.customer_id = v_loser then
      update customer_review_cases set customer_id = p_survivor where id = v_other.id;
    else
      update customer_review_cases set candidate_customer_id = p_survivor where id = v_other.id;
    end if;
  end loop;

  update customer_review_cases
     set status = 'merged', merged_into_id = p_survivor, resolved_by = p_by, resolved_at = now(), resolution_note = p_note
   where id = p_case
  returning * into k;
  return k;
end $$;
revoke all on function t1_2_merge_customers(uuid, uuid, text, text) from public;
grant execute on function t1_2_merge_customers(uuid, uuid, text, text) to abymed_app_admin;

-- Tickets, legacy → new and new → legacy. Returns at once when the write is our own push from a
-- customers row (trigger depth > 1), so nothing loops, and when the backfill links rows
-- (abymed.t1_2_linking, transaction-local), which must leave the legacy copies as they are.
create function t1_2_sync_ticket_customer() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  c customers%rowtype;
begin
  if pg_trigger_depth() > 1 or current_setting('abymed.t1_2_linking', true) = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' and new.customer_uuid is null
     or tg_op = 'UPDATE' and new.customer_uuid is not distinct from old.customer_uuid
        and (new.customer_id, new.customer_name, new.customer_phone) is distinct from (old.customer_id, old.customer_name, old.customer_phone)
  then
    -- The legacy application wrote the copies: find (or create) the customer they describe.
    new.customer_uuid := t1_2_surviving_customer(t1_2_resolve_customer(new.customer_id, new.customer_name, new.customer_phone,
                                                                        new.customer_whatsapp, 'legacy_ticket'));
  elsif new.customer_uuid is not null and (tg_op = 'INSERT' or new.customer_uuid is distinct from old.customer_uuid) then
    -- The new application chose the customer: the copies follow it (or its survivor, if merged).
    new.customer_uuid := t1_2_surviving_customer(new.customer_uuid);
    select * into c from customers where id = new.customer_uuid;
    if found then
      new.customer_id := customer_legacy_code(c.id);
      new.customer_name := left(c.name, 500);
      new.customer_phone := c.primary_phone;
      new.customer_whatsapp := c.whatsapp;
    end if;
  end if;
  return new;
end $$;

create trigger trg_service_tickets_t1_2_customer
  before insert or update of customer_id, customer_name, customer_phone, customer_whatsapp, customer_uuid on service_tickets
  for each row execute function t1_2_sync_ticket_customer();

create function t1_2_sync_equipment_customer() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  c customers%rowtype;
begin
  if pg_trigger_depth() > 1 or current_setting('abymed.t1_2_linking', true) = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' and new.customer_uuid is null
     or tg_op = 'UPDATE' and new.customer_uuid is not distinct from old.customer_uuid
        and (new.customer_id, new.customer_name) is distinct from (old.customer_id, old.customer_name)
  then
    new.customer_uuid := t1_2_surviving_customer(t1_2_resolve_customer(new.customer_id, new.customer_name, null, null, 'legacy_equipment', false));
  elsif new.customer_uuid is not null and (tg_op = 'INSERT' or new.customer_uuid is distinct from old.customer_uuid) then
    new.customer_uuid := t1_2_surviving_customer(new.customer_uuid);
    select * into c from customers where id = new.customer_uuid;
    if found then
      new.customer_id := customer_legacy_code(c.id);
      new.customer_name := left(c.name, 500);
    end if;
  elsif new.customer_uuid is null and tg_op = 'UPDATE' and old.customer_uuid is not null then
    new.customer_id := null;
    new.customer_name := null;
  end if;
  return new;
end $$;

create trigger trg_equipment_t1_2_customer
  before insert or update of customer_id, customer_name, customer_uuid on equipment
  for each row execute function t1_2_sync_equipment_customer();

-- New → legacy: a customer's new name or phones reach every copy of it.
create function t1_2_push_customer_to_copies() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  update service_tickets
     set customer_name = left(new.name, 500), customer_phone = new.primary_phone, customer_whatsapp = new.whatsapp
   where customer_uuid = new.id
     and (customer_name, customer_phone, customer_whatsapp) is distinct from (left(new.name, 500), new.primary_phone, new.whatsapp);
  update equipment set customer_name = left(new.name, 500)
   where customer_uuid = new.id and customer_name is distinct from left(new.name, 500);
  return null;
end $$;

create trigger trg_customers_t1_2_push_copies
  after update of name, primary_phone, whatsapp on customers
  for each row when ((old.name, old.primary_phone, old.whatsapp) is distinct from (new.name, new.primary_phone, new.whatsapp))
  execute function t1_2_push_customer_to_copies();

-- Backfill (0022, 0023): link the rows of one keyset batch, in key order so the result does not
-- depend on how PostgreSQL plans the statement; the legacy copies are not touched. Each batch first
-- puts back what the step's previous down took back (t1_2_backfill_restore: nothing on a first run),
-- and a row whose link that down archived, with copies unchanged since, gets that link again instead
-- of a new resolution, so down → up gives the first up's rows and links exactly.
create function t1_2_link_tickets(p_where text) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r record;
  v_ids text[] := '{}';
  v_customers uuid[] := '{}';
  v_link uuid;
  v_changed int;
begin
  perform t1_2_backfill_restore('backfill_tickets');
  perform set_config('abymed.t1_2_linking', 'on', true);
  -- The batch's rows by primary key first, then the filter: offered both, the planner would AND in
  -- the customer_uuid index, whose null entries cover the whole unlinked table, at every batch.
  for r in execute 'with batch as materialized (select s.id, s.customer_id, s.customer_name, s.customer_phone, s.customer_whatsapp,'
                   || ' s.customer_uuid from service_tickets s where (' || p_where || '))'
                   || ' select * from batch where customer_uuid is null order by id' loop
    v_ids := v_ids || r.id::text;
    select l.customer_id into v_link from abymed.t1_2_backfill_links l
     where l.source_table = 'service_tickets' and l.id = r.id::text
       and l.identity_key = customer_identity_key(r.customer_id, r.customer_name, r.customer_phone)
       and exists (select 1 from customers c where c.id = l.customer_id);
    if v_link is null then
      v_link := t1_2_resolve_customer(r.customer_id, r.customer_name, r.customer_phone, r.customer_whatsapp, 'backfill_tickets');
    end if;
    v_customers := v_customers || t1_2_surviving_customer(v_link);
  end loop;
  update service_tickets t set customer_uuid = u.customer_id
    from unnest(v_ids, v_customers) as u(id, customer_id)
   where t.id = u.id and t.customer_uuid is null and u.customer_id is not null;
  get diagnostics v_changed = row_count;
  delete from abymed.t1_2_backfill_links where source_table = 'service_tickets' and id = any (v_ids);
  perform set_config('abymed.t1_2_linking', 'off', true);
  return v_changed;
end $$;

create function t1_2_link_equipment(p_where text) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r record;
  v_ids text[] := '{}';
  v_customers uuid[] := '{}';
  v_link uuid;
  v_changed int;
begin
  perform t1_2_backfill_restore('backfill_equipment');
  perform set_config('abymed.t1_2_linking', 'on', true);
  for r in execute 'with batch as materialized (select s.id, s.customer_id, s.customer_name, s.customer_uuid from equipment s where ('
                   || p_where || ')) select * from batch where customer_uuid is null'
                   || ' and (customer_id is not null or customer_name is not null) order by id' loop
    v_ids := v_ids || r.id::text;
    select l.customer_id into v_link from abymed.t1_2_backfill_links l
     where l.source_table = 'equipment' and l.id = r.id::text
       and l.identity_key = customer_identity_key(r.customer_id, r.customer_name, null)
       and exists (select 1 from customers c where c.id = l.customer_id);
    if v_link is null then
      v_link := t1_2_resolve_customer(r.customer_id, r.customer_name, null, null, 'backfill_equipment', false);
    end if;
    v_customers := v_customers || t1_2_surviving_customer(v_link);
  end loop;
  update equipment t set customer_uuid = u.customer_id
    from unnest(v_ids, v_customers) as u(id, customer_id)
   where t.id = u.id and t.customer_uuid is null and u.customer_id is not null;
  get diagnostics v_changed = row_count;
  delete from abymed.t1_2_backfill_links where source_table = 'equipment' and id = any (v_ids);
  perform set_config('abymed.t1_2_linking', 'off', true);
  return v_changed;
end $$;

-- Linking a row is not a change the legacy application should see: the baseline's set_updated_at
-- trigger bumps updated_at on every update, so a trigger that sorts after it (names fire in
-- alphabetical order) puts the old value back while the backfill links.
create function t1_2_keep_updated_at() returns trigger
language plpgsql as $$
begin
  if current_setting('abymed.t1_2_linking', true) = 'on' then
    new.updated_at := old.updated_at;
  end if;
  return new;
end $$;
create trigger trg_service_tickets_zz_t1_2_keep_updated_at before update of customer_uuid on service_tickets
  for each row execute function t1_2_keep_updated_at();
create trigger trg_equipment_zz_t1_2_keep_updated_at before update of customer_uuid on equipment
  for each row execute function t1_2_keep_updated_at();

-- Backfill down (0022, 0023), in two parts.
-- 1. t1_2_unlink: unlink in committed batches, so no long transaction holds row locks on a hot
--    table; the legacy copies and updated_at stay as they are. Each link is archived with the
--    identity its copies had (abymed.t1_2_backfill_links), for the next up.
create procedure t1_2_unlink(p_table text, p_batch int default 5000)
language plpgsql as $$
declare
  n int;
begin
  loop
    perform set_config('abymed.t1_2_linking', 'on', true);
    execute format(
      'with u as (update %1$I t set customer_uuid = null
                    from (select ctid as c, customer_uuid as cu from %1$I where customer_uuid is not null limit %2$s) s
                   where t.ctid = s.c
               returning t.id::text as id, s.cu, customer_identity_key(t.customer_id, t.customer_name, %3$s) as k)
       insert into abymed.t1_2_backfill_links as l (source_table, id, customer_id, identity_key)
       select %1$L, id, cu, k from u
       on conflict (source_table, id) do update set customer_id = excluded.customer_id, identity_key = excluded.identity_key',
      p_table, p_batch, case p_table when 'service_tickets' then 't.customer_phone' else 'null' end);
    get diagnostics n = row_count;
    commit;
    exit when n = 0;
  end loop;
end $$;

-- 2. t1_2_backfill_takeback: one short transaction that takes back what the backfill created —
--    the customers it created (created_by = p_backfill) that the other table's rows do not name,
--    every customer merged into one of them,
--    and every row that depends on them (their sources, legacy ids and review cases), plus the
--    sources the backfill recorded and the legacy ids only those sources named. They are archived
--    (abymed.t1_2_backfill_rows, as jsonb) and deleted; t1_2_backfill_restore puts them back.
--    The take-back lock stops every resolution and every write naming a customer (they take it
--    shared) until it commits, so nothing can link to a customer being taken back; links written
--    since part 1 are archived and removed here.
create function t1_2_backfill_takeback(p_backfill text) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  v_table text := case p_backfill when 'backfill_tickets' then 'service_tickets' when 'backfill_equipment' then 'equipment' end;
  v_ids uuid[];
  v_t text;
begin
  if v_table is null then
    raise exception 'unknown customer backfill %', p_backfill using errcode = 'invalid_parameter_value';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('abymed.t1_2_backfill_takeback', 0));
  perform pg_advisory_xact_lock(hashtextextended('abymed.t1_2_resolve_customer', 0));
  perform set_config('abymed.t1_2_linking', 'on', true);
  -- A customer the other table's rows name meanwhile (a legacy ticket written after 0023 resolved to
  -- a customer the equipment backfill created) is no longer this step's alone: it stays.
  with recursive d(id) as (
    select c.id from customers c
     where c.created_by = p_backfill
       and not exists (select 1 from service_tickets o where p_backfill = 'backfill_equipment' and o.customer_uuid = c.id)
       and not exists (select 1 from equipment o where p_backfill = 'backfill_tickets' and o.customer_uuid = c.id)
    union
    select c.id from customers c join d on c.merged_into_id = d.id
  )
  select coalesce(array_agg(id), '{}') into v_ids from d;
  -- The step's own table entirely (links written since part 1); the other table where it names a
  -- customer taken back (devices linked by the triggers after 0023 went down).
  foreach v_t in array array['service_tickets', 'equipment'] loop
    execute format(
      'with u as (update %1$I t set customer_uuid = null where t.customer_uuid is not null and (%2$L or t.customer_uuid = any ($1))
               returning t.id::text as id, t.customer_id as legacy_id, t.customer_name, %3$s as phone)
       insert into abymed.t1_2_backfill_links as l (source_table, id, customer_id, identity_key)
       select %4$L, u.id, o.customer_uuid, customer_identity_key(u.legacy_id, u.customer_name, u.phone)
         from u join %1$I o on o.id::text = u.id
       on conflict (source_table, id) do update set customer_id = excluded.customer_id, identity_key = excluded.identity_key',
      v_t, v_t = v_table, case v_t when 'service_tickets' then 't.customer_phone' else 'null::text' end, v_t)
      using v_ids;
  end loop;
  insert into abymed.t1_2_backfill_rows (backfill, tbl, row)
  select p_backfill, 'customers', to_jsonb(c) from customers c where c.id = any (v_ids)
  union all
  select p_backfill, 'customer_sources', to_jsonb(s) from customer_sources s where s.customer_id = any (v_ids) or s.source = p_backfill
  union all
  select p_backfill, 'customer_legacy_ids', to_jsonb(l) from customer_legacy_ids l
   where l.customer_id = any (v_ids)
      or (exists (select 1 from customer_sources s where s.legacy_id = l.legacy_id and s.source = p_backfill)
          and not exists (select 1 from customer_sources s where s.legacy_id = l.legacy_id
                             and s.source <> p_backfill and not s.customer_id = any (v_ids)))
  union all
  select p_backfill, 'customer_review_cases', to_jsonb(k) from customer_review_cases k
   where k.customer_id = any (v_ids) or k.candidate_customer_id = any (v_ids);
  delete from customer_review_cases k using abymed.t1_2_backfill_rows a
   where a.backfill = p_backfill and a.tbl = 'customer_review_cases' and k.id = (a.row ->> 'id')::uuid;
  delete from customer_legacy_ids l using abymed.t1_2_backfill_rows a
   where a.backfill = p_backfill and a.tbl = 'customer_legacy_ids' and l.legacy_id = a.row ->> 'legacy_id';
  delete from customer_sources s using abymed.t1_2_backfill_rows a
   where a.backfill = p_backfill and a.tbl = 'customer_sources' and s.identity_key = a.row ->> 'identity_key';
  delete from customers where id = any (v_ids);
  perform set_config('abymed.t1_2_linking', 'off', true);
  return cardinality(v_ids);
end $$;

-- The backfill's first batch (each batch; it returns at once when there is nothing archived) puts
-- back what t1_2_backfill_takeback archived, rows exactly as they were (ids, timestamps, merges,
-- review resolutions). A customer the triggers created meanwhile for an identity the archive holds
-- (the legacy application wrote while the step was down) is a duplicate of the archived one: its
-- tickets, devices, sources and legacy ids move to the archived customer, its open review cases
-- close, and it is marked merged into it — the same end as a merge from the review queue, with the
-- legacy copies and updated_at left as they are.
create function t1_2_backfill_restore(p_backfill text) returns int
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  p record;
  v_n int;
begin
  if not exists (select 1 from abymed.t1_2_backfill_rows where backfill = p_backfill) then
    return 0;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('abymed.t1_2_resolve_customer', 0));
  perform set_config('abymed.t1_2_linking', 'on', true);
  insert into customers (id, customer_type, name, primary_phone, whatsapp, email, organization_id, facility_id, address, status,
                         merged_into_id, created_by_org_id, created_by, created_at, updated_at)
  select r.id, r.customer_type, r.name, r.primary_phone, r.whatsapp, r.email, r.organization_id, r.facility_id, r.address, r.status,
         r.merged_into_id, r.created_by_org_id, r.created_by, r.created_at, r.updated_at
    from abymed.t1_2_backfill_rows a cross join lateral jsonb_populate_record(null::customers, a.row) r
   where a.backfill = p_backfill and a.tbl = 'customers'
  on conflict (id) do nothing;
  get diagnostics v_n = row_count;
  for p in
    select y, (min(x::text))::uuid as x from (
      select s.customer_id as y, (a.row ->> 'customer_id')::uuid as x
        from abymed.t1_2_backfill_rows a join customer_sources s on s.identity_key = a.row ->> 'identity_key'
       where a.backfill = p_backfill and a.tbl = 'customer_sources' and s.customer_id <> (a.row ->> 'customer_id')::uuid
      union
      select l.customer_id, (a.row ->> 'customer_id')::uuid
        from abymed.t1_2_backfill_rows a join customer_legacy_ids l on l.legacy_id = a.row ->> 'legacy_id'
       where a.backfill = p_backfill and a.tbl = 'customer_legacy_ids' and l.customer_id <> (a.row ->> 'customer_id')::uuid
    ) c group by y
  loop
    update service_tickets set customer_uuid = p.x where customer_uuid = p.y;
    update equipment set customer_uuid = p.x where customer_uuid = p.y;
    delete from customer_sources s using abymed.t1_2_backfill_rows a
     where a.backfill = p_backfill and a.tbl = 'customer_sources' and s.identity_key = a.row ->> 'identity_key' and s.customer_id = p.y;
    update customer_sources set customer_id = p.x where customer_id = p.y;
    delete from customer_legacy_ids l using abymed.t1_2_backfill_rows a
     where a.backfill = p_backfill and a.tbl = 'customer_legacy_ids' and l.legacy_id = a.row ->> 'legacy_id' and l.customer_id = p.y;
    update customer_legacy_ids set customer_id = p.x where customer_id = p.y;
    update customer_review_cases set status = 'merged', merged_into_id = p.x, resolved_by = 'migration_t1_2', resolved_at = now(),
           resolution_note = 'duplicate created while ' || p_backfill || ' was rolled back; merged into ' || p.x
     where status = 'open' and p.y in (customer_id, candidate_customer_id);
    update customers set status = 'merged', merged_into_id = p.x where id = p.y and status <> 'merged';
  end loop;
  insert into customer_sources
  select r.* from abymed.t1_2_backfill_rows a cross join lateral jsonb_populate_record(null::customer_sources, a.row) r
   where a.backfill = p_backfill and a.tbl = 'customer_sources'
  on conflict do nothing;
  insert into customer_legacy_ids
  select r.* from abymed.t1_2_backfill_rows a cross join lateral jsonb_populate_record(null::customer_legacy_ids, a.row) r
   where a.backfill = p_backfill and a.tbl = 'customer_legacy_ids'
  on conflict do nothing;
  insert into customer_review_cases
  select r.* from abymed.t1_2_backfill_rows a cross join lateral jsonb_populate_record(null::customer_review_cases, a.row) r
   where a.backfill = p_backfill and a.tbl = 'customer_review_cases'
  on conflict do nothing;
  delete from abymed.t1_2_backfill_rows where backfill = p_backfill;
  perform set_config('abymed.t1_2_linking', 'off', true);
  return v_n;
end $$;

-- Row-level security for the API roles (see 0003).
grant select, insert, update on customers, customer_review_cases to abymed_app, abymed_app_admin;
grant select on customer_legacy_ids, customer_sources to abymed_app, abymed_app_admin;
alter table customers enable row level security;
alter table customer_review_cases enable row level security;
alter table customer_legacy_ids enable row level security;
alter table customer_sources enable row level security;
create policy admin_all on customers to abymed_app_admin using (true) with check (true);
create policy admin_all on customer_review_cases to abymed_app_admin using (true) with check (true);
create policy admin_all on customer_legacy_ids to abymed_app_admin using (true) with check (true);
create policy admin_all on customer_sources to abymed_app_admin using (true) with check (true);
create policy network_read on customers for select to abymed_app
  using (organization_id = any ((select caller_network_org_ids())::uuid[])
      or created_by_org_id = (select caller_org_id())
      or exists (select 1 from service_tickets t where t.customer_uuid = customers.id));
create policy own_insert on customers for insert to abymed_app
  with check (created_by_org_id = (select caller_org_id()));
create policy own_update on customers for update to abymed_app
  using (created_by_org_id = (select caller_org_id()) or organization_id = (select caller_org_id()))
  with check (created_by_org_id = (select caller_org_id()) or organization_id = (select caller_org_id()));
create policy customer_read on customer_legacy_ids for select to abymed_app
  using (exists (select 1 from customers c where c.id = customer_id));
create policy customer_read on customer_sources for select to abymed_app
  using (exists (select 1 from customers c where c.id = customer_id));
-- The review queue is an administrator's work: tenants see none of it.
