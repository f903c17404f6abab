-- 0910 T1.1 inline engineer (contract): service_tickets.assigned_engineer_id, assigned_engineer_name,
-- assignment_tier, assignment_tier_name and assigned_at go; engineer_assignments (with
-- current_ticket_assignments) is the only record of who works on a ticket. T3.2's status-history
-- machinery (0010, 0011, 0013) stays. Run only once no application reads or writes the inline
-- columns (the legacy application is retired before this step; src/tickets must read the engineer
-- through current_ticket_assignments).
--   * the five inline values of every ticket that has any are archived first into
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
-- Undo: 0910 down adds the columns back (same types, the index), fills them from the archive where
-- the ticket still shows the archived assignment unchanged, else from t1_1_inline_assignment(), with
-- the updated_at trigger off so legacy rows come back byte-identical, and restores the sync, the
-- 0003 policies and function. Columns come back at the end of the row (PostgreSQL cannot re-insert a
-- column in place): values are identical, `select *` order is not.
--! lock-timeout: 2s

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
insert into abymed.t1_1_inline_archive
select t.id, t.assigned_engineer_id, t.assigned_engineer_name, t.assignment_tier, t.assignment_tier_name, t.assigned_at,
       (t1_1_inline_assignment(t.id)).id, (t1_1_inline_assignment(t.id)).updated_at
  from service_tickets t
 where num_nonnulls(t.assigned_engineer_id, t.assigned_engineer_name, t.assignment_tier, t.assignment_tier_name, t.assigned_at) > 0;

-- The tickets whose engineer, as the inline columns showed it, is the caller's (itself, or its organization's).
create function caller_assigned_ticket_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(a.ticket_id::text), '{}') from engineer_assignments a
   where a.engineer_id::text = any (caller_engineer_ids())
     and (t1_1_is_active(a.status)
          or (a.status = 'completed' and not exists (select 1 from engineer_assignments b
                                                      where b.ticket_id = a.ticket_id and b.assignment_sequence > a.assignment_sequence)))
$$;

create or replace function caller_assigned_equipment_ids() returns text[] language sql stable security definer
  set search_path = public, pg_temp as $$
  select coalesce(array_agg(distinct t.equipment_id::text), '{}') from service_tickets t
   where t.id = any (caller_assigned_ticket_ids())
$$;

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
