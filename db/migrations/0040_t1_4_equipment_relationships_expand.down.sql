-- 0040 T1.4 equipment relationships (expand) down: back to the static columns alone.
-- The periods are history the four legacy columns cannot hold (who owned a device before, leases,
-- service providers), so they are first copied into abymed.equipment_relationships_archive with
-- the instant of the rollback, and only then dropped. The legacy columns already hold every
-- current party (the sync kept them in step), so the legacy application loses nothing.
-- Undone by running 0040 up again (the archive stays for a person to consult or restore from).
create schema if not exists abymed;
create table if not exists abymed.equipment_relationships_archive (
  archived_at timestamptz not null default now(),
  like equipment_relationships
);
insert into abymed.equipment_relationships_archive
select now(), r.* from equipment_relationships r;

drop view equipment_relationships_drift;
drop trigger trg_equipment_relationships_to_legacy on equipment_relationships;
drop trigger trg_equipment_relationships_from_legacy on equipment;
drop table equipment_relationships;
drop function equipment_relationships_to_legacy();
drop function equipment_relationships_from_legacy();
drop function equipment_relationships_apply_legacy(varchar, text, uuid, uuid, uuid, uuid, timestamptz, boolean);
drop function equipment_relationships_backfill_id(text, text);
drop function equipment_relationships_backfill_conflict(uuid, text, uuid, date, date);
drop function equipment_relationships_customer_org(text);
drop function equipment_relationships_initial_from(date, date, timestamptz);
drop function equipment_relationships_legacy_column(text);
