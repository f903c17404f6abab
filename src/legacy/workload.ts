import type pg from 'pg';
import { type OpContext, ownedBy, type Share, type Workload, type WorkloadOp } from '../zero-downtime/workload.ts';
import { registerEquipment } from './equipment.ts';
import { documentNumber, ksuid, qrCode, rfqId, ticketNumber } from './ids.ts';
import {
  editCoverage,
  flipPrimaryContact,
  overwriteRelationshipTerms,
  reassignTerritory,
  renewCertification,
  upsertPriceRule,
} from './master-data.ts';
import { createQuote, createRfq } from './procurement.ts';
import { screens } from './screens.ts';
import { addComment, assignEngineer, changeStatus, createTicket, type EquipmentCopy } from './tickets.ts';

/**
 * The legacy application as a workload: its writes and its screens' reads, picked at random by
 * weight against the rows of the worker's own slice (writes) or any row (reads and references).
 */
interface LegacyState {
  tag: string;
  counter: number;
  tickets: Map<string, string>; // id → status, for this worker's tickets
  equipment: EquipmentCopy[];
  engineers: Array<{ id: string; full_name: string }>;
  ownEngineers: string[];
  relationships: string[];
  contacts: Array<{ org_id: string; ids: string[] }>;
  certifications: string[];
  territories: string[];
  pricePairs: Array<{ book_id: string; sku_id: string }>;
  orgs: string[];
  facilities: Array<{ id: string; org_id: string; org_name: string; external_ref: string | null }>;
  rfqs: string[];
  skus: Array<{ id: string; product_id: string; name: string | null }>;
  pincodes: string[];
  cities: string[];
}

const rows = async <T>(db: pg.ClientBase, sql: string): Promise<T[]> => (await db.query(sql)).rows as T[];

async function prepare(db: pg.ClientBase, share: Share): Promise<LegacyState> {
  const own = (expr: string) => ownedBy(share, expr);
  const tickets = await rows<{ id: string; status: string }>(
    db,
    `select id, status from service_tickets where ${own('id')} and status not in ('closed', 'cancelled') order by id limit 400`,
  );
  return {
    tag: `${share.index.toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    counter: 0,
    tickets: new Map(tickets.map((t) => [t.id, t.status])),
    equipment: await rows(
      db,
      'select id, qr_code, serial_number, equipment_name, customer_id, customer_name from equipment order by id limit 300',
    ),
    engineers: await rows(db, `select id::text, full_name from engineers where status <> 'inactive' order by id limit 300`),
    ownEngineers: (await rows<{ id: string }>(db, `select id::text from engineers where ${own('id')} order by id limit 100`)).map(
      (r) => r.id,
    ),
    relationships: (await rows<{ id: string }>(db, `select id::text from org_relationships where ${own('id')} order by id limit 100`)).map(
      (r) => r.id,
    ),
    contacts: await rows(
      db,
      `select org_id::text, array_agg(id::text order by id) as ids from contact_persons where ${own('org_id')}
        group by org_id having count(*) > 1 order by org_id limit 100`,
    ),
    certifications: (
      await rows<{ id: string }>(db, `select id::text from organization_certifications where ${own('id')} order by id limit 100`)
    ).map((r) => r.id),
    territories: (await rows<{ id: string }>(db, `select id::text from territories where ${own('id')} order by id limit 100`)).map(
      (r) => r.id,
    ),
    pricePairs: await rows(
      db,
      `select b.id::text as book_id, s.id::text as sku_id from price_books b cross join (select id from skus order by id limit 60) s
        where ${own(`b.id::text || s.id::text`)} order by 1, 2 limit 200`,
    ),
    orgs: (await rows<{ id: string }>(db, 'select id::text from organizations order by id limit 300')).map((r) => r.id),
    facilities: await rows(
      db,
      'select f.id::text, f.org_id::text, o.name as org_name, o.external_ref from organization_facilities f join organizations o on o.id = f.org_id order by f.id limit 300',
    ),
    rfqs: (await rows<{ id: string }>(db, 'select id from rfqs order by id limit 200')).map((r) => r.id),
    skus: await rows(db, 'select id::text, product_id::text, name from skus order by id limit 200'),
    pincodes: (await rows<{ p: string }>(db, 'select distinct unnest(coverage_pincodes) as p from engineers order by 1 limit 200')).map(
      (r) => r.p,
    ),
    cities: (await rows<{ c: string }>(db, 'select distinct unnest(coverage_cities) as c from engineers order by 1 limit 50')).map(
      (r) => r.c,
    ),
  };
}

const pick = <T>(ctx: OpContext, list: readonly T[]): T | undefined => list[Math.floor(ctx.rng() * list.length)];
const st = (ctx: OpContext) => ctx.state as unknown as LegacyState;
const ackAll = (ctx: OpContext, acks: Awaited<ReturnType<typeof createTicket>>) => {
  for (const a of acks) ctx.ack(a);
  return true;
};
const ticketsIn = (s: LegacyState, statuses: string[]) =>
  [...s.tickets].filter(([, status]) => statuses.includes(status)).map(([id]) => id);
const money = (ctx: OpContext, lo: number, hi: number) => (lo + ctx.rng() * (hi - lo)).toFixed(2);

const NEXT: Record<string, Array<'in_progress' | 'on_hold' | 'resolved' | 'closed'>> = {
  assigned: ['in_progress'],
  in_progress: ['resolved', 'on_hold'],
  on_hold: ['in_progress'],
  resolved: ['closed'],
};

const writes: WorkloadOp[] = [
  {
    name: 'create_ticket',
    kind: 'write',
    weight: 3,
    async run(ctx) {
      const s = st(ctx);
      const equipment = pick(ctx, s.equipment);
      if (!equipment) return false;
      const id = ksuid();
      const priority = pick(ctx, ['critical', 'high', 'medium', 'low'] as const) ?? 'medium';
      const acks = await createTicket(ctx.db, {
        id,
        ticketNumber: ticketNumber(s.tag, ++s.counter),
        equipment,
        customerPhone: `+91-98${String(Math.floor(ctx.rng() * 1e8)).padStart(8, '0')}`,
        issueCategory: pick(ctx, ['breakdown', 'calibration', 'noise', 'display', 'power']) ?? 'breakdown',
        issueDescription: `Reported by legacy app session ${s.tag}`,
        priority,
        source: pick(ctx, ['whatsapp', 'web', 'phone', 'email'] as const) ?? 'web',
        createdBy: 'legacy-app',
      });
      s.tickets.set(id, 'new');
      return ackAll(ctx, acks);
    },
  },
  {
    name: 'assign_engineer',
    kind: 'write',
    weight: 3,
    async run(ctx) {
      const s = st(ctx);
      const ticketId = pick(ctx, ticketsIn(s, ['new', 'assigned']));
      const engineer = pick(ctx, s.engineers);
      if (!ticketId || !engineer) return false;
      const from = s.tickets.get(ticketId) as string;
      const acks = await assignEngineer(ctx.db, {
        ticketId,
        engineer,
        tier: 1 + Math.floor(ctx.rng() * 5),
        fromStatus: from,
        by: 'dispatcher',
      });
      s.tickets.set(ticketId, 'assigned');
      return ackAll(ctx, acks);
    },
  },
  {
    name: 'change_status',
    kind: 'write',
    weight: 4,
    async run(ctx) {
      const s = st(ctx);
      const ticketId = pick(ctx, ticketsIn(s, Object.keys(NEXT)));
      if (!ticketId) return false;
      const from = s.tickets.get(ticketId) as string;
      const to = pick(ctx, NEXT[from] ?? []);
      if (!to) return false;
      const acks = await changeStatus(ctx.db, {
        ticketId,
        from,
        to,
        by: 'engineer',
        notes: to === 'resolved' ? 'replaced fuse' : undefined,
      });
      if (to === 'closed') s.tickets.delete(ticketId);
      else s.tickets.set(ticketId, to);
      return ackAll(ctx, acks);
    },
  },
  {
    name: 'add_comment',
    kind: 'write',
    weight: 2,
    async run(ctx) {
      const s = st(ctx);
      const ticketId = pick(ctx, [...s.tickets.keys()]);
      if (!ticketId) return false;
      return ackAll(ctx, await addComment(ctx.db, ticketId, 'engineer', 'Field engineer', 'Checked the unit on site'));
    },
  },
  {
    name: 'register_equipment',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const s = st(ctx);
      const owner = pick(ctx, s.facilities);
      const n = ++s.counter;
      const acks = await registerEquipment(ctx.db, {
        qrCode: qrCode(s.tag, n),
        serialNumber: `SN-${s.tag}-${n}`,
        name: 'Patient Monitor',
        manufacturerName: 'Philips',
        model: 'IntelliVue MX450',
        category: 'patient_monitoring',
        // The old app copied the owner's legacy customer code and name (varchar(32): never the uuid).
        customer: { id: owner?.external_ref ?? null, name: owner?.org_name ?? 'Walk-in customer' },
        manufacturerOrgId: pick(ctx, s.orgs) ?? null,
        soldByDealerId: pick(ctx, s.orgs) ?? null,
        ownedByOrgId: owner?.org_id ?? null,
        installedFacilityId: owner?.id ?? null,
        location: 'ICU, 2nd floor',
        purchasePrice: money(ctx, 100000, 2500000),
        warrantyMonths: 24,
      });
      const id = acks[0]?.key.id;
      if (id) {
        const e = acks[0]?.values as Record<string, string | null>;
        s.equipment.push({
          id,
          qr_code: e.qr_code ?? null,
          serial_number: e.serial_number as string,
          equipment_name: e.equipment_name ?? null,
          customer_id: e.customer_id ?? null,
          customer_name: e.customer_name ?? null,
        });
      }
      return ackAll(ctx, acks);
    },
  },
  {
    name: 'create_rfq',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const s = st(ctx);
      const id = rfqId();
      const items = [0, 1, 2].map((i) => {
        const sku = pick(ctx, s.skus);
        return {
          line: i + 1,
          ...(sku ? { product_id: sku.product_id, sku_id: sku.id } : {}),
          name: sku?.name ?? 'Infusion pump',
          quantity: 1 + Math.floor(ctx.rng() * 10),
          unit: 'unit',
        };
      });
      const acks = await createRfq(ctx.db, {
        id,
        number: documentNumber('RFQ', s.tag, ++s.counter),
        orgId: pick(ctx, s.orgs) ?? null,
        title: 'Annual equipment purchase',
        items,
        by: 'procurement',
      });
      s.rfqs.push(id);
      return ackAll(ctx, acks);
    },
  },
  {
    name: 'create_quote',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const s = st(ctx);
      const rfq = pick(ctx, s.rfqs);
      if (!rfq) return false;
      const lines = [1, 2].map((line) => {
        const quantity = 1 + Math.floor(ctx.rng() * 5);
        const unit = Number(money(ctx, 5000, 500000));
        return {
          rfq_line: line,
          name: 'Quoted item',
          quantity,
          unit_price: unit,
          tax_amount: Math.round(unit * quantity * 0.12),
          total_price: Math.round(unit * quantity * 1.12),
        };
      });
      return ackAll(
        ctx,
        await createQuote(ctx.db, {
          id: ksuid(),
          number: documentNumber('QT', s.tag, ++s.counter),
          rfqId: rfq,
          supplierOrgId: pick(ctx, s.orgs) ?? null,
          lines,
        }),
      );
    },
  },
  {
    name: 'upsert_price_rule',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const pair = pick(ctx, st(ctx).pricePairs);
      if (!pair) return false;
      return ackAll(ctx, await upsertPriceRule(ctx.db, pair.book_id, pair.sku_id, money(ctx, 1000, 900000)));
    },
  },
  {
    name: 'overwrite_relationship_terms',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const id = pick(ctx, st(ctx).relationships);
      if (!id) return false;
      const tier = pick(ctx, ['bronze', 'silver', 'gold', 'platinum'] as const) ?? 'silver';
      return ackAll(
        ctx,
        await overwriteRelationshipTerms(ctx.db, id, {
          commission: money(ctx, 2, 15),
          creditLimit: money(ctx, 1e5, 5e7),
          annualTarget: money(ctx, 1e6, 1e8),
          tier,
          paymentDays: 30,
        }),
      );
    },
  },
  {
    name: 'edit_coverage',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const s = st(ctx);
      const id = pick(ctx, s.ownEngineers);
      if (!id) return false;
      const pincodes = [pick(ctx, s.pincodes), pick(ctx, s.pincodes)].filter((p): p is string => Boolean(p));
      const cities = [pick(ctx, s.cities)].filter((c): c is string => Boolean(c));
      return ackAll(ctx, await editCoverage(ctx.db, id, { pincodes, cities, states: ['Tamil Nadu'] }));
    },
  },
  {
    name: 'flip_primary_contact',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const org = pick(ctx, st(ctx).contacts);
      const contact = org && pick(ctx, org.ids);
      if (!org || !contact) return false;
      return ackAll(ctx, await flipPrimaryContact(ctx.db, org.org_id, contact));
    },
  },
  {
    name: 'renew_certification',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const s = st(ctx);
      const id = pick(ctx, s.certifications);
      if (!id) return false;
      return ackAll(ctx, await renewCertification(ctx.db, id, documentNumber('CERT', s.tag, ++s.counter), 3));
    },
  },
  {
    name: 'reassign_territory',
    kind: 'write',
    weight: 1,
    async run(ctx) {
      const s = st(ctx);
      const id = pick(ctx, s.territories);
      const facility = pick(ctx, s.facilities);
      if (!id || !facility) return false;
      return ackAll(ctx, await reassignTerritory(ctx.db, id, facility.org_id, facility.id));
    },
  },
];

const reads: WorkloadOp[] = (
  [
    {
      name: 'ticket_queue',
      weight: 4,
      run: async (ctx) => void (await screens.ticketQueue(ctx.db, pick(ctx, ['new', 'assigned', 'in_progress']) ?? 'new')),
    },
    {
      name: 'ticket_detail',
      weight: 4,
      run: async (ctx) => {
        const id = pick(ctx, [...st(ctx).tickets.keys()]);
        if (!id) return false;
        await screens.ticketDetail(ctx.db, id);
      },
    },
    {
      name: 'equipment_by_qr',
      weight: 2,
      run: async (ctx) => {
        const e = pick(ctx, st(ctx).equipment);
        if (!e?.qr_code) return false;
        await screens.equipmentByQr(ctx.db, e.qr_code);
      },
    },
    {
      name: 'engineers_for_pincode',
      weight: 2,
      run: async (ctx) => void (await screens.engineersForPincode(ctx.db, pick(ctx, st(ctx).pincodes) ?? '600001')),
    },
    {
      name: 'rfq_with_quotes',
      weight: 1,
      run: async (ctx) => {
        const id = pick(ctx, st(ctx).rfqs);
        if (!id) return false;
        await screens.rfqWithQuotes(ctx.db, id);
      },
    },
    {
      name: 'price_of',
      weight: 1,
      run: async (ctx) => {
        const sku = pick(ctx, st(ctx).skus);
        if (!sku) return false;
        await screens.priceOf(ctx.db, sku.id);
      },
    },
    {
      name: 'partners_of',
      weight: 1,
      run: async (ctx) => {
        const org = pick(ctx, st(ctx).orgs);
        if (!org) return false;
        await screens.partnersOf(ctx.db, org);
      },
    },
    {
      name: 'territory_owner_of',
      weight: 1,
      run: async (ctx) => void (await screens.territoryOwnerOf(ctx.db, pick(ctx, st(ctx).pincodes) ?? '600001')),
    },
    {
      name: 'primary_contact_of',
      weight: 1,
      run: async (ctx) => {
        const org = pick(ctx, st(ctx).orgs);
        if (!org) return false;
        await screens.primaryContactOf(ctx.db, org);
      },
    },
    { name: 'expiring_certifications', weight: 1, run: async (ctx) => void (await screens.expiringCertifications(ctx.db, 90)) },
  ] satisfies Array<Omit<WorkloadOp, 'kind'>>
).map((op) => ({ ...op, kind: 'read' as const }));

export const legacyWorkload: Workload = {
  name: 'legacy',
  from: 1,
  // The old application is retired before any contract step: that is what makes a contract legal.
  until: 'contract',
  prepare: async (db, share) => (await prepare(db, share)) as unknown as Record<string, unknown>,
  ops: [...writes, ...reads],
};
