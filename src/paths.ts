import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, so every path the system uses is relative to the checkout, never absolute. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const migrationsDir = resolve(repoRoot, 'db/migrations');
export const dataDir = resolve(repoRoot, '.data');
