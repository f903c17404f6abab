-- 0003 down: removes row-level security from the served tables (policies, the flag, the grants)
-- and drops the caller functions. The roles are cluster-wide and stay (see 0002).
drop policy ticket_write on ticket_status_history;
drop policy ticket_read on ticket_status_history;
drop policy ticket_write on ticket_comments;
drop policy ticket_read on ticket_comments;
drop policy network_update on service_tickets;
drop policy network_insert on service_tickets;
drop policy network_read on service_tickets;
drop policy party_update on equipment;
drop policy party_insert on equipment;
drop policy party_read on equipment;
drop policy own_org_write on engineers;
drop policy network_read on engineers;
drop policy network_read on org_relationships;
drop policy own_org_write on organization_facilities;
drop policy network_read on organization_facilities;
drop policy network_read on organizations;
drop policy admin_all on ticket_status_history;
drop policy admin_all on ticket_comments;
drop policy admin_all on service_tickets;
drop policy admin_all on equipment;
drop policy admin_all on engineers;
drop policy admin_all on org_relationships;
drop policy admin_all on organization_facilities;
drop policy admin_all on organizations;

alter table ticket_status_history disable row level security;
alter table ticket_comments disable row level security;
alter table service_tickets disable row level security;
alter table equipment disable row level security;
alter table engineers disable row level security;
alter table org_relationships disable row level security;
alter table organization_facilities disable row level security;
alter table organizations disable row level security;

revoke all on organizations, organization_facilities, org_relationships, engineers, equipment, service_tickets,
  ticket_comments, ticket_status_history from abymed_app, abymed_app_admin;
revoke usage on schema public from abymed_app, abymed_app_admin;

drop function caller_assigned_equipment_ids();
drop function caller_equipment_ids();
drop function caller_engineer_ids();
drop function caller_network_org_ids();
drop function caller_party_org_id();
drop function caller_role();
drop function caller_org_id();
drop function caller_user_id();
