import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { useFreshDatabase } from '../support/database.ts';
import { buildNetwork, client, type Network } from '../support/network.ts';
import { t13MigrationsDir } from './support.ts';

/**
 * The procurement HTTP surface during the transition (expand applied, JSONB still there): an RFQ
 * and its quotes through the workflow, totals checked, a quote line that cannot point to another
 * RFQ's line, comparison by the original's weights, the three questions, tenancy, and every write
 * mirrored into the legacy JSONB.
 */
const fresh = useFreshDatabase('none');
let app: FastifyInstance;
let net: Network;
const product = { ecg: '', vent: '' };
let ventSku = '';

beforeAll(async () => {
  const dir = await t13MigrationsDir();
  await fresh.db.runner({ dir }).up({ beforeContract: true });
  net = await buildNetwork(fresh.db);
  const { rows } = await fresh.db.pool.query<{ id: string; name: string }>(
    `insert into products (name, category, manufacturer_org_id) values ('ECG Machine Pro', 'cardiology', $1), ('Ventilator Max', 'critical_care', $1)
     returning id, name`,
    [net.org.M1],
  );
  product.ecg = rows.find((r) => r.name === 'ECG Machine Pro')?.id as string;
  product.vent = rows.find((r) => r.name === 'Ventilator Max')?.id as string;
  ventSku = (
    await fresh.db.pool.query(
      `insert into skus (product_id, sku_code, name) values ($1, 'SKU-VENT-1', 'Ventilator Max ICU') returning id`,
      [product.vent],
    )
  ).rows[0].id;
  app = await buildApp({ database: fresh.db, logRequests: false, serveConsole: false });
});
afterAll(async () => app?.close());

const as = (key: keyof Network['user']) => {
  const c = client(app, net.user[key].token);
  const headers = { authorization: `Bearer ${net.user[key].token}` };
  return { ...c, delete: (url: string) => app.inject({ method: 'DELETE', url, headers }) };
};
const jsonb = async (sql: string, id: string) => (await fresh.db.pool.query(sql, [id])).rows[0]?.v;

describe('RFQ → quotes → award', () => {
  let rfq: { id: string; items: { id: string; line_number: number }[] };
  let otherRfqLine: string;
  let quoteD1: string;
  let quoteK1: string;

  it('a hospital creates a draft RFQ; its lines are rows and appear in the legacy JSONB', async () => {
    const res = await as('hosp').post('/api/v1/rfq', {
      title: 'ICU refresh 2026',
      items: [
        { product_id: product.ecg, name: 'ECG machine', quantity: 2, unit: 'piece', required_by_date: '2026-06-30' },
        { product_id: product.vent, sku_id: ventSku, name: 'Ventilator', quantity: 1, specifications: { mode: 'invasive' } },
      ],
    });
    expect(res.statusCode).toBe(201);
    rfq = res.json();
    expect(rfq).toMatchObject({ status: 'draft', requesting_org_id: net.org.H1 });
    expect(rfq.items.map((i) => i.line_number)).toEqual([1, 2]);
    // Each mirrored element carries its row id (written by the new application, not derived from the JSONB).
    expect(await jsonb(`select items as v from rfqs where id = $1`, rfq.id)).toEqual([
      {
        id: rfq.items[0]?.id,
        line: 1,
        product_id: product.ecg,
        name: 'ECG machine',
        quantity: 2,
        unit: 'piece',
        required_by: '2026-06-30',
      },
      {
        id: rfq.items[1]?.id,
        line: 2,
        product_id: product.vent,
        sku_id: ventSku,
        name: 'Ventilator',
        quantity: 1,
        specifications: { mode: 'invasive' },
      },
    ]);
  });

  it('lines change only in draft; a draft is invisible outside the network, a published RFQ is visible', async () => {
    const add = await as('hosp').post(`/api/v1/rfq/${rfq.id}/items`, { name: 'Infusion pump', quantity: 4 });
    expect(add.statusCode).toBe(201);
    expect(add.json().line_number).toBe(3);
    expect((await as('hosp').delete(`/api/v1/rfq/${rfq.id}/items/${add.json().id}`)).statusCode).toBe(204);
    expect((await as('hosp2').get(`/api/v1/rfq/${rfq.id}`)).statusCode).toBe(404);
    expect((await as('dist').post(`/api/v1/rfq/${rfq.id}/publish`)).statusCode).toBe(403);
    const pub = await as('hosp').post(`/api/v1/rfq/${rfq.id}/publish`);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().status).toBe('published');
    expect((await as('hosp2').get(`/api/v1/rfq/${rfq.id}`)).statusCode).toBe(200);
    expect((await as('hosp').post(`/api/v1/rfq/${rfq.id}/items`, { name: 'late', quantity: 1 })).statusCode).toBe(409);
    const other = await as('hosp2').post('/api/v1/rfq', { title: 'Another hospital RFQ', items: [{ name: 'Monitor', quantity: 1 }] });
    otherRfqLine = other.json().items[0].id;
  });

  it('a supplier quotes: totals computed, a wrong total is 422, another RFQ’s line is rejected', async () => {
    const line = (n: number) => rfq.items[n - 1]?.id;
    const wrong = await as('dist').post('/api/v1/quotes', {
      rfq_id: rfq.id,
      items: [{ rfq_line: 1, name: 'ECG', quantity: 2, unit_price: '125000.00', tax_amount: '45000.00', total_price: '250000.00' }],
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({ code: 'check_violation', details: { expected: '295000.00' } });
    const foreign = await as('dist').post('/api/v1/quotes', {
      rfq_id: rfq.id,
      items: [{ rfq_item_id: otherRfqLine, name: 'Monitor', quantity: 1, unit_price: '1000' }],
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('foreign_key_violation');
    const ok = await as('dist').post('/api/v1/quotes', {
      rfq_id: rfq.id,
      items: [
        {
          rfq_line: 1,
          product_id: product.ecg,
          name: 'ECG',
          quantity: 2,
          unit_price: '125000.00',
          tax_amount: '45000.00',
          total_price: '295000',
        },
        {
          rfq_item_id: line(2),
          product_id: product.vent,
          name: 'Vent',
          quantity: 1,
          unit_price: '850000',
          discount_percentage: '5',
          tax_amount: '145350',
          lead_time_days: 21,
        },
      ],
    });
    expect(ok.statusCode).toBe(201);
    const q = ok.json();
    quoteD1 = q.id;
    expect(q.items.map((i: { total_price: string }) => i.total_price)).toEqual(['295000.00', '952850.00']);
    expect(q.total_amount).toBe('1247850.00');
    const mirrored = await jsonb(`select line_items as v from quotes where id = $1`, quoteD1);
    expect(mirrored[1]).toMatchObject({ rfq_line: 2, total_price: 952850, discount_percentage: 5, lead_time_days: 21 });
  });

  it('walks the quote workflow with the right party at each step', async () => {
    expect((await as('dist').post(`/api/v1/quotes/${quoteD1}/accept`)).statusCode).toBe(403);
    expect((await as('dist').post(`/api/v1/quotes/${quoteD1}/submit`)).json().status).toBe('submitted');
    expect((await as('hosp').post(`/api/v1/quotes/${quoteD1}/under-review`)).json().status).toBe('under_review');
    const k = await as('dealer').post('/api/v1/quotes', {
      rfq_id: rfq.id,
      items: [
        { rfq_line: 1, name: 'ECG', quantity: 2, unit_price: '110000', tax_amount: '39600', lead_time_days: 10 },
        { rfq_line: 2, name: 'Vent', quantity: 1, unit_price: '900000', tax_amount: '162000', lead_time_days: 30 },
      ],
    });
    quoteK1 = k.json().id;
    expect((await as('dealer').post(`/api/v1/quotes/${quoteK1}/submit`)).statusCode).toBe(200);
    const list = await as('hosp').get(`/api/v1/rfqs/${rfq.id}/quotes`);
    expect(
      list
        .json()
        .items.map((x: { id: string }) => x.id)
        .sort(),
    ).toEqual([quoteD1, quoteK1].sort());
    // A supplier sees its own quote only.
    expect((await as('dealer').get(`/api/v1/quotes/${quoteD1}`)).statusCode).toBe(404);
  });

  it('compares by price 40, quality 30, delivery 20, compliance 10', async () => {
    const res = await as('hosp').post(`/api/v1/rfq/${rfq.id}/compare`, {
      reviewer_scores: { [quoteD1]: { quality: 90, compliance: 100 }, [quoteK1]: { quality: 60, compliance: 80 } },
    });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.weights).toEqual({ price: 40, quality: 30, delivery: 20, compliance: 10 });
    const d1 = c.quotes.find((q: { quote_id: string }) => q.quote_id === quoteD1);
    const k1 = c.quotes.find((q: { quote_id: string }) => q.quote_id === quoteK1);
    // D1 is cheaper (1,247,850 against 1,321,600) and faster (its longest lead time 21 days against 30).
    expect(d1.scores.price).toBe(100);
    expect(k1.scores.price).toBeCloseTo((100 * 1247850) / 1321600, 2);
    expect(d1.scores.delivery).toBe(100);
    expect(k1.scores.delivery).toBeCloseTo((100 * 22) / 31, 2);
    expect(d1.weighted).toBeCloseTo((100 * 40 + 90 * 30 + 100 * 20 + 100 * 10) / 100, 2);
    expect(d1.rank).toBe(1);
    expect(d1.lines_covered).toBe(2);
    const bad = await as('hosp').post(`/api/v1/rfq/${rfq.id}/compare`, { weights: { price: 50 } });
    expect(bad.statusCode).toBe(400);
  });

  it('awards the RFQ: the winner accepted, the other rejected; final states only expire', async () => {
    const res = await as('hosp').post(`/api/v1/rfq/${rfq.id}/award`, { quote_id: quoteD1 });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('awarded');
    expect((await as('dist').get(`/api/v1/quotes/${quoteD1}`)).json().status).toBe('accepted');
    expect((await as('dealer').get(`/api/v1/quotes/${quoteK1}`)).json().status).toBe('rejected');
    const withdraw = await as('dist').post(`/api/v1/quotes/${quoteD1}/withdraw`);
    expect(withdraw.statusCode).toBe(409);
    expect(withdraw.json().error.code).toBe('invalid_transition');
    // The database holds the rule for every writer, the legacy application included.
    await expect(fresh.db.pool.query(`update quotes set status = 'submitted' where id = $1`, [quoteD1])).rejects.toMatchObject({
      code: '23514',
    });
    expect((await as('dealer').post(`/api/v1/quotes/${quoteK1}/expire`)).json().status).toBe('expired');
  });

  it('answers the review’s questions: RFQs for a product, average quoted price, demand by category', async () => {
    const forVent = await as('hosp').get(`/api/v1/products/${product.vent}/rfqs`);
    expect(forVent.json().items).toEqual([expect.objectContaining({ rfq_id: rfq.id, lines: 1, quantity: 1, status: 'awarded' })]);
    const prices = (await as('hosp').get('/api/v1/procurement/average-quoted-prices')).json().items;
    const ecg = prices.find((p: { product_id: string }) => p.product_id === product.ecg);
    expect(ecg).toMatchObject({ quote_lines: 1, average_unit_price: '125000.00' });
    const demand = (await as('hosp').get('/api/v1/procurement/demand-by-category')).json().items;
    expect(demand).toEqual(
      expect.arrayContaining([
        { category: 'cardiology', rfqs: 1, lines: 1, quantity: 2 },
        { category: 'critical_care', rfqs: 1, lines: 1, quantity: 1 },
      ]),
    );
  });

  it('keeps the legacy JSONB and the rows in step after all of it', async () => {
    expect((await fresh.db.pool.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });
});
