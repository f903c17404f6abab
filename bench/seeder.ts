import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { AppError } from '../src/errors.ts';
import type { Logger } from '../src/log.ts';
import { repoRoot } from '../src/paths.ts';

type SeedLegacyData = (pool: pg.Pool, options: { scale: number; seed: number; onProgress?: (event: unknown) => void }) => Promise<unknown>;

/** The foundation's legacy data generator, `seedLegacyData` exported from a module of src/seed/. */
async function generator(): Promise<SeedLegacyData> {
  const dir = resolve(repoRoot, 'src/seed');
  const files = (await readdir(dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort((a, b) => (a === 'index.ts' ? -1 : b === 'index.ts' ? 1 : a.localeCompare(b)));
  for (const f of files) {
    const mod = (await import(pathToFileURL(resolve(dir, f)).href)) as { seedLegacyData?: SeedLegacyData };
    if (typeof mod.seedLegacyData === 'function') return mod.seedLegacyData;
  }
  throw new AppError('internal', 'no module of src/seed exports seedLegacyData: the legacy data generator is missing');
}

/** Fills a database at the baseline schema with the deterministic legacy data set. */
export async function seedLegacy(
  url: string,
  options: { scale: number; seed: number; onProgress?: (event: unknown) => void; log: Logger },
): Promise<void> {
  const seedLegacyData = await generator();
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'abymed-bench-seed' });
  pool.on('error', () => {});
  const t0 = Date.now();
  try {
    await seedLegacyData(pool, { scale: options.scale, seed: options.seed, onProgress: options.onProgress });
    options.log.info({ scale: options.scale, seed: options.seed, ms: Date.now() - t0 }, 'legacy data seeded');
  } finally {
    await pool.end();
  }
}
