import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { migrationsDir } from '../../src/paths.ts';

/**
 * T1.2/T3.3 tests run their own migration folder: the platform steps they build on (0001–0008),
 * this ticket's steps (0020–0026, 0920, 0921), so a step another engineer is still writing in
 * db/migrations cannot break them.
 */
export async function t12MigrationsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'abymed-t12-'));
  const mine = (f: string) => /^(000[1-8]|002[0-6]|092[01])_/.test(f);
  for (const f of (await readdir(migrationsDir)).filter(mine)) await copyFile(join(migrationsDir, f), join(dir, f));
  return dir;
}

export interface LegacyTicket {
  id: string;
  customer_id?: string | null;
  customer_name: string;
  customer_phone?: string | null;
  customer_whatsapp?: string | null;
  equipment_id?: string;
}

/** Inserts tickets the way the legacy application does: copies only, varchar ids. */
export async function insertLegacyTickets(c: Pick<pg.ClientBase, 'query'>, tickets: LegacyTicket[]): Promise<void> {
  for (const t of tickets) {
    await c.query(
      `insert into service_tickets (id, ticket_number, equipment_id, serial_number, equipment_name, customer_id, customer_name,
                                    customer_phone, customer_whatsapp, issue_description, created_at, updated_at)
       values ($1::text, 'TKT-' || $1::text, $2::text, 'SN-' || $2::text, 'Ventilator', $3, $4, $5, $6, 'does not start',
               timestamptz '2025-01-01', timestamptz '2025-02-01')`,
      [t.id, t.equipment_id ?? 'EQ-1', t.customer_id ?? null, t.customer_name, t.customer_phone ?? null, t.customer_whatsapp ?? null],
    );
  }
}

/**
 * The legacy customer data of the tests, by the seed manifest's categories. Expected outcome:
 * 8 customers, 2 review cases (documented per line).
 */
export const LEGACY_TICKETS: LegacyTicket[] = [
  // name variants + phone formats of one hospital → 1 customer (Apollo)
  { id: 'T01', customer_id: 'CUST-00042', customer_name: 'Apollo Hospital', customer_phone: '+91-98765-43210' },
  { id: 'T02', customer_id: null, customer_name: 'APOLLO HOSPITALS', customer_phone: '098765 43210' },
  { id: 'T03', customer_id: null, customer_name: 'Apollo Hosp.', customer_phone: '9876543210' },
  { id: 'T04', customer_id: 'CUST-00042', customer_name: 'Apollo Hospital, Chennai', customer_phone: null },
  // phone formats, UUID-shaped legacy id → 1 customer (Fortis)
  { id: 'T05', customer_id: '6f1c2b9e0d7a4c1e9d553b2f8c1a7e10', customer_name: 'Fortis Clinic', customer_phone: '0091 98111 22233' },
  { id: 'T06', customer_id: null, customer_name: 'Fortis Clinic', customer_phone: '+91 9811122233', customer_whatsapp: '9811122233' },
  // phone missing, or a placeholder → NULL phone, never 'UNKNOWN' → 1 customer (Sharma)
  { id: 'T07', customer_id: 'legacy#7', customer_name: 'Dr. Sharma Clinic', customer_phone: 'UNKNOWN' },
  { id: 'T08', customer_id: null, customer_name: 'Dr Sharma Clinic', customer_phone: '' },
  { id: 'T09', customer_id: null, customer_name: 'dr sharma clinic', customer_phone: null },
  // same phone, two names → 2 customers + 1 review case
  { id: 'T10', customer_id: null, customer_name: 'Sunrise Diagnostics', customer_phone: '9812345678' },
  { id: 'T11', customer_id: null, customer_name: 'Lakshmi Nursing Home', customer_phone: '+919812345678' },
  // same name, different phones → 2 customers + 1 review case
  { id: 'T12', customer_id: 'KSUID2b9xXq0000000000000001', customer_name: 'City Care Hospital', customer_phone: '9800000001' },
  { id: 'T13', customer_id: null, customer_name: 'City Care Hospital', customer_phone: '9800000002' },
  // a blank name on a legacy ticket still gets a customer → 1 customer
  { id: 'T14', customer_id: null, customer_name: '  ', customer_phone: '9999999999' },
];
export const EXPECTED = { customers: 8, reviewCases: 2, merged: 14 - 8 };
