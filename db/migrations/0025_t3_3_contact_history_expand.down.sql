-- 0025 T3.3 contact history (expand) down: back to contact_persons with is_primary only.
-- The primary-contact history and the backfill's conflict report cannot live in the legacy shape:
-- they are archived into abymed.t3_3_archive_* (restored by the next 0025 up), not dropped. The
-- legacy columns hold what the legacy application and set_primary_contact() wrote, which is what
-- the legacy application itself would have written.
-- Undo: 0025 up.
-- First stop the legacy flips (their triggers write periods): a period written after the archive
-- statement would be dropped with the table. The lock is the one the trigger drops below need, taken
-- first (no upgrade, so no deadlock with a transaction that reads before it writes); held briefly.
lock table contact_persons in access exclusive mode;
drop table if exists abymed.t3_3_archive_contact_primary_periods;
create table abymed.t3_3_archive_contact_primary_periods as select * from contact_primary_periods;
drop table if exists abymed.t3_3_archive_contact_primary_conflicts;
create table abymed.t3_3_archive_contact_primary_conflicts as select * from contact_primary_conflicts;

drop policy network_read on contact_primary_conflicts;
drop policy network_read on contact_primary_periods;
drop policy own_org_update on contact_persons;
drop policy own_org_write on contact_persons;
drop policy network_read on contact_persons;
drop policy admin_all on contact_persons;
alter table contact_persons disable row level security;
revoke select, insert, update on contact_persons from abymed_app, abymed_app_admin;

drop trigger trg_contact_persons_zz_t3_3_keep_updated_at on contact_persons;
drop trigger trg_contact_persons_t3_3_primary on contact_persons;
drop trigger trg_contact_persons_t3_3_validity on contact_persons;
drop function t3_3_backfill_orgs(text);
drop function t3_3_keep_updated_at();
drop function t3_3_contact_primary_sync();
drop function t3_3_contact_validity();
drop function clear_primary_contact(uuid, uuid, timestamptz);
drop function set_primary_contact(uuid, uuid, timestamptz, text, text, text);

drop table contact_primary_conflicts;
drop table contact_primary_periods;

alter table contact_persons drop constraint contact_persons_effective_check;
alter table contact_persons drop column effective_to;
alter table contact_persons drop column effective_from;
