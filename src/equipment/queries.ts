import { sql } from 'kysely';
import type { Caller } from '../auth/caller.ts';
import type { Tx } from '../db/database.ts';
import { mapDbError } from '../db/errors.ts';
import { AppError, isAppError, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import { newLegacyId } from '../ids.ts';
import { callerScopeFilter, type ScopeOptions } from '../tenancy/caller-scope.ts';
import {
  currentOwnerNameSelection,
  currentPartySelections,
  equipmentColumnsPresent,
  hasCurrentParty,
  openInitialPeriods,
} from './current-parties.ts';

/**
 * Equipment: register (with a generated QR code), list, and look up by id, QR code or serial number.
 * Its parties (manufacturer_org_id, sold_by_dealer_id, owned_by_org_id, installed_facility_id) are
 * read from their current periods (T1.4), the same before and after 0940 drops those columns; its
 * `customer_name` is the name of its current owner (owned_by period), before and after 0920.
 */
const OWN_COLUMNS = [
  'id',
  'qr_code',
  'serial_number',
  'equipment_name',
  'manufacturer_name',
  'model_number',
  'category',
  'installation_location',
  'installation_date',
  'purchase_date',
  'purchase_price',
  'warranty_expiry',
  'amc_contract_id',
  'status',
  'last_service_date',
  'service_count',
  'specifications',
  'created_at',
  'updated_at',
] as const;
const COLUMNS = [...OWN_COLUMNS.map((c) => `equipment.${c}` as const), currentOwnerNameSelection(), ...currentPartySelections()];

export interface EquipmentQuery {
  q?: string;
  status?: string;
  category?: string;
  manufacturer_org_id?: string;
  owned_by_org_id?: string;
  limit?: number;
  cursor?: string;
}

export async function listEquipment(tx: Tx, q: EquipmentQuery, options: ScopeOptions = {}) {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 2);
  let query = tx
    .selectFrom('equipment')
    .select(COLUMNS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  const scope = await callerScopeFilter(tx, 'equipment', limit + 1, options);
  if (scope) query = query.where(scope);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.category) query = query.where('category', '=', q.category);
  if (q.manufacturer_org_id) query = query.where(hasCurrentParty('manufacturer_org_id', q.manufacturer_org_id));
  if (q.owned_by_org_id) query = query.where(hasCurrentParty('owned_by_org_id', q.owned_by_org_id));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) =>
      eb.or([eb('serial_number', 'ilike', like), eb('qr_code', 'ilike', like), eb('equipment_name', 'ilike', like)]),
    );
  }
  if (after) query = query.where(sql`(created_at, id)`, '<', sql`(${after[0]}::timestamptz, ${after[1]})`);
  return pageOf(await query.execute(), limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
}

async function findOne(tx: Tx, column: 'id' | 'qr_code' | 'serial_number', value: string, what: string) {
  const row = await tx.selectFrom('equipment').select(COLUMNS).where(column, '=', value).executeTakeFirst();
  if (!row) throw notFound(what, value);
  return row;
}

export const getEquipment = (tx: Tx, id: string) => findOne(tx, 'id', id, 'equipment');
export const getEquipmentByQr = (tx: Tx, qr: string) => findOne(tx, 'qr_code', qr, 'equipment with QR code');
export const getEquipmentBySerial = (tx: Tx, serial: string) => findOne(tx, 'serial_number', serial, 'equipment with serial number');

export interface NewEquipmentInput {
  serial_number: string;
  equipment_name: string;
  manufacturer_name?: string;
  model_number?: string;
  category?: string;
  manufacturer_org_id?: string;
  sold_by_dealer_id?: string;
  owned_by_org_id?: string;
  installed_facility_id?: string;
  installation_location?: string;
  installation_date?: string;
  purchase_date?: string;
  purchase_price?: string;
  warranty_months?: number;
  amc_contract_id?: string;
  specifications?: Record<string, unknown>;
}

/** The party column a caller's organization fills by default when it registers a device. */
const DEFAULT_PARTY: Partial<Record<Caller['role'], 'manufacturer_org_id' | 'sold_by_dealer_id' | 'owned_by_org_id'>> = {
  manufacturer_admin: 'manufacturer_org_id',
  distributor_admin: 'sold_by_dealer_id',
  dealer_admin: 'sold_by_dealer_id',
  hospital_admin: 'owned_by_org_id',
};

/**
 * Registers a device and gives it a QR code `QR-YYYYMMDD-NNNNNN` from the database's sequence.
 * Referenced organizations and facility must be visible to the caller — one outside the network
 * answers 422 as if it did not exist; the row-level security policy then requires the caller's
 * organization to be one of the parties (else 403: the role may not register for others).
 */
export async function registerEquipment(tx: Tx, caller: Caller, input: NewEquipmentInput) {
  const e = { ...input };
  const party = DEFAULT_PARTY[caller.role];
  if (party && caller.orgId && !e[party]) e[party] = caller.orgId;

  const orgIds = [e.manufacturer_org_id, e.sold_by_dealer_id, e.owned_by_org_id].filter((x): x is string => Boolean(x));
  const orgs = orgIds.length ? await tx.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgIds).execute() : [];
  for (const id of orgIds) {
    if (!orgs.some((o) => o.id === id))
      throw new AppError('foreign_key_violation', `organization ${id} does not exist`, { table: 'organizations', key: { id } });
  }
  if (e.installed_facility_id) {
    const f = await tx.selectFrom('organization_facilities').select('id').where('id', '=', e.installed_facility_id).executeTakeFirst();
    if (!f)
      throw new AppError('foreign_key_violation', `facility ${e.installed_facility_id} does not exist`, {
        table: 'organization_facilities',
        key: { id: e.installed_facility_id },
      });
  }
  const owner = orgs.find((o) => o.id === e.owned_by_org_id);
  const warrantyFrom = e.purchase_date ?? e.installation_date;
  const parties = {
    manufacturer_org_id: e.manufacturer_org_id,
    sold_by_dealer_id: e.sold_by_dealer_id,
    owned_by_org_id: e.owned_by_org_id,
    installed_facility_id: e.installed_facility_id,
  };
  // Until 0940 the static columns are written as the legacy application writes them (the 0003
  // policy checks them, the 0040 trigger opens the periods); after it the periods are opened here.
  // Until 0920 the customer copies are written too (the legacy screens read them).
  const present = await equipmentColumnsPresent(tx, ['owned_by_org_id', 'customer_name'] as const);
  const legacyColumns = present.has('owned_by_org_id');
  const id = newLegacyId();
  // No RETURNING: on the contracted schema the new row is invisible to its tenant until its periods exist.
  const insert = tx.insertInto('equipment').values({
    id,
    qr_code: sql`next_equipment_qr()`,
    serial_number: e.serial_number,
    equipment_name: e.equipment_name,
    manufacturer_name: e.manufacturer_name ?? null,
    model_number: e.model_number ?? null,
    category: e.category ?? null,
    // customer_id is varchar(32) and cannot hold a UUID; the owner is its owned_by period.
    ...(present.has('customer_name') ? { customer_id: null, customer_name: owner?.name ?? null } : {}),
    ...(legacyColumns ? Object.fromEntries(Object.entries(parties).map(([column, party]) => [column, party ?? null])) : {}),
    installation_location: e.installation_location ?? null,
    installation_date: e.installation_date ?? null,
    purchase_date: e.purchase_date ?? null,
    purchase_price: e.purchase_price ?? null,
    // origin-facts §1: warranty runs warranty_months from the purchase date (or from today).
    warranty_expiry:
      e.warranty_months === undefined
        ? null
        : sql`(coalesce(${warrantyFrom ?? null}::date, current_date) + make_interval(months => ${e.warranty_months}))::date`,
    amc_contract_id: e.amc_contract_id ?? null,
    specifications: JSON.stringify(e.specifications ?? {}),
  });
  try {
    await insert.execute();
  } catch (err) {
    // Under row-level security PostgreSQL withholds the conflicting key from the error (it might be
    // a row the caller cannot see); the caller sent the serial number, so naming it leaks nothing.
    const mapped = mapDbError(err);
    if (isAppError(mapped) && mapped.details.constraint === 'equipment_serial_number_key') {
      throw new AppError('unique_violation', `equipment with serial number ${e.serial_number} already exists`, {
        ...mapped.details,
        key: { serial_number: e.serial_number },
      });
    }
    throw err;
  }
  if (!legacyColumns) await openInitialPeriods(tx, caller, id, parties, e);
  return getEquipment(tx, id);
}
