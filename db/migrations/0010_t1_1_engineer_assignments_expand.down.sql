-- 0010 T1.1 + T3.2 (down): back to the legacy shape.
-- engineer_assignments holds what the inline columns cannot (every earlier assignment, reasons,
-- hours, ratings): its rows are archived as JSON into abymed.t1_1_archived_assignments (created on
-- demand, kept across ups) before the table goes. The inline columns were kept in step all along, so
-- the legacy application finds each ticket's current engineer where it always did.
-- Then the sync and status-history triggers and functions, the view, the table, the two history
-- columns (history_seq, origin: row order metadata, no history row is removed) and the sequence go.
-- abymed.t1_1_sync_failures and abymed.t3_2_refused_history are dropped when empty and kept otherwise.

do $$
begin
  if exists (select 1 from engineer_assignments) then
    create table if not exists abymed.t1_1_archived_assignments (
      archived_at timestamptz not null default now(),
      assignment  jsonb not null
    );
    insert into abymed.t1_1_archived_assignments (assignment) select to_jsonb(a) from engineer_assignments a;
  end if;
end $$;

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
drop function t1_1_open_from_inline(service_tickets, uuid, text, text, text, timestamptz);
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
end $$;
