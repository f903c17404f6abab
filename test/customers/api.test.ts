import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashData } from '../../src/db/catalog.ts';
import { buildApp } from '../../src/http/app.ts';
import { useFreshDatabase } from '../support/database.ts';
import { buildNetwork, client, type Network } from '../support/network.ts';
import { insertLegacyTickets } from './support.ts';

/**
 * The customers API (T1.2) and the contacts API (T3.3): CRUD and search, a customer's tickets and
 * devices, the review queue resolved online, bad input refused with nothing written, concurrent
 * "make primary" calls, and "who was the primary contact on D" on both sides of a change.
 */
// The transition, before the contracts: the legacy application still writes tickets and contacts
// (its copies, is_primary) while the API runs, and races its merges.
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const fresh = useFreshDatabase('before-contract');
let app: FastifyInstance;
let net: Network;
let c: pg.Client;
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
type Json = Record<string, unknown> & { [k: string]: any };

beforeAll(async () => {
  net = await buildNetwork(fresh.db);
  app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false });
  c = await fresh.db.client();
});
afterAll(async () => {
  await app?.close();
  await c?.end();
});

const as = (key: keyof Network['user']) => {
  const token = net.user[key].token;
  const headers = { authorization: `Bearer ${token}` };
  return {
    ...client(app, token),
    patch: (url: string, payload: unknown) => app.inject({ method: 'PATCH', url, headers, payload: payload as object }),
    delete: (url: string) => app.inject({ method: 'DELETE', url, headers }),
  };
};
const API = '/api/v1';

/** Every table but the authentication bookkeeping (a request records its token's use). */
async function dataHash(): Promise<Record<string, string>> {
  const { tables } = await hashData(c);
  return Object.fromEntries(Object.entries(tables).filter(([t]) => !/token|user|login/.test(t)));
}

describe('customers API', () => {
  let apollo: Json;

  it('creates a customer, normalising an Indian phone written any common way', async () => {
    const res = await as('hosp').post(`${API}/customers`, {
      name: 'Apollo Hospital, Chennai',
      primary_phone: '098765 43210',
      whatsapp: '+91-98765-43210',
      email: 'desk@apollo.example',
      organization_id: net.org.H1,
    });
    expect(res.statusCode, res.body).toBe(201);
    apollo = res.json();
    expect(apollo).toMatchObject({
      primary_phone: '+919876543210',
      whatsapp: '+919876543210',
      customer_type: 'hospital',
      status: 'active',
    });
    expect((await as('hosp').get(`${API}/customers/${apollo.id}`)).json().name).toBe('Apollo Hospital, Chennai');
  });

  it('finds it by phone in another format, by a misspelt name, and by a legacy id', async () => {
    const byPhone = await as('hosp').get(`${API}/customers?phone=${encodeURIComponent('+91 98765 43210')}`);
    expect(byPhone.json().items.map((x: Json) => x.id)).toEqual([apollo.id]);
    const typo = await as('hosp').get(`${API}/customers?q=${encodeURIComponent('Apolo Hospitl Chenai')}`);
    expect(typo.json().items[0]?.id).toBe(apollo.id);
    await insertLegacyTickets(c, [{ id: 'LT-1', customer_id: 'CUST-777', customer_name: 'Ganga Clinic', customer_phone: '9811100001' }]);
    const legacy = await as('sys').get(`${API}/customers?legacy_id=CUST-777`);
    expect(legacy.json().items.map((x: Json) => x.name)).toEqual(['Ganga Clinic']);
  });

  it('bad input is a 400/422 naming the field, and nothing is written', async () => {
    const before = await dataHash();
    const bad: [unknown, number, string][] = [
      [{ name: 'X Clinic', primary_phone: '12345' }, 400, 'body.primary_phone'],
      [{ name: 'X Clinic', primary_phone: '0000000000' }, 400, 'body.primary_phone'],
      [{ name: 'X Clinic', email: 'not-an-email' }, 400, 'body.email'],
      [{ name: 'X Clinic', organization_id: '00000000-0000-4000-8000-000000000999' }, 422, 'body.organization_id'],
      [{ name: 'X Clinic', organization_id: net.org.H2 }, 422, 'body.organization_id'], // outside the caller's network
      [{ name: '   ' }, 400, 'body.name'],
    ];
    for (const [body, status, field] of bad) {
      const res = await as('hosp').post(`${API}/customers`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.details.field ?? 'body', JSON.stringify(body)).toContain(field);
    }
    const patch = await as('hosp').patch(`${API}/customers/${apollo.id}`, { primary_phone: '+1 555 0100' });
    expect(patch.statusCode).toBe(400);
    expect(await dataHash()).toEqual(before);
  });

  it('a change reaches the legacy copies of its tickets; deleting deactivates', async () => {
    const eq = await c.query(`select customer_uuid from service_tickets where id = 'T1'`);
    const customer = eq.rows[0].customer_uuid;
    const res = await as('sys').patch(`${API}/customers/${customer}`, { name: 'Org H1 Main Campus', primary_phone: '9822200002' });
    expect(res.statusCode, res.body).toBe(200);
    const copies = await c.query(`select distinct customer_name, customer_phone from service_tickets where customer_uuid = $1`, [customer]);
    expect(copies.rows).toEqual([{ customer_name: 'Org H1 Main Campus', customer_phone: '+919822200002' }]);
    // The tickets API reads the customer through customers (T1.2), not the copies.
    const ticket = (await as('sys').get(`${API}/tickets/T1`)).json();
    expect(ticket).toMatchObject({ customer_id: customer, customer_name: 'Org H1 Main Campus', customer_phone: '+919822200002' });
    const del = await as('hosp').delete(`${API}/customers/${apollo.id}`);
    expect(del.json().status).toBe('inactive');
  });

  it("lists a customer's tickets and devices", async () => {
    const { rows } = await c.query(`select customer_uuid as id, array_agg(id order by id) as tickets from service_tickets
                                     where id in ('T1', 'T2', 'T3', 'T4') group by 1`);
    for (const r of rows) {
      const tickets = await as('sys').get(`${API}/customers/${r.id}/tickets`);
      expect(
        tickets
          .json()
          .items.map((t: Json) => t.id)
          .sort(),
      ).toEqual(r.tickets);
      const devices = await as('sys').get(`${API}/customers/${r.id}/equipment`);
      expect(devices.statusCode).toBe(200);
      expect(devices.json().length).toBeGreaterThan(0);
    }
    expect((await as('sys').get(`${API}/customers/00000000-0000-4000-8000-000000000999/tickets`)).statusCode).toBe(404);
  });
});

describe('review queue', () => {
  it('lists ambiguous matches for an administrator only', async () => {
    await insertLegacyTickets(c, [
      { id: 'RQ-1', customer_name: 'Sunrise Diagnostics', customer_phone: '9812345678' },
      { id: 'RQ-2', customer_name: 'Lakshmi Nursing Home', customer_phone: '+919812345678' },
      { id: 'RQ-3', customer_name: 'Lotus Eye Care', customer_phone: '9898989801' },
      { id: 'RQ-4', customer_name: 'Lotus Eye Care', customer_phone: '9898989802' },
    ]);
    const list = await as('sys').get(`${API}/customers/review-cases`);
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .items.map((k: Json) => k.kind)
        .sort(),
    ).toEqual(['same_name_different_phones', 'same_phone_different_names']);
    expect((await as('hosp').get(`${API}/customers/review-cases`)).json().items).toEqual([]);
  });

  it('merge: tickets, sources and legacy ids move to the survivor, the loser is marked merged, the case closes; twice is a 409', async () => {
    const k = (await as('sys').get(`${API}/customers/review-cases?kind=same_phone_different_names`)).json().items[0];
    const survivor = k.candidate.id;
    const loser = k.customer.id;
    const res = await as('sys').post(`${API}/customers/review-cases/${k.id}/resolve`, {
      action: 'merge',
      survivor_id: survivor,
      note: 'one hospital',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'merged', merged_into_id: survivor, resolution_note: 'one hospital' });
    const tickets = await c.query(`select id, customer_uuid, customer_name from service_tickets where id in ('RQ-1', 'RQ-2') order by id`);
    expect(tickets.rows.map((r) => r.customer_uuid)).toEqual([survivor, survivor]);
    const l = await c.query('select status, merged_into_id from customers where id = $1', [loser]);
    expect(l.rows[0]).toEqual({ status: 'merged', merged_into_id: survivor });
    expect(Number((await c.query('select count(*) n from customer_sources where customer_id = $1', [loser])).rows[0].n)).toBe(0);
    // The legacy application writing the loser's old copies again lands on the survivor.
    await insertLegacyTickets(c, [{ id: 'RQ-5', customer_name: 'Lakshmi Nursing Home', customer_phone: '+919812345678' }]);
    expect((await c.query(`select customer_uuid from service_tickets where id = 'RQ-5'`)).rows[0].customer_uuid).toBe(survivor);
    const again = await as('sys').post(`${API}/customers/review-cases/${k.id}/resolve`, { action: 'keep_separate' });
    expect(again.statusCode).toBe(409);
  });

  it('keep separate closes the case and changes no ticket; a survivor outside the pair is refused', async () => {
    const k = (await as('sys').get(`${API}/customers/review-cases?kind=same_name_different_phones`)).json().items[0];
    const wrong = await as('sys').post(`${API}/customers/review-cases/${k.id}/resolve`, {
      action: 'merge',
      survivor_id: '00000000-0000-4000-8000-000000000999',
    });
    expect(wrong.statusCode).toBe(400);
    const before = (await c.query(`select id, customer_uuid from service_tickets order by id`)).rows;
    const res = await as('sys').post(`${API}/customers/review-cases/${k.id}/resolve`, { action: 'keep_separate', note: 'two clinics' });
    expect(res.json()).toMatchObject({ status: 'kept_separate', resolved_by: net.user.sys.email });
    expect((await c.query(`select id, customer_uuid from service_tickets order by id`)).rows).toEqual(before);
    expect((await as('sys').get(`${API}/customers/review-cases`)).json().items).toEqual([]);
  });

  it('a merge racing legacy writes of the loser leaves no ticket on the loser', async () => {
    await insertLegacyTickets(c, [
      { id: 'RC-1', customer_name: 'Green Valley Hospital', customer_phone: '9700011111' },
      { id: 'RC-2', customer_name: 'Shanti Maternity Home', customer_phone: '9700011111' },
    ]);
    const k = (await as('sys').get(`${API}/customers/review-cases`)).json().items[0];
    const loser = k.customer.id;
    const writes = Array.from({ length: 12 }, (_, i) =>
      insertLegacyTickets(fresh.db.pool, [{ id: `RC-W${i}`, customer_name: 'Shanti Maternity Home', customer_phone: '9700011111' }]),
    );
    const merge = as('sys').post(`${API}/customers/review-cases/${k.id}/resolve`, { action: 'merge', survivor_id: k.candidate.id });
    await Promise.all([...writes, merge]);
    expect((await merge).statusCode).toBe(200);
    expect(Number((await c.query('select count(*) n from service_tickets where customer_uuid = $1', [loser])).rows[0].n)).toBe(0);
  });
});

describe('contacts API', () => {
  const ids = ['00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000c0002', '00000000-0000-4000-8000-0000000c0003'];

  beforeAll(async () => {
    await c.query(
      `insert into contact_persons (id, org_id, name, email, primary_phone, is_primary) values
        ($1, $4, 'Dr. Rao', 'rao@h1.example', '+919800000011', true),
        ($2, $4, 'Ms. Iyer', 'iyer@h1.example', '+919800000012', false),
        ($3, $4, 'Mr. Khan', 'khan@h1.example', '+919800000013', false)`,
      [...ids, net.org.H1],
    );
  });

  const primaryNow = async () =>
    (await as('hosp').get(`${API}/organizations/${net.org.H1}/contacts`)).json().filter((x: Json) => x.is_primary);

  it('two concurrent "make primary" calls both succeed in turn: one primary at every instant', async () => {
    for (let round = 0; round < 4; round++) {
      const [a, b] = await Promise.all([
        as('hosp').post(`${API}/organizations/${net.org.H1}/contacts/${ids[1]}/make-primary`, { reason: `round ${round} a` }),
        as('hosp').post(`${API}/organizations/${net.org.H1}/contacts/${ids[2]}/make-primary`, { reason: `round ${round} b` }),
      ]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    }
    const history = (await as('hosp').get(`${API}/organizations/${net.org.H1}/contacts/primary-history`)).json() as Json[];
    const ordered = [...history].reverse();
    expect(ordered.filter((p) => p.effective_to === null)).toHaveLength(1);
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]?.effective_from).toBe(ordered[i - 1]?.effective_to);
    expect(await primaryNow()).toHaveLength(1);
    const flags = await c.query('select count(*)::int n from contact_persons where org_id = $1 and is_primary', [net.org.H1]);
    expect(flags.rows[0].n).toBe(1);
  });

  it('"who was the primary contact on D" is right on both sides of a change', async () => {
    const res = await as('hosp').post(`${API}/organizations/${net.org.H1}/contacts/${ids[0]}/make-primary`, {});
    const change = new Date(res.json().effective_from as string);
    const before = (
      await as('hosp').get(`${API}/organizations/${net.org.H1}/contacts?as_of=${new Date(change.getTime() - 1).toISOString()}`)
    ).json();
    // The API shows milliseconds; the period starts within the millisecond after `change`.
    const at = (
      await as('hosp').get(`${API}/organizations/${net.org.H1}/contacts?as_of=${new Date(change.getTime() + 1).toISOString()}`)
    ).json();
    const previous = (await as('hosp').get(`${API}/organizations/${net.org.H1}/contacts/primary-history`)).json()[1].contact_id;
    expect(before.filter((x: Json) => x.is_primary).map((x: Json) => x.id)).toEqual([previous]);
    expect(at.filter((x: Json) => x.is_primary).map((x: Json) => x.id)).toEqual([ids[0]]);
    expect(previous).not.toBe(ids[0]);
  });

  it("refuses a contact of another organization (422), another organization's caller (403), and a bad as_of (400)", async () => {
    const other = await as('hosp').post(
      `${API}/organizations/${net.org.H1}/contacts/00000000-0000-4000-8000-000000000999/make-primary`,
      {},
    );
    expect(other.statusCode).toBe(422);
    const stranger = await as('dealer').post(`${API}/organizations/${net.org.H1}/contacts/${ids[1]}/make-primary`, {});
    expect([403, 404]).toContain(stranger.statusCode);
    expect((await as('hosp').get(`${API}/organizations/${net.org.H1}/contacts?as_of=2025-02-30`)).statusCode).toBe(400);
  });
});
