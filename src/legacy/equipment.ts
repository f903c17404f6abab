import type pg from 'pg';
import { ksuid } from './ids.ts';
import { written } from './written.ts';

/** POST /equipment: static owner columns and the customer copied in (flaws #2 and #7). */
export interface RegisterEquipmentInput {
  qrCode: string;
  serialNumber: string;
  name: string;
  manufacturerName: string;
  model: string;
  category: string;
  customer: { id: string | null; name: string | null };
  manufacturerOrgId: string | null;
  soldByDealerId: string | null;
  ownedByOrgId: string | null;
  installedFacilityId: string | null;
  location: string;
  purchasePrice: string;
  warrantyMonths: number;
}

export function registerEquipment(db: pg.ClientBase, input: RegisterEquipmentInput) {
  return written(
    db,
    'equipment',
    ['id'],
    [
      'qr_code',
      'serial_number',
      'equipment_name',
      'manufacturer_name',
      'model_number',
      'category',
      'customer_id',
      'customer_name',
      'manufacturer_org_id',
      'sold_by_dealer_id',
      'owned_by_org_id',
      'installed_facility_id',
      'installation_location',
      'installation_date',
      'purchase_date',
      'purchase_price',
      'warranty_expiry',
      'status',
      'specifications',
    ],
    `insert into equipment (id, qr_code, serial_number, equipment_name, manufacturer_name, model_number, category, customer_id,
       customer_name, manufacturer_org_id, sold_by_dealer_id, owned_by_org_id, installed_facility_id, installation_location,
       installation_date, purchase_date, purchase_price, warranty_expiry, status, specifications)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, current_date, current_date, $15,
       current_date + make_interval(months => $16), 'operational', $17)`,
    [
      ksuid(),
      input.qrCode,
      input.serialNumber,
      input.name,
      input.manufacturerName,
      input.model,
      input.category,
      input.customer.id,
      input.customer.name,
      input.manufacturerOrgId,
      input.soldByDealerId,
      input.ownedByOrgId,
      input.installedFacilityId,
      input.location,
      input.purchasePrice,
      input.warrantyMonths,
      JSON.stringify({ registered_by: 'legacy-app' }),
    ],
  );
}
