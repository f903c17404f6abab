-- 0951 down: the array-valued policies of service_tickets (as 0910 left them, network_insert as
-- 0003 made it) and of equipment (as 0940 left them) come back, then the three per-row functions
-- go. The set functions they read were never dropped.
drop policy network_read on service_tickets;
drop policy network_insert on service_tickets;
drop policy network_update on service_tickets;
create policy network_read on service_tickets for select to abymed_app
  using (equipment_id = any ((select caller_equipment_ids())::text[])
      or id = any ((select caller_assigned_ticket_ids())::text[]));
create policy network_insert on service_tickets for insert to abymed_app
  with check (equipment_id = any ((select caller_equipment_ids())::text[]));
create policy network_update on service_tickets for update to abymed_app
  using (equipment_id = any ((select caller_equipment_ids())::text[])
      or id = any ((select caller_assigned_ticket_ids())::text[]))
  with check (equipment_id = any ((select caller_equipment_ids())::text[])
      or id = any ((select caller_assigned_ticket_ids())::text[]));

drop policy party_read on equipment;
drop policy party_update on equipment;
create policy party_read on equipment for select to abymed_app
  using (id = any ((select caller_equipment_ids())::text[])
      or id = any ((select caller_assigned_equipment_ids())::text[]));
create policy party_update on equipment for update to abymed_app
  using (id = any ((select caller_equipment_ids())::text[]))
  with check (id = any ((select caller_equipment_ids())::text[]));

drop function caller_assigned_to_equipment(varchar);
drop function caller_assigned_to_ticket(varchar);
drop function caller_holds_equipment(varchar);
