import { readdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../src/errors.ts';
import type { BenchQuery } from './types.ts';

export const queriesDir = resolve(import.meta.dirname, '.');

/** A query with its ticket resolved: from the definition, else from the file name (`t1-1.ts` → `T1.1`). */
export type LoadedQuery = BenchQuery & { ticket: string; file: string };

const isQueryFile = (f: string) =>
  f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts') && !f.startsWith('_') && !['types.ts', 'load.ts'].includes(f);

export function ticketFromFile(file: string): string {
  const m = /^t(\d+)[-_.]?(\d+)?/i.exec(basename(file, '.ts'));
  if (!m) return basename(file, '.ts');
  return m[2] ? `T${m[1]}.${m[2]}` : `T${m[1]}`;
}

/** Every `bench/queries/*.ts` (see types.ts for the contract), in file order, checked for shape. */
export async function loadQueries(dir = queriesDir): Promise<LoadedQuery[]> {
  const files = (await readdir(dir)).filter(isQueryFile).sort();
  const all: LoadedQuery[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(resolve(dir, file)).href)) as { default?: unknown };
    if (!Array.isArray(mod.default))
      throw new AppError('invalid_value', `bench/queries/${file} must default-export an array of BenchQuery`);
    for (const q of mod.default as BenchQuery[]) {
      if (typeof q?.name !== 'string' || typeof q.params !== 'function' || (q.legacySql === null && q.fixedSql === null)) {
        throw new AppError(
          'invalid_value',
          `bench/queries/${file}: each query needs a name, a params function and at least one of legacySql/fixedSql`,
        );
      }
      all.push({ ...q, ticket: q.ticket ?? ticketFromFile(file), file });
    }
  }
  const seen = new Set<string>();
  for (const q of all) {
    const key = `${q.ticket}/${q.name}`;
    if (seen.has(key)) throw new AppError('conflict', `two bench queries are named "${key}"`);
    seen.add(key);
  }
  return all;
}
