import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.ts';
import { changeServiceProvider } from '../../src/equipment/change-service-provider.ts';
import {
  facilityEquipmentAsOf,
  organizationEquipmentAsOf,
  partiesAsOf,
  relationshipHistory,
  supplyChain,
} from '../../src/equipment/relationship-queries.ts';
import { relocateEquipment } from '../../src/equipment/relocate-equipment.ts';
import { type TransferOwnershipOptions, transferOwnership } from '../../src/equipment/transfer-ownership.ts';
import type { AppError } from '../../src/errors.ts';
import { useFreshDatabase } from '../support/database.ts';
import { createFacility, createOrg, drift, isChain, periods, registerLegacyEquipment } from './fixtures.ts';

/**
 * T1.4 operations and reads: each change closes one period and opens the next at the same instant,
 * records who, why and the document, and keeps the legacy columns in step; as-of answers are right
 * just before, at and after every boundary.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture, not a React hook
const t = useFreshDatabase('before-contract');

const ms = (iso: string, delta = 0) => new Date(new Date(iso).getTime() + delta);
const transfer = (o: Omit<TransferOwnershipOptions, 'actor'> & { actor?: string }) =>
  inTransaction(t.db.db, (tx) => transferOwnership(tx, { actor: 'user-test', ...o }));
const ownerAt = async (equipmentId: string, at: Date) =>
  (await inTransaction(t.db.db, (tx) => partiesAsOf(tx, equipmentId, at))).find((p) => p.relationship_type === 'owned_by')
    ?.organization_id ?? null;
const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected an error');
};

describe('transfer ownership', () => {
  it('two sales on the same day work, and as-of is right just before, at and after each boundary', async () => {
    const a = await createOrg(t.db.pool, 'Apollo Greams Road');
    const b = await createOrg(t.db.pool, 'MIOT Chennai');
    const c = await createOrg(t.db.pool, 'Kauvery Trichy');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installation_date: '2024-01-01' });
    const t1 = '2024-03-10T04:00:00.000Z';
    const t2 = '2024-03-10T09:30:00.000Z';
    const sale = await transfer({
      equipmentId: eq,
      kind: 'sale',
      toOrganizationId: b,
      at: ms(t1),
      amount: '1250000.00',
      reason: 'resale',
      documentUrl: 'https://docs.example/inv-1.pdf',
    });
    expect(sale.closed?.valid_to?.toISOString()).toBe(t1);
    expect(sale.opened.valid_from.toISOString()).toBe(t1);
    expect(sale.opened).toMatchObject({
      transfer_type: 'sale',
      amount: '1250000.00',
      currency: 'INR',
      created_by: 'user-test',
      transfer_reason: 'resale',
    });
    await transfer({ equipmentId: eq, kind: 'transfer', toOrganizationId: c, at: ms(t2), reason: 'donated' });

    const start = '2023-12-31T18:30:00.000Z'; // 2024-01-01 midnight IST
    expect(await ownerAt(eq, ms(start, -1))).toBeNull();
    expect(await ownerAt(eq, ms(start))).toBe(a);
    expect(await ownerAt(eq, ms(t1, -1))).toBe(a);
    expect(await ownerAt(eq, ms(t1))).toBe(b);
    expect(await ownerAt(eq, ms(t1, 1))).toBe(b);
    expect(await ownerAt(eq, ms(t2, -1))).toBe(b);
    expect(await ownerAt(eq, ms(t2))).toBe(c);
    expect(await ownerAt(eq, new Date())).toBe(c);

    // reverse: what did each org own, just before / at the boundary
    const owned = async (org: string, at: Date) =>
      (await inTransaction(t.db.db, (tx) => organizationEquipmentAsOf(tx, org, at))).map((p) => p.equipment_id);
    expect(await owned(a, ms(t1, -1))).toEqual([eq]);
    expect(await owned(a, ms(t1))).toEqual([]);
    expect(await owned(b, ms(t1))).toEqual([eq]);
    expect(await owned(b, ms(t2))).toEqual([]);

    const history = await inTransaction(t.db.db, (tx) => relationshipHistory(tx, eq, 'owned_by'));
    expect(history.map((p) => p.organization_name)).toEqual(['Apollo Greams Road', 'MIOT Chennai', 'Kauvery Trichy']);
    expect(isChain(await periods(t.db.pool, eq, 'owned_by'))).toBe(true);
    // the legacy column follows the new API
    const { rows } = await t.db.pool.query('select owned_by_org_id from equipment where id = $1', [eq]);
    expect(rows[0].owned_by_org_id).toBe(c);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });

  it('a lease runs until its end by itself and leaves the owner in place', async () => {
    const owner = await createOrg(t.db.pool, 'GE Capital Leasing', 'other');
    const lessee = await createOrg(t.db.pool, 'Sparsh Bengaluru');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: owner, installation_date: '2023-01-01' });
    const from = '2024-04-01T00:00:00.000Z';
    const end = '2025-04-01T00:00:00.000Z';
    await transfer({ equipmentId: eq, kind: 'lease', toOrganizationId: lessee, at: ms(from), leaseEndsAt: ms(end), amount: '45000.00' });
    const leaseAt = async (at: Date) =>
      (await inTransaction(t.db.db, (tx) => partiesAsOf(tx, eq, at))).find((p) => p.relationship_type === 'leased_to')?.organization_id ??
      null;
    expect(await leaseAt(ms(from, -1))).toBeNull();
    expect(await leaseAt(ms(from))).toBe(lessee);
    expect(await leaseAt(ms(end, -1))).toBe(lessee);
    expect(await leaseAt(ms(end))).toBeNull();
    expect(await ownerAt(eq, ms(from, 1))).toBe(owner);
    const e = await errorOf(transfer({ equipmentId: eq, kind: 'lease', toOrganizationId: lessee }));
    expect(e.code).toBe('validation_failed');
  });

  it('refuses a future instant, a change before the current period, and a transfer to the current owner', async () => {
    const a = await createOrg(t.db.pool, 'Amrita Kochi');
    const b = await createOrg(t.db.pool, 'Lakeshore Kochi');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installation_date: '2024-01-01' });
    expect(
      (await errorOf(transfer({ equipmentId: eq, kind: 'sale', toOrganizationId: b, at: new Date(Date.now() + 86_400_000) }))).code,
    ).toBe('validation_failed');
    expect((await errorOf(transfer({ equipmentId: eq, kind: 'sale', toOrganizationId: b, at: ms('2023-06-01T00:00:00Z') }))).status).toBe(
      409,
    );
    expect((await errorOf(transfer({ equipmentId: eq, kind: 'transfer', toOrganizationId: a }))).status).toBe(409);
    expect((await errorOf(transfer({ equipmentId: 'EQ-NOPE', kind: 'transfer', toOrganizationId: a }))).status).toBe(404);
    expect(
      (await errorOf(transfer({ equipmentId: eq, kind: 'transfer', toOrganizationId: '00000000-0000-4000-8000-000000000000' }))).status,
    ).toBe(422);
    expect(await periods(t.db.pool, eq, 'owned_by')).toHaveLength(1);
  });
});

describe('concurrent transfers of one device', () => {
  it('two transfers that both saw the same owner: one wins, the other gets 409; history stays a chain', async () => {
    const a = await createOrg(t.db.pool, 'Hosmat Bengaluru');
    const b = await createOrg(t.db.pool, 'Columbia Asia Hebbal');
    const c = await createOrg(t.db.pool, 'Aster CMI');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installation_date: '2022-02-02' });
    for (let round = 0; round < 5; round++) {
      const [current] = await periods(t.db.pool, eq, 'owned_by').then((l) => l.filter((p) => p.valid_to === null));
      const holder = current?.organization_id;
      const targets = [a, b, c].filter((o) => o !== holder);
      const results = await Promise.allSettled(
        targets.map((to) => transfer({ equipmentId: eq, kind: 'sale', toOrganizationId: to, expectedCurrentId: current?.id ?? null })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(((rejected[0] as PromiseRejectedResult).reason as AppError).status).toBe(409);
    }
    const list = await periods(t.db.pool, eq, 'owned_by');
    expect(list).toHaveLength(6);
    expect(isChain(list)).toBe(true);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });

  it('a transfer held open blocks the other, which then sees the period changed (409)', async () => {
    const a = await createOrg(t.db.pool, 'Rainbow Hyderabad');
    const b = await createOrg(t.db.pool, 'Continental Hyderabad');
    const c = await createOrg(t.db.pool, 'Star Hyderabad');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installation_date: '2022-02-02' });
    const [current] = await periods(t.db.pool, eq, 'owned_by');
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let firstDone!: () => void;
    const firstWrote = new Promise<void>((r) => {
      firstDone = r;
    });
    const first = inTransaction(t.db.db, async (tx) => {
      const change = await transferOwnership(tx, {
        equipmentId: eq,
        kind: 'sale',
        toOrganizationId: b,
        actor: 'u1',
        expectedCurrentId: current?.id,
      });
      firstDone();
      await held; // keep the lock until the second has queued behind it
      return change;
    });
    await firstWrote;
    // errorOf at once: the second may reject while the first is awaited, and an unobserved rejection is an error
    const secondError = errorOf(transfer({ equipmentId: eq, kind: 'sale', toOrganizationId: c, expectedCurrentId: current?.id }));
    // the second waits on the equipment row lock; wait until the server shows it waiting
    for (let i = 0; i < 200; i++) {
      const { rows } = await t.db.pool.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    release();
    await expect(first).resolves.toBeDefined();
    const e = await secondError;
    expect(e.status).toBe(409);
    expect(e.details.current_id).toBeDefined();
    const list = await periods(t.db.pool, eq, 'owned_by');
    expect(list.map((p) => p.organization_id)).toEqual([a, b]);
    expect(isChain(list)).toBe(true);
  });

  it('without a precondition concurrent transfers run one after the other, gap- and overlap-free', async () => {
    const orgs = await Promise.all(
      ['Sahyadri Pune', 'Jehangir Pune', 'Ruby Hall Pune', 'Deenanath Pune'].map((n) => createOrg(t.db.pool, n)),
    );
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: orgs[0], installation_date: '2022-02-02' });
    const results = await Promise.allSettled(
      [1, 2, 3, 1, 2, 3].map((i) => transfer({ equipmentId: eq, kind: 'transfer', toOrganizationId: orgs[i] as string })),
    );
    // a transfer to the owner it finds in place is refused (409); everything else succeeds
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).status).toBe(409);
    const list = await periods(t.db.pool, eq, 'owned_by');
    expect(list.length).toBe(1 + results.filter((r) => r.status === 'fulfilled').length);
    expect(isChain(list)).toBe(true);
    expect(list.filter((p) => p.valid_to === null)).toHaveLength(1);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });
});

describe('relocate and service provider', () => {
  it('relocation moves installed_at (and the legacy facility column); reverse by facility as of T', async () => {
    const hospital = await createOrg(t.db.pool, 'Tata Memorial');
    const icu = await createFacility(t.db.pool, hospital, 'TMH ICU');
    const er = await createFacility(t.db.pool, hospital, 'TMH ER');
    const eq = await registerLegacyEquipment(t.db.pool, {
      owned_by_org_id: hospital,
      installed_facility_id: icu,
      installation_date: '2023-03-03',
    });
    const at = '2024-05-05T06:00:00.000Z';
    const move = await inTransaction(t.db.db, (tx) =>
      relocateEquipment(tx, { equipmentId: eq, toFacilityId: er, at: ms(at), reason: 'ICU to ER', actor: 'bme-1' }),
    );
    expect(move.opened).toMatchObject({
      relationship_type: 'installed_at',
      facility_id: er,
      organization_id: hospital,
      transfer_type: 'relocation',
    });
    const at1 = async (f: string, when: Date) =>
      (await inTransaction(t.db.db, (tx) => facilityEquipmentAsOf(tx, f, when))).map((p) => p.equipment_id);
    expect(await at1(icu, ms(at, -1))).toEqual([eq]);
    expect(await at1(icu, ms(at))).toEqual([]);
    expect(await at1(er, ms(at))).toEqual([eq]);
    const { rows } = await t.db.pool.query('select installed_facility_id from equipment where id = $1', [eq]);
    expect(rows[0].installed_facility_id).toBe(er);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });

  it('a service provider change opens serviced_by; a renewal with the same provider is allowed', async () => {
    const owner = await createOrg(t.db.pool, 'Narayana Health City');
    const oem = await createOrg(t.db.pool, 'Philips Service', 'service_provider');
    const amc = await createOrg(t.db.pool, 'Trivitron AMC', 'service_provider');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: owner, installation_date: '2023-03-03' });
    const run = (to: string, at: string) =>
      inTransaction(t.db.db, (tx) =>
        changeServiceProvider(tx, { equipmentId: eq, toOrganizationId: to, at: ms(at), actor: 'u', reason: 'AMC' }),
      );
    const first = await run(oem, '2024-01-01T00:00:00Z');
    expect(first.closed).toBeNull();
    await run(amc, '2024-07-01T00:00:00Z');
    await run(amc, '2025-07-01T00:00:00Z');
    const list = await periods(t.db.pool, eq, 'serviced_by');
    expect(list.map((p) => p.organization_id)).toEqual([oem, amc, amc]);
    expect(isChain(list)).toBe(true);
  });
});

describe('supply chain', () => {
  it('manufacturer -> distributor (derived from channel relationships) -> dealer -> owner', async () => {
    const mfr = await createOrg(t.db.pool, 'Mindray India', 'manufacturer');
    const dist = await createOrg(t.db.pool, 'South Medical Distributors', 'distributor');
    const otherDist = await createOrg(t.db.pool, 'North Medical Distributors', 'distributor');
    const dealer = await createOrg(t.db.pool, 'Coimbatore Surgicals', 'dealer');
    const owner = await createOrg(t.db.pool, 'PSG Hospitals');
    const rel = (parent: string, child: string, type: string, start: string, end: string | null = null) =>
      t.db.pool.query(
        `insert into org_relationships (parent_org_id, child_org_id, rel_type, relationship_status, start_date, end_date)
         values ($1, $2, $3, 'active', $4, $5)`,
        [parent, child, type, start, end],
      );
    await rel(mfr, dist, 'distributor_of', '2020-01-01');
    await rel(dist, dealer, 'dealer_of', '2020-01-01');
    await rel(mfr, otherDist, 'distributor_of', '2020-01-01');
    await rel(otherDist, owner, 'dealer_of', '2020-01-01', '2021-01-01'); // ended: not a candidate
    const eq = await registerLegacyEquipment(t.db.pool, {
      manufacturer_org_id: mfr,
      sold_by_dealer_id: dealer,
      owned_by_org_id: owner,
      installation_date: '2023-03-03',
    });
    const chain = await inTransaction(t.db.db, (tx) => supplyChain(tx, eq, new Date()));
    expect(chain.map((l) => [l.role, l.organization_id, l.source])).toEqual([
      ['manufacturer', mfr, 'equipment_relationships'],
      ['distributor', dist, 'org_relationships'],
      ['dealer', dealer, 'equipment_relationships'],
      ['owner', owner, 'equipment_relationships'],
    ]);
    // before the device existed there is no chain
    expect(await inTransaction(t.db.db, (tx) => supplyChain(tx, eq, ms('2020-06-01T00:00:00Z')))).toEqual([]);
  });
});
