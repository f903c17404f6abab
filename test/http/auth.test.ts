import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.ts';
import { createToken, parseDuration } from '../../src/auth/tokens.ts';
import { buildApp } from '../../src/http/app.ts';
import { useFreshDatabase } from '../support/database.ts';
import { API_SCHEMA, buildNetwork, client, type Network, PASSWORD } from '../support/network.ts';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const fresh = useFreshDatabase(API_SCHEMA);
let app: FastifyInstance;
let net: Network;

beforeAll(async () => {
  net = await buildNetwork(fresh.db);
  app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false, loginRateLimit: { max: 5, timeWindow: 60_000 } });
});
afterAll(async () => app?.close());

const login = (email: string, password: string, ip = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });

describe('passwords', () => {
  it('hashes with scrypt, salted, and verifies only the right password', async () => {
    const a = await hashPassword('s3cret');
    const b = await hashPassword('s3cret');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('s3cret', a)).toBe(true);
    expect(await verifyPassword('S3cret', a)).toBe(false);
    expect(await verifyPassword('s3cret', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('s3cret', null)).toBe(false);
  });
});

describe('login', () => {
  it('gives a session token for the right password, usable as a bearer token', async () => {
    const res = await login('HOSP@test.abymed.in', PASSWORD, '10.0.1.1');
    expect(res.statusCode, res.body).toBe(200);
    const { token, user } = res.json();
    expect(user).toMatchObject({ email: 'hosp@test.abymed.in', role: 'hospital_admin', org_id: net.org.H1 });
    const me = await client(app, token).get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(net.user.hosp.id);
    const stored = await sql<{
      n: number;
    }>`select count(*)::int as n from api_tokens where token_hash = sha256(convert_to(${token}, 'UTF8'))`.execute(fresh.db.db);
    expect(stored.rows[0]?.n).toBe(1);
    const plain = await sql<{
      n: number;
    }>`select count(*)::int as n from api_tokens where encode(token_hash, 'escape') like ${`%${token.slice(4, 20)}%`}`.execute(fresh.db.db);
    expect(plain.rows[0]?.n).toBe(0);
  });

  it('answers 401 for a wrong password, an unknown email and a user without a password — the same way', async () => {
    for (const [email, password] of [
      ['hosp@test.abymed.in', 'wrong'],
      ['nobody@test.abymed.in', PASSWORD],
      ['mfr@test.abymed.in', PASSWORD],
    ]) {
      const res = await login(email as string, password as string, '10.0.2.1');
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toEqual({ code: 'unauthenticated', message: 'wrong email or password', details: {} });
    }
  });

  it('rate-limits brute force per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await login('hosp@test.abymed.in', `guess-${i}`, '10.0.3.1')).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429]);
    const limited = await login('hosp@test.abymed.in', PASSWORD, '10.0.3.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    // Another address is not locked out.
    expect((await login('hosp@test.abymed.in', PASSWORD, '10.0.3.2')).statusCode).toBe(200);
  });

  it('rejects a malformed login body with 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.c' }, remoteAddress: '10.0.4.1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('body.password');
  });
});

describe('bearer tokens', () => {
  const get = (headers: Record<string, string | undefined>) => app.inject({ method: 'GET', url: '/api/v1/tickets', headers });

  it('a valid API token works', async () => {
    expect((await get({ authorization: `Bearer ${net.user.mfr.token}` })).statusCode).toBe(200);
  });

  it('a missing header, another scheme, garbage or an unknown token → 401 with WWW-Authenticate', async () => {
    for (const headers of [
      {},
      { authorization: `Basic ${net.user.mfr.token}` },
      { authorization: 'Bearer' },
      { authorization: 'Bearer abm_nope' },
      { authorization: `Bearer abm_${'x'.repeat(43)}` },
    ]) {
      const res = await get(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.json().error.code).toBe('unauthenticated');
    }
  });

  it('an expired token → 401', async () => {
    const t = await createToken(fresh.db.db, { userId: net.user.mfr.id, kind: 'api', expiresAt: new Date(Date.now() + 60_000) });
    expect((await get({ authorization: `Bearer ${t.token}` })).statusCode).toBe(200);
    await sql`update api_tokens set created_at = now() - interval '2 hours', expires_at = now() - interval '1 second' where id = ${t.id}`.execute(
      fresh.db.db,
    );
    expect((await get({ authorization: `Bearer ${t.token}` })).statusCode).toBe(401);
  });

  it('a revoked token → 401 (logout revokes the session it presents)', async () => {
    const session = (await login('hosp@test.abymed.in', PASSWORD, '10.0.5.1')).json().token;
    expect((await get({ authorization: `Bearer ${session}` })).statusCode).toBe(200);
    expect((await client(app, session).post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await get({ authorization: `Bearer ${session}` })).statusCode).toBe(401);
  });

  it('a disabled user’s token → 401', async () => {
    const t = await createToken(fresh.db.db, { userId: net.user.dealer.id, kind: 'api' });
    await sql`update users set disabled_at = now() where id = ${net.user.dealer.id}`.execute(fresh.db.db);
    expect((await get({ authorization: `Bearer ${t.token}` })).statusCode).toBe(401);
    await sql`update users set disabled_at = null where id = ${net.user.dealer.id}`.execute(fresh.db.db);
  });

  it('public routes need no token', async () => {
    expect((await app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/service-request?qr=QR-TEST-E1' })).statusCode).toBe(200);
  });

  it('parses token lifetimes', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(() => parseDuration('soon')).toThrow(/duration/);
    expect(() => parseDuration('0d')).toThrow(/duration/);
  });
});
