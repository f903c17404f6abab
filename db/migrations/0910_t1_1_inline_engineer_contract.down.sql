-- 0910 T1.1 inline engineer (down): the five inline columns come back on service_tickets (same
-- types, the index of 0001), filled byte-identically from abymed.t1_1_inline_archive where the
-- ticket still shows the assignment it showed at the contract (same id, not updated since), else
-- from t1_1_inline_assignment() (what the sync would have written), with the updated_at trigger
-- off for the fill so no legacy row's updated_at moves. Then the sync (0010's functions and
-- triggers, verbatim) and 0003's policies and caller_assigned_equipment_ids() come back, and the
-- archive and caller_assigned_ticket_ids() go. Columns return at the end of the row.
-- One transaction (a new-application write between the fill and the sync would leave a column
-- stale). Its locks come first, in the order the new application takes them (the ticket, then its
-- assignments): ACCESS EXCLUSIVE on service_tickets under the step's 200 ms budget (retried), then
-- SHARE ROW EXCLUSIVE on engineer_assignments (for its trigger) under 50 ms, so a workload queued
-- behind the step waits for the budget at most, then for the fill (one pass over the tickets).
-- Undo: 0910 up (archives the inline values again and drops the columns).
--! lock-timeout: 200ms

lock table service_tickets in access exclusive mode;
set local lock_timeout = '50ms';
lock table engineer_assignments in share row exclusive mode;

alter table service_tickets
  add column assigned_engineer_id varchar(64),
  add column assigned_engineer_name varchar(255),
  add column assignment_tier int,
  add column assignment_tier_name text,
  add column assigned_at timestamptz;
create index idx_service_tickets_assigned_engineer_id on service_tickets (assigned_engineer_id);

alter table service_tickets disable trigger trg_service_tickets_updated_at;
-- One t1_1_inline_assignment call per ticket (offset 0 keeps the subqueries whole: `(f(x)).*` or a
-- field of f(x) written twice would call f once per field, all of it under the lock).
update service_tickets t
   set assigned_engineer_id = a.assigned_engineer_id, assigned_engineer_name = a.assigned_engineer_name,
       assignment_tier = a.assignment_tier, assignment_tier_name = a.assignment_tier_name, assigned_at = a.assigned_at
  from abymed.t1_1_inline_archive a
 cross join lateral (select t1_1_inline_assignment(a.ticket_id) as shown offset 0) s
 where a.ticket_id = t.id
   and (s.shown).id is not distinct from a.shown_assignment_id
   and (s.shown).updated_at is not distinct from a.shown_updated_at;
update service_tickets t
   set assigned_engineer_id = (s.shown).engineer_id::text, assigned_engineer_name = (s.shown).engineer_name,
       assignment_tier = (s.shown).assignment_tier, assignment_tier_name = (s.shown).assignment_tier_name,
       assigned_at = (s.shown).assigned_at
  from (select x.ticket_id, t1_1_inline_assignment(x.ticket_id) as shown
          from (select distinct ticket_id from engineer_assignments) x offset 0) s
 where s.ticket_id = t.id and (s.shown).id is not null
   and not exists (select 1 from abymed.t1_1_inline_archive a where a.ticket_id = t.id
                     and (s.shown).id is not distinct from a.shown_assignment_id
                     and (s.shown).updated_at is not distinct from a.shown_updated_at);
alter table service_tickets enable trigger trg_service_tickets_updated_at;
drop table abymed.t1_1_inline_archive;

create function t1_1_sync_from_ticket(o service_tickets, n service_tickets) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  active engineer_assignments;
  engineer uuid := t1_1_engineer_from_inline(n.assigned_engineer_id);
  engineer_changed boolean := o is null or n.assigned_engineer_id is distinct from o.assigned_engineer_id;
  status_changed boolean := o is null or n.status is distinct from o.status;
  new_tier int := t1_1_tier_from_inline(n.assignment_tier);
begin
  select * into active from engineer_assignments
   where ticket_id = n.id and status in ('assigned', 'accepted', 'in_progress') for update;

  -- 1. The status moved: the active assignment follows (before any reassignment, so a resolve that
  --    also clears the engineer completes the work instead of superseding it).
  if active.id is not null and status_changed then
    if n.status in ('in_progress', 'on_hold') and active.status in ('assigned', 'accepted') then
      update engineer_assignments set status = 'in_progress', started_at = coalesce(n.started_at, now())
       where id = active.id returning * into active;
    elsif n.status in ('resolved', 'closed') then
      update engineer_assignments set status = 'completed', completion_status = 'success',
             completed_at = coalesce(n.resolved_at, n.closed_at, now()),
             time_spent_hours = coalesce(time_spent_hours, case when n.labor_hours >= 0 then n.labor_hours end),
             actions_taken = coalesce(actions_taken, n.resolution_notes)
       where id = active.id returning * into active;
    elsif n.status = 'cancelled' then
      update engineer_assignments set status = 'rejected', rejected_at = now(), rejection_reason = 'ticket cancelled'
       where id = active.id returning * into active;
    end if;
    if not t1_1_is_active(active.status) then active := null; end if;
  end if;

  -- 2. Another engineer (or none): the active assignment is superseded, an escalation when the tier rose.
  if engineer_changed and active.id is not null and active.engineer_id is distinct from engineer then
    if engineer is not null and new_tier > active.assignment_tier then
      update engineer_assignments set status = 'escalated', completion_status = 'escalated', completed_at = now(),
             escalation_reason = format('reassigned to tier %s in the legacy application', new_tier)
       where id = active.id;
    else
      update engineer_assignments set status = 'rejected', rejected_at = now(),
             rejection_reason = case when n.assigned_engineer_id is null then 'engineer removed in the legacy application'
                                     else 'reassigned in the legacy application' end
       where id = active.id;
    end if;
    active := null;
  end if;

  -- 3. Same engineer, other inline details edited: the active assignment takes them.
  if active.id is not null and active.engineer_id = engineer then
    update engineer_assignments
       set engineer_name = coalesce(nullif(btrim(n.assigned_engineer_name), ''), engineer_name),
           assignment_tier = new_tier, assignment_tier_name = n.assignment_tier_name,
           assigned_at = coalesce(n.assigned_at, assigned_at)
     where id = active.id
       and (engineer_name, assignment_tier, assignment_tier_name, assigned_at) is distinct from
           (coalesce(nullif(btrim(n.assigned_engineer_name), ''), engineer_name), new_tier, n.assignment_tier_name,
            coalesce(n.assigned_at, assigned_at));
    return;
  end if;

  -- 4. An engineer the ticket names without an assignment for it: newly assigned, or the ticket
  --    reopened. An id that names no engineer gets no row (no FK row can name it; never invented).
  if engineer is not null and (engineer_changed or (status_changed and n.status in ('new', 'assigned', 'in_progress', 'on_hold'))) then
    perform t1_1_open_from_inline(n, engineer,
      case when engineer_changed and new_tier > coalesce((select assignment_tier from engineer_assignments where ticket_id = n.id
        order by assignment_sequence desc limit 1), new_tier) then 'escalation' else 'manual' end,
      case when engineer_changed then 'assigned in the legacy application' else 'reopened in the legacy application' end,
      'legacy_app', now());
  end if;
end $$;

create function service_tickets_sync_assignments() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  state text;
  msg text;
begin
  -- The other side's own write (no echo), or the new application, which keeps engineer_assignments itself.
  if coalesce(current_setting('abymed.assignment_sync', true), '') <> '' or t1_1_is_core_writer() then
    return null;
  end if;
  if tg_op = 'UPDATE' and (new.status, new.assigned_engineer_id, new.assigned_engineer_name, new.assignment_tier,
      new.assignment_tier_name, new.assigned_at) is not distinct from (old.status, old.assigned_engineer_id,
      old.assigned_engineer_name, old.assignment_tier, old.assignment_tier_name, old.assigned_at) then
    return null;
  end if;
  begin
    perform set_config('abymed.assignment_sync', 'from_ticket', true);
    perform t1_1_sync_from_ticket(case when tg_op = 'UPDATE' then old end, new);
    perform set_config('abymed.assignment_sync', '', true);
  exception when others then
    -- The legacy application must not start failing because of the new shape: record, go on.
    get stacked diagnostics state = returned_sqlstate, msg = message_text;
    insert into abymed.t1_1_sync_failures (ticket_id, sqlstate, message) values (new.id, state, msg);
  end;
  return null;
end $$;

create function engineer_assignments_write_inline() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  shown engineer_assignments;
begin
  if coalesce(current_setting('abymed.assignment_sync', true), '') = 'from_ticket' then
    return null;
  end if;
  shown := t1_1_inline_assignment(new.ticket_id);
  perform set_config('abymed.assignment_sync', 'from_assignment', true);
  update service_tickets
     set assigned_engineer_id = shown.engineer_id::text, assigned_engineer_name = shown.engineer_name,
         assignment_tier = shown.assignment_tier, assignment_tier_name = shown.assignment_tier_name,
         assigned_at = shown.assigned_at
   where id = new.ticket_id
     and (assigned_engineer_id, assigned_engineer_name, assignment_tier, assignment_tier_name, assigned_at) is distinct from
         (shown.engineer_id::text, shown.engineer_name, shown.assignment_tier, shown.assignment_tier_name, shown.assigned_at);
  perform set_config('abymed.assignment_sync', '', true);
  return null;
end $$;

create trigger trg_engineer_assignments_write_inline after insert or update on engineer_assignments
  for each row execute function engineer_assignments_write_inline();
create trigger trg_service_tickets_sync_assignments
  after insert or update of status, assigned_engineer_id, assigned_engineer_name, assignment_tier, assignment_tier_name, assigned_at
  on service_tickets for each row execute function service_tickets_sync_assignments();

drop policy network_read on service_tickets;
drop policy network_update on service_tickets;
create policy network_read on service_tickets for select to abymed_app
  using (equipment_id = any ((select caller_equipment_ids())::text[])
      or assigned_engineer_id = any ((select caller_engineer_ids())::text[]));
create policy network_update on service_tickets for update to abymed_app
  using (equipment_id = any ((select caller_equipment_ids())::text[])
      or assigned_engineer_id = any ((select caller_engineer_ids())::text[]))
  with check (equipment_id = any ((select caller_equipment_ids())::text[])
      or assigned_engineer_id = any ((select caller_engineer_ids())::text[]));

-- Equipment the caller's engineers are (or were) assigned to through a ticket.
create or replace function caller_assigned_equipment_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(distinct t.equipment_id::text), '{}') from service_tickets t
   where t.assigned_engineer_id = any (caller_engineer_ids())
$$;
drop function caller_assigned_ticket_ids();
