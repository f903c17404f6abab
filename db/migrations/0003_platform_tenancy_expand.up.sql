-- 0003 platform tenancy (expand): row-level security on the tables the API serves, so a caller
-- sees its own organization's network and nothing else, whatever query the application runs.
--
-- How it works. The server opens each request's transaction as the pool's user (the table owner),
-- stores the caller with set_config('abymed.user_id' / 'abymed.org_id' / 'abymed.role', …, true)
-- and switches to abymed_app (or abymed_app_admin for a system_admin) with SET LOCAL ROLE. The
-- policies below apply to those two roles only; the owner is untouched (no FORCE ROW LEVEL
-- SECURITY), so the legacy application, which connects as the owner, sees exactly what it saw.
--
-- The network of a caller (ARCHITECTURE.md, issue #3):
--   organizations: its own, every org below it in active channel relationships (3 levels), and
--     its direct partners above it; an engineer: its own organization only;
--   equipment: what its organization made, sold or owns, plus what its engineers are assigned to;
--   tickets: on that equipment, or assigned to its engineers (an engineer: to itself);
--   comments and status history: those of visible tickets.
--
-- Performance (1M tickets). Each caller_* function is STABLE and wrapped in a scalar subquery in
-- the policy, so PostgreSQL evaluates it once per statement (an InitPlan) and the policy becomes
-- `column = ANY($array)` or `column = $value`: index conditions on the existing indexes (and on
-- equipment.sold_by_dealer_id, added by 0004), never a subquery per row. The functions are
-- SECURITY DEFINER: they read as the owner, so computing the network does not recurse into the
-- policies it feeds. Comments and history check their ticket with one primary-key probe.
--
-- Undo: 0003 down drops the policies, disables row-level security, revokes what was granted here
-- and drops the functions. The roles themselves are cluster-wide and stay (see 0002).

create function caller_user_id() returns uuid language sql stable parallel safe
  as $$ select nullif(current_setting('abymed.user_id', true), '')::uuid $$;
create function caller_org_id() returns uuid language sql stable parallel safe
  as $$ select nullif(current_setting('abymed.org_id', true), '')::uuid $$;
create function caller_role() returns text language sql stable parallel safe
  as $$ select nullif(current_setting('abymed.role', true), '') $$;

-- The organization whose equipment the caller acts for: none for an engineer, who sees its
-- assignments only, not everything its employer sold.
create function caller_party_org_id() returns uuid language sql stable parallel safe
  as $$ select case when caller_role() = 'engineer' then null else caller_org_id() end $$;

create function caller_network_org_ids() returns uuid[] language sql stable security definer
  set search_path = public, pg_temp as $$
  with recursive live as (
    select parent_org_id, child_org_id from org_relationships
     where relationship_status = 'active'
       and (start_date is null or start_date <= current_date)
       and (end_date is null or end_date > current_date)
  ), below(id, depth) as (
    select caller_org_id(), 0 where caller_org_id() is not null
    union
    select l.child_org_id, b.depth + 1 from live l join below b on l.parent_org_id = b.id
     where b.depth < 3 and caller_role() <> 'engineer'
  )
  select coalesce(array_agg(distinct id), '{}') from (
    select id from below
    union
    select l.parent_org_id from live l where l.child_org_id = caller_org_id() and caller_role() <> 'engineer'
  ) s
$$;

-- The engineers whose assignments the caller sees: itself (engineer) or its organization's.
create function caller_engineer_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(id::text), '{}') from (
    select u.engineer_id as id from users u where u.id = caller_user_id() and caller_role() = 'engineer' and u.engineer_id is not null
    union
    select e.id from engineers e where e.org_id = caller_party_org_id()
  ) s
$$;

-- Equipment the caller's organization made, sold or owns (one index scan per column).
create function caller_equipment_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(e.id::text), '{}') from equipment e
   where e.manufacturer_org_id = caller_party_org_id()
      or e.sold_by_dealer_id = caller_party_org_id()
      or e.owned_by_org_id = caller_party_org_id()
$$;

-- Equipment the caller's engineers are (or were) assigned to through a ticket.
create function caller_assigned_equipment_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(distinct t.equipment_id::text), '{}') from service_tickets t
   where t.assigned_engineer_id = any (caller_engineer_ids())
$$;

grant usage on schema public to abymed_app, abymed_app_admin;
grant select on organizations, organization_facilities, org_relationships, engineers, equipment, service_tickets,
  ticket_comments, ticket_status_history to abymed_app, abymed_app_admin;
grant insert on organization_facilities, engineers, equipment, service_tickets, ticket_comments, ticket_status_history
  to abymed_app, abymed_app_admin;
grant update on equipment, service_tickets to abymed_app, abymed_app_admin;
-- Tenants get the privilege but no policy: row-level security refuses the row (a 403 for the role),
-- so the rule "only a system_admin creates organizations" lives in the database.
grant insert on organizations, org_relationships to abymed_app, abymed_app_admin;

alter table organizations enable row level security;
alter table organization_facilities enable row level security;
alter table org_relationships enable row level security;
alter table engineers enable row level security;
alter table equipment enable row level security;
alter table service_tickets enable row level security;
alter table ticket_comments enable row level security;
alter table ticket_status_history enable row level security;

-- A system_admin caller: every row (the role exists so tenant policies need no "or admin" branch,
-- which would stop PostgreSQL from using an index for them).
create policy admin_all on organizations to abymed_app_admin using (true) with check (true);
create policy admin_all on organization_facilities to abymed_app_admin using (true) with check (true);
create policy admin_all on org_relationships to abymed_app_admin using (true) with check (true);
create policy admin_all on engineers to abymed_app_admin using (true) with check (true);
create policy admin_all on equipment to abymed_app_admin using (true) with check (true);
create policy admin_all on service_tickets to abymed_app_admin using (true) with check (true);
create policy admin_all on ticket_comments to abymed_app_admin using (true) with check (true);
create policy admin_all on ticket_status_history to abymed_app_admin using (true) with check (true);

-- Tenant callers.
create policy network_read on organizations for select to abymed_app
  using (id = any ((select caller_network_org_ids())::uuid[]));

create policy network_read on organization_facilities for select to abymed_app
  using (org_id = any ((select caller_network_org_ids())::uuid[]));
create policy own_org_write on organization_facilities for insert to abymed_app
  with check (org_id = (select caller_party_org_id()));

-- Both ends must be in the network: a partner's relationships with outsiders (and their terms) stay hidden.
create policy network_read on org_relationships for select to abymed_app
  using (parent_org_id = any ((select caller_network_org_ids())::uuid[]) and child_org_id = any ((select caller_network_org_ids())::uuid[]));

create policy network_read on engineers for select to abymed_app
  using (org_id = any ((select caller_network_org_ids())::uuid[]));
create policy own_org_write on engineers for insert to abymed_app
  with check (org_id = (select caller_party_org_id()));

create policy party_read on equipment for select to abymed_app
  using (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id())
      or id = any ((select caller_assigned_equipment_ids())::text[]));
create policy party_insert on equipment for insert to abymed_app
  with check (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id()));
create policy party_update on equipment for update to abymed_app
  using (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id()))
  with check (manufacturer_org_id = (select caller_party_org_id())
      or sold_by_dealer_id = (select caller_party_org_id())
      or owned_by_org_id = (select caller_party_org_id()));

create policy network_read on service_tickets for select to abymed_app
  using (equipment_id = any ((select caller_equipment_ids())::text[])
      or assigned_engineer_id = any ((select caller_engineer_ids())::text[]));
create policy network_insert on service_tickets for insert to abymed_app
  with check (equipment_id = any ((select caller_equipment_ids())::text[]));
create policy network_update on service_tickets for update to abymed_app
  using (equipment_id = any ((select caller_equipment_ids())::text[])
      or assigned_engineer_id = any ((select caller_engineer_ids())::text[]))
  with check (equipment_id = any ((select caller_equipment_ids())::text[])
      or assigned_engineer_id = any ((select caller_engineer_ids())::text[]));

-- The ticket subquery runs under the tickets policy: visible ticket, visible comments.
create policy ticket_read on ticket_comments for select to abymed_app
  using (exists (select 1 from service_tickets t where t.id = ticket_id));
create policy ticket_write on ticket_comments for insert to abymed_app
  with check (exists (select 1 from service_tickets t where t.id = ticket_id));
create policy ticket_read on ticket_status_history for select to abymed_app
  using (exists (select 1 from service_tickets t where t.id = ticket_id));
create policy ticket_write on ticket_status_history for insert to abymed_app
  with check (exists (select 1 from service_tickets t where t.id = ticket_id));
