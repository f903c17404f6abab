import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../src/db/embedded.ts';
import { repoRoot } from '../../src/paths.ts';
import { dropStaleTestDatabases, hashSources } from './database.ts';

async function otherSessions(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(
      `select count(*)::int as n from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()`,
    );
    return rows[0].n > 0;
  } finally {
    await c.end();
  }
}

/**
 * Once per run: pick the server (DATABASE_URL, or the embedded one in its own test data folder),
 * hand its URL to every test file, and drop test databases a killed run left behind.
 */
export default async function setup(project: TestProject) {
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbedded({ dir: '.data/pg-test', fast: true });
  const url = process.env.DATABASE_URL ?? (embedded as { url: string }).url;
  const runId = String(process.pid);
  const codeHash = hashSources(repoRoot);
  Object.assign(process.env, { ABYMED_TEST_ADMIN_URL: url, ABYMED_TEST_RUN_ID: runId, ABYMED_TEST_CODE_HASH: codeHash });
  project.provide('adminUrl', url);
  project.provide('runId', runId);
  project.provide('codeHash', codeHash);
  await dropStaleTestDatabases(url, { currentCode: codeHash });
  return async () => {
    await dropStaleTestDatabases(url, { run: runId }).catch(() => {});
    // A server this run started is stopped, unless another run (another terminal) is using it.
    if (embedded && !(await otherSessions(url))) await embedded.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    runId: string;
    codeHash: string;
  }
}
