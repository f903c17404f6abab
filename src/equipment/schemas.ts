import { Type } from 'typebox';
import { DateOnly, LegacyId, Money, Nullable, StringEnum, Timestamp, Uuid } from '../http/schemas.ts';

export const EQUIPMENT_STATUSES = ['operational', 'down', 'under_maintenance', 'decommissioned'] as const;

export const Equipment = Type.Object({
  id: Type.String(),
  qr_code: Type.String(),
  serial_number: Type.String(),
  equipment_name: Nullable(Type.String()),
  manufacturer_name: Nullable(Type.String()),
  model_number: Nullable(Type.String()),
  category: Nullable(Type.String()),
  customer_name: Nullable(Type.String()),
  manufacturer_org_id: Nullable(Uuid),
  sold_by_dealer_id: Nullable(Uuid),
  owned_by_org_id: Nullable(Uuid),
  installed_facility_id: Nullable(Uuid),
  installation_location: Nullable(Type.String()),
  installation_date: Nullable(DateOnly),
  purchase_date: Nullable(DateOnly),
  purchase_price: Nullable(Type.String()),
  warranty_expiry: Nullable(DateOnly),
  amc_contract_id: Nullable(Type.String()),
  status: Nullable(Type.String()),
  last_service_date: Nullable(DateOnly),
  service_count: Nullable(Type.Integer()),
  specifications: Type.Unknown(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const NewEquipment = Type.Object(
  {
    serial_number: Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' }),
    equipment_name: Type.String({ minLength: 1, maxLength: 300 }),
    manufacturer_name: Type.Optional(Type.String({ maxLength: 200 })),
    model_number: Type.Optional(Type.String({ maxLength: 100 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
    manufacturer_org_id: Type.Optional(Uuid),
    sold_by_dealer_id: Type.Optional(Uuid),
    owned_by_org_id: Type.Optional(Uuid),
    installed_facility_id: Type.Optional(Uuid),
    installation_location: Type.Optional(Type.String({ maxLength: 300 })),
    installation_date: Type.Optional(DateOnly),
    purchase_date: Type.Optional(DateOnly),
    purchase_price: Type.Optional(Type.String({ pattern: '^\\d{1,13}(\\.\\d{1,2})?$', description: 'Rupees, e.g. "250000.00"' })),
    warranty_months: Type.Optional(Type.Integer({ minimum: 0, maximum: 240 })),
    amc_contract_id: Type.Optional(Type.String({ maxLength: 32 })),
    specifications: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const EquipmentQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Serial number, QR code or name contains' })),
  status: Type.Optional(StringEnum(EQUIPMENT_STATUSES)),
  category: Type.Optional(Type.String({ maxLength: 100 })),
  manufacturer_org_id: Type.Optional(Uuid),
  owned_by_org_id: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const QrParams = Type.Object({ qr_code: Type.String({ minLength: 1, maxLength: 255 }) });
export const SerialParams = Type.Object({ serial: Type.String({ minLength: 1, maxLength: 255 }) });
export const EquipmentIdParams = Type.Object({ id: LegacyId });
export { Money };
