-- 0014 T1.1 engineer skills readable by tenants (expand): engineer suggestions
-- (GET /tickets/{id}/suggested-engineers, and escalation without a named engineer) rank certified
-- skills first, so the API roles must read engineer_skills. 0003 granted them nothing on it, so a
-- tenant caller got "permission denied" (a 500). A skill is visible exactly when its engineer is:
-- the policy probes engineers, whose own policy (0003) scopes it to the caller's network. The
-- legacy application connects as the owner and is not subject to row-level security.
-- Undo: 0014 down drops the policies, disables row-level security and revokes the grant.

grant select on engineer_skills to abymed_app, abymed_app_admin;
alter table engineer_skills enable row level security;
create policy admin_all on engineer_skills to abymed_app_admin using (true) with check (true);
create policy engineer_read on engineer_skills for select to abymed_app
  using (exists (select 1 from engineers e where e.id = engineer_id));
