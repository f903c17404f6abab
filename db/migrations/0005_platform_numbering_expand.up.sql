-- 0005 platform numbering (expand): human codes that never collide.
-- The original numbered tickets TKT-YYYYMMDD-HHMMSS and collided within a second (origin-facts §8,
-- bug 10). Here both codes take their number from a sequence (nextval never hands out a value
-- twice, whatever the concurrency) and skip any code a legacy row already holds, so a code is
-- unique without a retry loop in the application:
--   next_ticket_number()  TKT-YYYYMMDD-NNNNNN
--   next_equipment_qr()   QR-YYYYMMDD-NNNNNN  (origin-facts §1: the QR id's form)
-- The date is the server's current date in UTC; NNNNNN cycles after 999999 (a day would need a
-- million codes to come back to a used one, and the existence check skips it even then).
-- SECURITY DEFINER so the existence check sees every row, not only the caller's network.
-- Undo: 0005 down drops the two functions and the two sequences.
create sequence service_ticket_number_seq minvalue 1 maxvalue 999999 cycle;
create sequence equipment_qr_seq minvalue 1 maxvalue 999999 cycle;

create function next_ticket_number() returns text language plpgsql volatile security definer
  set search_path = public, pg_temp as $$
declare
  candidate text;
begin
  loop
    candidate := 'TKT-' || to_char(now() at time zone 'UTC', 'YYYYMMDD') || '-' || lpad(nextval('service_ticket_number_seq')::text, 6, '0');
    exit when not exists (select 1 from service_tickets where ticket_number = candidate);
  end loop;
  return candidate;
end $$;

create function next_equipment_qr() returns text language plpgsql volatile security definer
  set search_path = public, pg_temp as $$
declare
  candidate text;
begin
  loop
    candidate := 'QR-' || to_char(now() at time zone 'UTC', 'YYYYMMDD') || '-' || lpad(nextval('equipment_qr_seq')::text, 6, '0');
    exit when not exists (select 1 from equipment where qr_code = candidate);
  end loop;
  return candidate;
end $$;

revoke all on function next_ticket_number(), next_equipment_qr() from public;
grant execute on function next_ticket_number(), next_equipment_qr() to abymed_app, abymed_app_admin;
