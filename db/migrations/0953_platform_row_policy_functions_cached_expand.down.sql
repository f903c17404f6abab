-- 0953 down: customers' read policy as 0020 made it (the network as a set, once per statement),
-- caller_in_network goes, and the three per-row functions get 0951's SQL bodies back.
drop policy network_read on customers;
create policy network_read on customers for select to abymed_app
  using (organization_id = any ((select caller_network_org_ids())::uuid[])
      or created_by_org_id = (select caller_org_id())
      or exists (select 1 from service_tickets t where t.customer_id = customers.id));

drop function caller_in_network(uuid);

create or replace function caller_holds_equipment(p_equipment_id varchar) returns boolean language sql stable security definer
  set search_path = public, pg_temp as $fn$
  select exists (select 1 from equipment_relationships r
                  where r.equipment_id = p_equipment_id
                    and r.organization_id = caller_party_org_id()
                    and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
                    and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now()))
$fn$;

create or replace function caller_assigned_to_ticket(p_ticket_id varchar) returns boolean language sql stable security definer
  set search_path = public, pg_temp as $fn$
  select exists (select 1 from engineer_assignments a
                  where a.ticket_id = p_ticket_id
                    and (t1_1_is_active(a.status)
                         or (a.status = 'completed' and not exists (select 1 from engineer_assignments b
                                                                     where b.ticket_id = a.ticket_id and b.assignment_sequence > a.assignment_sequence)))
                    and (exists (select 1 from engineers e where e.id = a.engineer_id and e.org_id = caller_party_org_id())
                         or exists (select 1 from users u
                                     where u.id = caller_user_id() and caller_role() = 'engineer' and u.engineer_id = a.engineer_id)))
$fn$;

create or replace function caller_assigned_to_equipment(p_equipment_id varchar) returns boolean language sql stable security definer
  set search_path = public, pg_temp as $fn$
  select exists (select 1 from service_tickets t where t.equipment_id = p_equipment_id and caller_assigned_to_ticket(t.id))
$fn$;
