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
  /** Who sends it. (Default: the manufacturer's admin) The mix sends only the manufacturer's. */
  caller?: Exclude<BenchCaller, 'manufacturer'>;
  request(i: number): RequestSpec;
}

/**
 * The callers of the load test: the manufacturer with the most equipment (it sees a good share of
 * all tickets), a hospital of median size and an engineer with a median number of assignments (each
 * sees a few hundred of a million tickets: the case where a list must not walk the whole table).
 */
export type BenchCaller = 'manufacturer' | 'hospital' | 'engineer';

export interface ScenarioContext {
  /** The manufacturer the load test's user administers (the biggest one: the widest network). */
  orgId: string;
  /** A hospital owning the median number of devices among hospitals. */
  hospitalOrgId?: string;
  /** An engineer with the median number of tickets assigned, and its organization. */
  engineer?: { id: string; orgId: string };
  ticketIds: string[];
  /** Open tickets with an engineer: they have a current assignment on the fixed schema. */
  assignedTicketIds: string[];
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
    const assigned = await c.query(
      `select t.id from service_tickets t join equipment e on e.id = t.equipment_id join engineers g on g.id::text = t.assigned_engineer_id
        where e.manufacturer_org_id = $1 and t.status in ('new', 'assigned', 'in_progress', 'on_hold') order by md5(t.id || $2) limit $3`,
      [orgId, String(seed), count],
    );
    const hospital = await c.query(
      `select owned_by_org_id as id from equipment e join organizations o on o.id = e.owned_by_org_id
        where o.org_type = 'hospital' group by 1 order by count(*), 1
        offset (select count(distinct owned_by_org_id) / 2 from equipment e join organizations o on o.id = e.owned_by_org_id
                 where o.org_type = 'hospital') limit 1`,
    );
    const engineer = await c.query(
      `select e.id, e.org_id from service_tickets t join engineers e on e.id::text = t.assigned_engineer_id
        where e.org_id is not null group by 1, 2 order by count(*), 1
        offset (select count(distinct assigned_engineer_id) / 2 from service_tickets) limit 1`,
    );
    return {
      orgId,
      ...(hospital.rows[0] ? { hospitalOrgId: hospital.rows[0].id as string } : {}),
      ...(engineer.rows[0] ? { engineer: { id: engineer.rows[0].id as string, orgId: engineer.rows[0].org_id as string } } : {}),
      ticketIds: tickets.rows.map((r) => r.id),
      assignedTicketIds: assigned.rows.length > 0 ? assigned.rows.map((r) => r.id) : tickets.rows.map((r) => r.id),
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
    ...(ctx.hospitalOrgId
      ? [
          {
            name: 'GET /tickets (newest page) as a hospital',
            kind: 'read' as const,
            caller: 'hospital' as const,
            request: () => ({ method: 'GET' as const, path: '/api/v1/tickets?limit=50' }),
          },
          {
            name: 'GET /equipment (newest page) as a hospital',
            kind: 'read' as const,
            caller: 'hospital' as const,
            request: () => ({ method: 'GET' as const, path: '/api/v1/equipment?limit=50' }),
          },
        ]
      : []),
    ...(ctx.engineer
      ? [
          {
            name: 'GET /tickets (newest page) as an engineer',
            kind: 'read' as const,
            caller: 'engineer' as const,
            request: () => ({ method: 'GET' as const, path: '/api/v1/tickets?limit=50' }),
          },
        ]
      : []),
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
      request: (i) => ({ method: 'GET', path: `/api/v1/tickets/${enc(at(ctx.assignedTicketIds, i))}/current-assignment` }),
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
