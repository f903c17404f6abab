import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { seedDemoUsersIfNone, seedLegacyDemo } from '../../src/seed/demo.ts';
import { DEMO_USERS } from '../../src/seed/demo-users.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * `npm start` on an empty database: the baseline, legacy demo data, every later step over it, then one
 * console user per role, each seeing a network.
 */
describe('demo seed', () => {
  // biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
  const fresh = useFreshDatabase({ to: 1 });
  let app: FastifyInstance;

  beforeAll(async () => {
    await seedLegacyDemo(fresh.db.url);
    await fresh.db.runner().up();
    await seedDemoUsersIfNone(fresh.db.url);
    app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false });
  });
  afterAll(async () => app?.close());

  it('every demo user logs in and sees tickets of its network, the admin all of them', async () => {
    const total = (await sql<{ n: number }>`select count(*)::int as n from service_tickets`.execute(fresh.db.db)).rows[0]?.n ?? 0;
    expect(total).toBeGreaterThan(0);
    for (const u of DEMO_USERS) {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: u.email, password: u.password },
        remoteAddress: `10.1.0.${DEMO_USERS.indexOf(u)}`,
      });
      expect(login.statusCode, `${u.email}: ${login.body}`).toBe(200);
      const page = await app.inject({ url: '/api/v1/tickets?limit=200', headers: { authorization: `Bearer ${login.json().token}` } });
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json().items.length, u.role).toBeGreaterThan(0);
    }
  });

  it('adds users once: a second call changes nothing', async () => {
    const count = async () =>
      (await sql<{ n: number }>`select (select count(*) from users) + (select count(*) from organizations) as n`.execute(fresh.db.db))
        .rows[0]?.n;
    const before = await count();
    await seedDemoUsersIfNone(fresh.db.url);
    expect(await count()).toBe(before);
  });
});
