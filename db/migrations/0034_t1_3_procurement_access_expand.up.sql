-- 0034 T1.3 procurement access (expand): what the API's roles may do with RFQs, quotes and their
-- lines, enforced in the database, plus the rule the original enforced with a trigger and the codes.
--   * row-level security (the model of 0003): an RFQ is seen by its requesting organization's
--     network, and by everyone once it is no longer a draft (suppliers must see what they quote
--     on); a quote is seen by its supplier and by the RFQ's requester; lines follow their parent.
--     Writes: the requester writes its RFQs and their lines; the supplier writes its quotes and
--     their lines; the requester may update a quote's status (review, accept, reject). The catalog
--     (products, SKUs) is readable by every caller. The quarantine is for operators only.
--   * trg_quotes_final_status: once accepted or rejected a quote may only move to expired
--     (origin-facts §1), whoever writes it, the legacy application included.
--   * next_rfq_number() RFQ-YYYYMMDD-NNNNNN and next_quote_number() QT-YYYYMMDD-NNNNNN from
--     sequences, skipping a code a legacy row already holds (the model of 0005).
-- The legacy application connects as the owner, which these policies do not restrict.
-- Undo: 0034 down drops the policies, disables row-level security on the four tables, revokes the
-- grants and drops the trigger, the functions and the sequences.

create sequence rfq_number_seq minvalue 1 maxvalue 999999 cycle;
create sequence quote_number_seq minvalue 1 maxvalue 999999 cycle;

create function next_rfq_number() returns text language plpgsql volatile security definer
  set search_path = public, pg_temp as $$
declare
  candidate text;
begin
  loop
    candidate := 'RFQ-' || to_char(now() at time zone 'UTC', 'YYYYMMDD') || '-' || lpad(nextval('rfq_number_seq')::text, 6, '0');
    exit when not exists (select 1 from rfqs where rfq_number = candidate);
  end loop;
  return candidate;
end $$;

create function next_quote_number() returns text language plpgsql volatile security definer
  set search_path = public, pg_temp as $$
declare
  candidate text;
begin
  loop
    candidate := 'QT-' || to_char(now() at time zone 'UTC', 'YYYYMMDD') || '-' || lpad(nextval('quote_number_seq')::text, 6, '0');
    exit when not exists (select 1 from quotes where quote_number = candidate);
  end loop;
  return candidate;
end $$;

create function t13_quotes_final_status() returns trigger
language plpgsql as $$
begin
  if old.status in ('accepted', 'rejected') and new.status is distinct from old.status and new.status <> 'expired' then
    raise exception 'quote % is %: it may only move to expired, not to %', old.id, old.status, new.status
      using errcode = 'check_violation', constraint = 'quotes_final_status';
  end if;
  return new;
end $$;
create trigger trg_quotes_final_status before update of status on quotes
  for each row execute function t13_quotes_final_status();

-- The RFQs a caller's organization requested, or may see through its network (SECURITY DEFINER:
-- computed as the owner, so the RFQ policy does not recurse into itself through quotes).
create function caller_requested_rfq_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(id::text), '{}') from rfqs where requesting_org_id = caller_party_org_id()
$$;

grant select on products, skus to abymed_app, abymed_app_admin;
grant select, insert, update on rfqs, quotes to abymed_app, abymed_app_admin;
grant select, insert, update, delete on rfq_items, quote_items to abymed_app, abymed_app_admin;
grant usage on sequence rfq_number_seq, quote_number_seq to abymed_app, abymed_app_admin;
grant select on procurement_item_quarantine to abymed_app_admin;

alter table rfqs enable row level security;
alter table quotes enable row level security;
alter table rfq_items enable row level security;
alter table quote_items enable row level security;

create policy admin_all on rfqs to abymed_app_admin using (true) with check (true);
create policy admin_all on quotes to abymed_app_admin using (true) with check (true);
create policy admin_all on rfq_items to abymed_app_admin using (true) with check (true);
create policy admin_all on quote_items to abymed_app_admin using (true) with check (true);

create policy procurement_read on rfqs for select to abymed_app
  using (status <> 'draft' or requesting_org_id = any ((select caller_network_org_ids())::uuid[]));
create policy requester_write on rfqs for insert to abymed_app
  with check (requesting_org_id = (select caller_party_org_id()));
create policy requester_update on rfqs for update to abymed_app
  using (requesting_org_id = (select caller_party_org_id())) with check (requesting_org_id = (select caller_party_org_id()));

create policy procurement_read on quotes for select to abymed_app
  using (supplier_org_id = (select caller_party_org_id()) or rfq_id = any ((select caller_requested_rfq_ids())::text[]));
create policy supplier_write on quotes for insert to abymed_app
  with check (supplier_org_id = (select caller_party_org_id()));
create policy party_update on quotes for update to abymed_app
  using (supplier_org_id = (select caller_party_org_id()) or rfq_id = any ((select caller_requested_rfq_ids())::text[]))
  with check (supplier_org_id = (select caller_party_org_id()) or rfq_id = any ((select caller_requested_rfq_ids())::text[]));

-- Lines: the parent subquery runs under the parent's policy (visible parent, visible lines); only
-- the requester (RFQ lines) or the supplier (quote lines) writes them.
create policy parent_read on rfq_items for select to abymed_app
  using (exists (select 1 from rfqs r where r.id = rfq_id));
create policy requester_write on rfq_items for all to abymed_app
  using (rfq_id = any ((select caller_requested_rfq_ids())::text[]))
  with check (rfq_id = any ((select caller_requested_rfq_ids())::text[]));
create policy parent_read on quote_items for select to abymed_app
  using (exists (select 1 from quotes q where q.id = quote_id));
create policy supplier_write on quote_items for all to abymed_app
  using (exists (select 1 from quotes q where q.id = quote_id and q.supplier_org_id = (select caller_party_org_id())))
  with check (exists (select 1 from quotes q where q.id = quote_id and q.supplier_org_id = (select caller_party_org_id())));
