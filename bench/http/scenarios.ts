import pg from 'pg';
import type { RequestSpec } from './load-generator.ts';

/**
 * The API calls the load test sends: the main reads and writes of the service desk. Parameter values
 * come from the legacy benchmark database (the fixed one holds the same rows under the same ids but
 * moves columns such as ownership), drawn from what the calling organization can see (row-level
 * security would answer 404 otherwise), and cycle so every request hits a different row.
 */
export interface HttpScenario {
  name: string;
  kind: 'read' | 'write';
  request(i: number): RequestSpec;
}

export interface ScenarioContext {
  /** The manufacturer the load test's user administers (the biggest one: the widest network). */
  orgId: string;
  ticketIds: string[];
  ticketNumbers: string[];
  qrCodes: string[];
  equipmentIds: string[];
}

const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
const enc = encodeURIComponent;

export async function scenarioContext(databaseUrl: string, seed: number, count = 2000): Promise<ScenarioContext | undefined> {
  const c = new pg.Client({ connectionString: databaseUrl, application_name: 'abymed-bench' });
  await c.connect();
  try {
    const org = await c.query(
      `select manufacturer_org_id as id from equipment where manufacturer_org_id is not null group by 1 order by count(*) desc, 1 limit 1`,
    );
    const orgId = org.rows[0]?.id as string | undefined;
    if (!orgId) return undefined;
    const equipment = await c.query(`select id, qr_code from equipment where manufacturer_org_id = $1 order by md5(id || $2) limit $3`, [
      orgId,
      String(seed),
      count,
    ]);
    const tickets = await c.query(
      `select t.id, t.ticket_number from service_tickets t join equipment e on e.id = t.equipment_id
        where e.manufacturer_org_id = $1 order by md5(t.id || $2) limit $3`,
      [orgId, String(seed), count],
    );
    return {
      orgId,
      ticketIds: tickets.rows.map((r) => r.id),
      ticketNumbers: tickets.rows.map((r) => r.ticket_number),
      qrCodes: equipment.rows.map((r) => r.qr_code),
      equipmentIds: equipment.rows.map((r) => r.id),
    };
  } finally {
    await c.end();
  }
}

export function scenarios(ctx: ScenarioContext): HttpScenario[] {
  return [
    { name: 'GET /health', kind: 'read', request: () => ({ method: 'GET', path: '/api/v1/health' }) },
    { name: 'GET /tickets (newest page)', kind: 'read', request: () => ({ method: 'GET', path: '/api/v1/tickets?limit=50' }) },
    { name: 'GET /tickets/{id}', kind: 'read', request: (i) => ({ method: 'GET', path: `/api/v1/tickets/${enc(at(ctx.ticketIds, i))}` }) },
    {
      name: 'GET /tickets/number/{number}',
      kind: 'read',
      request: (i) => ({ method: 'GET', path: `/api/v1/tickets/number/${enc(at(ctx.ticketNumbers, i))}` }),
    },
    {
      name: 'GET /tickets/{id}/history',
      kind: 'read',
      request: (i) => ({ method: 'GET', path: `/api/v1/tickets/${enc(at(ctx.ticketIds, i))}/history` }),
    },
    {
      name: 'GET /tickets/{id}/current-assignment',
      kind: 'read',
      request: (i) => ({ method: 'GET', path: `/api/v1/tickets/${enc(at(ctx.ticketIds, i))}/current-assignment` }),
    },
    {
      name: 'GET /equipment/qr/{qr}',
      kind: 'read',
      request: (i) => ({ method: 'GET', path: `/api/v1/equipment/qr/${enc(at(ctx.qrCodes, i))}` }),
    },
    {
      name: 'POST /tickets (create from a QR scan)',
      kind: 'write',
      request: (i) => ({
        method: 'POST',
        path: '/api/v1/tickets',
        body: {
          qr_code: at(ctx.qrCodes, i),
          issue_description: `Benchmark ticket ${i}: display flickers during scan`,
          priority: at(['critical', 'high', 'medium', 'low'], i),
          source: 'web',
        },
      }),
    },
    {
      name: 'POST /tickets/{id}/comments',
      kind: 'write',
      request: (i) => ({
        method: 'POST',
        path: `/api/v1/tickets/${enc(at(ctx.ticketIds, i))}/comments`,
        body: { comment: `Benchmark comment ${i}`, comment_type: 'internal' },
      }),
    },
  ];
}
