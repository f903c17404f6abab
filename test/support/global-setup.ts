import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../src/db/embedded.ts';
import { dropStaleTestDatabases } from './database.ts';

/**
 * Once per run: pick the server (DATABASE_URL, or the embedded one in its own test data folder),
 * hand its URL to every test file, and drop test databases a killed run left behind.
 */
export default async function setup(project: TestProject) {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbedded({ dir: '.data/pg-test', fast: true });
  const url = process.env.DATABASE_URL ?? (embedded as { url: string }).url;
  process.env.ABYMED_TEST_ADMIN_URL = url;
  project.provide('adminUrl', url);
  await dropStaleTestDatabases(url);
  return async () => {
    await dropStaleTestDatabases(url, { all: true }).catch(() => {});
    await embedded?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}
