import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { migrationsDir } from '../../src/paths.ts';
import { seedLegacyData } from '../../src/seed/index.ts';

/** The legacy data every harness test starts from: small, deterministic. */
export const seedSmall = (pool: pg.Pool) => seedLegacyData(pool, { scale: 0.2, seed: 7 });

/** A migrations folder holding the real baseline plus the given extra files. */
export function baselinePlus(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'abymed-zdt-'));
  for (const f of ['0001_baseline.up.sql', '0001_baseline.down.sql']) copyFileSync(join(migrationsDir, f), join(dir, f));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

/** A down that "cleans up" by deleting rows the legacy application wrote. */
export const downDropsData = {
  '0002_zz_comment_edits_expand.up.sql': 'alter table ticket_comments add column edited boolean not null default false;',
  '0002_zz_comment_edits_expand.down.sql':
    "delete from ticket_comments where comment_type = 'engineer';\nalter table ticket_comments drop column edited;",
};

/** A new shape kept in step by a trigger that fires on insert only, so reassignments never arrive. */
export const triggerMissesUpdate = {
  '0002_zz_ticket_engineers_expand.up.sql': `
create table ticket_engineers (ticket_id varchar(32) primary key, engineer_id text, engineer_name text);
insert into ticket_engineers select id, assigned_engineer_id, assigned_engineer_name from service_tickets;
create function ticket_engineers_sync() returns trigger language plpgsql as $$
begin
  insert into ticket_engineers values (new.id, new.assigned_engineer_id, new.assigned_engineer_name);
  return new;
end $$;
create trigger trg_ticket_engineers_sync after insert on service_tickets for each row execute function ticket_engineers_sync();`,
  '0002_zz_ticket_engineers_expand.down.sql': `
drop trigger trg_ticket_engineers_sync on service_tickets;
drop function ticket_engineers_sync();
drop table ticket_engineers;`,
};

export const ticketEngineersAgree = {
  name: 'ticket_engineers mirrors the inline engineer',
  from: 2,
  sql: `select t.id, t.assigned_engineer_id, e.engineer_id from service_tickets t left join ticket_engineers e on e.ticket_id = t.id
         where e.ticket_id is null or (t.assigned_engineer_id, t.assigned_engineer_name) is distinct from (e.engineer_id, e.engineer_name)`,
};

/** Holds ACCESS EXCLUSIVE on the hottest table for 2 s, allowed by a generous lock budget. */
export const longExclusiveLock = {
  '0002_zz_ticket_lock_expand.up.sql': '--! lock-timeout: 10s\nlock table service_tickets in access exclusive mode;\nselect pg_sleep(2);',
  '0002_zz_ticket_lock_expand.down.sql': 'select 1;',
};
