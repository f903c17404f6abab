-- 0910 T1.1 inline engineer (contract): service_tickets.assigned_engineer_id, assigned_engineer_name,
-- assignment_tier, assignment_tier_name and assigned_at go; engineer_assignments (with
-- current_ticket_assignments) is the only record of who works on a ticket. T3.2's status-history
-- machinery (0010, 0011, 0013) stays. Run only once no application reads or writes the inline
-- columns (the legacy application is retired before this step; src/tickets must read the engineer
-- through current_ticket_assignments).
--   * the five inline values of every ticket that has any are archived into
--     abymed.t1_1_inline_archive with the assignment they showed (t1_1_inline_assignment), because
--     some cannot be derived again: an id naming no engineer (quarantined by 0012), a legacy name
--     that differs from the assignment's, a tier 0/null the assignment reads as 1;
--   * row-level security read the inline id (0003: network_read, network_update on service_tickets
--     and caller_assigned_equipment_ids()): they now read engineer_assignments through
--     caller_assigned_ticket_ids() — the tickets whose active assignment, or completed last one,
--     is the caller's engineer's — which is what the inline columns showed, so callers see what
--     they saw before;
--   * the two sync triggers and their functions go (nothing writes the columns any more); the
--     index on assigned_engineer_id goes with its column.
-- Statement by statement (no transaction), so the archive, one call of t1_1_inline_assignment per
-- ticket, is computed with plain reads and never under a strong lock:
--   1. creates the archive, and a change list abymed.t1_1_inline_archive_changes filled by two
--      capture triggers (a ticket's inline columns written, inserted or deleted; any write to its
--      engineer_assignments, which moves the assignment it shows). Creating each trigger takes SHARE
--      ROW EXCLUSIVE on its table for a moment (catalog only, 200 ms lock budget, retried);
--   2. fills the archive in one plain read of service_tickets (a statement of its own, so its
--      snapshot is taken after the capture triggers committed: every write it does not see is in
--      the change list). The workloads keep reading and writing meanwhile;
--   3. ONE statement, atomically: ACCESS EXCLUSIVE on service_tickets (200 ms budget, retried),
--      then engineer_assignments (50 ms), the order the new application locks them (ticket row
--      first), so a request queued behind the step waits ~250 ms at worst plus the hold; re-archives
--      only the tickets in the change list, drops the capture triggers, switches the policies, drops
--      the sync and the columns — catalog work plus the few tickets written since step 2, so the lock
--      is held briefly whatever the size of the table (the archive is exactly what one transaction
--      would have archived at this instant);
--   4. drops the change list and its trigger function (no table lock).
-- A failed run resumes at the failed statement (the runner records each statement done).
-- Undo: 0910 down (one transaction) adds the columns back (same types, the index), fills them from
-- the archive where the ticket still shows the archived assignment unchanged, else from
-- t1_1_inline_assignment(), with the updated_at trigger off so legacy rows come back byte-identical,
-- and restores the sync, the 0003 policies and function. Columns come back at the end of the row
-- (PostgreSQL cannot re-insert a column in place): values are identical, `select *` order is not.
--! no-transaction
--! lock-timeout: 200ms

create table abymed.t1_1_inline_archive (
  ticket_id              varchar(32) primary key,
  assigned_engineer_id   varchar(64),
  assigned_engineer_name varchar(255),
  assignment_tier        int,
  assignment_tier_name   text,
  assigned_at            timestamptz,
  shown_assignment_id    uuid,
  shown_updated_at       timestamptz
);

comment on table abymed.t1_1_inline_archive is
  'T1.1 0910: the inline engineer columns as they were at the contract, for 0910 down (byte-identical restore).';

-- Tickets whose archived values may have changed since the archive was read (step 3 re-archives them).
create table abymed.t1_1_inline_archive_changes (ticket_id varchar(32) primary key);

-- tg_argv[0]: the column naming the ticket (service_tickets.id, engineer_assignments.ticket_id).
create function t1_1_inline_archive_note_change() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  insert into abymed.t1_1_inline_archive_changes (ticket_id)
  select distinct k from (values (to_jsonb(old) ->> tg_argv[0]), (to_jsonb(new) ->> tg_argv[0])) v(k)
   where k is not null
  on conflict do nothing;
  return null;
end $$;

create trigger trg_service_tickets_inline_archive_changes
  after insert or delete or update of assigned_engineer_id, assigned_engineer_name, assignment_tier, assignment_tier_name, assigned_at
  on service_tickets for each row execute function t1_1_inline_archive_note_change('id');

create trigger trg_engineer_assignments_inline_archive_changes
  after insert or update or delete on engineer_assignments
  for each row execute function t1_1_inline_archive_note_change('ticket_id');

-- The archive, read without a strong lock (offset 0: one t1_1_inline_assignment call per ticket).
insert into abymed.t1_1_inline_archive
select s.id, s.assigned_engineer_id, s.assigned_engineer_name, s.assignment_tier, s.assignment_tier_name, s.assigned_at,
       (s.shown).id, (s.shown).updated_at
  from (select t.*, t1_1_inline_assignment(t.id) as shown from service_tickets t
         where num_nonnulls(t.assigned_engineer_id, t.assigned_engineer_name, t.assignment_tier, t.assignment_tier_name, t.assigned_at) > 0
        offset 0) s;

do $$
begin
  lock table service_tickets in access exclusive mode;
  -- The first lock had the step's budget; the second is normally free at once (every writer takes
  -- the ticket first), so it waits briefly while the service_tickets queue grows.
  perform set_config('lock_timeout', '50ms', true);
  lock table engineer_assignments in access exclusive mode;

  -- Nothing can write either table now: re-archive the tickets written since the archive was read.
  delete from abymed.t1_1_inline_archive a using abymed.t1_1_inline_archive_changes c where a.ticket_id = c.ticket_id;
  insert into abymed.t1_1_inline_archive
  select s.id, s.assigned_engineer_id, s.assigned_engineer_name, s.assignment_tier, s.assignment_tier_name, s.assigned_at,
         (s.shown).id, (s.shown).updated_at
    from (select t.*, t1_1_inline_assignment(t.id) as shown
            from service_tickets t join abymed.t1_1_inline_archive_changes c on c.ticket_id = t.id
           where num_nonnulls(t.assigned_engineer_id, t.assigned_engineer_name, t.assignment_tier, t.assignment_tier_name, t.assigned_at) > 0
          offset 0) s;
  drop trigger trg_service_tickets_inline_archive_changes on service_tickets;
  drop trigger trg_engineer_assignments_inline_archive_changes on engineer_assignments;

  -- The tickets whose engineer, as the inline columns showed it, is the caller's (itself, or its organization's).
  create function caller_assigned_ticket_ids() returns text[] language sql stable security definer
    set search_path = public, pg_temp as $fn$
    select coalesce(array_agg(a.ticket_id::text), '{}') from engineer_assignments a
     where a.engineer_id::text = any (caller_engineer_ids())
       and (t1_1_is_active(a.status)
            or (a.status = 'completed' and not exists (select 1 from engineer_assignments b
                                                        where b.ticket_id = a.ticket_id and b.assignment_sequence > a.assignment_sequence)))
  $fn$;

  create or replace function caller_assigned_equipment_ids() returns text[] language sql stable security definer
    set search_path = public, pg_temp as $fn$
    select coalesce(array_agg(distinct t.equipment_id::text), '{}') from service_tickets t
     where t.id = any (caller_assigned_ticket_ids())
  $fn$;

  drop policy network_read on service_tickets;
  drop policy network_update on service_tickets;
  create policy network_read on service_tickets for select to abymed_app
    using (equipment_id = any ((select caller_equipment_ids())::text[])
        or id = any ((select caller_assigned_ticket_ids())::text[]));
  create policy network_update on service_tickets for update to abymed_app
    using (equipment_id = any ((select caller_equipment_ids())::text[])
        or id = any ((select caller_assigned_ticket_ids())::text[]))
    with check (equipment_id = any ((select caller_equipment_ids())::text[])
        or id = any ((select caller_assigned_ticket_ids())::text[]));

  drop trigger trg_service_tickets_sync_assignments on service_tickets;
  drop trigger trg_engineer_assignments_write_inline on engineer_assignments;
  drop function engineer_assignments_write_inline();
  drop function service_tickets_sync_assignments();
  drop function t1_1_sync_from_ticket(service_tickets, service_tickets);

  alter table service_tickets
    drop column assigned_engineer_id,
    drop column assigned_engineer_name,
    drop column assignment_tier,
    drop column assignment_tier_name,
    drop column assigned_at;
end $$;

drop function t1_1_inline_archive_note_change();

drop table abymed.t1_1_inline_archive_changes;
