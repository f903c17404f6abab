import pg from 'pg';
import { AppError } from '../../errors.ts';
import type { BackfillJob, Key } from './job.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Keyset pagination over a job's source table. Bounds are inlined as typed literals
 * (`'abc'::character varying`) so a job's SQL needs no parameters and composite keys compare as
 * rows: `(s.a, s.b) > ('1'::int, 'x'::text)`.
 */
export interface KeySpace {
  table: string;
  columns: string[];
  types: string[];
}

const ident = (name: string) => pg.escapeIdentifier(name);

export async function describeKey(db: Queryable, job: BackfillJob): Promise<KeySpace> {
  const { rows } = await db.query<{ attname: string; type: string; table: string }>(
    `select a.attname, format_type(a.atttypid, a.atttypmod) as type, $1::regclass::text as table
       from unnest($2::text[]) with ordinality k(name, i)
       join pg_attribute a on a.attrelid = $1::regclass and a.attname = k.name and not a.attisdropped
      order by k.i`,
    [job.source, job.key],
  );
  if (rows.length !== job.key.length) {
    const found = new Set(rows.map((r) => r.attname));
    const missing = job.key.filter((k) => !found.has(k));
    throw new AppError('invalid_value', `backfill job "${job.name}": ${job.source} has no column ${missing.join(', ')}`);
  }
  return { table: rows[0]?.table as string, columns: rows.map((r) => r.attname), types: rows.map((r) => r.type) };
}

const tuple = (ks: KeySpace, alias: string) => `(${ks.columns.map((c) => `${alias}.${ident(c)}`).join(', ')})`;
const literal = (ks: KeySpace, key: Key) => `(${key.map((v, i) => `${pg.escapeLiteral(v)}::${ks.types[i]}`).join(', ')})`;
const asText = (ks: KeySpace, alias: string) => `array[${ks.columns.map((c) => `${alias}.${ident(c)}::text`).join(', ')}]`;

/** `(s.k) > after and (s.k) <= upTo` over the source aliased `alias`. */
export function rangePredicate(ks: KeySpace, after: Key | undefined, upTo: Key, alias = 's'): string {
  const upper = `${tuple(ks, alias)} <= ${literal(ks, upTo)}`;
  return after ? `${tuple(ks, alias)} > ${literal(ks, after)} and ${upper}` : upper;
}

/** The largest key that exists now: rows inserted later are the triggers' job, not the backfill's. */
export async function upperBound(db: Queryable, ks: KeySpace): Promise<Key | null> {
  const order = ks.columns.map((c) => `s.${ident(c)} desc`).join(', ');
  const { rows } = await db.query<{ key: Key }>(`select ${asText(ks, 's')} as key from ${ks.table} s order by ${order} limit 1`);
  return rows[0]?.key ?? null;
}

export async function countUpTo(db: Queryable, ks: KeySpace, upTo: Key): Promise<number> {
  const { rows } = await db.query(`select count(*)::bigint as n from ${ks.table} s where ${rangePredicate(ks, undefined, upTo)}`);
  return Number(rows[0].n);
}

/** The next batch after `after`: at most `size` rows, never beyond `upper`. */
export async function nextBatch(
  db: Queryable,
  ks: KeySpace,
  after: Key | undefined,
  upper: Key,
  size: number,
): Promise<{ upTo: Key; rows: number } | null> {
  const order = ks.columns.map((c) => `s.${ident(c)}`).join(', ');
  const limit = Math.max(1, Math.floor(size));
  const { rows } = await db.query<{ key: Key }>(
    `select ${asText(ks, 's')} as key from ${ks.table} s where ${rangePredicate(ks, after, upper)} order by ${order} limit ${limit}`,
  );
  const last = rows.at(-1);
  return last ? { upTo: last.key, rows: rows.length } : null;
}

/** Keys of the rows of one range, for converting a failed batch row by row. */
export async function keysIn(db: Queryable, ks: KeySpace, after: Key | undefined, upTo: Key): Promise<Key[]> {
  const order = ks.columns.map((c) => `s.${ident(c)}`).join(', ');
  const { rows } = await db.query<{ key: Key }>(
    `select ${asText(ks, 's')} as key from ${ks.table} s where ${rangePredicate(ks, after, upTo)} order by ${order}`,
  );
  return rows.map((r) => r.key);
}

/** `(s.k) = key`: one row. */
export function keyPredicate(ks: KeySpace, key: Key, alias = 's'): string {
  return `${tuple(ks, alias)} = ${literal(ks, key)}`;
}

export const keyAsText = asText;
