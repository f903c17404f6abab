import pg from 'pg';

/**
 * One md5 per column of each table (the column's values in sorted order), so a data hash that
 * changed across down → up can say which columns changed: `id, created_at` points at generated
 * values a backfill should have derived from its source, `resolution_notes` at a lossy down.
 */
export async function columnHashes(db: Pick<pg.ClientBase, 'query'>, tables: string[]): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const table of tables) {
    const [schema, name] = table.includes('.') ? table.split('.') : ['public', table];
    const { rows: cols } = await db.query<{ attname: string }>(
      `select a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped order by a.attnum`,
      [schema?.replaceAll('"', ''), name?.replaceAll('"', '')],
    );
    if (cols.length === 0) continue;
    const exprs = cols.map(
      (c) =>
        `md5(coalesce(string_agg(coalesce(t.${pg.escapeIdentifier(c.attname)}::text, '∅'), ',' order by t.${pg.escapeIdentifier(c.attname)}::text), '')) as ${pg.escapeIdentifier(c.attname)}`,
    );
    const { rows } = await db.query(`select ${exprs.join(', ')} from ${table} t`);
    out[table] = rows[0] as Record<string, string>;
  }
  return out;
}

export function differingColumns(a: Record<string, string> | undefined, b: Record<string, string> | undefined): string[] {
  const names = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  return [...names].filter((n) => a?.[n] !== b?.[n]);
}
