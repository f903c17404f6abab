import pg from 'pg';
import type { AcknowledgedWrite, FindAgainRule } from './workload.ts';

/**
 * Finds every acknowledged write again. Writes to the same row are folded in acknowledgement order
 * (each row is written by one session only, so that is commit order): the expected row is the last
 * value written to each column. The row is read through the find-again relation in force at the
 * current version (a compatibility view once a migration has moved a legacy column), and every
 * written column must be identical in the database's own JSON representation.
 */
export interface LostWrite {
  table: string;
  key: Record<string, string>;
  column: string | null;
  expected: unknown;
  found: unknown;
  lastOp: string | undefined;
  /** `column gone`: a migration removed the column and no FindAgainRule shows it under its legacy name. */
  reason: 'row missing' | 'value differs' | 'column gone';
}

export interface LostWritesResult {
  rowsChecked: number;
  writesChecked: number;
  lost: LostWrite[];
}

interface Expected {
  key: Record<string, string>;
  values: Record<string, unknown>;
  lastOp?: string;
}

export function relationFor(table: string, version: number, rules: readonly FindAgainRule[]): string {
  const rule = rules.filter((r) => r.table === table && r.from <= version).sort((a, b) => b.from - a.from)[0];
  return rule?.relation ?? pg.escapeIdentifier(table);
}

export async function findLostWrites(
  db: Pick<pg.ClientBase, 'query'>,
  acks: readonly AcknowledgedWrite[],
  version: number,
  rules: readonly FindAgainRule[],
): Promise<LostWritesResult> {
  const byTable = new Map<string, Map<string, Expected>>();
  for (const a of acks) {
    const rows = byTable.get(a.table) ?? new Map<string, Expected>();
    byTable.set(a.table, rows);
    const id = JSON.stringify(a.key);
    const row = rows.get(id) ?? { key: a.key, values: {} };
    Object.assign(row.values, a.values);
    row.lastOp = a.op;
    rows.set(id, row);
  }
  const lost: LostWrite[] = [];
  let rowsChecked = 0;
  for (const [table, rows] of byTable) {
    const expected = [...rows.values()];
    const keyColumns = Object.keys(expected[0]?.key ?? {});
    const arrays = keyColumns.map((k) => expected.map((e) => e.key[k] as string));
    const join = keyColumns.map((k) => `t.${pg.escapeIdentifier(k)}::text = k.${pg.escapeIdentifier(k)}`).join(' and ');
    const unnest = `unnest(${keyColumns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) as k(${keyColumns.map((k) => pg.escapeIdentifier(k)).join(', ')})`;
    const { rows: found } = await db.query(
      `select array[${keyColumns.map((k) => `k.${pg.escapeIdentifier(k)}`).join(', ')}] as key, to_jsonb(t) as row
         from ${unnest} join ${relationFor(table, version, rules)} t on ${join}`,
      arrays,
    );
    const id = (key: Record<string, string>) => JSON.stringify(keyColumns.map((k) => key[k]));
    const current = new Map(found.map((r) => [JSON.stringify(r.key), r.row as Record<string, unknown>]));
    for (const e of expected) {
      rowsChecked++;
      const row = current.get(id(e.key));
      if (!row) {
        lost.push({ table, key: e.key, column: null, expected: e.values, found: null, lastOp: e.lastOp, reason: 'row missing' });
        continue;
      }
      for (const [column, value] of Object.entries(e.values)) {
        if (!(column in row)) {
          lost.push({ table, key: e.key, column, expected: value, found: undefined, lastOp: e.lastOp, reason: 'column gone' });
        } else if (JSON.stringify(row[column]) !== JSON.stringify(value)) {
          lost.push({ table, key: e.key, column, expected: value, found: row[column], lastOp: e.lastOp, reason: 'value differs' });
        }
      }
    }
  }
  return { rowsChecked, writesChecked: acks.length, lost };
}
