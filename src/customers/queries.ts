import { sql } from 'kysely';
import type { Caller } from '../auth/caller.ts';
import type { Tx } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import { equipmentHasCustomerLink, ticketCustomerColumn } from './link-column.ts';

/**
 * Customers (T1.2): one row per customer instead of copies on every ticket. Every function runs in
 * the caller's transaction, so row-level security decides what exists. Phones are normalised by the
 * database's normalize_in_phone() — the rule the deduplication uses — so input is read exactly as
 * the legacy copies were.
 */
export const CUSTOMER_COLUMNS = [
  'id',
  'customer_type',
  'name',
  'primary_phone',
  'whatsapp',
  'email',
  'organization_id',
  'facility_id',
  'address',
  'status',
  'merged_into_id',
  'created_at',
  'updated_at',
] as const;

export interface CustomerInput {
  customer_type?: string;
  name?: string;
  primary_phone?: string | null;
  whatsapp?: string | null;
  email?: string | null;
  organization_id?: string | null;
  facility_id?: string | null;
  address?: object | null;
  status?: string;
}

/** +91 and ten digits, or a 400 naming the field: an unreadable phone is refused, never stored as a placeholder. */
export async function normalisePhone(tx: Tx, value: string | null | undefined, field: string): Promise<string | null | undefined> {
  if (value === undefined || value === null) return value;
  const { rows } = await sql<{ phone: string | null }>`select normalize_in_phone(${value}) as phone`.execute(tx);
  const phone = rows[0]?.phone ?? null;
  if (!phone) {
    throw new AppError('validation_failed', `${field}: "${value}" is not an Indian phone number (ten digits, optionally +91 or 0 first)`, {
      field,
      value,
    });
  }
  return phone;
}

/** An organization (and facility) the caller can see; FK checks bypass row-level security, so this is checked here. */
async function assertVisibleParty(tx: Tx, orgId: string | null | undefined, facilityId: string | null | undefined) {
  if (orgId) {
    const org = await tx.selectFrom('organizations').select('id').where('id', '=', orgId).executeTakeFirst();
    if (!org) {
      throw new AppError('foreign_key_violation', `organization ${orgId} does not exist`, {
        field: 'body.organization_id',
        key: { id: orgId },
      });
    }
  }
  if (facilityId) {
    const f = await tx.selectFrom('organization_facilities').select(['id', 'org_id']).where('id', '=', facilityId).executeTakeFirst();
    if (!f || (orgId && f.org_id !== orgId)) {
      throw new AppError('foreign_key_violation', `facility ${facilityId} does not exist${orgId ? ` in organization ${orgId}` : ''}`, {
        field: 'body.facility_id',
        key: { id: facilityId },
      });
    }
  }
}

async function columnsFrom(tx: Tx, input: CustomerInput): Promise<Record<string, unknown>> {
  await assertVisibleParty(tx, input.organization_id, input.facility_id);
  const out: Record<string, unknown> = {};
  if (input.name !== undefined) out.name = input.name.trim();
  if (input.customer_type !== undefined) out.customer_type = input.customer_type;
  if (input.primary_phone !== undefined) out.primary_phone = await normalisePhone(tx, input.primary_phone, 'body.primary_phone');
  if (input.whatsapp !== undefined) out.whatsapp = await normalisePhone(tx, input.whatsapp, 'body.whatsapp');
  if (input.email !== undefined) out.email = input.email;
  if (input.organization_id !== undefined) out.organization_id = input.organization_id;
  if (input.facility_id !== undefined) out.facility_id = input.facility_id;
  if (input.address !== undefined) out.address = input.address === null ? null : JSON.stringify(input.address);
  if (input.status !== undefined) out.status = input.status;
  return out;
}

export async function createCustomer(tx: Tx, caller: Caller, input: CustomerInput & { name: string }) {
  const values = await columnsFrom(tx, input);
  return tx
    .insertInto('customers')
    .values({
      ...values,
      customer_type: input.customer_type ?? sql`customer_type_from_name(${input.name})`,
      created_by_org_id: caller.orgId,
      created_by: caller.email.slice(0, 255),
    })
    .returning(CUSTOMER_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function getCustomer(tx: Tx, id: string) {
  const row = await tx.selectFrom('customers').select(CUSTOMER_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('customer', id);
  return row;
}

export async function updateCustomer(tx: Tx, id: string, input: CustomerInput) {
  const current = await tx.selectFrom('customers').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current) throw notFound('customer', id);
  if (current.status === 'merged') {
    throw new AppError('conflict', `customer ${id} was merged into another; change the surviving customer`, { id });
  }
  const values = await columnsFrom(tx, input);
  const row = await tx.updateTable('customers').set(values).where('id', '=', id).returning(CUSTOMER_COLUMNS).executeTakeFirst();
  // Row-level security hides a row the caller may read but not change: that is a refusal, not a 404.
  if (!row) throw new AppError('forbidden', `you may not change customer ${id}`, { id });
  return row;
}

/** Deleting keeps the row (tickets point to it): the customer becomes inactive. */
export const deactivateCustomer = (tx: Tx, id: string) => updateCustomer(tx, id, { status: 'inactive' });

export interface CustomerSearch {
  q?: string;
  phone?: string;
  legacy_id?: string;
  include_merged?: boolean;
  limit?: number;
  cursor?: string;
}

/**
 * Search by name (typo-tolerant: trigram similarity on the normalised name key, best first), by
 * phone (normalised, primary or WhatsApp) or by a legacy id; without a name, by name then id with a
 * keyset cursor.
 */
export async function searchCustomers(tx: Tx, s: CustomerSearch) {
  const limit = s.limit ?? 50;
  let query = tx.selectFrom('customers as c').select(CUSTOMER_COLUMNS.map((k) => `c.${k}` as const));
  if (!s.include_merged) query = query.where('c.status', '<>', 'merged');
  if (s.phone !== undefined) {
    const phone = await normalisePhone(tx, s.phone, 'querystring.phone');
    query = query.where((eb) => eb.or([eb('c.primary_phone', '=', phone), eb('c.whatsapp', '=', phone)]));
  }
  if (s.legacy_id !== undefined) {
    const legacy = s.legacy_id.trim();
    query = query.where('c.id', 'in', tx.selectFrom('customer_legacy_ids').select('customer_id').where('legacy_id', '=', legacy));
  }
  if (s.q !== undefined) {
    // Name search ranks by similarity and has no stable keyset: one page of the best matches.
    const key = sql`customer_name_key(${s.q})`;
    const rows = await query
      .where((eb) => eb.or([eb(sql`c.name_key`, '%', key), eb(sql`c.name_key`, 'like', sql`'%' || ${key} || '%'`)]))
      .orderBy(sql`similarity(c.name_key, ${key})`, 'desc')
      .orderBy('c.id')
      .limit(limit)
      .execute();
    return { items: rows, next_cursor: null };
  }
  const after = decodeCursor(s.cursor, 2);
  if (after) query = query.where(sql`(c.name, c.id)`, '>', sql`(${after[0]}, ${after[1]}::uuid)`);
  const rows = await query
    .orderBy('c.name')
    .orderBy('c.id')
    .limit(limit + 1)
    .execute();
  return pageOf(rows, limit, (r) => [r.name, r.id]);
}

/** A customer's tickets, newest first (keyset on created_at, id). */
export async function listCustomerTickets(tx: Tx, id: string, p: { limit?: number; cursor?: string }) {
  await getCustomer(tx, id);
  const column = await ticketCustomerColumn(tx);
  const limit = p.limit ?? 50;
  const after = decodeCursor(p.cursor, 2);
  let query = tx
    .selectFrom('service_tickets')
    .select(['id', 'ticket_number', 'equipment_id', 'equipment_name', 'issue_description', 'priority', 'status', 'created_at'])
    .where(column, '=', id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (after) query = query.where(sql`(created_at, id)`, '<', sql`(${after[0]}::timestamptz, ${after[1]})`);
  return pageOf(await query.execute(), limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
}

/** A customer's devices: those its tickets were raised on, and (before the contract) those linked to it. */
export async function listCustomerEquipment(tx: Tx, id: string) {
  await getCustomer(tx, id);
  const column = await ticketCustomerColumn(tx);
  const linked = (await equipmentHasCustomerLink(tx)) ? sql`or e.customer_uuid = ${id}::uuid` : sql``;
  const { rows } = await sql<{
    id: string;
    serial_number: string;
    equipment_name: string | null;
    qr_code: string | null;
    status: string | null;
    last_ticket_at: Date | null;
  }>`
    select e.id, e.serial_number, e.equipment_name, e.qr_code, e.status, t.last_ticket_at
      from equipment e
      left join (select equipment_id, max(created_at) as last_ticket_at from service_tickets
                  where ${sql.ref(column)} = ${id}::uuid group by equipment_id) t on t.equipment_id = e.id
     where t.equipment_id is not null ${linked}
     order by t.last_ticket_at desc nulls last, e.id`.execute(tx);
  return rows;
}
