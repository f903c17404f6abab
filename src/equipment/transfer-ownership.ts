import type { Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { changeParty } from './change-party.ts';
import type { PartyChange } from './relationship-types.ts';

/**
 * Transfer of a device to another organization, one atomic change:
 * - `sale`: ownership passes to the buyer (owned_by), with the amount and currency;
 * - `transfer`: ownership passes without a sale (a donation, a merger, a correction);
 * - `lease`: the owner stays; the lessee holds leased_to from `at` until `leaseEndsAt`, and the
 *   period ends by itself then (no job needs to close it).
 */
export interface TransferOwnershipOptions {
  equipmentId: string;
  kind: 'sale' | 'lease' | 'transfer';
  toOrganizationId: string;
  /** Required for a lease. */
  leaseEndsAt?: Date | null;
  at?: Date;
  reason?: string | null;
  documentUrl?: string | null;
  amount?: string | null;
  currency?: string;
  actor: string;
  expectedCurrentId?: string | null;
}

export async function transferOwnership(tx: Tx, o: TransferOwnershipOptions): Promise<PartyChange> {
  if (o.kind === 'lease' && !o.leaseEndsAt) {
    throw new AppError('validation_failed', 'a lease needs its end (lease_ends_at)', { field: 'lease_ends_at' });
  }
  if (o.kind !== 'lease' && o.leaseEndsAt) {
    throw new AppError('validation_failed', `lease_ends_at only applies to a lease, not a ${o.kind}`, { field: 'lease_ends_at' });
  }
  return changeParty(tx, {
    equipmentId: o.equipmentId,
    type: o.kind === 'lease' ? 'leased_to' : 'owned_by',
    organizationId: o.toOrganizationId,
    at: o.at,
    validTo: o.kind === 'lease' ? o.leaseEndsAt : null,
    transferType: o.kind,
    reason: o.reason,
    documentUrl: o.documentUrl,
    amount: o.amount,
    currency: o.currency,
    actor: o.actor,
    expectedCurrentId: o.expectedCurrentId,
  });
}
