import http from 'node:http';
import { elapsedMs, type LatencySummary, round, summarize } from '../stats.ts';

/**
 * A closed-loop load generator on loopback: `concurrency` workers each send a request, wait for the
 * answer and send the next, over keep-alive connections, until the request count or the time runs
 * out, whichever comes first. Closed-loop keeps the server at its real capacity without queueing
 * requests the client made up (coordinated omission is bounded by the small, fixed concurrency).
 */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface LoadOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  concurrency: number;
  maxRequests: number;
  durationMs: number;
  /** The i-th request to send (i counts from 0 across all workers). */
  next(i: number): RequestSpec;
  /** Statuses that count as success. (Default: 2xx) */
  ok?: (status: number) => boolean;
}

export interface LoadResult {
  requests: number;
  errors: number;
  durationMs: number;
  throughputRps: number;
  latency: LatencySummary;
  statuses: Record<string, number>;
  /** The first failing answer, to tell a broken scenario from an overloaded server. */
  firstError?: string;
}

function send(agent: http.Agent, base: URL, headers: Record<string, string>, spec: RequestSpec): Promise<{ status: number; body: string }> {
  const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  return new Promise((ok, fail) => {
    const req = http.request(
      {
        agent,
        hostname: base.hostname,
        port: base.port,
        method: spec.method,
        path: spec.path,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
    req.on('error', fail);
    req.end(payload);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname))
    throw new Error(`load tests run on loopback only, not ${base.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const ok = options.ok ?? ((s: number) => s >= 200 && s < 300);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + options.durationMs;

  const worker = async () => {
    while (issued < options.maxRequests && Date.now() < deadline) {
      const spec = options.next(issued++);
      const start = process.hrtime.bigint();
      try {
        const res = await send(agent, base, options.headers ?? {}, spec);
        latencies.push(elapsedMs(start));
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (!ok(res.status)) {
          errors++;
          firstError ??= `${spec.method} ${spec.path} → ${res.status} ${res.body.slice(0, 200)}`;
        }
      } catch (e) {
        errors++;
        statuses.network = (statuses.network ?? 0) + 1;
        firstError ??= `${spec.method} ${spec.path} → ${(e as Error).message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  const durationMs = elapsedMs(t0);
  return {
    requests: latencies.length + (statuses.network ?? 0),
    errors,
    durationMs: round(durationMs, 0),
    throughputRps: round((latencies.length / durationMs) * 1000, 1),
    latency: summarize(latencies),
    statuses,
    ...(firstError ? { firstError } : {}),
  };
}
