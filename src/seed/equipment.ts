import { addMonths, BASE_MS, DAY, HOUR, iso, isoDay, rupees, type SeedContext } from './context.ts';
import { json, line } from './copy.ts';
import { ksuid, legacyCustomerId, scatter } from './ids.ts';
import { DEFECTS } from './manifest.ts';
import { CATEGORIES, CATEGORY_CODE, CATEGORY_WEIGHTS, type Category, LOCATIONS } from './reference.ts';
import { Quota, quotaFor, type Rng } from './rng.ts';
import type { Devices, Org, Product, World } from './world.ts';

/**
 * Installed devices: 750 per scale unit (or the count given to the generator), the five demo
 * units of the original seed script first (`EQ-DEMO-000N`), ~3% with registry codes
 * (`REG-<MFR>-<TYPE>-NNN`) and the rest with KSUIDs
 * (#10). Ownership is static (#2) and the customer is copied in (#7) with the seeded defects
 * customers.name_variants and customers.non_uuid_id.
 */
const DEMO: readonly {
  name: string;
  model: string;
  product: string;
  customer: string;
  location: string;
  price: number;
  warranty: number;
  category: Category;
}[] = [
  {
    name: 'ECG Machine Pro',
    model: 'ECG-1000',
    product: 'ECG-1000',
    customer: 'AIIMS New Delhi',
    location: 'Cardiology OPD',
    price: 250_000,
    warranty: 12,
    category: 'ECG',
  },
  {
    name: 'Ventilator Max',
    model: 'VTL-500',
    product: 'VTL-500',
    customer: 'Apollo Hospitals, Chennai',
    location: 'ICU',
    price: 850_000,
    warranty: 24,
    category: 'Ventilator',
  },
  {
    name: 'Infusion Pump Lite',
    model: 'INF-200',
    product: 'INF-200',
    customer: 'Fortis Hospital, Mumbai',
    location: 'Ward 3B',
    price: 65_000,
    warranty: 12,
    category: 'Infusion Pump',
  },
  {
    name: 'X-Ray XR-900',
    model: 'XR-900',
    product: 'BRIVO-XR385',
    customer: 'Manipal Hospital, Bangalore',
    location: 'X-Ray Room 1',
    price: 420_000,
    warranty: 18,
    category: 'X-Ray',
  },
  {
    name: 'CT Scanner CT-16S',
    model: 'CT-16S',
    product: 'SOMATOM-GOUP',
    customer: 'Yashoda Hospitals, Hyderabad',
    location: 'CT Room',
    price: 12_500_000,
    warranty: 12,
    category: 'CT',
  },
];

function specifications(rng: Rng, category: Category): Record<string, unknown> {
  const base = { power_supply: '230V AC, 50Hz' };
  switch (category) {
    case 'MRI':
      return { ...base, field_strength: rng.pick(['1.5T', '3T']), channels: rng.pick([16, 32, 48]) };
    case 'CT':
      return { ...base, slices: rng.pick([16, 32, 64, 128]) };
    case 'X-Ray':
      return { ...base, detector: rng.pick(['flat panel', 'CR cassette']), generator_kw: rng.pick([32, 50, 65]) };
    case 'Ultrasound':
      return { ...base, probes: rng.int(2, 4), doppler: rng.chance(0.8) };
    case 'Ventilator':
      return { ...base, modes: rng.sample(['VC', 'PC', 'SIMV', 'CPAP', 'BiPAP', 'PRVC'], rng.int(3, 5)), neonatal: rng.chance(0.3) };
    case 'ECG':
      return { ...base, channels: rng.pick([3, 6, 12]) };
    case 'Dialysis':
      return { ...base, therapy: rng.pick(['HD', 'HDF']) };
    case 'Patient Monitor':
      return { ...base, parameters: rng.sample(['ECG', 'SpO2', 'NIBP', 'Temp', 'EtCO2', 'IBP'], rng.int(3, 6)) };
    case 'Infusion Pump':
      return { ...base, pump_type: rng.pick(['volumetric', 'syringe']) };
  }
}

export async function seedEquipment(ctx: SeedContext, world: World): Promise<{ devices: Devices; customers: CustomerTally }> {
  const rng = ctx.rng('equipment');
  const count = ctx.deviceCount;
  const devices: Devices = {
    count,
    id: new Array(count),
    qr: new Array(count),
    serial: new Array(count),
    name: new Array(count),
    owner: new Int32Array(count),
    category: new Array(count),
    installedMs: new Float64Array(count),
  };
  const quota = new Quota(count, {
    name_variant: quotaFor(DEFECTS['customers.name_variants'].rate, count),
    non_uuid: quotaFor(DEFECTS['customers.non_uuid_id'].rate, count),
  });
  const variantsUsed = new Set<string>();

  const cumulative: number[] = [];
  let total = 0;
  for (const c of world.customers) cumulative.push((total += c.weight));
  const pickOwner = (): number => {
    const r = rng.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const productsByCategory = new Map<Category, Product[]>(CATEGORIES.map((c) => [c, world.products.filter((p) => p.spec.category === c)]));
  const categoryWeights = CATEGORIES.map((c) => [c, CATEGORY_WEIGHTS[c]] as const);
  const dealersByCity = new Map<number, Org[]>();
  for (const d of world.dealers) dealersByCity.set(d.city, [...(dealersByCity.get(d.city) ?? []), d]);
  const codeCounters = new Map<string, number>();
  const qrPerDay = new Map<string, number>();
  const serialOffset = rng.int(0, 9_999_999);
  const lastDay = BASE_MS - 17 * DAY;

  function* lines(): Generator<string> {
    for (let i = 0; i < count; i++) {
      const demo = DEMO[i];
      const ownerIndex = demo ? world.customers.findIndex((c) => c.name === demo.customer) : pickOwner();
      const owner = world.customers[ownerIndex] as Org;
      const product = demo
        ? (world.products.find((p) => p.spec.model === demo.product) as Product)
        : rng.pick(productsByCategory.get(rng.weighted(categoryWeights)) as Product[]);
      const mfr = product.manufacturer;
      const category = product.spec.category;
      const installed = Date.UTC(2016, 0, 1) + rng.int(0, Math.floor((lastDay - Date.UTC(2016, 0, 1)) / DAY)) * DAY + rng.int(9, 17) * HOUR;
      const purchased = installed - rng.int(7, 60) * DAY;

      const catCode = CATEGORY_CODE[category];
      const codeKey = `${mfr.code}-${catCode}`;
      let id: string;
      let qr: string;
      if (demo || rng.chance(0.03)) {
        const n = (codeCounters.get(codeKey) ?? 0) + 1;
        codeCounters.set(codeKey, n);
        id = demo ? `EQ-DEMO-${String(i + 1).padStart(4, '0')}` : `REG-${codeKey}-${String(n).padStart(3, '0')}`;
        qr = `QR-${codeKey}-${String(n).padStart(3, '0')}`;
        ctx.shape(demo ? 'equipment.id.demo_code' : 'equipment.id.registry_code');
      } else {
        id = ksuid(rng, installed);
        const dayKey = isoDay(installed).replace(/-/g, '');
        const n = (qrPerDay.get(dayKey) ?? 0) + 1;
        qrPerDay.set(dayKey, n);
        qr = `QR-${dayKey}-${String(n).padStart(6, '0')}`;
        ctx.shape('equipment.id.ksuid');
      }
      const serial = `${mfr.code}${String(new Date(installed).getUTCFullYear()).slice(2)}${catCode}${String(scatter(i, 7919, serialOffset, 10_000_000)).padStart(7, '0')}`;

      let customerId = legacyCustomerId(owner.id);
      let customerName = owner.name;
      const defect = quota.next(rng);
      if (defect === 'name_variant') {
        customerName = rng.pick(owner.variants);
        variantsUsed.add(`${owner.id}\t${customerName}`);
      } else if (defect === 'non_uuid') customerId = owner.externalRef as string;

      const local = dealersByCity.get(owner.city);
      const seller = local && rng.chance(0.65) ? rng.pick(local) : (owner.distributor as Org);
      const pricePaise = demo ? demo.price * 100 : Math.round(rng.int(product.spec.price[0], product.spec.price[1]) / 1000) * 1000 * 100;
      const warrantyMonths = demo ? demo.warranty : rng.pick([12, 18, 24, 36]);
      const warranty = addMonths(purchased, warrantyMonths);
      const amc =
        warranty < BASE_MS && rng.chance(0.5) ? `AMC-${owner.code.slice(5)}-${String(rng.int(1, 99_999)).padStart(5, '0')}` : null;
      const serviced = installed + rng.int(0, Math.floor((BASE_MS - installed) / DAY)) * DAY;
      const status = rng.weighted([
        ['operational', 85],
        ['under_maintenance', 6],
        ['down', 5],
        ['decommissioned', 4],
      ] as const);

      devices.id[i] = id;
      devices.qr[i] = qr;
      devices.serial[i] = serial;
      devices.name[i] = demo ? demo.name : product.spec.name;
      devices.owner[i] = ownerIndex;
      devices.category[i] = category;
      devices.installedMs[i] = installed;
      yield line([
        id,
        qr,
        serial,
        devices.name[i],
        mfr.name,
        demo ? demo.model : product.spec.model,
        category,
        customerId,
        customerName,
        mfr.id,
        seller.id,
        owner.id,
        owner.facilityId,
        demo ? demo.location : rng.pick(LOCATIONS[category]),
        isoDay(installed),
        isoDay(purchased),
        rupees(pricePaise),
        isoDay(warranty),
        amc,
        status,
        isoDay(serviced),
        rng.int(0, 15),
        json(specifications(rng, category)),
        iso(installed),
        iso(serviced + 10 * HOUR),
      ]);
    }
  }
  ctx.expect('equipment', count);
  await ctx.load(
    'equipment',
    [
      'id',
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
      'amc_contract_id',
      'status',
      'last_service_date',
      'service_count',
      'specifications',
      'created_at',
      'updated_at',
    ],
    lines(),
  );
  return {
    devices,
    customers: {
      nameVariant: quota.taken.get('name_variant') ?? 0,
      nonUuid: quota.taken.get('non_uuid') ?? 0,
      variantsUsed,
      population: count,
    },
  };
}

/** Customer defects seeded into equipment, merged with the tickets' into one manifest entry per class. */
export interface CustomerTally {
  nameVariant: number;
  nonUuid: number;
  /** `org id<TAB>spelling` of every variant spelling used. */
  variantsUsed: Set<string>;
  population: number;
}
