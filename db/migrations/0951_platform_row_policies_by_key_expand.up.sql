-- 0951 platform row policies by key (expand): who may see a ticket or a device is asked of that
-- row's key through an index, instead of building the caller's whole set first.
-- At 1M tickets the array-valued policies (0003, 0910, 0940) made every ticket request of a tenant
-- time out (docs/benchmarks): each statement built caller_assigned_ticket_ids() from every
-- engineer_assignments row (calling caller_engineer_ids() per row, with a uuid::text cast that no
-- index serves), then compared each candidate row against arrays of tens of thousands of ids, one
-- element at a time (`= any` over an InitPlan's array is a linear search).
-- Each of those sets becomes a per-row question answered by an index lookup:
--   caller_holds_equipment(equipment_id)   = equipment_id in caller_equipment_ids()
--       (idx_equipment_relationships_equipment_from: the device's few periods);
--   caller_assigned_to_ticket(ticket_id)   = ticket_id in caller_assigned_ticket_ids()
--       (engineer_assignments_ticket_sequence_key: the ticket's few assignments);
--   caller_assigned_to_equipment(equipment_id) = equipment_id in caller_assigned_equipment_ids()
--       (idx_service_tickets_equipment_id, then the above per ticket).
-- They are SECURITY DEFINER for the same reason the set functions are: the policy of equipment reads
-- equipment_relationships, whose policy reads equipment; a definer function reads the tables without
-- row-level security, so the policies never recurse. Same answers, row for row, as the sets they
-- replace (test/tenancy/matrix.test.ts, unchanged, holds before and after), so an application of
-- any version sees what it saw: an expand step. The set functions stay for the down step.
-- Replacing a policy takes ACCESS EXCLUSIVE on its table for a catalog change only (lock budget
-- 200 ms, retried by the runner).
-- Undo: 0951 down puts back the array-valued policies and drops the three functions.

create function caller_holds_equipment(p_equipment_id varchar) returns boolean language sql stable security definer
  set search_path = public, pg_temp as $fn$
  select exists (select 1 from equipment_relationships r
                  where r.equipment_id = p_equipment_id
                    and r.organization_id = caller_party_org_id()
                    and r.relationship_type in ('manufactured_by', 'sold_by', 'owned_by')
                    and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now()))
$fn$;

-- The ticket's active assignment, or its completed last one, is the caller's engineer's (itself,
-- when the caller is an engineer, or one of its organization's).
create function caller_assigned_to_ticket(p_ticket_id varchar) returns boolean language sql stable security definer
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

create function caller_assigned_to_equipment(p_equipment_id varchar) returns boolean language sql stable security definer
  set search_path = public, pg_temp as $fn$
  select exists (select 1 from service_tickets t where t.equipment_id = p_equipment_id and caller_assigned_to_ticket(t.id))
$fn$;

drop policy network_read on service_tickets;
drop policy network_insert on service_tickets;
drop policy network_update on service_tickets;
create policy network_read on service_tickets for select to abymed_app
  using (caller_holds_equipment(equipment_id) or caller_assigned_to_ticket(id));
create policy network_insert on service_tickets for insert to abymed_app
  with check (caller_holds_equipment(equipment_id));
create policy network_update on service_tickets for update to abymed_app
  using (caller_holds_equipment(equipment_id) or caller_assigned_to_ticket(id))
  with check (caller_holds_equipment(equipment_id) or caller_assigned_to_ticket(id));

drop policy party_read on equipment;
drop policy party_update on equipment;
create policy party_read on equipment for select to abymed_app
  using (caller_holds_equipment(id) or caller_assigned_to_equipment(id));
create policy party_update on equipment for update to abymed_app
  using (caller_holds_equipment(id))
  with check (caller_holds_equipment(id));
