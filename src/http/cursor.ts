import { AppError } from '../errors.ts';

/**
 * Opaque keyset cursors: the sort key of the last row of a page, base64url JSON. Keyset, not
 * offset, so a page costs the same at row 1,000,000 as at row 1 and inserts do not shift pages.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === 'string' && k.length <= 100)) return key;
  } catch {}
  throw new AppError('validation_failed', 'querystring.cursor: not a cursor this API handed out', { field: 'querystring.cursor' });
}

/** Splits `limit + 1` fetched rows into a page and the cursor of the next one. */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => string[]): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
