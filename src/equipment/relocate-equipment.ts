import type { Tx } from '../db/database.ts';
import { changeParty } from './change-party.ts';
import type { PartyChange } from './relationship-types.ts';

/** Moves a device to another facility (ICU → ER, or to another hospital's site): one atomic change of installed_at. */
export interface RelocateEquipmentOptions {
  equipmentId: string;
  toFacilityId: string;
  at?: Date;
  reason?: string | null;
  documentUrl?: string | null;
  actor: string;
  expectedCurrentId?: string | null;
}

export function relocateEquipment(tx: Tx, o: RelocateEquipmentOptions): Promise<PartyChange> {
  return changeParty(tx, {
    equipmentId: o.equipmentId,
    type: 'installed_at',
    facilityId: o.toFacilityId,
    at: o.at,
    transferType: 'relocation',
    reason: o.reason,
    documentUrl: o.documentUrl,
    actor: o.actor,
    expectedCurrentId: o.expectedCurrentId,
  });
}
