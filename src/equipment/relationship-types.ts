/**
 * The vocabulary of T1.4 (target-schema.md §2): the roles an organization or facility plays for a
 * device, and the kinds of change that open a period. The database checks the same lists
 * (0040: equipment_relationships_type_check, _transfer_type_check).
 */
export const RELATIONSHIP_TYPES = ['manufactured_by', 'sold_by', 'owned_by', 'installed_at', 'serviced_by', 'leased_to'] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

export const TRANSFER_TYPES = ['initial', 'sale', 'lease', 'transfer', 'relocation'] as const;
export type TransferType = (typeof TRANSFER_TYPES)[number];

/** One validity period, as stored; `valid_to` null = open. Half-open: [valid_from, valid_to). */
export interface Period {
  id: string;
  equipment_id: string;
  relationship_type: RelationshipType;
  organization_id: string | null;
  facility_id: string | null;
  valid_from: Date;
  valid_to: Date | null;
  transfer_type: TransferType;
  transfer_reason: string | null;
  transfer_document_url: string | null;
  amount: string | null;
  currency: string;
  created_by: string;
  created_at: Date;
}

/** A period with the names of its parties, for reads. */
export interface NamedPeriod extends Period {
  organization_name: string | null;
  facility_name: string | null;
}

/** What a change did: the period it closed (none when the role was vacant) and the one it opened. */
export interface PartyChange {
  closed: Period | null;
  opened: Period;
}
