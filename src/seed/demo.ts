import { sql } from 'kysely';
import type pg from 'pg';
import { openDatabase } from '../db/database.ts';
import { logger } from '../log.ts';
import { seedDemoUsers } from './demo-users.ts';

type LegacyGenerator = { seedLegacyData(pool: pg.Pool, options: { scale: number; seed: number }): Promise<unknown> };

/** The legacy data generator (src/seed/index.ts), loaded only when a database needs it: it is large. */
async function legacyGenerator(): Promise<LegacyGenerator> {
  const path = './index.ts';
  return (await import(path)) as LegacyGenerator;
}

/**
 * Fills an empty database with the demo data set (legacy data at scale 1, seed 1, and one console
 * user per role, docs/demo-users.md) so a newcomer's first `npm start` shows a living system.
 * Organizations present: the legacy data is left alone; users present: no demo users are added.
 */
export async function seedDemoIfEmpty(url: string): Promise<void> {
  const database = openDatabase(url, { max: 2, applicationName: 'abymed-demo-seed' });
  try {
    const count = async (table: string) =>
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db)).rows[0]?.n ?? 0;
    if ((await count('organizations')) === 0) {
      const t0 = Date.now();
      await (await legacyGenerator()).seedLegacyData(database.pool, { scale: 1, seed: 1 });
      logger.info({ ms: Date.now() - t0 }, 'demo seed: legacy data at scale 1, seed 1');
    }
    if ((await count('users')) === 0) {
      const n = await seedDemoUsers(database.db);
      logger.info({ users: n }, 'demo seed: console users (docs/demo-users.md)');
    }
  } finally {
    await database.close();
  }
}
