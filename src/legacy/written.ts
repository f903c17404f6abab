import type pg from 'pg';
import type { AcknowledgedWrite } from '../zero-downtime/workload.ts';

/**
 * Runs one legacy write and returns what the database acknowledged: the key and the written
 * columns, read back through `returning` in the database's own representation. The statement
 * itself is the legacy code's; only the `returning` clause is added, so the write is unchanged.
 */
export async function written(
  db: pg.ClientBase,
  table: string,
  key: string[],
  columns: string[],
  statement: string,
  params: unknown[],
): Promise<AcknowledgedWrite[]> {
  const values = columns.map((c) => `'${c}', ${c}`).join(', ');
  const keys = key.map((k) => `${k}::text as "key:${k}"`).join(', ');
  const res = await db.query(`${statement} returning ${keys}, jsonb_build_object(${values}) as "written"`, params);
  return res.rows.map((r) => ({
    table,
    key: Object.fromEntries(key.map((k) => [k, r[`key:${k}`] as string])),
    values: r.written as Record<string, unknown>,
  }));
}
