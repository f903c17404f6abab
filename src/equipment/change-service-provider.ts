import type { Tx } from '../db/database.ts';
import { changeParty } from './change-party.ts';
import type { PartyChange } from './relationship-types.ts';

/** Hands the servicing of a device to another organization (an AMC provider, the dealer, the OEM): one atomic change of serviced_by. */
export interface ChangeServiceProviderOptions {
  equipmentId: string;
  toOrganizationId: string;
  /** End of the service contract, if it has one. (Default: open) */
  until?: Date | null;
  at?: Date;
  reason?: string | null;
  documentUrl?: string | null;
  amount?: string | null;
  currency?: string;
  actor: string;
  expectedCurrentId?: string | null;
}

export function changeServiceProvider(tx: Tx, o: ChangeServiceProviderOptions): Promise<PartyChange> {
  return changeParty(tx, {
    equipmentId: o.equipmentId,
    type: 'serviced_by',
    organizationId: o.toOrganizationId,
    validTo: o.until ?? null,
    at: o.at,
    transferType: 'transfer',
    reason: o.reason,
    documentUrl: o.documentUrl,
    amount: o.amount,
    currency: o.currency,
    actor: o.actor,
    expectedCurrentId: o.expectedCurrentId,
  });
}
