import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import { getOrganization } from '../organizations/queries.ts';

/** Engineers of the caller's network (row-level security), newest rules of the legacy table kept. */
const COLUMNS = [
  'id',
  'employee_id',
  'full_name',
  'email',
  'phone',
  'org_id',
  'engineer_level',
  'status',
  'home_region',
  'skills',
  'coverage_pincodes',
  'created_at',
] as const;

export async function listEngineers(tx: Tx, q: { org_id?: string; status?: string; skill?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 2);
  let query = tx
    .selectFrom('engineers')
    .select(COLUMNS)
    .orderBy('full_name')
    .orderBy('id')
    .limit(limit + 1);
  if (q.org_id) query = query.where('org_id', '=', q.org_id);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.skill) query = query.where(sql<boolean>`${q.skill} = any(skills)`);
  if (after) query = query.where(sql`(full_name, id)`, '>', sql`(${after[0]}, ${after[1]}::uuid)`);
  return pageOf(await query.execute(), limit, (r) => [r.full_name, r.id]);
}

export async function getEngineer(tx: Tx, id: string) {
  const row = await tx.selectFrom('engineers').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('engineer', id);
  return row;
}

export interface NewEngineerInput {
  full_name: string;
  org_id: string;
  employee_id?: string;
  email?: string;
  phone?: string;
  employment_type?: string;
  engineer_level?: number;
  home_region?: string;
  skills?: string[];
  coverage_pincodes?: string[];
}

/** Adds an engineer to an organization the caller can see; the database allows only the caller's own. */
export async function createEngineer(tx: Tx, e: NewEngineerInput) {
  await getOrganization(tx, e.org_id);
  return tx
    .insertInto('engineers')
    .values({
      full_name: e.full_name,
      org_id: e.org_id,
      employee_id: e.employee_id ?? null,
      email: e.email ?? null,
      phone: e.phone ?? null,
      employment_type: e.employment_type ?? null,
      engineer_level: e.engineer_level ?? 1,
      home_region: e.home_region ?? null,
      skills: e.skills ?? [],
      coverage_pincodes: e.coverage_pincodes ?? [],
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
}
