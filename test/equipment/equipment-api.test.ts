import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { type MigrateTarget, useFreshDatabase } from '../support/database.ts';
import { buildNetwork, client, type Network } from '../support/network.ts';
import { isChain, periods } from './fixtures.ts';

/**
 * The equipment API (register, look up by QR code and serial number, list) reads and writes a
 * device's parties through its current periods (T1.4), so it answers the same on the expanded
 * schema and on the fully migrated one, where 0940 has dropped the static party columns and
 * row-level security decides from the periods (what `npm start` serves).
 */
const TARGETS: [string, MigrateTarget][] = [
  ['expanded schema', 'before-contract'],
  ['all migrations', 'all'],
];

describe.each(TARGETS)('equipment API on the %s', (_label, target) => {
  const fresh = useFreshDatabase(target);
  let app: FastifyInstance;
  let net: Network;

  beforeAll(async () => {
    net = await buildNetwork(fresh.db);
    app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false });
  });
  afterAll(async () => app?.close());

  const as = (key: keyof Network['user']) => client(app, net.user[key].token);
  const ids = async (key: keyof Network['user'], url: string) =>
    (await as(key).get(url)).json().items.map((e: { id: string }) => e.id) as string[];

  it('a registration opens the initial periods, from the installation date, and answers the parties', async () => {
    // the manufacturer registers the device it delivered to a hospital of its channel, on site
    const res = await as('mfr').post('/api/v1/equipment', {
      serial_number: 'SN-ALL-1',
      equipment_name: 'Ventilator V60',
      owned_by_org_id: net.org.H1,
      installed_facility_id: net.facility.F_H1,
      installation_date: '2024-03-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    const device = res.json();
    expect(device).toMatchObject({
      owned_by_org_id: net.org.H1,
      manufacturer_org_id: net.org.M1,
      sold_by_dealer_id: null,
      installed_facility_id: net.facility.F_H1,
      customer_name: 'Org H1',
    });
    expect(device.qr_code).toMatch(/^QR-\d{8}-\d{6}$/);
    const list = await periods(fresh.db.pool, device.id);
    expect(list.map((p) => [p.relationship_type, p.facility_id ?? p.organization_id, p.transfer_type, p.valid_to])).toEqual([
      ['installed_at', net.facility.F_H1, 'initial', null],
      ['manufactured_by', net.org.M1, 'initial', null],
      ['owned_by', net.org.H1, 'initial', null],
    ]);
    // midnight in India on the installation date, as the legacy rule (and the backfill) says
    for (const p of list) expect(p.valid_from.toISOString()).toBe('2024-02-29T18:30:00.000Z');
    const history = await as('hosp').get(`/api/v1/equipment/${device.id}/history`); // the owner reads it too
    expect(history.json().items).toHaveLength(3);
  });

  it('the roles: each party registers with its default role, an engineer 403, another party only 403, outside 422', async () => {
    const mfr = await as('mfr').post('/api/v1/equipment', {
      serial_number: 'SN-ALL-2',
      equipment_name: 'ECG',
      owned_by_org_id: net.org.H1,
    });
    expect(mfr.statusCode, mfr.body).toBe(201);
    expect(mfr.json()).toMatchObject({ manufacturer_org_id: net.org.M1, owned_by_org_id: net.org.H1 });
    const dealer = await as('dealer').post('/api/v1/equipment', { serial_number: 'SN-ALL-3', equipment_name: 'Monitor' });
    expect(dealer.statusCode, dealer.body).toBe(201);
    expect(dealer.json()).toMatchObject({ sold_by_dealer_id: net.org.K1, owned_by_org_id: null });
    const sys = await as('sys').post('/api/v1/equipment', {
      serial_number: 'SN-ALL-4',
      equipment_name: 'X-ray',
      owned_by_org_id: net.org.H2,
    });
    expect(sys.statusCode, sys.body).toBe(201);

    expect((await as('eng').post('/api/v1/equipment', { serial_number: 'SN-ALL-5', equipment_name: 'X' })).statusCode).toBe(403);
    // the dealer names its distributor as the seller: its own organization is no party
    const forOthers = await as('dealer').post('/api/v1/equipment', {
      serial_number: 'SN-ALL-6',
      equipment_name: 'X',
      sold_by_dealer_id: net.org.D1,
    });
    expect(forOthers.statusCode, forOthers.body).toBe(403);
    const outside = await as('mfr').post('/api/v1/equipment', {
      serial_number: 'SN-ALL-7',
      equipment_name: 'X',
      owned_by_org_id: net.org.H2,
    });
    expect(outside.statusCode).toBe(422);
    const dup = await as('mfr').post('/api/v1/equipment', { serial_number: 'SN-ALL-2', equipment_name: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.key).toEqual({ serial_number: 'SN-ALL-2' });
    // nothing was left behind by the refused registrations
    const { rows } = await fresh.db.pool.query(`select count(*)::int as n from equipment where serial_number in ('SN-ALL-5', 'SN-ALL-6')`);
    expect(rows[0].n).toBe(0);
  });

  it('looks a device up by QR code and serial number: its parties 200, anyone else 404', async () => {
    for (const who of ['mfr', 'dealer', 'hosp', 'sys'] as const) {
      const byQr = await as(who).get('/api/v1/equipment/qr/QR-TEST-E1');
      expect(byQr.statusCode, `${who}: ${byQr.body}`).toBe(200);
      expect(byQr.json()).toMatchObject({
        id: 'E1',
        manufacturer_org_id: net.org.M1,
        sold_by_dealer_id: net.org.K1,
        owned_by_org_id: net.org.H1,
      });
      expect((await as(who).get('/api/v1/equipment/serial/SN-E1')).json().id).toBe('E1');
    }
    for (const who of ['mfr2', 'hosp2', 'dist'] as const) {
      expect((await as(who).get('/api/v1/equipment/qr/QR-TEST-E1')).statusCode, who).toBe(404);
      expect((await as(who).get('/api/v1/equipment/serial/SN-E1')).statusCode, who).toBe(404);
    }
    expect((await as('hosp').get('/api/v1/equipment/qr/QR-NOPE')).statusCode).toBe(404);
  });

  it('lists a network, filtered by current owner and manufacturer', async () => {
    expect(await ids('mfr2', '/api/v1/equipment?limit=200')).toEqual(expect.arrayContaining(['E2', 'E3']));
    const owned = await ids('sys', `/api/v1/equipment?owned_by_org_id=${net.org.H1}&limit=200`);
    expect(owned).toEqual(expect.arrayContaining(['E1', 'E3']));
    expect(owned).not.toContain('E2');
    const made = await ids('sys', `/api/v1/equipment?manufacturer_org_id=${net.org.M2}&limit=200`);
    expect([...made].sort()).toEqual(['E2', 'E3']);
    // pages follow each other without repeats
    const first = await as('hosp').get('/api/v1/equipment?limit=2');
    const next = await as('hosp').get(`/api/v1/equipment?limit=2&cursor=${encodeURIComponent(first.json().next_cursor)}`);
    const paged = [...first.json().items, ...next.json().items].map((e: { id: string }) => e.id);
    expect(new Set(paged).size).toBe(paged.length);
  });

  it('after a transfer through the API the new owner finds the device, lists it as its own, and the old owner neither', async () => {
    const reg = await as('hosp').post('/api/v1/equipment', { serial_number: 'SN-ALL-8', equipment_name: 'Defibrillator' });
    const id = reg.json().id as string;
    await new Promise((r) => setTimeout(r, 5)); // the transfer starts strictly after the first period
    const sold = await as('hosp').post(`/api/v1/equipment/${id}/transfer`, {
      kind: 'sale',
      to_organization_id: net.org.K1,
      amount: '1000.00',
    });
    expect(sold.statusCode, sold.body).toBe(201);
    const found = await as('dealer').get('/api/v1/equipment/serial/SN-ALL-8');
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().owned_by_org_id).toBe(net.org.K1);
    expect(await ids('dealer', `/api/v1/equipment?owned_by_org_id=${net.org.K1}&limit=200`)).toContain(id);
    expect((await as('hosp').get(`/api/v1/equipment/qr/${reg.json().qr_code}`)).statusCode).toBe(404);
    expect(isChain(await periods(fresh.db.pool, id, 'owned_by'))).toBe(true);
  });
});
