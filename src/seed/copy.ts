import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Bulk loading with COPY … FROM STDIN in PostgreSQL's text format. Rows are built as lines by the
 * generators (`line(...)`) and pumped to the server in ~256 KB chunks, honouring backpressure so
 * generation overlaps with the server's work and memory stays flat at any scale.
 */
export type Cell = string | number | boolean | null | undefined | readonly string[] | Json;
export interface Json {
  readonly json: unknown;
}

/** Marks a value to be written as jsonb text. */
export const json = (value: unknown): Json => ({ json: value });

const NEEDS_ESCAPE = /[\\\n\r\t]/;

function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** A text[] literal: every element double-quoted, so spaces, commas and case survive unchanged. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

export function cell(v: Cell): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return escapeText(arrayLiteral(v as readonly string[]));
  return escapeText(JSON.stringify((v as Json).json));
}

/** One COPY text-format line (with its newline). */
export function line(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += '\t';
    out += cell(cells[i]);
  }
  return `${out}\n`;
}

const CHUNK = 256 * 1024;

/**
 * COPYs the lines into `table (columns)` on `client` (inside the caller's transaction) and returns
 * the number of lines sent. `onLines` is called after each chunk with the running count.
 */
export async function copyLines(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: readonly string[],
  lines: Iterable<string>,
  onLines?: (done: number) => void,
): Promise<number> {
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  // An error before `finished` is awaited must not become an unhandled rejection.
  finished.catch(() => {});
  let count = 0;
  let buffer = '';
  const flush = async () => {
    if (buffer.length === 0) return;
    const ok = stream.write(buffer);
    buffer = '';
    onLines?.(count);
    if (!ok) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          stream.off('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          stream.off('drain', onDrain);
          reject(e);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    }
  };
  for (const l of lines) {
    buffer += l;
    count++;
    if (buffer.length >= CHUNK) await flush();
  }
  await flush();
  stream.end();
  await finished;
  onLines?.(count);
  return count;
}
