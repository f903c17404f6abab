-- 0010 T1.1 + T3.2 engineer assignments and one source of truth for ticket status (expand).
--
-- T1.1 (flaw #1): a ticket held one inline engineer (assigned_engineer_id varchar(64) holding an
-- engineer uuid as text, its name, tier, tier name, assigned_at), so every reassignment and
-- escalation overwrote the last. This step adds
--   * engineer_assignments: one row per assignment, uuid key (uuid_v7, from 0008), ticket_id of the
--     SAME type as service_tickets.id (varchar(32); T2.2 moves both to uuid together), engineer_id a
--     real uuid FK, assignment_sequence 1, 2, 3… unique per ticket (set by the database under the
--     ticket's row lock), and checks that tie every status to its timestamps and reasons;
--   * at most one active assignment (assigned, accepted, in_progress) per ticket: a partial unique
--     index, so two dispatchers racing cannot both win, whatever the client;
--   * the assignment state machine (origin-facts §4) in a trigger: only the domain's transitions
--     pass; a terminal row only takes customer feedback;
--   * view current_ticket_assignments (security_invoker, so row-level security applies);
--   * two-way sync while the legacy application still writes the inline columns:
--       legacy ticket write → engineer_assignments (t1_1_sync_from_ticket), and
--       assignment write → inline columns (t1_1_write_inline_columns).
--     A transaction-local setting (abymed.assignment_sync) marks the write each side makes for the
--     other, so neither echoes back; both lock the ticket row first, so concurrent writers of one
--     ticket take turns. An inline engineer id that names no engineer cannot get an FK row: the
--     legacy write still succeeds, the previous assignment is closed, and no row is invented (the
--     `abymed validate t1.1` report and the consistency check list such tickets). Any unexpected
--     error inside the legacy-side sync is recorded in abymed.t1_1_sync_failures instead of failing
--     the legacy application.
-- T3.2 (flaw #6): status lived in service_tickets.status and in ticket_status_history, which the
-- legacy application writes best-effort in a separate statement after the update. Now
--   * every status change, from either application, writes exactly one history row in the same
--     transaction (trigger on service_tickets);
--   * the legacy application's own follow-up insert takes the place of that row (same ticket, same
--     to_status, still awaiting its copy): the legacy row is kept with its id and values and takes
--     the position of the trigger's row, so no acknowledged legacy write is lost and no change is
--     recorded twice;
--   * history_seq orders rows written from now on ("latest" = history_seq desc nulls last,
--     changed_at desc, id desc; older rows have no history_seq and sort before); an insert claiming
--     a status the ticket does not have is refused into abymed.t3_2_refused_history, so
--     service_tickets.status always equals the latest row's to_status; the rows that carry this
--     invariant cannot be rewritten or deleted except by their ticket's deletion.
-- Backfill functions for 0012/0013 live here too (a backfill step runs a job, not SQL).
--
-- Undo: 0010 down archives engineer_assignments rows (new-shape data the legacy columns cannot
-- hold) into abymed.t1_1_archived_assignments and the order of the history rows written since
-- (history_seq, origin) into abymed.t3_2_archived_history_order, then drops the triggers, functions,
-- view and table, and the two history columns it added. The inline columns were never changed by
-- this step. Up again restores both archives exactly (see the two "Up again after a rollback" parts).
-- Nothing the backfills (0012, 0013) write comes from the clock or uuid_v7(): rerun after their
-- down, they write the very same rows.

-- ---------------------------------------------------------------------------------------------
-- engineer_assignments
-- ---------------------------------------------------------------------------------------------

create table engineer_assignments (
  id                   uuid primary key default uuid_v7(),
  ticket_id            varchar(32) not null references service_tickets (id) on delete cascade,
  -- set null, not restrict: the legacy application deletes engineers, and must keep being able to;
  -- the assignment keeps the engineer's name as it was.
  engineer_id          uuid references engineers (id) on delete set null,
  engineer_name        text not null,
  engineer_org_id      uuid references organizations (id) on delete set null,
  assignment_sequence  int not null constraint engineer_assignments_sequence_positive check (assignment_sequence > 0),
  assignment_tier      int not null default 1 constraint engineer_assignments_tier_range check (assignment_tier between 1 and 6),
  assignment_tier_name text,
  assignment_type      text not null default 'manual'
                       constraint engineer_assignments_type_check check (assignment_type in ('auto', 'manual', 'escalation')),
  assignment_reason    text,
  assigned_by          text,
  assigned_at          timestamptz not null default now(),
  status               text not null default 'assigned'
                       constraint engineer_assignments_status_check check (status in ('assigned', 'accepted', 'rejected', 'in_progress',
                         'completed', 'failed', 'escalated')),
  accepted_at          timestamptz,
  rejected_at          timestamptz,
  rejection_reason     text,
  started_at           timestamptz,
  completed_at         timestamptz,
  completion_status    text
                       constraint engineer_assignments_completion_status_check check (completion_status in ('success', 'failed', 'escalated',
                         'parts_required', 'customer_unavailable')),
  escalation_reason    text,
  time_spent_hours     numeric(5,2) constraint engineer_assignments_hours_range check (time_spent_hours >= 0),
  diagnosis            text,
  actions_taken        text,
  parts_used           jsonb not null default '[]'::jsonb
                       constraint engineer_assignments_parts_used_array check (jsonb_typeof(parts_used) = 'array'),
  customer_rating      smallint constraint engineer_assignments_rating_range check (customer_rating between 1 and 5),
  customer_feedback    text,
  feedback_at          timestamptz,
  notes                text,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  constraint engineer_assignments_ticket_sequence_key unique (ticket_id, assignment_sequence),
  -- Each status carries the facts that define it, so no client can leave a half-written outcome.
  constraint engineer_assignments_outcome_matches_status check (case status
    when 'completed' then completion_status in ('success', 'parts_required', 'customer_unavailable') and completed_at is not null
    when 'escalated' then completion_status = 'escalated' and completed_at is not null and escalation_reason is not null
    when 'failed' then completion_status = 'failed' and completed_at is not null and escalation_reason is not null
    when 'rejected' then completion_status is null and rejected_at is not null and rejection_reason is not null
    when 'in_progress' then completion_status is null and started_at is not null
    when 'accepted' then completion_status is null and accepted_at is not null
    else completion_status is null end),
  constraint engineer_assignments_feedback_after_completion check (customer_rating is null or status = 'completed'),
  constraint engineer_assignments_feedback_has_rating check (customer_feedback is null or customer_rating is not null)
);

comment on table engineer_assignments is
  'T1.1: every engineer assignment of a ticket, in order (assignment_sequence), with its outcome; at most one active per ticket.';
comment on column engineer_assignments.engineer_name is 'The engineer''s name when assigned (the legacy inline name, or engineers.full_name).';

-- The rule two racing dispatchers meet: one active assignment per ticket.
create unique index engineer_assignments_one_active_per_ticket on engineer_assignments (ticket_id)
  where status in ('assigned', 'accepted', 'in_progress');
create index idx_engineer_assignments_engineer on engineer_assignments (engineer_id, status);
create index idx_engineer_assignments_assigned_at on engineer_assignments (assigned_at);

create view current_ticket_assignments with (security_invoker = true) as
  select * from engineer_assignments where status in ('assigned', 'accepted', 'in_progress');
comment on view current_ticket_assignments is 'T1.1: each ticket''s one active assignment (none when nobody is working on it).';

-- ---------------------------------------------------------------------------------------------
-- Up again after a rollback: the assignments 0010 down archived come back exactly
-- ---------------------------------------------------------------------------------------------

-- 0010 down archives every assignment (new-shape data the inline columns cannot hold) as JSON into
-- abymed.t1_1_archived_assignments, with ticket_state: a fingerprint of its ticket's status and
-- inline engineer columns then. Here, before any trigger exists, each ticket's newest archived set
-- comes back unchanged (ids, sequences, timestamps, outcomes) when the ticket still has that status
-- and inline engineer; an engineer or organization deleted meanwhile becomes null, as the foreign
-- key's on delete set null would have made it. A ticket the legacy application changed while the
-- new shape was gone keeps its archived rows in the archive (kept, not dropped: they no longer
-- describe the ticket) and gets its assignment from the inline columns through 0012, like any
-- legacy-era ticket. The archive table stays (empty or not): the zero-downtime harness reads it.
create table if not exists abymed.t1_1_archived_assignments (
  archived_at  timestamptz not null default now(),
  assignment   jsonb not null,
  ticket_state text
);
alter table abymed.t1_1_archived_assignments add column if not exists ticket_state text;

with newest as (
  select distinct on (x.assignment ->> 'ticket_id') x.assignment ->> 'ticket_id' as ticket_id, x.archived_at, x.ticket_state
    from abymed.t1_1_archived_assignments x
   order by x.assignment ->> 'ticket_id', x.archived_at desc
), unchanged as (
  select n.ticket_id, n.archived_at
    from newest n join service_tickets t on t.id = n.ticket_id
   where n.ticket_state = md5(jsonb_build_array(t.status, t.assigned_engineer_id, t.assigned_engineer_name, t.assignment_tier,
                                                t.assignment_tier_name, t.assigned_at at time zone 'UTC')::text)
), taken as (
  delete from abymed.t1_1_archived_assignments x using unchanged u
   where x.assignment ->> 'ticket_id' = u.ticket_id and x.archived_at = u.archived_at
  returning x.assignment
)
insert into engineer_assignments
select r.*
  from taken x,
       lateral jsonb_populate_record(null::engineer_assignments, x.assignment || jsonb_build_object(
         'engineer_id', case when exists (select 1 from engineers e where e.id::text = x.assignment ->> 'engineer_id')
                             then x.assignment -> 'engineer_id' end,
         'engineer_org_id', case when exists (select 1 from organizations o where o.id::text = x.assignment ->> 'engineer_org_id')
                                 then x.assignment -> 'engineer_org_id' end)) r;

-- ---------------------------------------------------------------------------------------------
-- The assignment state machine (origin-facts §4, assignment.go)
-- ---------------------------------------------------------------------------------------------

-- Accept: assigned → accepted. Reject: assigned|accepted → rejected. Start: assigned|accepted →
-- in_progress. Complete: in_progress → completed. Escalate: accepted|in_progress → escalated.
-- Fail: in_progress → failed. A legacy write superseding an active assignment (reassignment,
-- resolve, cancel in the old application) may close it from any active state.
create function t1_1_transition_allowed(p_from text, p_to text, p_superseding boolean) returns boolean
language sql immutable parallel safe as $$
  select case
    when p_superseding and p_from in ('assigned', 'accepted', 'in_progress') then p_to <> p_from
    else (p_from, p_to) in (('assigned', 'accepted'), ('assigned', 'rejected'), ('accepted', 'rejected'),
      ('assigned', 'in_progress'), ('accepted', 'in_progress'), ('in_progress', 'completed'),
      ('accepted', 'escalated'), ('in_progress', 'escalated'), ('in_progress', 'failed'))
  end
$$;

create function t1_1_is_active(p_status text) returns boolean language sql immutable parallel safe
  as $$ select p_status in ('assigned', 'accepted', 'in_progress') $$;

-- Sequence under the ticket's row lock (so concurrent inserts of one ticket take turns), and the
-- engineer's name and organization when the writer gave none.
create function engineer_assignments_before_insert() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  perform 1 from service_tickets where id = new.ticket_id for no key update;
  if new.engineer_id is null then
    raise exception 'an assignment needs an engineer' using errcode = 'not_null_violation', column = 'engineer_id',
      table = 'engineer_assignments';
  end if;
  new.assignment_sequence := coalesce((select max(assignment_sequence) from engineer_assignments where ticket_id = new.ticket_id), 0) + 1;
  if new.engineer_name is null or new.engineer_org_id is null then
    select coalesce(new.engineer_name, e.full_name), coalesce(new.engineer_org_id, e.org_id)
      into new.engineer_name, new.engineer_org_id from engineers e where e.id = new.engineer_id;
  end if;
  return new;
end $$;

create function engineer_assignments_guard_update() returns trigger
language plpgsql as $$
declare
  superseding boolean := coalesce(current_setting('abymed.assignment_sync', true), '') = 'from_ticket';
  -- what may still change on a closed assignment: the customer's feedback, and the FK's set null
  mutable_when_closed constant text[] := array['customer_rating', 'customer_feedback', 'feedback_at', 'engineer_id', 'notes', 'updated_at'];
begin
  if new.id <> old.id or new.ticket_id <> old.ticket_id or new.assignment_sequence <> old.assignment_sequence then
    raise exception 'an assignment''s id, ticket and sequence never change' using errcode = 'check_violation',
      constraint = 'engineer_assignments_identity', table = 'engineer_assignments';
  end if;
  if new.engineer_id is distinct from old.engineer_id and new.engineer_id is not null then
    raise exception 'an assignment''s engineer never changes: close it and assign again' using errcode = 'check_violation',
      constraint = 'engineer_assignments_identity', table = 'engineer_assignments';
  end if;
  if new.status <> old.status and not t1_1_transition_allowed(old.status, new.status, superseding) then
    raise exception 'assignment % cannot go from % to %', old.id, old.status, new.status using errcode = 'check_violation',
      constraint = 'engineer_assignments_transition', table = 'engineer_assignments',
      detail = format('current status: %s', old.status);
  end if;
  if not t1_1_is_active(old.status) and (to_jsonb(new) - mutable_when_closed) <> (to_jsonb(old) - mutable_when_closed) then
    raise exception 'assignment % is % and only takes customer feedback now', old.id, old.status using errcode = 'check_violation',
      constraint = 'engineer_assignments_transition', table = 'engineer_assignments', detail = format('current status: %s', old.status);
  end if;
  if old.customer_rating is not null and new.customer_rating is distinct from old.customer_rating then
    raise exception 'assignment % already has the customer''s rating', old.id using errcode = 'check_violation',
      constraint = 'engineer_assignments_transition', table = 'engineer_assignments';
  end if;
  new.updated_at := now();
  return new;
end $$;

create trigger trg_engineer_assignments_before_insert before insert on engineer_assignments
  for each row execute function engineer_assignments_before_insert();
create trigger trg_engineer_assignments_guard_update before update on engineer_assignments
  for each row execute function engineer_assignments_guard_update();

-- ---------------------------------------------------------------------------------------------
-- Legacy inline columns ↔ engineer_assignments
-- ---------------------------------------------------------------------------------------------

-- The engineer an inline id names, or null (not a uuid, or no such engineer).
create function t1_1_engineer_from_inline(p_ref text) returns uuid
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  found_id uuid;
begin
  if p_ref is null or btrim(p_ref) !~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' then
    return null;
  end if;
  select id into found_id from engineers where id = btrim(p_ref)::uuid;
  return found_id;
end $$;

-- The legacy tier as an assignment tier (origin-facts §5: tiers 1…6; 0, null and nonsense mean "first").
create function t1_1_tier_from_inline(p_tier int) returns int language sql immutable parallel safe
  as $$ select case when p_tier between 1 and 6 then p_tier when p_tier > 6 then 6 else 1 end $$;

-- The assignment status a legacy ticket status implies (origin-facts §4 backfill mapping, adjusted:
-- a ticket that is only `assigned` has an assignment nobody has started, so it stays `assigned`
-- rather than the spec's in_progress, which would make Start impossible; a cancelled ticket's
-- assignment is closed instead of left active).
create function t1_1_status_for_ticket(p_ticket_status text) returns text language sql immutable parallel safe as $$
  select case p_ticket_status
    when 'in_progress' then 'in_progress' when 'on_hold' then 'in_progress'
    when 'resolved' then 'completed' when 'closed' then 'completed'
    when 'cancelled' then 'rejected'
    else 'assigned' end
$$;

-- The assignment that mirrors a ticket's inline columns, with the outcome the ticket's status
-- implies, as a row (id, sequence, created_at and updated_at left to the caller). Everything in it
-- comes from the ticket and the engineer's row, so deriving it twice gives the same row.
create function t1_1_assignment_from_inline(t service_tickets, p_engineer uuid, p_type text, p_reason text, p_assigned_by text,
  p_assigned_at timestamptz) returns engineer_assignments
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  e engineers;
  r engineer_assignments;
  st text := t1_1_status_for_ticket(t.status);
  at timestamptz := coalesce(t.assigned_at, p_assigned_at);
  ended timestamptz := coalesce(t.resolved_at, t.closed_at, greatest(t.updated_at, at));
begin
  select * into e from engineers where id = p_engineer;
  if e.id is null then
    return null;
  end if;
  r.ticket_id := t.id;
  r.engineer_id := e.id;
  r.engineer_name := coalesce(nullif(btrim(t.assigned_engineer_name), ''), e.full_name);
  r.engineer_org_id := e.org_id;
  r.assignment_tier := t1_1_tier_from_inline(t.assignment_tier);
  r.assignment_tier_name := t.assignment_tier_name;
  r.assignment_type := p_type;
  r.assignment_reason := p_reason;
  r.assigned_by := p_assigned_by;
  r.assigned_at := at;
  r.status := st;
  r.accepted_at := case when st in ('in_progress', 'completed') then at end;
  r.started_at := case when st in ('in_progress', 'completed') then coalesce(t.started_at, at) end;
  r.completed_at := case when st = 'completed' then ended end;
  r.completion_status := case when st = 'completed' then 'success' end;
  r.rejected_at := case when st = 'rejected' then ended end;
  r.rejection_reason := case when st = 'rejected' then 'ticket cancelled' end;
  r.time_spent_hours := case when st = 'completed' and t.labor_hours >= 0 then t.labor_hours::numeric(5,2) end;
  r.actions_taken := case when st = 'completed' then t.resolution_notes end;
  r.parts_used := case when st = 'completed' and jsonb_typeof(t.parts_used) = 'array' then t.parts_used else '[]'::jsonb end;
  return r;
end $$;

-- Opens that assignment (a new row: uuid_v7 id, the next sequence, written now). Used by the
-- legacy-side sync; the caller holds the ticket lock.
create function t1_1_open_from_inline(t service_tickets, p_engineer uuid, p_type text, p_reason text, p_assigned_by text,
  p_assigned_at timestamptz) returns uuid
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r engineer_assignments := t1_1_assignment_from_inline(t, p_engineer, p_type, p_reason, p_assigned_by, p_assigned_at);
  new_id uuid;
begin
  if r.ticket_id is null then
    return null;
  end if;
  insert into engineer_assignments (ticket_id, engineer_id, engineer_name, engineer_org_id, assignment_tier, assignment_tier_name,
    assignment_type, assignment_reason, assigned_by, assigned_at, status, accepted_at, started_at, completed_at, completion_status,
    rejected_at, rejection_reason, time_spent_hours, actions_taken, parts_used)
  values (r.ticket_id, r.engineer_id, r.engineer_name, r.engineer_org_id, r.assignment_tier, r.assignment_tier_name,
    r.assignment_type, r.assignment_reason, r.assigned_by, r.assigned_at, r.status, r.accepted_at, r.started_at, r.completed_at,
    r.completion_status, r.rejected_at, r.rejection_reason, r.time_spent_hours, r.actions_taken, r.parts_used)
  returning id into new_id;
  return new_id;
end $$;

-- The row the 0012 backfill writes for a legacy-era ticket (null: its inline id names no engineer):
-- sequence 1, a name-based id (md5 of the ticket id and the sequence), created and updated when the
-- ticket was last written. A rerun after 0012 down derives the very same row, and 0012 down can tell
-- the rows still exactly as the backfill wrote them (it takes back only those).
create function t1_1_backfill_row(t service_tickets) returns engineer_assignments
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  r engineer_assignments;
begin
  r := t1_1_assignment_from_inline(t, t1_1_engineer_from_inline(t.assigned_engineer_id), 'manual',
    'migrated from the inline ticket columns (T1.1)', 'migration_T1.1', coalesce(t.assigned_at, t.created_at));
  if r.ticket_id is null then
    return null;
  end if;
  r.id := md5('engineer_assignments:' || t.id || ':1')::uuid;
  r.assignment_sequence := 1;
  r.created_at := coalesce(t.updated_at, r.assigned_at);
  r.updated_at := r.created_at;
  return r;
end $$;

-- A legacy write (insert or update of the inline columns or the status) replayed on engineer_assignments.
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

create schema if not exists abymed;
create table if not exists abymed.t1_1_sync_failures (
  id        bigint generated always as identity primary key,
  ticket_id varchar(32) not null,
  sqlstate  text not null,
  message   text not null,
  at        timestamptz not null default now()
);
comment on table abymed.t1_1_sync_failures is
  'T1.1: legacy ticket writes whose replay on engineer_assignments failed; the legacy write itself succeeded. Should stay empty.';

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

-- What the inline columns show for a ticket: its active assignment; without one, a completed last
-- assignment (who resolved it); otherwise nobody.
create function t1_1_inline_assignment(p_ticket_id varchar) returns engineer_assignments
language sql stable security definer set search_path = public, pg_temp as $$
  select a.* from (
    select * from engineer_assignments where ticket_id = p_ticket_id
     order by t1_1_is_active(status) desc, assignment_sequence desc limit 1) a
   where t1_1_is_active(a.status) or a.status = 'completed'
$$;

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

-- ---------------------------------------------------------------------------------------------
-- T3.2: one history row per status change, in the same transaction
-- ---------------------------------------------------------------------------------------------

-- The new application marks its transactions (src/tickets sets abymed.writer; an API request sets
-- the caller, abymed.user_id). Everything else is the legacy application.
create function t1_1_is_core_writer() returns boolean language sql stable parallel safe as $$
  select coalesce(current_setting('abymed.writer', true), '') = 'core' or coalesce(current_setting('abymed.user_id', true), '') <> ''
$$;

alter table ticket_status_history add column history_seq bigint;
alter table ticket_status_history add column origin text
  constraint ticket_status_history_origin_check check (origin in ('core', 'legacy_update', 'legacy', 'reconcile'));
comment on column ticket_status_history.history_seq is
  'T3.2: order of rows written since 0010; latest = history_seq desc nulls last, changed_at desc, id desc.';
comment on column ticket_status_history.origin is
  'T3.2: core (new application, by trigger), legacy_update (trigger for a legacy update, awaiting the legacy app''s own row), '
  'legacy (the legacy app''s row), reconcile (0013 backfill); null before 0010.';
create sequence ticket_status_history_seq;

-- Up again after a rollback: 0010 down archived the order of every history row of the tickets that
-- had rows written since 0010 (abymed.t3_2_archived_history_order: id, history_seq, origin; rows
-- from before 0010 with null), because dropping the columns would lose which row is latest. The
-- archived rows get their history_seq and origin back exactly; rows of those tickets that the legacy
-- application wrote while the new shape was gone follow them, in the order written (origin legacy);
-- the sequence continues after the highest. The archive is emptied (0010 down drops it when empty).
do $$
declare
  r record;
begin
  if to_regclass('abymed.t3_2_archived_history_order') is null then
    return;
  end if;
  update ticket_status_history h set history_seq = a.history_seq, origin = a.origin
    from abymed.t3_2_archived_history_order a
   where a.id = h.id and a.ticket_id = h.ticket_id and a.history_seq is not null;
  perform setval('ticket_status_history_seq', m) from (select max(history_seq) as m from ticket_status_history) x where m is not null;
  for r in
    select h.id from ticket_status_history h
     where h.ticket_id in (select a.ticket_id from abymed.t3_2_archived_history_order a)
       and not exists (select 1 from abymed.t3_2_archived_history_order a where a.id = h.id)
     order by h.changed_at, h.id
  loop
    update ticket_status_history set history_seq = nextval('ticket_status_history_seq'), origin = 'legacy' where id = r.id;
  end loop;
  delete from abymed.t3_2_archived_history_order;
end $$;

create function t3_2_history_id() returns varchar language sql volatile as $$ select replace(uuid_v7()::text, '-', '') $$;

-- The status the latest history row of a ticket records (null: the ticket has no history).
create function ticket_latest_history_status(p_ticket_id varchar) returns text
language sql stable security definer set search_path = public, pg_temp as $$
  select to_status from ticket_status_history where ticket_id = p_ticket_id
   order by history_seq desc nulls last, changed_at desc, id desc limit 1
$$;

create function service_tickets_record_status() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  core boolean := t1_1_is_core_writer();
begin
  if tg_op = 'UPDATE' and new.status is not distinct from old.status then
    return null;
  end if;
  insert into ticket_status_history (id, ticket_id, from_status, to_status, changed_by, changed_at, reason, origin)
  values (t3_2_history_id(), new.id, case when tg_op = 'UPDATE' then old.status end, new.status,
          -- who: the workflow's actor, else the API caller (a uuid without dashes fits varchar(32))
          case when core then left(coalesce(nullif(current_setting('abymed.actor', true), ''),
                                            replace(nullif(current_setting('abymed.user_id', true), ''), '-', ''), 'system'), 32)
               else 'system' end,
          clock_timestamp(), nullif(current_setting('abymed.status_reason', true), ''),
          case when core then 'core' else 'legacy_update' end);
  return null;
end $$;

create trigger trg_service_tickets_record_status after insert or update of status on service_tickets
  for each row execute function service_tickets_record_status();

create table if not exists abymed.t3_2_refused_history (
  id          varchar(32) not null,
  ticket_id   varchar(32) not null,
  from_status varchar(50),
  to_status   varchar(50) not null,
  changed_by  varchar(32),
  changed_at  timestamptz,
  reason      text,
  ticket_status text,
  refused_at  timestamptz not null default now()
);
comment on table abymed.t3_2_refused_history is
  'T3.2: history inserts that claimed a status their ticket did not have; kept here so the table never disagrees with the ticket.';

create function ticket_status_history_before_insert() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  current_status text;
  pending ticket_status_history;
begin
  -- Rows our own trigger and backfill write arrive with their origin set (no application knows the column).
  -- (A reconciling row arrives with its position, derived by t3_2_reconcile_ticket.)
  if new.origin in ('core', 'legacy_update', 'reconcile') then
    if new.origin <> 'reconcile' or new.history_seq is null then
      new.history_seq := nextval('ticket_status_history_seq');
    end if;
    return new;
  end if;
  select status into current_status from service_tickets where id = new.ticket_id for no key update;
  if not found then
    return new; -- the foreign key reports it, as before
  end if;
  new.origin := 'legacy';
  -- The legacy application's follow-up row of a change the trigger already recorded: it takes that row's place.
  if new.from_status is distinct from new.to_status then
    select * into pending from ticket_status_history
     where ticket_id = new.ticket_id and origin = 'legacy_update' and to_status = new.to_status
     order by history_seq desc limit 1;
    if pending.id is not null then
      delete from ticket_status_history where id = pending.id;
      new.history_seq := pending.history_seq;
      new.from_status := pending.from_status;
      return new;
    end if;
  end if;
  -- A row that records the ticket's current status changes nothing the invariant depends on.
  if new.to_status = current_status then
    new.history_seq := nextval('ticket_status_history_seq');
    return new;
  end if;
  insert into abymed.t3_2_refused_history (id, ticket_id, from_status, to_status, changed_by, changed_at, reason, ticket_status)
  values (new.id, new.ticket_id, new.from_status, new.to_status, new.changed_by, new.changed_at, new.reason, current_status);
  return null;
end $$;

-- The rows that carry "status = latest to_status" are not rewritten or deleted, except by our own
-- triggers (depth > 1: the replacement above, a ticket's cascade) or a migration's down
-- (abymed.history_maintenance = on).
create function ticket_status_history_guard() returns trigger
language plpgsql as $$
begin
  if pg_trigger_depth() > 1 or coalesce(current_setting('abymed.history_maintenance', true), '') = 'on' then
    return coalesce(new, old);
  end if;
  if tg_op = 'UPDATE' and (new.ticket_id, new.to_status, new.history_seq, new.origin)
      is not distinct from (old.ticket_id, old.to_status, old.history_seq, old.origin) then
    return new;
  end if;
  raise exception 'ticket status history is append-only (row %)', old.id using errcode = 'check_violation',
    constraint = 'ticket_status_history_append_only', table = 'ticket_status_history';
end $$;

create trigger trg_ticket_status_history_before_insert before insert on ticket_status_history
  for each row execute function ticket_status_history_before_insert();
create trigger trg_ticket_status_history_guard before update or delete on ticket_status_history
  for each row execute function ticket_status_history_guard();

-- ---------------------------------------------------------------------------------------------
-- Backfill units (0012, 0013), one ticket each, under the ticket's row lock so a concurrent legacy
-- write is either already visible or waits; both are idempotent.
-- ---------------------------------------------------------------------------------------------

create function t1_1_backfill_ticket(p_ticket_id varchar) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  t service_tickets;
  r engineer_assignments;
begin
  select * into t from service_tickets where id = p_ticket_id for no key update;
  if t.id is null or t.assigned_engineer_id is null or exists (select 1 from engineer_assignments where ticket_id = t.id) then
    return false;
  end if;
  r := t1_1_backfill_row(t);
  if r.id is null then
    return false; -- no such engineer: quarantined by the job's rule
  end if;
  -- The inline columns already say this; writing them back would change legacy rows.
  perform set_config('abymed.assignment_sync', 'from_ticket', true);
  insert into engineer_assignments select (r).*;
  perform set_config('abymed.assignment_sync', '', true);
  return true;
end $$;

create function t3_2_reconcile_ticket(p_ticket_id varchar) returns boolean
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  t service_tickets;
  latest text;
  has_history boolean;
  seq bigint;
  at timestamptz;
begin
  select * into t from service_tickets where id = p_ticket_id for no key update;
  if t.id is null then
    return false;
  end if;
  has_history := exists (select 1 from ticket_status_history where ticket_id = t.id);
  latest := ticket_latest_history_status(t.id);
  if has_history and latest = t.status then
    return false;
  end if;
  -- Everything in the row comes from the ticket and its history, so a rerun after 0013 down appends
  -- the very same row: its position is right after the ticket's last row (history_seq orders rows
  -- within a ticket), its id a name-based one from the ticket id and that position, its time the
  -- later of the ticket's last write and its last history row.
  -- (OFFSET 0 keeps the planner from answering max(changed_at) by walking the changed_at index
  -- backwards over every ticket's rows; the ticket's own rows are a few index entries.)
  select coalesce(max(h.history_seq), 0) + 1, greatest(max(h.changed_at), t.updated_at)
    into seq, at from (select history_seq, changed_at from ticket_status_history where ticket_id = t.id offset 0) h;
  -- One value drawn from the shared sequence keeps it past this position, so a row written later
  -- (which draws from it) still sorts after this one.
  perform nextval('ticket_status_history_seq');
  insert into ticket_status_history (id, ticket_id, from_status, to_status, changed_by, changed_at, reason, origin, history_seq)
  values (md5('t3_2_reconcile:' || t.id || ':' || seq), t.id, latest, t.status, 'migration_T3.2', coalesce(at, t.created_at),
          case when has_history then format('reconciled: the ticket says %s, its history said %s', t.status, latest)
               else format('reconciled: the ticket had no history; its status is %s', t.status) end,
          'reconcile', seq);
  return true;
end $$;

-- ---------------------------------------------------------------------------------------------
-- Row-level security (0003's pattern): a tenant sees the assignments of the tickets it sees.
-- ---------------------------------------------------------------------------------------------

grant select, insert, update on engineer_assignments to abymed_app, abymed_app_admin;
grant select on current_ticket_assignments to abymed_app, abymed_app_admin;
alter table engineer_assignments enable row level security;
create policy admin_all on engineer_assignments to abymed_app_admin using (true) with check (true);
create policy ticket_read on engineer_assignments for select to abymed_app
  using (exists (select 1 from service_tickets t where t.id = ticket_id));
create policy ticket_write on engineer_assignments for insert to abymed_app
  with check (exists (select 1 from service_tickets t where t.id = ticket_id));
create policy ticket_update on engineer_assignments for update to abymed_app
  using (exists (select 1 from service_tickets t where t.id = ticket_id))
  with check (exists (select 1 from service_tickets t where t.id = ticket_id));
