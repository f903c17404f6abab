-- 0010 T1.1 + T3.2 (down): back to the legacy shape.
-- engineer_assignments holds what the inline columns cannot (every earlier assignment, reasons,
-- hours, ratings): its rows are archived as JSON into abymed.t1_1_archived_assignments (kept across
-- ups), each with ticket_state, a fingerprint of its ticket's status and inline engineer columns, so
-- that 0010 up can give them back exactly while the ticket is unchanged. The inline columns were kept
-- in step all along, so the legacy application finds each ticket's current engineer where it always
-- did.
-- The order of the history rows written since 0010 lives in history_seq, which goes: for every
-- ticket with such rows, each of its history rows' id, history_seq and origin (null for the rows
-- from before 0010) is archived into abymed.t3_2_archived_history_order, so 0010 up restores which
-- row is latest and can tell the rows written meanwhile. No history row is removed.
-- Then the sync and status-history triggers and functions, the view, the table, the two history
-- columns and the sequence go. abymed.t1_1_sync_failures, abymed.t3_2_refused_history and the
-- assignment archive are dropped when empty and kept otherwise.

create table if not exists abymed.t1_1_archived_assignments (
  archived_at  timestamptz not null default now(),
  assignment   jsonb not null,
  ticket_state text
);
alter table abymed.t1_1_archived_assignments add column if not exists ticket_state text;
insert into abymed.t1_1_archived_assignments (assignment, ticket_state)
select to_jsonb(a), md5(jsonb_build_array(t.status, t.assigned_engineer_id, t.assigned_engineer_name, t.assignment_tier,
                                          t.assignment_tier_name, t.assigned_at at time zone 'UTC')::text)
  from engineer_assignments a join service_tickets t on t.id = a.ticket_id;

create table if not exists abymed.t3_2_archived_history_order (
  id          varchar(32) not null,
  ticket_id   varchar(32) not null,
  history_seq bigint,
  origin      text
);
insert into abymed.t3_2_archived_history_order (id, ticket_id, history_seq, origin)
select h.id, h.ticket_id, h.history_seq, h.origin
  from ticket_status_history h
 where h.ticket_id in (select s.ticket_id from ticket_status_history s where s.history_seq is not null);

drop trigger trg_ticket_status_history_guard on ticket_status_history;
drop trigger trg_ticket_status_history_before_insert on ticket_status_history;
drop trigger trg_service_tickets_record_status on service_tickets;
drop trigger trg_service_tickets_sync_assignments on service_tickets;
drop trigger trg_engineer_assignments_write_inline on engineer_assignments;

drop function t3_2_reconcile_ticket(varchar);
drop function t1_1_backfill_ticket(varchar);
drop function ticket_status_history_guard();
drop function ticket_status_history_before_insert();
drop function service_tickets_record_status();
drop function ticket_latest_history_status(varchar);
drop function t3_2_history_id();
drop function engineer_assignments_write_inline();
drop function t1_1_inline_assignment(varchar);
drop function service_tickets_sync_assignments();
drop function t1_1_sync_from_ticket(service_tickets, service_tickets);
drop function t1_1_backfill_row(service_tickets);
drop function t1_1_open_from_inline(service_tickets, uuid, text, text, text, timestamptz);
drop function t1_1_assignment_from_inline(service_tickets, uuid, text, text, text, timestamptz);
drop function t1_1_status_for_ticket(text);
drop function t1_1_tier_from_inline(int);
drop function t1_1_engineer_from_inline(text);
drop function t1_1_is_core_writer();

drop view current_ticket_assignments;
drop table engineer_assignments;
drop function engineer_assignments_guard_update();
drop function engineer_assignments_before_insert();
drop function t1_1_is_active(text);
drop function t1_1_transition_allowed(text, text, boolean);

alter table ticket_status_history drop column origin;
alter table ticket_status_history drop column history_seq;
drop sequence ticket_status_history_seq;

do $$
begin
  if not exists (select 1 from abymed.t1_1_sync_failures) then drop table abymed.t1_1_sync_failures; end if;
  if not exists (select 1 from abymed.t3_2_refused_history) then drop table abymed.t3_2_refused_history; end if;
  if not exists (select 1 from abymed.t1_1_archived_assignments) then drop table abymed.t1_1_archived_assignments; end if;
  if not exists (select 1 from abymed.t3_2_archived_history_order) then drop table abymed.t3_2_archived_history_order; end if;
end $$;
