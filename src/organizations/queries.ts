import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { AsOf } from '../http/as-of.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';

/**
 * Organizations, facilities and relationships. Every function runs in the caller's transaction
 * (`req.withCaller`), so row-level security decides what exists: a row outside the network is
 * simply not found.
 */
const ORG_COLUMNS = ['id', 'name', 'org_type', 'status', 'external_ref', 'metadata', 'created_at', 'updated_at'] as const;

export async function listOrganizations(tx: Tx, q: { org_type?: string; q?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 2);
  let query = tx
    .selectFrom('organizations')
    .select(ORG_COLUMNS)
    .orderBy('name')
    .orderBy('id')
    .limit(limit + 1);
  if (q.org_type) query = query.where('org_type', '=', q.org_type);
  if (q.q) query = query.where('name', 'ilike', `%${q.q.replace(/[\\%_]/g, '\\$&')}%`);
  if (after) query = query.where(sql`(name, id)`, '>', sql`(${after[0]}, ${after[1]}::uuid)`);
  return pageOf(await query.execute(), limit, (r) => [r.name, r.id]);
}

export async function getOrganization(tx: Tx, id: string) {
  const row = await tx.selectFrom('organizations').select(ORG_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('organization', id);
  return row;
}

export async function createOrganization(tx: Tx, o: { name: string; org_type: string; external_ref?: string; metadata?: object }) {
  return tx
    .insertInto('organizations')
    .values({ name: o.name, org_type: o.org_type, external_ref: o.external_ref ?? null, metadata: JSON.stringify(o.metadata ?? {}) })
    .returning(ORG_COLUMNS)
    .executeTakeFirstOrThrow();
}

const FACILITY_COLUMNS = ['id', 'org_id', 'facility_name', 'facility_code', 'facility_type', 'address', 'status', 'created_at'] as const;

export async function listFacilities(tx: Tx, orgId: string) {
  await getOrganization(tx, orgId);
  return tx.selectFrom('organization_facilities').select(FACILITY_COLUMNS).where('org_id', '=', orgId).orderBy('facility_name').execute();
}

export async function createFacility(
  tx: Tx,
  orgId: string,
  f: { facility_name: string; facility_code?: string; facility_type?: string; address?: object },
) {
  await getOrganization(tx, orgId);
  return tx
    .insertInto('organization_facilities')
    .values({
      org_id: orgId,
      facility_name: f.facility_name,
      facility_code: f.facility_code ?? null,
      facility_type: f.facility_type ?? null,
      address: f.address ? JSON.stringify(f.address) : null,
    })
    .returning(FACILITY_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Relationships of an organization in force on `asOf.date`: started by then and not yet ended. */
export async function listRelationships(tx: Tx, orgId: string, asOf: AsOf) {
  await getOrganization(tx, orgId);
  return tx
    .selectFrom('org_relationships')
    .select([
      'id',
      'parent_org_id',
      'child_org_id',
      'rel_type',
      'relationship_status',
      'start_date',
      'end_date',
      'exclusive',
      'commission_percentage',
    ])
    .where((eb) => eb.or([eb('parent_org_id', '=', orgId), eb('child_org_id', '=', orgId)]))
    .where((eb) => eb.or([eb('start_date', 'is', null), eb('start_date', '<=', asOf.date)]))
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', asOf.date)]))
    .orderBy('start_date')
    .orderBy('id')
    .execute();
}
