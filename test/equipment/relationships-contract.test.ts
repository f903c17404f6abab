import { describe, expect, it } from 'vitest';
import { diffSnapshots, hashData, snapshotCatalog } from '../../src/db/catalog.ts';
import { inTransaction } from '../../src/db/database.ts';
import { transferOwnership } from '../../src/equipment/transfer-ownership.ts';
import { withCaller } from '../../src/tenancy/with-caller.ts';
import { freshDatabase } from '../support/database.ts';
import { createOrg, registerLegacyEquipment } from './fixtures.ts';

/**
 * 0940 contract: the static party columns go, history is the only record, callers still see their
 * equipment; the down brings the columns back filled from the open periods, exactly as before.
 */
describe('0940 contract', () => {
  it('drops the static columns, keeps tenancy, and round-trips schema and data exactly', async () => {
    const db = await freshDatabase({ to: 939 });
    try {
      const q = db.pool;
      const mfr = await createOrg(q, 'BPL Medical', 'manufacturer');
      const a = await createOrg(q, 'Manipal Jaipur');
      const b = await createOrg(q, 'Fortis Jaipur');
      const eq = await registerLegacyEquipment(q, { manufacturer_org_id: mfr, owned_by_org_id: a, installation_date: '2021-01-01' });
      const other = await registerLegacyEquipment(q, { manufacturer_org_id: mfr, owned_by_org_id: b, installation_date: '2021-01-01' });
      await inTransaction(db.db, (tx) =>
        transferOwnership(tx, { equipmentId: eq, kind: 'sale', toOrganizationId: b, at: new Date('2023-06-01T00:00:00Z'), actor: 'u' }),
      );
      const before = await snapshotCatalog(q);
      // Rows compared as jsonb (keys sorted): the columns come back at the end of the table, so the
      // row text of hashData would differ by column order alone.
      const equipmentRows = async () =>
        (await q.query(`select md5(string_agg(md5(to_jsonb(e)::text), '' order by e.id)) as h from equipment e`)).rows[0].h as string;
      const data = await hashData(q);
      const equipmentBefore = await equipmentRows();
      const runner = db.runner();

      await runner.up({ to: 940 });
      const { rows: cols } = await q.query(
        `select column_name from information_schema.columns where table_name = 'equipment'
            and column_name in ('manufacturer_org_id', 'sold_by_dealer_id', 'owned_by_org_id', 'installed_facility_id')`,
      );
      expect(cols).toEqual([]);
      const { rows: hist } = await q.query('select count(*)::int as n from equipment_relationships where equipment_id = $1', [eq]);
      expect(hist[0].n).toBe(3);
      // tenancy now reads the periods: b owns both devices, a owns none, the manufacturer sees both
      const visible = async (org: string) =>
        (
          await withCaller(db.db, { userId: '00000000-0000-4000-8000-000000000001', orgId: org, role: 'hospital_admin' }, async (tx) =>
            (await tx.selectFrom('equipment').select('id').orderBy('id').execute()).map((r) => r.id),
          )
        ).filter((id) => id === eq || id === other);
      expect(await visible(b)).toEqual([eq, other].sort());
      expect(await visible(a)).toEqual([]);
      expect(await visible(mfr)).toEqual([eq, other].sort());
      // the new API still transfers after the contract (no mirror to write)
      await inTransaction(db.db, (tx) => transferOwnership(tx, { equipmentId: other, kind: 'transfer', toOrganizationId: a, actor: 'u' }));
      await inTransaction(db.db, (tx) => transferOwnership(tx, { equipmentId: other, kind: 'transfer', toOrganizationId: b, actor: 'u' }));

      await runner.down({ steps: 1 });
      expect(diffSnapshots(before, await snapshotCatalog(q))).toEqual([]);
      const after = await hashData(q);
      expect(await equipmentRows()).toBe(equipmentBefore);
      const others = (h: typeof data) =>
        Object.entries(h.tables).filter(([t]) => t !== 'public.equipment' && t !== 'public.equipment_relationships');
      expect(others(after)).toEqual(others(data));
      const { rows } = await q.query('select owned_by_org_id, manufacturer_org_id from equipment where id = $1', [eq]);
      expect(rows[0]).toEqual({ owned_by_org_id: b, manufacturer_org_id: mfr });
      // the sync works again after the down
      await q.query('update equipment set owned_by_org_id = $2 where id = $1', [eq, a]);
      const { rows: open } = await q.query(
        `select organization_id from equipment_relationships where equipment_id = $1 and relationship_type = 'owned_by' and valid_to is null`,
        [eq],
      );
      expect(open[0].organization_id).toBe(a);
      await runner.up({ to: 940 });
    } finally {
      await db.close();
    }
  });
});
