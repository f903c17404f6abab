-- 0012 T1.1 assignments (down): removes the assignments the backfill created (assigned_by
-- migration_T1.1). One that the new application has moved on since (updated after it was created)
-- is new-shape data: it is archived as JSON into abymed.t1_1_archived_assignments first. Deleting
-- assignments never touches the inline columns (the sync runs on insert and update only), so the
-- legacy rows stay exactly as they are. The job's quarantine and progress rows go too, so an up
-- runs it afresh.
create table if not exists abymed.t1_1_archived_assignments (
  archived_at timestamptz not null default now(),
  assignment  jsonb not null
);
insert into abymed.t1_1_archived_assignments (assignment)
  select to_jsonb(a) from engineer_assignments a where a.assigned_by = 'migration_T1.1' and a.updated_at > a.created_at;
delete from engineer_assignments where assigned_by = 'migration_T1.1';
do $$
begin
  if to_regclass('abymed.quarantine') is not null then
    delete from abymed.quarantine where job = 't1_1_assignments';
  end if;
  if to_regclass('abymed.backfill_progress') is not null then
    delete from abymed.backfill_progress where job = 't1_1_assignments';
  end if;
  if not exists (select 1 from abymed.t1_1_archived_assignments) then
    drop table abymed.t1_1_archived_assignments;
  end if;
end $$;
