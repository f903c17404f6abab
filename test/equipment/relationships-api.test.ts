import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { type MigrateTarget, useFreshDatabase } from '../support/database.ts';
import { buildNetwork, client, type Network } from '../support/network.ts';
import { drift, isChain, periods } from './fixtures.ts';

/**
 * The T1.4 HTTP surface: reads as of an instant, transfers with a 409 on a lost race, tenancy. Run
 * on the API's schema (static columns still there, mirrored) and on the fully migrated one (0940:
 * history only, row-level security from the current periods).
 */
const TARGETS: [string, MigrateTarget][] = [
  ['expanded schema', 'before-contract'],
  ['all migrations', 'all'],
];

describe.each(TARGETS)('T1.4 API, %s', (_label, target) => {
  const fresh = useFreshDatabase(target);
  let app: FastifyInstance;
  let net: Network;
  let legacyColumns = false;

  beforeAll(async () => {
    net = await buildNetwork(fresh.db);
    app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false });
    const { rows } = await fresh.db.pool.query(
      `select 1 from information_schema.columns where table_name = 'equipment' and column_name = 'installed_facility_id'`,
    );
    legacyColumns = rows.length > 0;
    await new Promise((r) => setTimeout(r, 20)); // the transfers below start strictly after the devices' first periods
  });
  afterAll(async () => app?.close());

  const as = (key: keyof Network['user']) => client(app, net.user[key].token);
  it('GET relationships as of now names the current parties', async () => {
    const res = await as('hosp').get(`/api/v1/equipment/${net.equipment.E1}/relationships`);
    expect(res.statusCode).toBe(200);
    const owner = res.json().items.find((p: { relationship_type: string }) => p.relationship_type === 'owned_by');
    expect(owner).toMatchObject({ organization_id: net.org.H1, organization_name: 'Org H1', valid_to: null });
  });

  it('two concurrent transfers from the same state: one 201, one 409; the boundary answers as of', async () => {
    const eq = net.equipment.E1;
    const current = (await as('hosp').get(`/api/v1/equipment/${eq}/relationships`))
      .json()
      .items.find((p: { relationship_type: string }) => p.relationship_type === 'owned_by');
    const body = (to: string) => ({
      kind: 'sale',
      to_organization_id: to,
      amount: '980000.00',
      reason: 'resale',
      document_url: 'https://docs.example/sale.pdf',
      expected_current_id: current.id,
    });
    const [x, y] = await Promise.all([
      as('hosp').post(`/api/v1/equipment/${eq}/transfer`, body(net.org.H2)),
      as('hosp').post(`/api/v1/equipment/${eq}/transfer`, body(net.org.K1)),
    ]);
    const codes = [x.statusCode, y.statusCode].sort();
    expect(codes).toEqual([201, 409]);
    const won = x.statusCode === 201 ? x : y;
    const lost = x.statusCode === 201 ? y : x;
    expect(lost.json().error.code).toBe('conflict');
    const { opened, closed } = won.json();
    expect(closed.valid_to).toBe(opened.valid_from);
    expect(opened).toMatchObject({
      transfer_type: 'sale',
      amount: '980000.00',
      created_by: net.user.hosp.id,
      transfer_document_url: 'https://docs.example/sale.pdf',
    });
    const newOwner = opened.organization_id;

    const boundary = new Date(opened.valid_from).getTime();
    const ownerAt = async (ms: number) =>
      (await as('sys').get(`/api/v1/equipment/${eq}/relationships?as_of=${new Date(ms).toISOString()}`))
        .json()
        .items.find((p: { relationship_type: string }) => p.relationship_type === 'owned_by')?.organization_id;
    expect(await ownerAt(boundary - 1)).toBe(net.org.H1);
    expect(await ownerAt(boundary)).toBe(newOwner);
    expect(await ownerAt(boundary + 1)).toBe(newOwner);

    const ownedBy = async (org: string, ms: number) =>
      (await as('sys').get(`/api/v1/organizations/${org}/equipment?as_of=${new Date(ms).toISOString()}`))
        .json()
        .items.map((p: { equipment_id: string }) => p.equipment_id);
    expect(await ownedBy(net.org.H1, boundary - 1)).toContain(eq);
    expect(await ownedBy(net.org.H1, boundary)).not.toContain(eq);
    expect(await ownedBy(newOwner, boundary)).toContain(eq);

    const history = await as('sys').get(`/api/v1/equipment/${eq}/history?relationship_type=owned_by`);
    expect(history.json().items.map((p: { organization_id: string }) => p.organization_id)).toEqual([net.org.H1, newOwner]);
    expect(isChain(await periods(fresh.db.pool, eq, 'owned_by'))).toBe(true);
    // the equipment API answers the new owner; so does the legacy column while it exists
    expect((await as('sys').get(`/api/v1/equipment/${eq}`)).json().owned_by_org_id).toBe(newOwner);
    if (legacyColumns) {
      const { rows } = await fresh.db.pool.query('select owned_by_org_id from equipment where id = $1', [eq]);
      expect(rows[0].owned_by_org_id).toBe(newOwner);
      expect(await drift(fresh.db.pool, eq)).toEqual([]);
    }
  });

  it('validates input: a lease needs its end, as_of must be a date, unknown devices are 404', async () => {
    const e3 = net.equipment.E3;
    expect((await as('hosp').post(`/api/v1/equipment/${e3}/transfer`, { kind: 'lease', to_organization_id: net.org.K1 })).statusCode).toBe(
      400,
    );
    expect((await as('hosp').get(`/api/v1/equipment/${e3}/relationships?as_of=yesterday`)).statusCode).toBe(400);
    expect((await as('hosp').get('/api/v1/equipment/NOPE/relationships')).statusCode).toBe(404);
    const lease = await as('hosp').post(`/api/v1/equipment/${e3}/transfer`, {
      kind: 'lease',
      to_organization_id: net.org.K1,
      lease_ends_at: '2099-01-01T00:00:00Z',
    });
    expect(lease.statusCode).toBe(201);
    expect(lease.json().opened).toMatchObject({ relationship_type: 'leased_to', valid_to: '2099-01-01T00:00:00.000Z' });
  });

  it('a device outside the caller network cannot be read or transferred', async () => {
    const e2 = net.equipment.E2; // made by M2, owned by H2: nothing to do with H1
    expect((await as('hosp').get(`/api/v1/equipment/${e2}/relationships`)).statusCode).toBe(404);
    expect(
      (await as('hosp').post(`/api/v1/equipment/${e2}/transfer`, { kind: 'transfer', to_organization_id: net.org.H1 })).statusCode,
    ).toBe(404);
  });

  it('relocate and supply chain', async () => {
    const e3 = net.equipment.E3;
    const moved = await as('hosp').post(`/api/v1/equipment/${e3}/relocate`, { to_facility_id: net.facility.F_H1, reason: 'to the ICU' });
    expect(moved.statusCode).toBe(201);
    expect(moved.json().opened).toMatchObject({
      relationship_type: 'installed_at',
      facility_id: net.facility.F_H1,
      organization_id: net.org.H1,
    });
    expect((await as('hosp').get(`/api/v1/equipment/${e3}`)).json().installed_facility_id).toBe(net.facility.F_H1);
    if (legacyColumns) {
      const { rows } = await fresh.db.pool.query('select installed_facility_id from equipment where id = $1', [e3]);
      expect(rows[0].installed_facility_id).toBe(net.facility.F_H1);
    }
    const onSite = await as('hosp').get(`/api/v1/facilities/${net.facility.F_H1}/equipment`);
    expect(onSite.json().items.map((p: { equipment_id: string }) => p.equipment_id)).toContain(e3);
    const chain = await as('sys').get(`/api/v1/equipment/${net.equipment.E2}/supply-chain`);
    expect(chain.statusCode).toBe(200);
    expect(chain.json().items.map((l: { role: string }) => l.role)).toEqual(['manufacturer', 'distributor', 'dealer', 'owner']);
  });
});
