import pg from 'pg';
import type { Logger } from '../src/log.ts';
import { seedLegacyData } from '../src/seed/index.ts';

/** Fills a database at the baseline schema with the foundation's deterministic legacy data set. */
export async function seedLegacy(
  url: string,
  options: { scale: number; seed: number; devices?: number; onProgress?: (event: unknown) => void; log: Logger },
): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'abymed-bench-seed' });
  pool.on('error', () => {});
  const t0 = Date.now();
  try {
    const devices = options.devices !== undefined ? { devices: options.devices } : {};
    await seedLegacyData(pool, { scale: options.scale, seed: options.seed, ...devices, onProgress: options.onProgress });
    options.log.info({ scale: options.scale, seed: options.seed, ...devices, ms: Date.now() - t0 }, 'legacy data seeded');
  } finally {
    await pool.end();
  }
}
