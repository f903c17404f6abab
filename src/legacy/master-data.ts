import type pg from 'pg';
import type { AcknowledgedWrite } from '../zero-downtime/workload.ts';
import { written } from './written.ts';

/**
 * The old admin screens' edits to master data, each overwriting in place what the new schema
 * versions: prices (#9), relationship terms (#3), coverage arrays (#5), the primary contact (#12),
 * certification renewals (#8) and territory owners (#13).
 */

/** A new price for (book, sku) replaces the old one; validity dates are written but ignored. */
export function upsertPriceRule(db: pg.ClientBase, bookId: string, skuId: string, price: string) {
  return written(
    db,
    'price_rules',
    ['book_id', 'sku_id'],
    ['price', 'valid_from', 'valid_to'],
    `insert into price_rules (book_id, sku_id, price, valid_from, valid_to) values ($1, $2, $3, date_trunc('day', now()), null)
     on conflict (book_id, sku_id) do update set price = excluded.price, valid_from = excluded.valid_from, valid_to = null`,
    [bookId, skuId, price],
  );
}

export interface Terms {
  commission: string;
  creditLimit: string;
  annualTarget: string;
  tier: 'bronze' | 'silver' | 'gold' | 'platinum';
  paymentDays: number;
}

export function overwriteRelationshipTerms(db: pg.ClientBase, relationshipId: string, t: Terms) {
  return written(
    db,
    'org_relationships',
    ['id'],
    ['commission_percentage', 'credit_limit', 'annual_target', 'performance_tier', 'payment_terms'],
    `update org_relationships set commission_percentage = $2, credit_limit = $3, annual_target = $4, performance_tier = $5,
       payment_terms = $6 where id = $1`,
    [relationshipId, t.commission, t.creditLimit, t.annualTarget, t.tier, JSON.stringify({ type: 'net_days', days: t.paymentDays })],
  );
}

export function editCoverage(db: pg.ClientBase, engineerId: string, coverage: { pincodes: string[]; cities: string[]; states: string[] }) {
  return written(
    db,
    'engineers',
    ['id'],
    ['coverage_pincodes', 'coverage_cities', 'coverage_states'],
    'update engineers set coverage_pincodes = $2, coverage_cities = $3, coverage_states = $4 where id = $1',
    [engineerId, coverage.pincodes, coverage.cities, coverage.states],
  );
}

/** Two statements, no transaction, no history: clear every primary of the org, then set one. */
export async function flipPrimaryContact(db: pg.ClientBase, orgId: string, contactId: string): Promise<AcknowledgedWrite[]> {
  const cleared = await written(
    db,
    'contact_persons',
    ['id'],
    ['is_primary'],
    'update contact_persons set is_primary = false where org_id = $1 and is_primary and id <> $2',
    [orgId, contactId],
  );
  const set = await written(db, 'contact_persons', ['id'], ['is_primary'], 'update contact_persons set is_primary = true where id = $1', [
    contactId,
  ]);
  return [...cleared, ...set];
}

/** A renewal edits the row: the previous certificate's number and dates are gone. */
export function renewCertification(db: pg.ClientBase, certificationId: string, number: string, years: number) {
  return written(
    db,
    'organization_certifications',
    ['id'],
    ['certification_number', 'issue_date', 'expiry_date', 'status'],
    `update organization_certifications set certification_number = $2, issue_date = current_date,
       expiry_date = current_date + make_interval(years => $3), status = 'active' where id = $1`,
    [certificationId, number, years],
  );
}

export function reassignTerritory(db: pg.ClientBase, territoryId: string, orgId: string | null, facilityId: string | null) {
  return written(
    db,
    'territories',
    ['id'],
    ['assigned_to_org_id', 'assigned_to_facility_id'],
    'update territories set assigned_to_org_id = $2, assigned_to_facility_id = $3 where id = $1',
    [territoryId, orgId, facilityId],
  );
}
