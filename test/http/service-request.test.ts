import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { useFreshDatabase } from '../support/database.ts';
import { API_SCHEMA, buildNetwork, client, type Network } from '../support/network.ts';

// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const fresh = useFreshDatabase(API_SCHEMA);
let app: FastifyInstance;
let net: Network;

beforeAll(async () => {
  net = await buildNetwork(fresh.db);
  app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false, publicRateLimit: { max: 1000, timeWindow: 60_000 } });
});
afterAll(async () => app?.close());

const scan = (qr: string, i: number) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/service-request',
    payload: { qr_code: qr, requester_name: `Nurse ${i}`, requester_phone: '+91 98765 43210', issue_description: `Screen dark (${i})` },
  });

const openTickets = async (equipmentId: string) =>
  (
    await sql<{ id: string; ticket_number: string }>`
      select id, ticket_number from service_tickets where equipment_id = ${equipmentId} and status in ('new','assigned','in_progress','on_hold')`.execute(
      fresh.db.db,
    )
  ).rows;

describe('public QR service request', () => {
  it('shows what the label names without a login', async () => {
    const res = await app.inject({ url: '/api/v1/service-request?qr=QR-TEST-E3' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      equipment: { qr_code: 'QR-TEST-E3', equipment_name: 'Device E3' },
      open_ticket: { ticket_number: 'TKT-TEST-T3' },
    });
    expect(res.json().equipment).not.toHaveProperty('owned_by_org_id');
    expect((await app.inject({ url: '/api/v1/service-request?qr=QR-NOPE' })).statusCode).toBe(404);
  });

  it('N parallel scans of one device open exactly one ticket; the others join it as comments', async () => {
    // A device registered by the new application: its owner is a period (T1.4), not a column.
    await sql`insert into equipment (id, qr_code, serial_number, equipment_name, status)
              values ('E9', 'QR-TEST-E9', 'SN-E9', 'Infusion pump INF-200', 'down')`.execute(fresh.db.db);
    await sql`insert into equipment_relationships (equipment_id, relationship_type, organization_id, valid_from, created_by)
              values ('E9', 'owned_by', ${net.org.H1}, now(), 'test')`.execute(fresh.db.db);
    const N = 16;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => scan('QR-TEST-E9', i)));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 200)).toHaveLength(N - 1);
    const numbers = new Set(results.map((r) => r.json().ticket_number));
    expect(numbers.size).toBe(1);
    const open = await openTickets('E9');
    expect(open).toHaveLength(1);
    const ticket = await sql<{ priority: string; source: string; n: number }>`
      select t.priority, t.source, (select count(*)::int from ticket_comments c where c.ticket_id = t.id) as n
        from service_tickets t where t.id = ${open[0]?.id}`.execute(fresh.db.db);
    // A device that is down opens as high priority; one comment for the opening scan, one per repeat.
    expect(ticket.rows[0]).toEqual({ priority: 'high', source: 'web', n: N });
  });

  it('a scan after the ticket is closed opens a new one', async () => {
    const [first] = await openTickets('E9');
    await sql`update service_tickets set status = 'closed' where id = ${first?.id}`.execute(fresh.db.db);
    const res = await scan('QR-TEST-E9', 99);
    expect(res.statusCode).toBe(201);
    expect(res.json().ticket_number).not.toBe(first?.ticket_number);
  });

  it('rejects bad input with 400 and changes nothing', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from service_tickets`.execute(fresh.db.db);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/service-request',
      payload: { qr_code: 'QR-TEST-E1', requester_name: '', issue_description: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
    const after = await sql<{ n: number }>`select count(*)::int as n from service_tickets`.execute(fresh.db.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('is rate-limited per client address', async () => {
    const limited = await buildApp({
      database: fresh.db,
      logRequests: false,
      serveConsole: false,
      publicRateLimit: { max: 3, timeWindow: 60_000 },
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await limited.inject({ url: '/api/v1/service-request?qr=QR-TEST-E1', remoteAddress: '10.9.9.9' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('ticket numbers', () => {
  it('never collide, even when many tickets open in the same second', async () => {
    const api = client(app, net.user.hosp.token);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => api.post('/api/v1/tickets', { equipment_id: 'E1', issue_description: `Parallel ${i}` })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(25).fill(201));
    const numbers = results.map((r) => r.json().ticket_number);
    expect(new Set(numbers).size).toBe(25);
    for (const n of numbers) expect(n).toMatch(/^TKT-\d{8}-\d{6}$/);
  });

  it('skip a number a legacy row already holds', async () => {
    const { rows } = await sql<{
      n: string;
    }>`select 'TKT-' || to_char(now() at time zone 'UTC', 'YYYYMMDD') || '-' || lpad((last_value + 1)::text, 6, '0') as n from service_ticket_number_seq`.execute(
      fresh.db.db,
    );
    const taken = rows[0]?.n as string;
    // a row written outside the API (a legacy write before the cut-over): a copy of T1 holding that number
    await sql`insert into service_tickets
              select (jsonb_populate_record(null::service_tickets,
                        to_jsonb(t) || jsonb_build_object('id', 'LEGACY1', 'ticket_number', ${taken}::text, 'issue_description', 'legacy row'))).*
                from service_tickets t where t.id = 'T1'`.execute(fresh.db.db);
    const res = await client(app, net.user.hosp.token).post('/api/v1/tickets', { equipment_id: 'E1', issue_description: 'After legacy' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().ticket_number).not.toBe(taken);
  });
});
