import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrationsDir } from '../../src/paths.ts';

/**
 * A migrations folder holding the platform steps T1.3 builds on (0001–0008) and T1.3's own
 * (0030–0039, 0930–0939), so the T1.3 tests prove its steps on the legacy baseline without
 * depending on other tickets' steps being in any particular state.
 */
export async function t13MigrationsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'abymed-t13-'));
  for (const f of await readdir(migrationsDir)) {
    if (/^(000[1-8]|003\d|093\d)_.*\.sql$/.test(f)) await copyFile(join(migrationsDir, f), join(dir, f));
  }
  return dir;
}

/** Migration versions of the T1.3 steps, in order. */
export const T13 = { expand: 30, sync: 31, rfqBackfill: 32, quoteBackfill: 33, contract: 930 } as const;
export const BEFORE_T13 = 8;
