import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * A normalised picture of a schema (tables, columns, types, constraints with their validity,
 * indexes with their validity, triggers, functions, views, policies, extensions) and a hash of all
 * its data. Round-trip tests and the zero-downtime harness compare these: up → down → up must give
 * the same snapshot, and a down must give back the data it was given.
 */
export interface CatalogSnapshot {
  tables: string[];
  columns: string[];
  constraints: string[];
  indexes: string[];
  triggers: string[];
  functions: string[];
  views: string[];
  policies: string[];
  types: string[];
  extensions: string[];
}

type Queryable = Pick<pg.ClientBase, 'query'>;

const lines = async (db: Queryable, sql: string, schemas: string[]): Promise<string[]> =>
  (await db.query<{ line: string }>(sql, [schemas])).rows.map((r) => r.line);

export async function snapshotCatalog(db: Queryable, schemas: string[] = ['public']): Promise<CatalogSnapshot> {
  return {
    tables: await lines(
      db,
      `
      select n.nspname || '.' || c.relname || ' kind=' || c.relkind::text || ' rls=' || c.relrowsecurity as line
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'S') order by 1`,
      schemas,
    ),
    columns: await lines(
      db,
      `
      select c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
             || case when a.attnotnull then ' not null' else '' end
             || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
             || case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end
             || case when a.attgenerated <> '' then ' generated' else '' end as line
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm') and a.attnum > 0 and not a.attisdropped
       order by c.relname, a.attname`,
      schemas,
    ),
    constraints: await lines(
      db,
      `
      select c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) || ' valid=' || k.convalidated
             || ' deferrable=' || k.condeferrable as line
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) order by 1`,
      schemas,
    ),
    indexes: await lines(
      db,
      `
      select pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid || ' ready=' || i.indisready as line
        from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) order by 1`,
      schemas,
    ),
    triggers: await lines(
      db,
      `
      select pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text as line
        from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and not t.tgisinternal order by 1`,
      schemas,
    ),
    functions: await lines(
      db,
      `
      select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(pg_get_functiondef(p.oid)) as line
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and p.prokind in ('f', 'p')
         and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') order by 1`,
      schemas,
    ),
    views: await lines(
      db,
      `
      select c.relname || ' ' || md5(pg_get_viewdef(c.oid)) as line
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('v', 'm') order by 1`,
      schemas,
    ),
    policies: await lines(
      db,
      `
      select tablename || ' ' || policyname || ' ' || cmd || ' ' || array_to_string(roles, ',') || ' using '
             || coalesce(qual, '') || ' check ' || coalesce(with_check, '') as line
        from pg_policies where schemaname = any($1) order by 1`,
      schemas,
    ),
    types: await lines(
      db,
      `
      select t.typname || ' ' || t.typtype::text || coalesce(' ' || (select string_agg(e.enumlabel, ',' order by e.enumsortorder)
             from pg_enum e where e.enumtypid = t.oid), '') as line
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = any($1) and t.typtype in ('e', 'd', 'c')
         and not exists (select 1 from pg_class c where c.oid = t.typrelid and c.relkind <> 'c') order by 1`,
      schemas,
    ),
    extensions: await lines(db, `select extname as line from pg_extension where $1::text[] is not null order by 1`, schemas),
  };
}

/** Differences between two snapshots as readable lines (`- only in a`, `+ only in b`); empty when equal. */
export function diffSnapshots(a: CatalogSnapshot, b: CatalogSnapshot): string[] {
  const out: string[] = [];
  for (const key of Object.keys(a) as Array<keyof CatalogSnapshot>) {
    const left = new Set(a[key]);
    const right = new Set(b[key]);
    for (const x of a[key]) if (!right.has(x)) out.push(`- ${key}: ${x}`);
    for (const x of b[key]) if (!left.has(x)) out.push(`+ ${key}: ${x}`);
  }
  return out;
}

/** Tables whose contents are bookkeeping, not data: the runner's version row changes with every step. */
const NOT_DATA = new Set(['schema_migrations']);

/**
 * One md5 per table over its rows in a canonical order, and one over them all. Independent of
 * physical order, so it compares the data a database holds, not how it stored it: rows are hashed
 * in sorted order, and each row as the record of its columns in name order (the order the catalog
 * snapshot lists them in). Every value of every column still counts; only a column's physical
 * position does not, which no down can restore (PostgreSQL adds a column back at the end), so a
 * contract whose down re-adds a dropped column with its values byte-identical compares equal.
 */
export async function hashData(db: Queryable, schemas: string[] = ['public']): Promise<{ total: string; tables: Record<string, string> }> {
  const { rows } = await db.query<{ name: string }>(
    `select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and c.relkind in ('r', 'p') order by 1`,
    [schemas],
  );
  const tables: Record<string, string> = {};
  for (const { name } of rows) {
    if (NOT_DATA.has(name.split('.').at(-1) as string)) continue;
    const { rows: cols } = await db.query<{ list: string | null }>(
      `select string_agg('t.' || quote_ident(attname), ', ' order by attname) as list
         from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
      [name],
    );
    const record = cols[0]?.list ? `row(${cols[0].list})` : 't';
    const r = await db.query<{ h: string | null; n: number }>(
      `select md5(coalesce(string_agg(md5(${record}::text), '' order by md5(${record}::text)), '')) as h, count(*)::int as n from ${name} t`,
    );
    tables[name] = `${r.rows[0]?.n}:${r.rows[0]?.h}`;
  }
  const total = createHash('sha256').update(JSON.stringify(tables)).digest('hex');
  return { total, tables };
}
