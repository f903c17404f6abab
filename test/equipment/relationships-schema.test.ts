import { describe, expect, it } from 'vitest';
import { diffSnapshots, hashData, snapshotCatalog } from '../../src/db/catalog.ts';
import { SqlState } from '../../src/db/sqlstate.ts';
import { useFreshDatabase } from '../support/database.ts';
import { createFacility, createOrg, drift, isChain, periods, registerLegacyEquipment } from './fixtures.ts';

/**
 * 0040: the equipment_relationships table, its constraints and the two-way sync with the legacy
 * static columns. The original's version (origin-facts §4 T1.4) rejected every transfer with its
 * own inclusive-range exclusion constraint and named columns it never created: both are checked here.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture, not a React hook
const t = useFreshDatabase('before-contract');

const pgCode = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

const insertPeriod = (equipmentId: string, type: string, orgId: string, from: string, to: string | null) =>
  t.db.pool.query(
    `insert into equipment_relationships (equipment_id, relationship_type, organization_id, valid_from, valid_to, created_by)
     values ($1, $2, $3, $4, $5, 'test')`,
    [equipmentId, type, orgId, from, to],
  );

describe('equipment_relationships shape', () => {
  it('has every column the design names, with equipment_id typed like equipment.id', async () => {
    const { rows } = await t.db.pool.query<{ column_name: string; data_type: string; character_maximum_length: number | null }>(
      `select column_name, data_type, character_maximum_length from information_schema.columns
        where table_schema = 'public' and table_name = $1 order by ordinal_position`,
      ['equipment_relationships'],
    );
    const names = rows.map((r) => r.column_name);
    for (const c of [
      'equipment_id',
      'relationship_type',
      'organization_id',
      'facility_id',
      'valid_from',
      'valid_to',
      'transfer_type',
      'transfer_reason',
      'transfer_document_url',
      'amount',
      'currency',
      'created_by',
      'created_at',
    ]) {
      expect(names).toContain(c);
    }
    const { rows: eq } = await t.db.pool.query(
      `select data_type, character_maximum_length from information_schema.columns where table_name = 'equipment' and column_name = 'id'`,
    );
    const equipmentId = rows.find((r) => r.column_name === 'equipment_id');
    expect({ data_type: equipmentId?.data_type, character_maximum_length: equipmentId?.character_maximum_length }).toEqual(eq[0]);
    const validFrom = rows.find((r) => r.column_name === 'valid_from');
    expect(validFrom?.data_type).toBe('timestamp with time zone');
  });

  it('every column named in comments and views exists (the views compile against the table)', async () => {
    await expect(t.db.pool.query('select * from equipment_relationships_drift limit 1')).resolves.toBeDefined();
  });
});

describe('half-open periods', () => {
  it('back-to-back periods at the same instant never conflict, also on the same day', async () => {
    const a = await createOrg(t.db.pool, 'Apollo Chennai');
    const b = await createOrg(t.db.pool, 'Fortis Mohali');
    const c = await createOrg(t.db.pool, 'AIIMS Delhi');
    const eq = await registerLegacyEquipment(t.db.pool);
    await insertPeriod(eq, 'owned_by', a, '2024-03-10T04:00:00Z', '2024-03-10T09:30:00Z');
    await insertPeriod(eq, 'owned_by', b, '2024-03-10T09:30:00Z', '2024-03-10T15:00:00Z');
    await insertPeriod(eq, 'owned_by', c, '2024-03-10T15:00:00Z', null);
    expect(isChain(await periods(t.db.pool, eq, 'owned_by'))).toBe(true);
  });

  it('rejects an overlap of the same type with 23P01 and accepts other types at once', async () => {
    const a = await createOrg(t.db.pool, 'Manipal Bengaluru');
    const eq = await registerLegacyEquipment(t.db.pool);
    await insertPeriod(eq, 'owned_by', a, '2024-01-01T00:00:00Z', null);
    expect(await pgCode(insertPeriod(eq, 'owned_by', a, '2024-06-01T00:00:00Z', null))).toBe(SqlState.EXCLUSION_VIOLATION);
    expect(await pgCode(insertPeriod(eq, 'owned_by', a, '2023-12-31T00:00:00Z', '2024-01-01T00:00:01Z'))).toBe(
      SqlState.EXCLUSION_VIOLATION,
    );
    expect(await pgCode(insertPeriod(eq, 'serviced_by', a, '2024-06-01T00:00:00Z', null))).toBe('ok');
    expect(await pgCode(insertPeriod(eq, 'leased_to', a, '2024-06-01T00:00:00Z', '2025-06-01T00:00:00Z'))).toBe('ok');
  });

  it('rejects empty and inverted periods and a period without its party', async () => {
    const a = await createOrg(t.db.pool, 'Narayana Kolkata');
    const eq = await registerLegacyEquipment(t.db.pool);
    expect(await pgCode(insertPeriod(eq, 'serviced_by', a, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'))).toBe(SqlState.CHECK_VIOLATION);
    expect(await pgCode(insertPeriod(eq, 'serviced_by', a, '2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z'))).toBe(SqlState.CHECK_VIOLATION);
    // installed_at needs a facility
    expect(await pgCode(insertPeriod(eq, 'installed_at', a, '2024-01-01T00:00:00Z', null))).toBe(SqlState.CHECK_VIOLATION);
  });
});

describe('legacy -> history', () => {
  it('a legacy registration opens one period per known party, from the installation date (midnight IST)', async () => {
    const mfr = await createOrg(t.db.pool, 'Wipro GE Healthcare', 'manufacturer');
    const dealer = await createOrg(t.db.pool, 'MedEquip Dealers Pune', 'dealer');
    const owner = await createOrg(t.db.pool, 'Ruby Hall Clinic');
    const fac = await createFacility(t.db.pool, owner, 'Ruby Hall ICU');
    const eq = await registerLegacyEquipment(t.db.pool, {
      manufacturer_org_id: mfr,
      sold_by_dealer_id: dealer,
      owned_by_org_id: owner,
      installed_facility_id: fac,
      installation_date: '2023-05-02',
      purchase_date: '2023-04-20',
    });
    const list = await periods(t.db.pool, eq);
    expect(list.map((p) => p.relationship_type).sort()).toEqual(['installed_at', 'manufactured_by', 'owned_by', 'sold_by']);
    for (const p of list) {
      expect(p.valid_from.toISOString()).toBe('2023-05-01T18:30:00.000Z');
      expect(p.valid_to).toBeNull();
      expect(p.transfer_type).toBe('initial');
    }
    const installed = list.find((p) => p.relationship_type === 'installed_at');
    expect(installed?.facility_id).toBe(fac);
    expect(installed?.organization_id).toBe(owner);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });

  it('a legacy re-own closes the open period and opens the next at the same instant', async () => {
    const a = await createOrg(t.db.pool, 'KIMS Hyderabad');
    const b = await createOrg(t.db.pool, 'Yashoda Hyderabad');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installation_date: '2022-01-01' });
    await t.db.pool.query('update equipment set owned_by_org_id = $2 where id = $1', [eq, b]);
    await t.db.pool.query('update equipment set owned_by_org_id = $2 where id = $1', [eq, a]);
    const list = await periods(t.db.pool, eq, 'owned_by');
    expect(list.map((p) => p.organization_id)).toEqual([a, b, a]);
    expect(list.map((p) => p.transfer_type)).toEqual(['initial', 'transfer', 'transfer']);
    expect(isChain(list)).toBe(true);
    expect(list.at(-1)?.valid_to).toBeNull();
    // clearing the column closes the period and opens none
    await t.db.pool.query('update equipment set owned_by_org_id = null where id = $1', [eq]);
    const after = await periods(t.db.pool, eq, 'owned_by');
    expect(after).toHaveLength(3);
    expect(after.every((p) => p.valid_to !== null)).toBe(true);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });

  it('a device untouched by the backfill keeps its old party when first re-owned', async () => {
    const a = await createOrg(t.db.pool, 'CMC Vellore');
    const b = await createOrg(t.db.pool, 'SRM Chennai');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installation_date: '2021-07-15' });
    // as if the device predates the expand step: no history yet
    await t.db.pool.query(
      `begin; set local abymed.equipment_relationships_syncing = 'on'; delete from equipment_relationships where equipment_id = '${eq}'; commit`,
    );
    await t.db.pool.query('update equipment set owned_by_org_id = $2 where id = $1', [eq, b]);
    const list = await periods(t.db.pool, eq, 'owned_by');
    expect(list.map((p) => [p.organization_id, p.transfer_type])).toEqual([
      [a, 'initial'],
      [b, 'transfer'],
    ]);
    expect(list[0]?.valid_from.toISOString()).toBe('2021-07-14T18:30:00.000Z');
    expect(isChain(list)).toBe(true);
  });

  it('two changes in one transaction leave no zero-length period', async () => {
    const a = await createOrg(t.db.pool, 'Max Saket');
    const b = await createOrg(t.db.pool, 'Medanta Gurugram');
    const c = await createOrg(t.db.pool, 'BLK Delhi');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installation_date: '2020-02-02' });
    const client = await t.db.client();
    try {
      await client.query('begin');
      await client.query('update equipment set owned_by_org_id = $2 where id = $1', [eq, b]);
      await client.query('update equipment set owned_by_org_id = $2 where id = $1', [eq, c]);
      await client.query('commit');
    } finally {
      await client.end();
    }
    const list = await periods(t.db.pool, eq, 'owned_by');
    expect(isChain(list)).toBe(true);
    expect(list.at(-1)?.organization_id).toBe(c);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });
});

describe('history -> legacy', () => {
  it('closing and opening a period writes the new party into the static column, without a loop', async () => {
    const a = await createOrg(t.db.pool, 'Sankara Nethralaya');
    const b = await createOrg(t.db.pool, 'Aravind Madurai');
    const fa = await createFacility(t.db.pool, a, 'Sankara OT 1');
    const fb = await createFacility(t.db.pool, b, 'Aravind OT 2');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a, installed_facility_id: fa, installation_date: '2022-01-01' });
    const client = await t.db.client();
    try {
      await client.query('begin');
      await client.query(
        `update equipment_relationships set valid_to = '2024-02-01T10:00:00Z' where equipment_id = $1 and valid_to is null`,
        [eq],
      );
      await client.query(
        `insert into equipment_relationships (equipment_id, relationship_type, organization_id, facility_id, valid_from, transfer_type, created_by)
         values ($1, 'owned_by', $2, null, '2024-02-01T10:00:00Z', 'sale', 'test'),
                ($1, 'installed_at', $2, $3, '2024-02-01T10:00:00Z', 'relocation', 'test')`,
        [eq, b, fb],
      );
      await client.query('commit');
    } finally {
      await client.end();
    }
    const { rows } = await t.db.pool.query('select owned_by_org_id, installed_facility_id from equipment where id = $1', [eq]);
    expect(rows[0]).toEqual({ owned_by_org_id: b, installed_facility_id: fb });
    const list = await periods(t.db.pool, eq);
    expect(list).toHaveLength(4); // the mirror write did not come back as a new period
    expect(isChain(list)).toBe(true);
    expect(await drift(t.db.pool, eq)).toEqual([]);
  });

  it('a period cannot be moved to another device or type', async () => {
    const a = await createOrg(t.db.pool, 'Jaslok Mumbai');
    const eq = await registerLegacyEquipment(t.db.pool, { owned_by_org_id: a });
    expect(
      await pgCode(t.db.pool.query(`update equipment_relationships set relationship_type = 'serviced_by' where equipment_id = $1`, [eq])),
    ).toBe(SqlState.CHECK_VIOLATION);
  });
});

describe('0040 round trip', () => {
  it('up -> down -> up gives the same catalog; the down archives the periods', async () => {
    const { freshDatabase } = await import('../support/database.ts');
    const db = await freshDatabase({ to: 41 });
    try {
      const a = await createOrg(db.pool, 'Lilavati Mumbai');
      const eq = await registerLegacyEquipment(db.pool, { owned_by_org_id: a, installation_date: '2020-01-01' });
      const b = await createOrg(db.pool, 'Hinduja Mumbai');
      await db.pool.query('update equipment set owned_by_org_id = $2 where id = $1', [eq, b]);
      const before = await snapshotCatalog(db.pool);
      const legacyBefore = await hashData(db.pool);
      const runner = db.runner();
      await runner.down({ steps: 2 });
      const { rows } = await db.pool.query(
        'select organization_id from abymed.equipment_relationships_archive where equipment_id = $1 order by valid_from',
        [eq],
      );
      expect(rows.map((r) => r.organization_id)).toEqual([a, b]);
      const { rows: eqRows } = await db.pool.query('select owned_by_org_id from equipment where id = $1', [eq]);
      expect(eqRows[0].owned_by_org_id).toBe(b);
      await runner.up({ to: 41 });
      expect(diffSnapshots(before, await snapshotCatalog(db.pool))).toEqual([]);
      // the legacy tables are untouched by the round trip (history is archived, not restored)
      const after = await hashData(db.pool);
      expect(after.tables['public.equipment']).toBe(legacyBefore.tables['public.equipment']);
    } finally {
      await db.close();
    }
  });
});
