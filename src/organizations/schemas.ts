import { Type } from 'typebox';
import { DateOnly, Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';

export const ORG_TYPES = [
  'manufacturer',
  'distributor',
  'dealer',
  'supplier',
  'hospital',
  'laboratory',
  'diagnostic_center',
  'clinic',
  'imaging_center',
  'service_provider',
  'other',
] as const;
export const FACILITY_TYPES = ['manufacturing', 'warehouse', 'service_center', 'showroom', 'hospital', 'r_and_d', 'training'] as const;

export const Organization = Type.Object({
  id: Uuid,
  name: Type.String(),
  org_type: Type.String(),
  status: Nullable(Type.String()),
  external_ref: Nullable(Type.String()),
  metadata: Type.Unknown(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const NewOrganization = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 300 }),
    org_type: StringEnum(ORG_TYPES),
    external_ref: Type.Optional(Type.String({ maxLength: 100 })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const OrganizationQuery = Type.Object({
  org_type: Type.Optional(StringEnum(ORG_TYPES)),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Name contains (case-insensitive)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

const Address = Type.Object({
  line1: Type.Optional(Type.String({ maxLength: 300 })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  state: Type.Optional(Type.String({ maxLength: 100 })),
  pincode: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{5}$' })),
  country: Type.Optional(Type.String({ maxLength: 100 })),
});

export const Facility = Type.Object({
  id: Uuid,
  org_id: Uuid,
  facility_name: Type.String(),
  facility_code: Nullable(Type.String()),
  facility_type: Nullable(Type.String()),
  address: Type.Unknown(),
  status: Nullable(Type.String()),
  created_at: Timestamp,
});

export const NewFacility = Type.Object(
  {
    facility_name: Type.String({ minLength: 1, maxLength: 300 }),
    facility_code: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    facility_type: Type.Optional(StringEnum(FACILITY_TYPES)),
    address: Type.Optional(Address),
  },
  { additionalProperties: false },
);

export const Relationship = Type.Object({
  id: Uuid,
  parent_org_id: Uuid,
  child_org_id: Uuid,
  rel_type: Type.String(),
  relationship_status: Nullable(Type.String()),
  start_date: Nullable(DateOnly),
  end_date: Nullable(DateOnly),
  exclusive: Nullable(Type.Boolean()),
  commission_percentage: Nullable(Type.String()),
});
