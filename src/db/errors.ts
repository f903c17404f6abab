import pg from 'pg';
import { AppError, type ErrorCode } from '../errors.ts';
import { SqlState } from './sqlstate.ts';

/**
 * Maps a PostgreSQL error to the one application error type, once, for every caller. The details
 * keep what a client needs to act: the constraint, the table and the conflicting key values.
 */
const byState: Record<string, ErrorCode> = {
  [SqlState.UNIQUE_VIOLATION]: 'unique_violation',
  [SqlState.EXCLUSION_VIOLATION]: 'exclusion_violation',
  [SqlState.FOREIGN_KEY_VIOLATION]: 'foreign_key_violation',
  [SqlState.CHECK_VIOLATION]: 'check_violation',
  [SqlState.NOT_NULL_VIOLATION]: 'not_null_violation',
  [SqlState.INVALID_TEXT_REPRESENTATION]: 'invalid_value',
  [SqlState.INVALID_DATETIME_FORMAT]: 'invalid_value',
  [SqlState.DATETIME_FIELD_OVERFLOW]: 'invalid_value',
  [SqlState.NUMERIC_VALUE_OUT_OF_RANGE]: 'invalid_value',
  [SqlState.STRING_DATA_RIGHT_TRUNCATION]: 'invalid_value',
  [SqlState.INVALID_PARAMETER_VALUE]: 'invalid_value',
  [SqlState.CHARACTER_NOT_IN_REPERTOIRE]: 'invalid_value',
  [SqlState.UNTRANSLATABLE_CHARACTER]: 'invalid_value',
  [SqlState.SERIALIZATION_FAILURE]: 'serialization_failure',
  [SqlState.DEADLOCK_DETECTED]: 'serialization_failure',
  [SqlState.LOCK_NOT_AVAILABLE]: 'lock_timeout',
  [SqlState.QUERY_CANCELED]: 'query_timeout',
  [SqlState.ADMIN_SHUTDOWN]: 'database_unavailable',
  [SqlState.CANNOT_CONNECT_NOW]: 'database_unavailable',
};

export function isPgError(e: unknown): e is pg.DatabaseError {
  return e instanceof pg.DatabaseError || (typeof e === 'object' && e !== null && 'code' in e && 'severity' in e);
}

export function pgErrorCode(e: unknown): string | undefined {
  return isPgError(e) ? e.code : undefined;
}

/** `Key (a, b)=(1, x) already exists.` → { a: '1', b: 'x' }; best effort, values may contain commas. */
export function parseKeyDetail(detail: string | undefined): Record<string, string> | undefined {
  const m = detail?.match(/Key \((.+?)\)=\((.*?)\)(?: already exists| conflicts| is not present|$)/);
  if (!m?.[1] || m[2] === undefined) return undefined;
  const cols = m[1].split(',').map((c) => c.trim());
  const vals = cols.length === 1 ? [m[2]] : m[2].split(',').map((v) => v.trim());
  return Object.fromEntries(cols.map((c, i) => [c, vals[i] ?? '']));
}

/** A row a policy's WITH CHECK refused: the caller's role may not write it (permission errors stay bugs). */
const isRowSecurityRefusal = (e: pg.DatabaseError) => e.code === SqlState.INSUFFICIENT_PRIVILEGE && /row-level security/.test(e.message);

export function mapDbError(e: unknown): unknown {
  if (e instanceof AppError || !isPgError(e)) return e;
  const code = isRowSecurityRefusal(e) ? 'forbidden' : e.code ? byState[e.code] : undefined;
  if (!code) return e;
  // P0001 and our own rule triggers use RAISE with a HINT of the app code; honoured above by check_violation.
  const details: Record<string, unknown> = { sqlstate: e.code };
  if (e.constraint) details.constraint = e.constraint;
  if (e.table) details.table = e.table;
  if (e.column) details.column = e.column;
  const key = parseKeyDetail(e.detail);
  if (key) details.key = key;
  if (e.detail) details.detail = e.detail;
  return new AppError(code, e.message, details, { cause: e });
}
