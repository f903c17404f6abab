import { sql } from 'kysely';
import { openDatabase } from '../db/database.ts';
import { logger } from '../log.ts';
import { seedDemoUsers } from './demo-users.ts';
import { seedLegacyData } from './index.ts';

/**
 * The demo data set a newcomer's first `npm start` shows: the legacy data at scale 1, seed 1 (written
 * into the legacy shape, as the old platform had it, before the later steps migrate it), and one
 * console user per role (docs/demo-users.md).
 */
export async function seedLegacyDemo(url: string): Promise<void> {
  const database = openDatabase(url, { max: 2, applicationName: 'abymed-demo-seed' });
  try {
    const t0 = Date.now();
    await seedLegacyData(database.pool, { scale: 1, seed: 1 });
    logger.info({ ms: Date.now() - t0 }, 'demo seed: legacy data at scale 1, seed 1');
  } finally {
    await database.close();
  }
}

/** Adds the demo console users when the database has none. */
export async function seedDemoUsersIfNone(url: string): Promise<void> {
  const database = openDatabase(url, { max: 2, applicationName: 'abymed-demo-seed' });
  try {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from users`.execute(database.db);
    if ((rows[0]?.n ?? 0) === 0) {
      const n = await seedDemoUsers(database.db);
      logger.info({ users: n }, 'demo seed: console users (docs/demo-users.md)');
    }
  } finally {
    await database.close();
  }
}
