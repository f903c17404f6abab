-- 0953 platform row policy functions, cached (expand): the per-row questions of the row policies are
-- planned once per session instead of once per query, and a ticket's customer is read without
-- building the caller's whole network first.
--   * 0951's caller_holds_equipment, caller_assigned_to_ticket and caller_assigned_to_equipment were
--     SQL functions. SECURITY DEFINER keeps PostgreSQL from inlining them, and a SQL function that is
--     not inlined is planned again by every query that calls it, at every call site: a ticket read
--     called them from four places (the ticket, and each customer column's check of the customer's
--     tickets). As PL/pgSQL they keep their plans for the session, and the API's pool reuses its
--     sessions: GET /tickets/{id} of the biggest manufacturer at 1M tickets went from about 9–11 ms
--     to 4.5–5.6 ms of database time on warm connections. Same statements, same answers.
--   * customers' read policy (0020) began with organization_id = any(caller_network_org_ids()): an
--     InitPlan walking org_relationships down three levels from the caller, 665 organizations and
--     13–18 ms for that manufacturer, paid once per customer column of every ticket query.
--     caller_in_network(org) asks the same of one organization from its side (the caller's own, a
--     direct active parent, or within three active levels below: a walk up through
--     idx_org_relationships_child), with the same answer organization by organization
--     (test/tenancy/row-policies.test.ts). caller_network_org_ids() stays for the small tables'
--     policies, where one set per statement beats a walk per row.
-- Replacing the policy takes ACCESS EXCLUSIVE on customers for a catalog change (200 ms budget,
-- retried); CREATE OR REPLACE FUNCTION takes no table lock.
-- Undo: 0953 down puts back 0951's SQL bodies and 0020's customers policy, and drops
-- caller_in_network.

create or replace function caller_holds_equipment(p_equipment_id varchar) returns boolean language plpgsql stable security definer
  set search_path = public, pg_temp as $fn$
begin
  return exists (select 1 from equipment_relationships r
                  where r.equipment_id = p_equipment_id
                    and r.organization_id = caller_party_org_id()
                    and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
                    and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now()));
end
$fn$;

create or replace function caller_assigned_to_ticket(p_ticket_id varchar) returns boolean language plpgsql stable security definer
  set search_path = public, pg_temp as $fn$
begin
  return exists (select 1 from engineer_assignments a
                  where a.ticket_id = p_ticket_id
                    and (t1_1_is_active(a.status)
                         or (a.status = 'completed' and not exists (select 1 from engineer_assignments b
                                                                     where b.ticket_id = a.ticket_id and b.assignment_sequence > a.assignment_sequence)))
                    and (exists (select 1 from engineers e where e.id = a.engineer_id and e.org_id = caller_party_org_id())
                         or exists (select 1 from users u
                                     where u.id = caller_user_id() and caller_role() = 'engineer' and u.engineer_id = a.engineer_id)));
end
$fn$;

create or replace function caller_assigned_to_equipment(p_equipment_id varchar) returns boolean language plpgsql stable security definer
  set search_path = public, pg_temp as $fn$
begin
  return exists (select 1 from service_tickets t where t.equipment_id = p_equipment_id and caller_assigned_to_ticket(t.id));
end
$fn$;

create function caller_in_network(p_org_id uuid) returns boolean language plpgsql stable security definer
  set search_path = public, pg_temp as $fn$
begin
  if p_org_id is null or caller_org_id() is null then
    return false;
  end if;
  if p_org_id = caller_org_id() then
    return true;
  end if;
  if caller_role() is null or caller_role() = 'engineer' then
    return false;
  end if;
  return exists (select 1 from org_relationships r
                  where r.parent_org_id = p_org_id and r.child_org_id = caller_org_id()
                    and r.relationship_status = 'active'
                    and (r.start_date is null or r.start_date <= current_date)
                    and (r.end_date is null or r.end_date > current_date))
      or exists (with recursive up(id, depth) as (
                   select p_org_id, 0
                   union
                   select r.parent_org_id, u.depth + 1 from up u join org_relationships r on r.child_org_id = u.id
                    where u.depth < 3 and r.relationship_status = 'active'
                      and (r.start_date is null or r.start_date <= current_date)
                      and (r.end_date is null or r.end_date > current_date))
                 select 1 from up where up.id = caller_org_id());
end
$fn$;

drop policy network_read on customers;
create policy network_read on customers for select to abymed_app
  using (created_by_org_id = (select caller_org_id())
      or caller_in_network(organization_id)
      or exists (select 1 from service_tickets t where t.customer_id = customers.id));
