import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { withCaller } from '../../src/tenancy/with-caller.ts';
import { useFreshDatabase } from '../support/database.ts';
import { API_SCHEMA, buildNetwork, client, type Network, type OrgKey, type UserKey } from '../support/network.ts';

/**
 * Role × resource matrix (issue #3): what each role sees, through the API and by direct SQL under
 * its row-level security context, and that every row outside its network answers 404.
 * The expectations are written out by hand from the network in test/support/network.ts.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const fresh = useFreshDatabase(API_SCHEMA);
let app: FastifyInstance;
let net: Network;

beforeAll(async () => {
  net = await buildNetwork(fresh.db);
  app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false });
});
afterAll(async () => app?.close());

type Callers = Exclude<UserKey, 'mfr2' | 'hosp2' | 'eng2'>;
const ALL_ORGS: OrgKey[] = ['M1', 'D1', 'K1', 'H1', 'M2', 'D2', 'K2', 'H2'];

const sees: Record<Callers, { orgs: OrgKey[]; equipment: string[]; tickets: string[]; engineers: string[]; facilities: string[] }> = {
  sys: {
    orgs: ALL_ORGS,
    equipment: ['E1', 'E2', 'E3'],
    tickets: ['T1', 'T2', 'T3', 'T4'],
    engineers: ['G_M1', 'G_K1', 'G_M2'],
    facilities: ['F_M1', 'F_H1', 'F_H2'],
  },
  // its channel below it; the equipment it made and the tickets on it
  mfr: { orgs: ['M1', 'D1', 'K1', 'H1'], equipment: ['E1'], tickets: ['T1'], engineers: ['G_M1', 'G_K1'], facilities: ['F_M1', 'F_H1'] },
  // its partners above and below; what it sold
  dist: { orgs: ['M1', 'D1', 'K1', 'H1'], equipment: ['E3'], tickets: ['T3'], engineers: ['G_M1', 'G_K1'], facilities: ['F_M1', 'F_H1'] },
  // what it sold, and what its engineers service (E2 through T4)
  dealer: { orgs: ['D1', 'K1'], equipment: ['E1', 'E2'], tickets: ['T1', 'T4'], engineers: ['G_K1'], facilities: [] },
  // what it owns
  hosp: { orgs: ['D1', 'H1'], equipment: ['E1', 'E3'], tickets: ['T1', 'T3'], engineers: [], facilities: ['F_H1'] },
  // its assignments only
  eng: { orgs: ['K1'], equipment: ['E1', 'E2'], tickets: ['T1', 'T4'], engineers: ['G_K1'], facilities: [] },
};
const CALLERS = Object.keys(sees) as Callers[];

const sorted = (xs: string[]) => [...xs].sort();

describe.each(CALLERS)('%s', (who) => {
  const expected = () => ({
    orgs: sorted(sees[who].orgs.map((k) => net.org[k])),
    equipment: sorted(sees[who].equipment),
    tickets: sorted(sees[who].tickets),
    engineers: sorted(sees[who].engineers.map((k) => net.engineer[k as keyof Network['engineer']])),
    facilities: sorted(sees[who].facilities.map((k) => net.facility[k as keyof Network['facility']])),
  });

  it('lists exactly its network through the API', async () => {
    const api = client(app, net.user[who].token);
    const ids = async (url: string) => {
      const res = await api.get(url);
      expect(res.statusCode, res.body).toBe(200);
      return sorted(res.json().items.map((x: { id: string }) => x.id));
    };
    const e = expected();
    expect(await ids('/api/v1/organizations?limit=200')).toEqual(e.orgs);
    expect(await ids('/api/v1/equipment?limit=200')).toEqual(e.equipment);
    expect(await ids('/api/v1/tickets?limit=200')).toEqual(e.tickets);
    expect(await ids('/api/v1/engineers?limit=200')).toEqual(e.engineers);
  });

  it('gets 404 for every row outside its network, and 200 inside', async () => {
    const api = client(app, net.user[who].token);
    const e = expected();
    for (const key of ALL_ORGS) {
      const res = await api.get(`/api/v1/organizations/${net.org[key]}`);
      expect(res.statusCode, `org ${key}`).toBe(e.orgs.includes(net.org[key]) ? 200 : 404);
      if (res.statusCode === 404) expect(res.json().error.code).toBe('not_found');
    }
    for (const id of ['E1', 'E2', 'E3']) {
      const inside = e.equipment.includes(id);
      expect((await api.get(`/api/v1/equipment/${id}`)).statusCode, `equipment ${id}`).toBe(inside ? 200 : 404);
      expect((await api.get(`/api/v1/equipment/qr/QR-TEST-${id}`)).statusCode, `equipment by QR ${id}`).toBe(inside ? 200 : 404);
      expect((await api.get(`/api/v1/equipment/serial/SN-${id}`)).statusCode, `equipment by serial ${id}`).toBe(inside ? 200 : 404);
      expect((await api.get(`/api/v1/equipment/qr/image/${id}`)).statusCode, `QR image ${id}`).toBe(inside ? 200 : 404);
    }
    for (const id of ['T1', 'T2', 'T3', 'T4']) {
      const inside = e.tickets.includes(id);
      expect((await api.get(`/api/v1/tickets/${id}`)).statusCode, `ticket ${id}`).toBe(inside ? 200 : 404);
      expect((await api.get(`/api/v1/tickets/number/TKT-TEST-${id}`)).statusCode, `ticket number ${id}`).toBe(inside ? 200 : 404);
      expect((await api.get(`/api/v1/tickets/${id}/comments`)).statusCode, `comments ${id}`).toBe(inside ? 200 : 404);
      expect((await api.get(`/api/v1/tickets/${id}/history`)).statusCode, `history ${id}`).toBe(inside ? 200 : 404);
      const posted = await api.post(`/api/v1/tickets/${id}/comments`, { comment: `from ${who}` });
      expect(posted.statusCode, `comment on ${id}`).toBe(inside ? 201 : 404);
    }
    for (const [key, id] of Object.entries(net.engineer)) {
      expect((await api.get(`/api/v1/engineers/${id}`)).statusCode, `engineer ${key}`).toBe(e.engineers.includes(id) ? 200 : 404);
    }
    for (const key of ALL_ORGS) {
      const res = await api.get(`/api/v1/organizations/${net.org[key]}/facilities`);
      expect(res.statusCode).toBe(e.orgs.includes(net.org[key]) ? 200 : 404);
    }
  });

  it('sees the same rows by direct SQL under its row-level security context', async () => {
    const u = net.user[who];
    const e = expected();
    const rows = await withCaller(fresh.db.db, { userId: u.id, orgId: u.orgId, role: u.role }, async (tx) => {
      const col = async (q: ReturnType<typeof sql<{ id: string }>>) => sorted((await q.execute(tx)).rows.map((r) => r.id));
      return {
        orgs: await col(sql`select id::text as id from organizations`),
        equipment: await col(sql`select id from equipment`),
        tickets: await col(sql`select id from service_tickets`),
        engineers: await col(sql`select id::text as id from engineers`),
        facilities: await col(sql`select id::text as id from organization_facilities`),
        comments: await col(sql`select ticket_id as id from ticket_comments where id like 'C%'`),
        // A write aimed at a row outside the network touches nothing.
        updated: Number((await sql`update service_tickets set issue_description = 'tampered' where id = 'T2'`.execute(tx)).numAffectedRows),
      };
    });
    expect(rows.orgs).toEqual(e.orgs);
    expect(rows.equipment).toEqual(e.equipment);
    expect(rows.tickets).toEqual(e.tickets);
    expect(rows.engineers).toEqual(e.engineers);
    expect(rows.facilities).toEqual(e.facilities);
    expect(rows.comments).toEqual(e.tickets);
    expect(rows.updated).toBe(e.tickets.includes('T2') ? 1 : 0);
  });
});

describe('writes by role', () => {
  const post = (who: UserKey, url: string, body: unknown) => client(app, net.user[who].token).post(url, body);

  it('only a system_admin creates organizations', async () => {
    expect((await post('sys', '/api/v1/organizations', { name: 'New Hospital', org_type: 'hospital' })).statusCode).toBe(201);
    for (const who of ['mfr', 'dist', 'dealer', 'hosp', 'eng'] as const) {
      const res = await post(who, '/api/v1/organizations', { name: `By ${who}`, org_type: 'clinic' });
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
  });

  it('admins add facilities to their own organization; elsewhere 403 inside the network, 404 outside', async () => {
    const own: Array<[UserKey, OrgKey]> = [
      ['mfr', 'M1'],
      ['dist', 'D1'],
      ['dealer', 'K1'],
      ['hosp', 'H1'],
      ['sys', 'H2'],
    ];
    for (const [who, o] of own) {
      const res = await post(who, `/api/v1/organizations/${net.org[o]}/facilities`, {
        facility_name: `Wing of ${who}`,
        facility_type: 'service_center',
      });
      expect(res.statusCode, `${who} on ${o}: ${res.body}`).toBe(201);
    }
    expect((await post('eng', `/api/v1/organizations/${net.org.K1}/facilities`, { facility_name: 'x' })).statusCode).toBe(403);
    expect((await post('mfr', `/api/v1/organizations/${net.org.D1}/facilities`, { facility_name: 'x' })).statusCode).toBe(403);
    expect((await post('mfr', `/api/v1/organizations/${net.org.H2}/facilities`, { facility_name: 'x' })).statusCode).toBe(404);
  });

  it('admins add engineers to their own organization only', async () => {
    expect((await post('dealer', '/api/v1/engineers', { full_name: 'New Engineer', org_id: net.org.K1 })).statusCode).toBe(201);
    expect((await post('eng', '/api/v1/engineers', { full_name: 'Self Made', org_id: net.org.K1 })).statusCode).toBe(403);
    expect((await post('mfr', '/api/v1/engineers', { full_name: 'Other', org_id: net.org.D1 })).statusCode).toBe(403);
    expect((await post('mfr', '/api/v1/engineers', { full_name: 'Outside', org_id: net.org.M2 })).statusCode).toBe(404);
  });

  it('parties register equipment (QR code generated); an engineer may not; an outside owner is 422', async () => {
    const mine = await post('mfr', '/api/v1/equipment', {
      serial_number: 'SN-NEW-1',
      equipment_name: 'ECG-1000',
      owned_by_org_id: net.org.H1,
      warranty_months: 12,
      purchase_date: '2025-01-15',
    });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().qr_code).toMatch(/^QR-\d{8}-\d{6}$/);
    expect(mine.json().manufacturer_org_id).toBe(net.org.M1);
    expect(mine.json().warranty_expiry).toBe('2026-01-15');
    expect((await post('hosp', '/api/v1/equipment', { serial_number: 'SN-NEW-2', equipment_name: 'Ventilator' })).statusCode).toBe(201);
    expect((await post('eng', '/api/v1/equipment', { serial_number: 'SN-NEW-3', equipment_name: 'X' })).statusCode).toBe(403);
    const outside = await post('mfr', '/api/v1/equipment', { serial_number: 'SN-NEW-4', equipment_name: 'X', owned_by_org_id: net.org.H2 });
    expect(outside.statusCode).toBe(422);
    const dup = await post('mfr', '/api/v1/equipment', { serial_number: 'SN-NEW-1', equipment_name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.key, dup.body).toEqual({ serial_number: 'SN-NEW-1' });
  });

  it('tickets are opened on own equipment; on serviced-only equipment 403; outside 422', async () => {
    const ok = await post('hosp', '/api/v1/tickets', { qr_code: 'QR-TEST-E1', issue_description: 'Display flickers', priority: 'high' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().ticket_number).toMatch(/^TKT-\d{8}-\d{6}$/);
    expect(ok.json().status).toBe('new');
    const history = await client(app, net.user.hosp.token).get(`/api/v1/tickets/${ok.json().id}/history`);
    expect(history.json()).toMatchObject([{ from_status: null, to_status: 'new' }]);
    expect((await post('dealer', '/api/v1/tickets', { equipment_id: 'E2', issue_description: 'Noise' })).statusCode).toBe(403);
    expect((await post('hosp', '/api/v1/tickets', { equipment_id: 'E2', issue_description: 'Noise' })).statusCode).toBe(422);
    expect(
      (await post('hosp', '/api/v1/tickets', { equipment_id: 'E1', serial_number: 'SN-E1', issue_description: 'Both' })).statusCode,
    ).toBe(400);
  });
});
