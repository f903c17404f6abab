import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/auth/tokens.ts';
import { hashData } from '../../src/db/catalog.ts';
import { buildApp } from '../../src/http/app.ts';
import { useFreshDatabase } from '../support/database.ts';
import { API_SCHEMA, buildNetwork, type Network, USER_KEYS } from '../support/network.ts';
import { type JsonSchema, type Known, malformedObject, malformedValue, valueFor } from '../support/schema-arbitrary.ts';

/**
 * Property-based requests generated from the OpenAPI document the server publishes: for every
 * route, valid, boundary and malformed path ids, query strings and bodies, from every role and
 * from nobody. The server never answers 5xx, and a request it rejects changes no row.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const fresh = useFreshDatabase(API_SCHEMA);
let app: FastifyInstance;
let net: Network;

interface Operation {
  method: 'GET' | 'POST';
  path: string;
  params: Array<{ name: string; in: 'path' | 'query'; required?: boolean; schema: JsonSchema }>;
  body?: JsonSchema;
}

const operations: Operation[] = [];
let components: Record<string, JsonSchema> = {};
const resolve = (ref: string) => components[ref.split('/').at(-1) as string] as JsonSchema;

beforeAll(async () => {
  net = await buildNetwork(fresh.db);
  const unlimited = { max: 1_000_000, timeWindow: 60_000 };
  app = await buildApp({
    database: fresh.db,
    logRequests: false,
    serveConsole: false,
    loginRateLimit: unlimited,
    publicRateLimit: unlimited,
  });
  await app.ready();
  const doc = app.swagger() as unknown as {
    paths: Record<
      string,
      Record<string, { parameters?: Operation['params']; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
    >;
    components: { schemas: Record<string, JsonSchema> };
  };
  components = doc.components.schemas;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (method !== 'get' && method !== 'post') continue;
      operations.push({
        method: method.toUpperCase() as 'GET' | 'POST',
        path,
        params: op.parameters ?? [],
        body: op.requestBody?.content['application/json']?.schema,
      });
    }
  }
});
afterAll(async () => app?.close());

const known = (): Known => ({
  uuids: [...Object.values(net.org), ...Object.values(net.engineer), ...Object.values(net.facility)],
  legacyIds: [...Object.values(net.equipment), ...Object.values(net.ticket)],
  strings: ['QR-TEST-E1', 'QR-TEST-E2', 'SN-E1', 'SN-E3', 'TKT-TEST-T1', 'hosp@test.abymed.in', 'Org M1'],
});

type Mode = 'valid' | 'malformed';

/** The generated requests may have logged a token out (POST /auth/logout), so fixed cases bring their own. */
async function freshAdminHeaders(): Promise<Record<string, string>> {
  const { token } = await createToken(fresh.db.db, { userId: net.user.sys.id, kind: 'api' });
  return { authorization: `Bearer ${token}` };
}

/** Every table's data, but for api_tokens.last_used_at, which authenticating a request may stamp (once a minute). */
async function dataHash(): Promise<Record<string, string>> {
  const { tables } = await hashData(fresh.db.pool);
  const tokens = await fresh.db.pool.query<{ h: string }>(
    `select md5(string_agg(md5((t.id, t.user_id, t.kind, t.token_hash, t.expires_at, t.revoked_at)::text), '' order by t.id)) as h from api_tokens t`,
  );
  return { ...tables, 'public.api_tokens': tokens.rows[0]?.h ?? '' };
}

function requestFor(op: Operation) {
  const k = known();
  const mode = fc.constantFrom<Mode>('valid', 'valid', 'malformed');
  const token = fc.constantFrom<string | undefined>(undefined, ...USER_KEYS.map((u) => net.user[u].token));
  return fc.tuple(mode, token).chain(([m, t]) => {
    const param = (p: Operation['params'][number]) => (m === 'valid' ? valueFor(p.schema, k, resolve) : malformedValue);
    const pathParams = fc.tuple(...op.params.filter((p) => p.in === 'path').map((p) => param(p).map((v) => [p.name, v] as const)));
    const query = fc.tuple(
      ...op.params
        .filter((p) => p.in === 'query')
        .map((p) =>
          fc.option(
            param(p).map((v) => [p.name, v] as const),
            { nil: undefined },
          ),
        ),
    );
    const body = op.body ? (m === 'valid' ? valueFor(op.body, k, resolve) : malformedObject(op.body, k, resolve)) : fc.constant(undefined);
    return fc.record({ mode: fc.constant(m), token: fc.constant(t), pathParams, query, body });
  });
}

function urlOf(
  op: Operation,
  pathParams: ReadonlyArray<readonly [string, unknown]>,
  query: ReadonlyArray<readonly [string, unknown] | undefined>,
): string {
  let url = op.path;
  for (const [name, v] of pathParams) url = url.replace(`{${name}}`, encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v)));
  const qs = query
    .filter((q): q is readonly [string, unknown] => q !== undefined)
    .map(([name, v]) => `${encodeURIComponent(name)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');
  return qs ? `${url}?${qs}` : url;
}

describe('requests generated from the OpenAPI schemas', () => {
  it('covers every route the document lists', () => {
    const paths = operations.map((o) => `${o.method} ${o.path}`);
    for (const expected of [
      'GET /api/v1/tickets',
      'POST /api/v1/tickets',
      'GET /api/v1/equipment/qr/{qr_code}',
      'POST /api/v1/service-request',
      'POST /api/v1/auth/login',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('never answer 5xx, and a rejected request changes no row', async () => {
    let rejectedWrites = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations).chain((op) => requestFor(op).map((req) => ({ op, req }))),
        async ({ op, req }) => {
          const url = urlOf(op, req.pathParams, req.query);
          const headers: Record<string, string> = req.token ? { authorization: `Bearer ${req.token}` } : {};
          const before = op.method === 'POST' ? await dataHash() : undefined;
          const res = await app.inject({
            method: op.method,
            url,
            headers,
            ...(op.method === 'POST' ? { payload: (req.body ?? {}) as object } : {}),
          });
          expect(res.statusCode, `${op.method} ${url} ${JSON.stringify(req.body)} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) expect(res.json().error.code, res.body).toEqual(expect.any(String));
          if (before && res.statusCode >= 400) {
            rejectedWrites++;
            expect(await dataHash(), `${op.method} ${url} was rejected (${res.statusCode}) but changed data`).toEqual(before);
          }
        },
      ),
      {
        numRuns: Number(process.env.ABYMED_PROPERTY_RUNS ?? 400),
        seed: process.env.ABYMED_PROPERTY_SEED ? Number(process.env.ABYMED_PROPERTY_SEED) : undefined,
      },
    );
    expect(rejectedWrites).toBeGreaterThan(0);
  });

  it('a NUL character, which PostgreSQL cannot store, is a 400 in a path, a query and a body', async () => {
    const headers = await freshAdminHeaders();
    expect((await app.inject({ url: '/api/v1/tickets/number/%00', headers })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/tickets?q=%00', headers })).statusCode).toBe(400);
    const body = { qr_code: 'QR-TEST-E1', requester_name: 'a\u0000b', issue_description: 'broken screen' };
    expect((await app.inject({ method: 'POST', url: '/api/v1/service-request', payload: body })).statusCode).toBe(400);
  });

  it('bodies that are not JSON objects are rejected without a 5xx', async () => {
    for (const op of operations.filter((o) => o.body)) {
      const url = op.path.replace(/\{[^}]+\}/g, 'T1');
      const headers = await freshAdminHeaders();
      for (const [payload, type] of [
        ['{"broken', 'application/json'],
        ['hello', 'text/plain'],
        ['[]', 'application/json'],
        ['null', 'application/json'],
      ]) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': type as string },
          payload: payload as string,
        });
        expect(res.statusCode, `${url} ${type} ${payload} → ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }
    }
  });
});
