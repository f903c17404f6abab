import { Type } from 'typebox';
import { AsOfQuery } from '../http/as-of.ts';
import { LegacyId, Money, Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';
import { RELATIONSHIP_TYPES, TRANSFER_TYPES } from './relationship-types.ts';

/** Request and response shapes of the T1.4 routes (relationships-routes.ts). */
export const RelationshipPeriod = Type.Object(
  {
    id: Uuid,
    equipment_id: LegacyId,
    relationship_type: StringEnum(RELATIONSHIP_TYPES),
    organization_id: Nullable(Uuid),
    organization_name: Type.Optional(Nullable(Type.String())),
    facility_id: Nullable(Uuid),
    facility_name: Type.Optional(Nullable(Type.String())),
    valid_from: Timestamp,
    valid_to: Nullable(Timestamp),
    transfer_type: StringEnum(TRANSFER_TYPES),
    transfer_reason: Nullable(Type.String()),
    transfer_document_url: Nullable(Type.String()),
    amount: Nullable(Money),
    currency: Type.String(),
    created_by: Type.String(),
    created_at: Timestamp,
  },
  { description: 'One validity period of a role, half-open [valid_from, valid_to); valid_to null = open' },
);

export const PeriodList = Type.Object({ as_of: Type.Optional(Timestamp), items: Type.Array(RelationshipPeriod) });

export const PartyChangeBody = Type.Object({ closed: Nullable(RelationshipPeriod), opened: RelationshipPeriod });

export const SupplyChainBody = Type.Object({
  as_of: Timestamp,
  items: Type.Array(
    Type.Object({
      role: StringEnum(['manufacturer', 'distributor', 'dealer', 'owner'] as const),
      organization_id: Uuid,
      organization_name: Nullable(Type.String()),
      source: StringEnum(['equipment_relationships', 'org_relationships'] as const),
      period_id: Nullable(Uuid),
    }),
  ),
});

const change = {
  effective_at: Type.Optional(
    Type.String({ format: 'date-time', description: 'When the change took effect; not in the future. (Default: now)' }),
  ),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  document_url: Type.Optional(Type.String({ maxLength: 2000, description: 'Invoice, lease or transfer document' })),
  expected_current_id: Type.Optional(
    Nullable(
      Type.String({ format: 'uuid', description: 'The period you saw as current; a 409 if it changed meanwhile (null: you saw none)' }),
    ),
  ),
};

export const TransferBody = Type.Object({
  kind: StringEnum(['sale', 'lease', 'transfer'] as const),
  to_organization_id: Uuid,
  lease_ends_at: Type.Optional(Type.String({ format: 'date-time', description: 'Required for a lease: the lease period ends then' })),
  amount: Type.Optional(Money),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217. (Default: INR)' })),
  ...change,
});

export const RelocateBody = Type.Object({ to_facility_id: Uuid, ...change });

export const ServiceProviderBody = Type.Object({
  to_organization_id: Uuid,
  until: Type.Optional(Type.String({ format: 'date-time', description: 'End of the service contract. (Default: open)' })),
  amount: Type.Optional(Money),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  ...change,
});

export const HistoryQuery = Type.Object({ relationship_type: Type.Optional(StringEnum(RELATIONSHIP_TYPES)) });
export const HeldQuery = Type.Object({
  ...AsOfQuery,
  relationship_type: Type.Optional(StringEnum(RELATIONSHIP_TYPES, { description: 'The role held. (Default: owned_by)' })),
});
