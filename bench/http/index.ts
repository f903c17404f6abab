import { createToken } from '../../src/auth/tokens.ts';
import { createUser } from '../../src/auth/users.ts';
import { openDatabase } from '../../src/db/database.ts';
import type { Logger } from '../../src/log.ts';
import { type LoadResult, type RequestSpec, runLoad } from './load-generator.ts';
import { type BenchCaller, type HttpScenario, type ScenarioContext, scenarioContext, scenarios } from './scenarios.ts';
import { startServer } from './server.ts';

export interface HttpScenarioResult extends Partial<LoadResult> {
  name: string;
  kind: 'read' | 'write' | 'mixed';
  status: 'ok' | 'not-served' | 'failed';
  note?: string;
}

export interface HttpBenchResult {
  concurrency: number;
  durationMsPerScenario: number;
  maxRequestsPerScenario: number;
  caller: string;
  scenarios: HttpScenarioResult[];
}

export interface HttpBenchOptions {
  databaseUrl: string;
  /** Where parameter values are drawn: the legacy database, whose shape no ticket changes (same seed, same ids). */
  parametersUrl: string;
  seed: number;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  log: Logger;
  onScenario?: (done: number, total: number, name: string) => void;
}

/** A token for each caller of the load test (scenarios.ts, BenchCaller): their requests pass row-level security. */
async function benchTokens(databaseUrl: string, ctx: ScenarioContext): Promise<Partial<Record<BenchCaller, string>>> {
  const database = openDatabase(databaseUrl, { max: 1, applicationName: 'abymed-bench' });
  const stamp = `${Date.now()}-${process.pid}`;
  const users: [BenchCaller, { role: string; orgId: string; engineerId?: string } | undefined][] = [
    ['manufacturer', { role: 'manufacturer_admin', orgId: ctx.orgId }],
    ['hospital', ctx.hospitalOrgId ? { role: 'hospital_admin', orgId: ctx.hospitalOrgId } : undefined],
    ['engineer', ctx.engineer ? { role: 'engineer', orgId: ctx.engineer.orgId, engineerId: ctx.engineer.id } : undefined],
  ];
  try {
    const tokens: Partial<Record<BenchCaller, string>> = {};
    for (const [who, u] of users) {
      if (!u) continue;
      const user = await createUser(database.db, {
        email: `bench-${who}-${stamp}@bench.abymed.invalid`,
        fullName: `Load test (${who})`,
        role: u.role as Parameters<typeof createUser>[1]['role'],
        orgId: u.orgId,
        ...(u.engineerId ? { engineerId: u.engineerId } : {}),
      });
      const token = await createToken(database.db, {
        userId: user.id,
        kind: 'api',
        name: 'bench',
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      tokens[who] = token.token;
    }
    return tokens;
  } finally {
    await database.close();
  }
}

/** The answer for a path no route serves (src/http/errors.ts, or Fastify's own): its API has not landed yet. */
const routeMissing = (status: number, body: string) => status === 404 && /no route [A-Z]+ \/|Route [A-Z]+:\S+ not found/.test(body);

export async function runHttpBench(options: HttpBenchOptions): Promise<HttpBenchResult> {
  const ctx = await scenarioContext(options.parametersUrl, options.seed);
  if (!ctx) throw new Error('the benchmark database has no equipment with a manufacturer: nothing to load-test');
  const tokens = await benchTokens(options.databaseUrl, ctx);
  const server = await startServer(options.databaseUrl);
  options.log.info({ pid: server.pid, baseUrl: server.baseUrl }, 'API server started for the load test');
  const headersOf = (who: BenchCaller = 'manufacturer') => ({ authorization: `Bearer ${tokens[who] ?? ''}` });
  const headers = headersOf();
  const base = {
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    maxRequests: options.maxRequests,
    baseUrl: server.baseUrl,
    headers,
  };
  const list = scenarios(ctx);
  const results: HttpScenarioResult[] = [];
  const served: HttpScenario[] = [];
  try {
    for (const [i, s] of list.entries()) {
      options.onScenario?.(i, list.length + 1, s.name);
      const probe = await fetch(new URL(s.request(0).path, server.baseUrl), requestInit(s.request(0), headersOf(s.caller)));
      const body = await probe.text();
      if (routeMissing(probe.status, body)) {
        results.push({ name: s.name, kind: s.kind, status: 'not-served', note: 'the API does not serve this route yet' });
        continue;
      }
      if (!s.caller) served.push(s);
      const r = await runLoad({ ...base, headers: headersOf(s.caller), next: (n) => s.request(n + 1) });
      options.log.info({ scenario: s.name, rps: r.throughputRps, p99: r.latency.p99, errors: r.errors }, 'HTTP scenario done');
      results.push({ name: s.name, kind: s.kind, status: r.errors === r.requests ? 'failed' : 'ok', ...r });
    }
    // The mix a service desk sends: four reads for each write, all served routes at once.
    options.onScenario?.(list.length, list.length + 1, 'mixed');
    const reads = served.filter((s) => s.kind === 'read');
    const writes = served.filter((s) => s.kind === 'write');
    if (reads.length > 0) {
      const pick = (n: number) => (writes.length > 0 && n % 5 === 4 ? writes[n % writes.length] : reads[n % reads.length]) as HttpScenario;
      const r = await runLoad({ ...base, next: (n) => pick(n).request(n + 7) });
      results.push({ name: `mixed (${reads.length} reads : ${writes.length} writes, 4:1)`, kind: 'mixed', status: 'ok', ...r });
    }
    options.onScenario?.(list.length + 1, list.length + 1, 'done');
  } finally {
    await server.stop();
  }
  return {
    concurrency: options.concurrency,
    durationMsPerScenario: options.durationMs,
    maxRequestsPerScenario: options.maxRequests,
    caller:
      'manufacturer_admin of the manufacturer with the most equipment, unless the scenario names a hospital_admin (a hospital of median size) or an engineer (median assignments); row-level security applies',
    scenarios: results,
  };
}

function requestInit(spec: RequestSpec, headers: Record<string, string>): RequestInit {
  return {
    method: spec.method,
    headers: { ...headers, ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
  };
}
