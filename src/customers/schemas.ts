import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';

export const CUSTOMER_TYPES = ['individual', 'hospital', 'clinic', 'lab', 'diagnostic_center', 'manufacturer', 'dealer', 'other'] as const;
export const CUSTOMER_STATUSES = ['active', 'inactive', 'blocked', 'merged'] as const;
export const REVIEW_KINDS = ['same_phone_different_names', 'same_name_different_phones', 'same_name_several_customers'] as const;
export const REVIEW_STATUSES = ['open', 'merged', 'kept_separate'] as const;

/** An Indian phone in any common writing (+91-98765-43210, 098765 43210 …); stored as +91 and ten digits. */
const PhoneInput = Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9+()\\- ]+$', examples: ['+91 98765 43210'] });
const Address = Type.Object(
  {
    line1: Type.Optional(Type.String({ maxLength: 300 })),
    city: Type.Optional(Type.String({ maxLength: 100 })),
    state: Type.Optional(Type.String({ maxLength: 100 })),
    pincode: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{5}$' })),
  },
  { additionalProperties: false },
);

export const Customer = Type.Object({
  id: Uuid,
  customer_type: Type.String(),
  name: Type.String(),
  primary_phone: Nullable(Type.String()),
  whatsapp: Nullable(Type.String()),
  email: Nullable(Type.String()),
  organization_id: Nullable(Uuid),
  facility_id: Nullable(Uuid),
  address: Type.Unknown(),
  status: Type.String(),
  merged_into_id: Nullable(Uuid),
  created_at: Timestamp,
  updated_at: Timestamp,
});

const customerFields = {
  customer_type: Type.Optional(StringEnum(CUSTOMER_TYPES)),
  name: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
  primary_phone: Type.Optional(Nullable(PhoneInput)),
  whatsapp: Type.Optional(Nullable(PhoneInput)),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
  organization_id: Type.Optional(Nullable(Uuid)),
  facility_id: Type.Optional(Nullable(Uuid)),
  address: Type.Optional(Nullable(Address)),
};

export const NewCustomer = Type.Object(customerFields, { additionalProperties: false });
export const CustomerPatch = Type.Object(
  {
    ...customerFields,
    name: Type.Optional(customerFields.name),
    status: Type.Optional(StringEnum(['active', 'inactive', 'blocked'] as const)),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CustomerQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Name, typo-tolerant (trigram similarity)' })),
  phone: Type.Optional(PhoneInput),
  legacy_id: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'A legacy customer id (UUID-shaped or not)' })),
  include_merged: Type.Optional(Type.Boolean({ default: false })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const CustomerTicket = Type.Object({
  id: Type.String(),
  ticket_number: Type.String(),
  equipment_id: Type.String(),
  equipment_name: Type.String(),
  issue_description: Type.String(),
  priority: Nullable(Type.String()),
  status: Type.String(),
  created_at: Timestamp,
});

export const CustomerDevice = Type.Object({
  id: Type.String(),
  serial_number: Type.String(),
  equipment_name: Nullable(Type.String()),
  qr_code: Nullable(Type.String()),
  status: Nullable(Type.String()),
  last_ticket_at: Nullable(Timestamp),
});

export const ReviewCase = Type.Object({
  id: Uuid,
  kind: Type.String(),
  customer: Customer,
  candidate: Customer,
  similarity: Nullable(Type.Number()),
  reason: Type.String(),
  status: Type.String(),
  merged_into_id: Nullable(Uuid),
  resolved_by: Nullable(Type.String()),
  resolved_at: Nullable(Timestamp),
  resolution_note: Nullable(Type.String()),
  created_at: Timestamp,
});

export const ReviewQuery = Type.Object({
  status: Type.Optional(StringEnum(REVIEW_STATUSES, { default: 'open' })),
  kind: Type.Optional(StringEnum(REVIEW_KINDS)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const Resolution = Type.Object(
  {
    action: StringEnum(['merge', 'keep_separate'] as const),
    survivor_id: Type.Optional(Uuid),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
