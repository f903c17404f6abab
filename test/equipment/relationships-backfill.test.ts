import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { hashData } from '../../src/db/catalog.ts';
import { freshDatabase } from '../support/database.ts';
import { createFacility, createOrg, drift, isChain, periods, registerLegacyEquipment } from './fixtures.ts';

type Queryable = Pick<pg.Pool, 'query'>;

/**
 * The data, except equipment.updated_at: filling owned_by_org_id from the customer copy is a real
 * write to the legacy row (its updated_at moves, and the down's clearing moves it again).
 */
async function dataHash(q: Queryable) {
  const { tables } = await hashData(q);
  const { rows } = await q.query(`select md5(string_agg(md5((to_jsonb(e) - 'updated_at')::text), '' order by e.id)) as h from equipment e`);
  return { ...tables, 'public.equipment': rows[0].h as string };
}

/**
 * 0045: devices registered before 0040 get one `initial` period per known party; conflicts are
 * quarantined with the reason; the run is idempotent; the down removes exactly what it wrote.
 */
describe('0045 backfill', () => {
  it('converts the static columns and the customer copy, quarantines conflicts, and round-trips', async () => {
    const db = await freshDatabase({ to: 8 }); // the legacy shape, before T1.4
    try {
      const q = db.pool;
      const mfr = await createOrg(q, 'Philips India', 'manufacturer');
      const dealer = await createOrg(q, 'Sai Surgicals', 'dealer');
      const owner = await createOrg(q, 'Apollo Jubilee Hills');
      const other = await createOrg(q, 'Care Banjara Hills');
      const fac = await createFacility(q, owner, 'Apollo Cath Lab');
      const full = await registerLegacyEquipment(q, {
        manufacturer_org_id: mfr,
        sold_by_dealer_id: dealer,
        owned_by_org_id: owner,
        installed_facility_id: fac,
        installation_date: '2022-08-16',
        purchase_date: '2022-08-01',
      });
      // owner only known through the customer copy (a uuid without hyphens fits varchar(32))
      const viaCustomer = await registerLegacyEquipment(q, {
        manufacturer_org_id: mfr,
        customer_id: other.replaceAll('-', ''),
        customer_name: 'Care Hospitals',
        purchase_date: '2021-03-01',
      });
      // a customer id that is not a uuid names nobody
      const unknownCustomer = await registerLegacyEquipment(q, {
        manufacturer_org_id: mfr,
        customer_id: 'CUST-00042',
        customer_name: 'Dr. Rao Clinic',
      });
      // owner and customer copy disagree
      const conflict = await registerLegacyEquipment(q, { owned_by_org_id: owner, customer_id: other.replaceAll('-', '') });
      // installed before it was bought
      const badDates = await registerLegacyEquipment(q, {
        owned_by_org_id: owner,
        installation_date: '2020-01-01',
        purchase_date: '2020-06-01',
      });

      const runner = db.runner();
      await runner.up({ to: 41 });
      expect(await periods(q, full)).toEqual([]); // expand alone writes no history for existing rows
      const beforeBackfill = await dataHash(q);
      await runner.up({ to: 45 });

      const fullPeriods = await periods(q, full);
      expect(fullPeriods.map((p) => [p.relationship_type, p.organization_id, p.facility_id])).toEqual([
        ['installed_at', owner, fac],
        ['manufactured_by', mfr, null],
        ['owned_by', owner, null],
        ['sold_by', dealer, null],
      ]);
      expect(fullPeriods.every((p) => p.valid_from.toISOString() === '2022-08-15T18:30:00.000Z' && p.valid_to === null)).toBe(true);
      expect(fullPeriods.every((p) => p.transfer_type === 'initial' && p.created_by === 'migration:T1.4')).toBe(true);

      const customerPeriods = await periods(q, viaCustomer, 'owned_by');
      expect(customerPeriods.map((p) => p.organization_id)).toEqual([other]);
      expect(customerPeriods[0]?.valid_from.toISOString()).toBe('2021-02-28T18:30:00.000Z');
      // the history -> legacy sync filled the static owner from it
      const { rows: vc } = await q.query('select owned_by_org_id from equipment where id = $1', [viaCustomer]);
      expect(vc[0].owned_by_org_id).toBe(other);

      expect((await periods(q, unknownCustomer)).map((p) => p.relationship_type)).toEqual(['manufactured_by']);
      expect(await periods(q, conflict)).toEqual([]);
      expect(await periods(q, badDates)).toEqual([]);
      const { rows: quarantine } = await q.query<{ key: string[]; reason: string }>(
        `select key, reason from abymed.quarantine where job = 'equipment_relationships_initial' order by reason`,
      );
      expect(quarantine).toHaveLength(2);
      expect(quarantine.map((r) => r.reason)).toEqual([
        expect.stringMatching(/^installed on 2020-01-01 before/),
        expect.stringMatching(/^owner conflict/),
      ]);
      expect(quarantine.map((r) => JSON.stringify(r.key)).sort()).toEqual([JSON.stringify([badDates]), JSON.stringify([conflict])].sort());

      // no drift on converted devices
      for (const id of [full, viaCustomer, unknownCustomer]) expect(await drift(q, id)).toEqual([]);

      // a legacy re-own after the backfill continues the chain
      await q.query('update equipment set owned_by_org_id = $2 where id = $1', [full, other]);
      expect(isChain(await periods(q, full, 'owned_by'))).toBe(true);
      await q.query('update equipment set owned_by_org_id = $2 where id = $1', [full, owner]);

      // down removes what the backfill wrote and is still untouched; the re-owned device keeps its history
      const afterUp = await dataHash(q);
      await runner.down({ steps: 1 });
      expect(await periods(q, viaCustomer)).toEqual([]);
      const { rows: vc2 } = await q.query('select owned_by_org_id from equipment where id = $1', [viaCustomer]);
      expect(vc2[0].owned_by_org_id).toBeNull();
      expect((await periods(q, full, 'owned_by')).length).toBe(3);
      const afterDown = await dataHash(q);
      expect(afterDown['public.equipment']).not.toBe(afterUp['public.equipment']);
      // up again: identical rows (deterministic ids and instants)
      await runner.up({ to: 45 });
      expect(await dataHash(q)).toEqual(afterUp);
      expect(beforeBackfill).not.toEqual(afterUp);
    } finally {
      await db.close();
    }
  });

  it('on a database without re-owned devices, up then down restores the data exactly', async () => {
    const db = await freshDatabase({ to: 8 });
    try {
      const q = db.pool;
      const mfr = await createOrg(q, 'Siemens Healthineers', 'manufacturer');
      const owner = await createOrg(q, 'Kokilaben Mumbai');
      for (let i = 0; i < 25; i++)
        await registerLegacyEquipment(q, { manufacturer_org_id: mfr, owned_by_org_id: owner, purchase_date: '2019-11-11' });
      await registerLegacyEquipment(q, { manufacturer_org_id: mfr, customer_id: owner.replaceAll('-', '') });
      const runner = db.runner();
      await runner.up({ to: 41 });
      const before = await dataHash(q);
      await runner.up({ to: 45 });
      const { rows } = await q.query('select count(*)::int as n from equipment_relationships');
      expect(rows[0].n).toBe(52);
      await runner.down({ steps: 1 });
      expect(await dataHash(q)).toEqual(before);
    } finally {
      await db.close();
    }
  });
});
