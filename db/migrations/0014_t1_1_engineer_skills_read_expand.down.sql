-- 0014 T1.1 engineer skills readable by tenants (down): back to 0003's state, where the API roles
-- have no privilege on engineer_skills and the table has no row-level security.
drop policy engineer_read on engineer_skills;
drop policy admin_all on engineer_skills;
alter table engineer_skills disable row level security;
revoke select on engineer_skills from abymed_app, abymed_app_admin;
