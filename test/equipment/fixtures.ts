import type pg from 'pg';

/**
 * Small builders for T1.4 tests: organizations, facilities and legacy equipment rows written the
 * way the legacy application writes them (static party columns), through plain SQL.
 */
type Queryable = Pick<pg.Pool, 'query'>;

export async function createOrg(db: Queryable, name: string, orgType = 'hospital'): Promise<string> {
  const { rows } = await db.query<{ id: string }>('insert into organizations (name, org_type) values ($1, $2) returning id', [
    name,
    orgType,
  ]);
  return (rows[0] as { id: string }).id;
}

export async function createFacility(db: Queryable, orgId: string, name: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into organization_facilities (org_id, facility_name, facility_type) values ($1, $2, 'hospital') returning id`,
    [orgId, name],
  );
  return (rows[0] as { id: string }).id;
}

let counter = 0;

export interface LegacyEquipment {
  id?: string;
  manufacturer_org_id?: string | null;
  sold_by_dealer_id?: string | null;
  owned_by_org_id?: string | null;
  installed_facility_id?: string | null;
  customer_id?: string | null;
  customer_name?: string | null;
  installation_date?: string | null;
  purchase_date?: string | null;
}

/** Registers a device the way the legacy application does: one insert with the static columns. */
export async function registerLegacyEquipment(db: Queryable, e: LegacyEquipment = {}): Promise<string> {
  const n = ++counter;
  const id = e.id ?? `EQ-T14-${process.pid}-${n}`;
  // The customer copy only when given: 0920 (T1.2) drops it before 0940, so a test on 0939 has none.
  const copy = e.customer_id !== undefined || e.customer_name !== undefined;
  await db.query(
    `insert into equipment (id, qr_code, serial_number, equipment_name, manufacturer_org_id, sold_by_dealer_id, owned_by_org_id,
       installed_facility_id, installation_date, purchase_date${copy ? ', customer_id, customer_name' : ''})
     values ($1, $2, $3, 'Patient monitor', $4, $5, $6, $7, $8, $9${copy ? ', $10, $11' : ''})`,
    [
      id,
      `QR-${id}`,
      `SN-${id}`,
      e.manufacturer_org_id ?? null,
      e.sold_by_dealer_id ?? null,
      e.owned_by_org_id ?? null,
      e.installed_facility_id ?? null,
      e.installation_date ?? null,
      e.purchase_date ?? null,
      ...(copy ? [e.customer_id ?? null, e.customer_name ?? null] : []),
    ],
  );
  return id;
}

export interface Period {
  id: string;
  relationship_type: string;
  organization_id: string | null;
  facility_id: string | null;
  valid_from: Date;
  valid_to: Date | null;
  transfer_type: string;
  created_by: string;
}

export async function periods(db: Queryable, equipmentId: string, type?: string): Promise<Period[]> {
  const { rows } = await db.query<Period>(
    `select id, relationship_type, organization_id, facility_id, valid_from, valid_to, transfer_type, created_by
       from equipment_relationships where equipment_id = $1 and ($2::text is null or relationship_type = $2)
      order by relationship_type, valid_from`,
    [equipmentId, type ?? null],
  );
  return rows;
}

/** True when every type's periods of the device follow each other without gap or overlap. */
export function isChain(list: Period[]): boolean {
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1] as Period;
    const cur = list[i] as Period;
    if (prev.relationship_type !== cur.relationship_type) continue;
    if (prev.valid_to === null || prev.valid_to.getTime() !== cur.valid_from.getTime()) return false;
  }
  return true;
}

export async function drift(db: Queryable, equipmentId?: string): Promise<unknown[]> {
  const { rows } = await db.query('select * from equipment_relationships_drift where $1::text is null or equipment_id = $1', [
    equipmentId ?? null,
  ]);
  return rows;
}
