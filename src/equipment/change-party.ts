import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import type { PartyChange, Period, RelationshipType, TransferType } from './relationship-types.ts';

/**
 * The one write path of T1.4's operations: close the period of one role that covers the instant
 * `at` and open the next at that same instant, in the caller's transaction. Half-open periods make
 * the boundary shared, never overlapping. The legacy columns follow through the history -> legacy
 * trigger (0040) until the contract step.
 *
 * Concurrency: the equipment row is locked first (FOR UPDATE, which also applies the caller's
 * update policy), so two changes of one device run one after the other. A caller that names the
 * period it means to close (`expectedCurrentId`) gets a 409 when another change got there first;
 * the exclusion constraint is the last line (its 23P01 maps to 409 too).
 */
export interface ChangePartyOptions {
  equipmentId: string;
  type: RelationshipType;
  /** The organization taking the role; for installed_at it is the facility's organization. */
  organizationId?: string | null;
  /** Only for installed_at. */
  facilityId?: string | null;
  /** When the change takes effect; not in the future. (Default: the database clock, after the lock) */
  at?: Date;
  /** End of the new period, e.g. a lease's end. (Default: open) */
  validTo?: Date | null;
  transferType: TransferType;
  reason?: string | null;
  documentUrl?: string | null;
  amount?: string | null;
  /** ISO 4217. (Default: INR) */
  currency?: string;
  /** Who made the change (a user id). */
  actor: string;
  /** The id of the period the caller saw as current (null: it saw the role vacant). (Default: no check) */
  expectedCurrentId?: string | null;
}

export async function changeParty(tx: Tx, o: ChangePartyOptions): Promise<PartyChange> {
  const visible = await sql<{ id: string }>`select id from equipment where id = ${o.equipmentId}`.execute(tx);
  if (!visible.rows[0]) {
    await assertNotLostRace(tx, o);
    throw notFound('equipment', o.equipmentId);
  }
  // FOR UPDATE waits for a concurrent change and then re-applies the caller's update policy, so an
  // empty answer here means: another change made while we waited took the device out of our hands.
  const locked = await sql<{ id: string; now: Date }>`
    select id, clock_timestamp() as now from equipment where id = ${o.equipmentId} for update`.execute(tx);
  const device = locked.rows[0];
  if (!device) {
    const still = await sql<{ id: string }>`select id from equipment where id = ${o.equipmentId}`.execute(tx);
    throw still.rows[0]
      ? new AppError('forbidden', `you may read ${o.equipmentId} but not change its parties`, { equipment_id: o.equipmentId })
      : new AppError('conflict', `${o.equipmentId} changed hands while this change waited; it is no longer yours to change`, {
          equipment_id: o.equipmentId,
        });
  }

  const at = o.at ?? device.now;
  if (at.getTime() > device.now.getTime()) {
    throw new AppError('validation_failed', `effective_at ${at.toISOString()} is in the future; record a change when it happens`, {
      field: 'effective_at',
    });
  }
  if (o.validTo && o.validTo.getTime() <= at.getTime()) {
    throw new AppError('validation_failed', `the period must end after it starts (${at.toISOString()})`, { field: 'valid_to' });
  }
  const party = await resolveParty(tx, o);

  const covering = await sql<Period>`
    select * from equipment_relationships
     where equipment_id = ${o.equipmentId} and relationship_type = ${o.type}
       and valid_from <= ${at} and (valid_to is null or valid_to > ${at})
     for update`.execute(tx);
  const current = covering.rows[0] ?? null;

  if (o.expectedCurrentId !== undefined && (current?.id ?? null) !== o.expectedCurrentId) {
    throw new AppError(
      'conflict',
      `the current ${o.type} period of ${o.equipmentId} is ${current?.id ?? 'none'}, not ${o.expectedCurrentId ?? 'none'}: it changed meanwhile`,
      {
        equipment_id: o.equipmentId,
        relationship_type: o.type,
        current_id: current?.id ?? null,
        expected_id: o.expectedCurrentId,
      },
    );
  }
  const later = await sql<{ id: string; valid_from: Date }>`
    select id, valid_from from equipment_relationships
     where equipment_id = ${o.equipmentId} and relationship_type = ${o.type} and valid_from > ${at}
     order by valid_from limit 1`.execute(tx);
  if (later.rows[0]) {
    throw new AppError(
      'conflict',
      `a later ${o.type} period (${later.rows[0].id}) already starts at ${later.rows[0].valid_from.toISOString()}`,
      {
        conflicting_id: later.rows[0].id,
      },
    );
  }
  if (current) {
    const same = o.type === 'installed_at' ? current.facility_id === party.facilityId : current.organization_id === party.organizationId;
    // A lease or service contract may be renewed with the same party; a transfer to the holder is a mistake.
    if (same && o.type !== 'leased_to' && o.type !== 'serviced_by') {
      throw new AppError('conflict', `${o.equipmentId} is already ${o.type} that party (period ${current.id})`, { current_id: current.id });
    }
    if (current.valid_from.getTime() >= at.getTime()) {
      throw new AppError(
        'conflict',
        `the current ${o.type} period starts at ${current.valid_from.toISOString()}, not before ${at.toISOString()}`,
        {
          current_id: current.id,
        },
      );
    }
  }

  const closed = current
    ? ((await sql<Period>`update equipment_relationships set valid_to = ${at} where id = ${current.id} returning *`.execute(tx)).rows[0] ??
      null)
    : null;
  const opened = await sql<Period>`
    insert into equipment_relationships (equipment_id, relationship_type, organization_id, facility_id, valid_from, valid_to,
      transfer_type, transfer_reason, transfer_document_url, amount, currency, created_by)
    values (${o.equipmentId}, ${o.type}, ${party.organizationId}, ${party.facilityId}, ${at}, ${o.validTo ?? null},
      ${o.transferType}, ${o.reason ?? null}, ${o.documentUrl ?? null}, ${o.amount ?? null}, ${o.currency ?? 'INR'}, ${o.actor})
    returning *`.execute(tx);
  return { closed, opened: opened.rows[0] as Period };
}

/**
 * A caller that names the period it saw, when a change committed before this one began has closed
 * it and taken the device out of the caller's hands (it no longer sees the device): that is a lost
 * race, 409, not an unknown device. The caller's own organization's periods stay readable to it
 * (0040 party_read), so this reveals nothing it could not read.
 */
async function assertNotLostRace(tx: Tx, o: ChangePartyOptions): Promise<void> {
  if (!o.expectedCurrentId) return;
  const seen = await sql<{ valid_to: Date | null }>`
    select valid_to from equipment_relationships
     where id = ${o.expectedCurrentId} and equipment_id = ${o.equipmentId} and relationship_type = ${o.type}`.execute(tx);
  if (seen.rows[0]?.valid_to) {
    throw new AppError('conflict', `${o.equipmentId} changed hands: period ${o.expectedCurrentId} was closed meanwhile`, {
      equipment_id: o.equipmentId,
      relationship_type: o.type,
      expected_id: o.expectedCurrentId,
    });
  }
}

async function resolveParty(tx: Tx, o: ChangePartyOptions): Promise<{ organizationId: string | null; facilityId: string | null }> {
  if (o.type !== 'installed_at') {
    if (!o.organizationId) throw new AppError('validation_failed', `${o.type} needs an organization`, { field: 'organization_id' });
    // The foreign key checks existence (a 422); the buyer may be outside the caller's network.
    return { organizationId: o.organizationId, facilityId: null };
  }
  if (!o.facilityId) throw new AppError('validation_failed', 'installed_at needs a facility', { field: 'facility_id' });
  const facility = await sql<{ org_id: string }>`select org_id from organization_facilities where id = ${o.facilityId}`.execute(tx);
  const row = facility.rows[0];
  if (!row) throw new AppError('foreign_key_violation', `facility ${o.facilityId} does not exist`, { field: 'facility_id' });
  return { organizationId: row.org_id, facilityId: o.facilityId };
}
