import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a throwaway migrations folder: `{ '0001_baseline.up.sql': '...', ... }`. */
export function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'abymed-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

export const basic = {
  '0001_baseline.up.sql': "create table t (id int primary key, v text);\ninsert into t values (1, 'a'), (2, 'b');",
  '0001_baseline.down.sql': 'drop table t;',
  '0002_t_note_expand.up.sql': 'alter table t add column note text;',
  '0002_t_note_expand.down.sql': 'alter table t drop column note;',
  '0003_t_note_idx_expand.up.sql': '--! no-transaction\ncreate index concurrently t_note_idx on t (note);',
  '0003_t_note_idx_expand.down.sql': '--! no-transaction\ndrop index concurrently if exists t_note_idx;',
  '0004_t_v_contract.up.sql': 'alter table t drop column v;',
  '0004_t_v_contract.down.sql': "alter table t add column v text;\nupdate t set v = case id when 1 then 'a' when 2 then 'b' end;",
};
