/**
 * Reference data of the legacy generator: Indian cities, states and pincodes, the real brands,
 * hospitals and distributors of the original seeds (origin-facts §7), the catalogue, and the
 * vocabulary tickets are written in. Data only: no randomness here.
 */

export type Region = 'North' | 'South' | 'East' | 'West' | 'Central';

export interface City {
  city: string;
  state: string;
  region: Region;
  code: string;
  pincodes: readonly string[];
}

/** The pincode reference: every pincode a clean row may use. Coverage outside it is a seeded defect. */
export const CITIES: readonly City[] = [
  { city: 'Mumbai', state: 'Maharashtra', region: 'West', code: 'MUM', pincodes: ['400001', '400013', '400051', '400070', '400093'] },
  { city: 'Navi Mumbai', state: 'Maharashtra', region: 'West', code: 'NVM', pincodes: ['400614', '400703'] },
  { city: 'Thane', state: 'Maharashtra', region: 'West', code: 'THN', pincodes: ['400601', '400607'] },
  { city: 'Pune', state: 'Maharashtra', region: 'West', code: 'PUN', pincodes: ['411001', '411014', '411045', '411057'] },
  { city: 'Nagpur', state: 'Maharashtra', region: 'Central', code: 'NAG', pincodes: ['440001', '440010'] },
  {
    city: 'New Delhi',
    state: 'Delhi',
    region: 'North',
    code: 'DEL',
    pincodes: ['110001', '110002', '110017', '110020', '110029', '110044', '110060'],
  },
  { city: 'Gurgaon', state: 'Haryana', region: 'North', code: 'GUR', pincodes: ['122001', '122002', '122018'] },
  { city: 'Bawal', state: 'Haryana', region: 'North', code: 'BAW', pincodes: ['123501'] },
  { city: 'Noida', state: 'Uttar Pradesh', region: 'North', code: 'NOI', pincodes: ['201301', '201303'] },
  { city: 'Lucknow', state: 'Uttar Pradesh', region: 'North', code: 'LKO', pincodes: ['226001', '226010'] },
  { city: 'Jaipur', state: 'Rajasthan', region: 'North', code: 'JAI', pincodes: ['302001', '302017'] },
  { city: 'Chandigarh', state: 'Chandigarh', region: 'North', code: 'CHD', pincodes: ['160012', '160017'] },
  { city: 'Ludhiana', state: 'Punjab', region: 'North', code: 'LDH', pincodes: ['141001'] },
  { city: 'Dehradun', state: 'Uttarakhand', region: 'North', code: 'DDN', pincodes: ['248001'] },
  { city: 'Ahmedabad', state: 'Gujarat', region: 'West', code: 'AMD', pincodes: ['380006', '380015', '382110'] },
  { city: 'Surat', state: 'Gujarat', region: 'West', code: 'SUR', pincodes: ['395001', '395007'] },
  { city: 'Vadodara', state: 'Gujarat', region: 'West', code: 'VAD', pincodes: ['390007'] },
  { city: 'Indore', state: 'Madhya Pradesh', region: 'Central', code: 'IDR', pincodes: ['452001', '452010'] },
  { city: 'Bhopal', state: 'Madhya Pradesh', region: 'Central', code: 'BHO', pincodes: ['462001'] },
  { city: 'Raipur', state: 'Chhattisgarh', region: 'Central', code: 'RPR', pincodes: ['492001'] },
  {
    city: 'Bangalore',
    state: 'Karnataka',
    region: 'South',
    code: 'BLR',
    pincodes: ['560001', '560016', '560034', '560066', '560099'],
  },
  { city: 'Mysore', state: 'Karnataka', region: 'South', code: 'MYS', pincodes: ['570001'] },
  { city: 'Chennai', state: 'Tamil Nadu', region: 'South', code: 'CHE', pincodes: ['600006', '600017', '600028', '600089'] },
  { city: 'Coimbatore', state: 'Tamil Nadu', region: 'South', code: 'CBE', pincodes: ['641004'] },
  { city: 'Madurai', state: 'Tamil Nadu', region: 'South', code: 'MDU', pincodes: ['625020'] },
  { city: 'Hyderabad', state: 'Telangana', region: 'South', code: 'HYD', pincodes: ['500001', '500034', '500082', '502325'] },
  { city: 'Visakhapatnam', state: 'Andhra Pradesh', region: 'South', code: 'VTZ', pincodes: ['530002'] },
  { city: 'Vijayawada', state: 'Andhra Pradesh', region: 'South', code: 'VJA', pincodes: ['520010'] },
  { city: 'Kochi', state: 'Kerala', region: 'South', code: 'COK', pincodes: ['682024'] },
  { city: 'Thiruvananthapuram', state: 'Kerala', region: 'South', code: 'TRV', pincodes: ['695011'] },
  { city: 'Verna', state: 'Goa', region: 'West', code: 'VER', pincodes: ['403722'] },
  { city: 'Panaji', state: 'Goa', region: 'West', code: 'PNJ', pincodes: ['403001'] },
  { city: 'Kolkata', state: 'West Bengal', region: 'East', code: 'KOL', pincodes: ['700001', '700019', '700054', '700091'] },
  { city: 'Bhubaneswar', state: 'Odisha', region: 'East', code: 'BBI', pincodes: ['751001'] },
  { city: 'Patna', state: 'Bihar', region: 'East', code: 'PAT', pincodes: ['800001'] },
  { city: 'Ranchi', state: 'Jharkhand', region: 'East', code: 'RAN', pincodes: ['834001'] },
  { city: 'Guwahati', state: 'Assam', region: 'East', code: 'GAU', pincodes: ['781005'] },
];

export const REFERENCE_PINCODES: readonly string[] = CITIES.flatMap((c) => c.pincodes);
export const REFERENCE_STATES: readonly string[] = [...new Set(CITIES.map((c) => c.state))];
export const REGIONS: readonly Region[] = ['North', 'South', 'East', 'West', 'Central'];

export const cityIndex = (name: string): number => {
  const i = CITIES.findIndex((c) => c.city === name);
  if (i < 0) throw new Error(`unknown city ${name}`);
  return i;
};

export const CATEGORIES = [
  'MRI',
  'CT',
  'X-Ray',
  'Ultrasound',
  'Ventilator',
  'ECG',
  'Dialysis',
  'Patient Monitor',
  'Infusion Pump',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** How often a category appears among installed devices (origin HEAD: monitors and X-ray lead). */
export const CATEGORY_WEIGHTS: Record<Category, number> = {
  MRI: 3,
  CT: 4,
  'X-Ray': 12,
  Ultrasound: 9,
  Ventilator: 10,
  ECG: 13,
  Dialysis: 9,
  'Patient Monitor': 24,
  'Infusion Pump': 16,
};

export const CATEGORY_CODE: Record<Category, string> = {
  MRI: 'MR',
  CT: 'CT',
  'X-Ray': 'XR',
  Ultrasound: 'US',
  Ventilator: 'VT',
  ECG: 'EC',
  Dialysis: 'DY',
  'Patient Monitor': 'PM',
  'Infusion Pump': 'IP',
};

export interface Manufacturer {
  id: string;
  name: string;
  brand: string;
  code: string;
  city: string;
  facilities: readonly { code: string; name: string; type: string; city: string }[];
}

const mfrId = (n: number) => `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const MANUFACTURERS: readonly Manufacturer[] = [
  {
    id: mfrId(1),
    name: 'Siemens Healthineers India',
    brand: 'Siemens Healthineers',
    code: 'SIE',
    city: 'Gurgaon',
    facilities: [
      { code: 'SIE-MUM-MFG', name: 'Siemens Healthineers Mumbai Plant', type: 'manufacturing', city: 'Mumbai' },
      { code: 'SIE-DEL-SVC', name: 'Siemens Healthineers Delhi Service Centre', type: 'service_center', city: 'New Delhi' },
      { code: 'SIE-BLR-RND', name: 'Siemens Healthineers Bangalore R&D', type: 'r_and_d', city: 'Bangalore' },
      { code: 'SIE-GUR-TRN', name: 'Siemens Healthineers Training Academy', type: 'training', city: 'Gurgaon' },
    ],
  },
  {
    id: mfrId(2),
    name: 'Wipro GE Healthcare',
    brand: 'GE Healthcare',
    code: 'WGE',
    city: 'Bangalore',
    facilities: [
      { code: 'WGE-BLR-MFG', name: 'Wipro GE Whitefield Plant', type: 'manufacturing', city: 'Bangalore' },
      { code: 'WGE-BLR-RND', name: 'John F. Welch Technology Centre', type: 'r_and_d', city: 'Bangalore' },
      { code: 'WGE-CHE-SVC', name: 'Wipro GE Chennai Service Centre', type: 'service_center', city: 'Chennai' },
    ],
  },
  {
    id: mfrId(3),
    name: 'Philips Healthcare India',
    brand: 'Philips',
    code: 'PHI',
    city: 'Pune',
    facilities: [
      { code: 'PHI-PUN-MFG', name: 'Philips Chakan Plant', type: 'manufacturing', city: 'Pune' },
      { code: 'PHI-BLR-RND', name: 'Philips Innovation Campus', type: 'r_and_d', city: 'Bangalore' },
      { code: 'PHI-MUM-SVC', name: 'Philips Mumbai Service Centre', type: 'service_center', city: 'Mumbai' },
    ],
  },
  {
    id: mfrId(4),
    name: 'Medtronic India',
    brand: 'Medtronic',
    code: 'MDT',
    city: 'Mumbai',
    facilities: [
      { code: 'MDT-MUM-SVC', name: 'Medtronic Mumbai Service Centre', type: 'service_center', city: 'Mumbai' },
      { code: 'MDT-HYD-RND', name: 'Medtronic Engineering & Innovation Centre', type: 'r_and_d', city: 'Hyderabad' },
    ],
  },
  {
    id: mfrId(5),
    name: 'Abbott India',
    brand: 'Abbott',
    code: 'ABT',
    city: 'Mumbai',
    facilities: [
      { code: 'ABT-VER-MFG', name: 'Abbott Verna Plant', type: 'manufacturing', city: 'Verna' },
      { code: 'ABT-MUM-SVC', name: 'Abbott Mumbai Service Centre', type: 'service_center', city: 'Mumbai' },
    ],
  },
  {
    id: mfrId(6),
    name: 'Stryker India',
    brand: 'Stryker',
    code: 'STR',
    city: 'Gurgaon',
    facilities: [
      { code: 'STR-GUR-SVC', name: 'Stryker Gurgaon Service Centre', type: 'service_center', city: 'Gurgaon' },
      { code: 'STR-GUR-TRN', name: 'Stryker Customer Education Centre', type: 'training', city: 'Gurgaon' },
    ],
  },
  {
    id: mfrId(7),
    name: 'BD India',
    brand: 'BD',
    code: 'BDI',
    city: 'Gurgaon',
    facilities: [
      { code: 'BDI-BAW-MFG', name: 'BD Bawal Plant', type: 'manufacturing', city: 'Bawal' },
      { code: 'BDI-GUR-SVC', name: 'BD Gurgaon Service Centre', type: 'service_center', city: 'Gurgaon' },
    ],
  },
  {
    id: mfrId(8),
    name: 'Baxter India',
    brand: 'Baxter',
    code: 'BAX',
    city: 'Gurgaon',
    facilities: [
      { code: 'BAX-AHM-MFG', name: 'Baxter Ahmedabad Plant', type: 'manufacturing', city: 'Ahmedabad' },
      { code: 'BAX-GUR-SVC', name: 'Baxter Gurgaon Service Centre', type: 'service_center', city: 'Gurgaon' },
    ],
  },
  {
    id: mfrId(9),
    name: 'B. Braun Medical India',
    brand: 'B. Braun',
    code: 'BBR',
    city: 'Mumbai',
    facilities: [
      { code: 'BBR-HYD-MFG', name: 'B. Braun Hyderabad Plant', type: 'manufacturing', city: 'Hyderabad' },
      { code: 'BBR-MUM-SVC', name: 'B. Braun Mumbai Service Centre', type: 'service_center', city: 'Mumbai' },
      { code: 'BBR-MUM-WH', name: 'B. Braun Bhiwandi Warehouse', type: 'warehouse', city: 'Thane' },
    ],
  },
  {
    id: mfrId(10),
    name: 'Nihon Kohden India',
    brand: 'Nihon Kohden',
    code: 'NKI',
    city: 'Gurgaon',
    facilities: [
      { code: 'NKI-GUR-SVC', name: 'Nihon Kohden Gurgaon Service Centre', type: 'service_center', city: 'Gurgaon' },
      { code: 'NKI-CHE-SVC', name: 'Nihon Kohden Chennai Service Centre', type: 'service_center', city: 'Chennai' },
    ],
  },
  {
    id: mfrId(11),
    name: 'Canon Medical Systems India',
    brand: 'Canon Medical',
    code: 'CAN',
    city: 'Gurgaon',
    facilities: [
      { code: 'CAN-GUR-SVC', name: 'Canon Medical Gurgaon Service Centre', type: 'service_center', city: 'Gurgaon' },
      { code: 'CAN-MUM-SHR', name: 'Canon Medical Mumbai Experience Centre', type: 'showroom', city: 'Mumbai' },
    ],
  },
  {
    id: mfrId(12),
    name: 'Dräger India',
    brand: 'Dräger',
    code: 'DRA',
    city: 'Mumbai',
    facilities: [
      { code: 'DRA-MUM-SVC', name: 'Dräger Mumbai Service Centre', type: 'service_center', city: 'Mumbai' },
      { code: 'DRA-DEL-TRN', name: 'Dräger Delhi Training Centre', type: 'training', city: 'New Delhi' },
    ],
  },
  {
    id: mfrId(13),
    name: 'Fresenius Medical Care India',
    brand: 'Fresenius',
    code: 'FRE',
    city: 'New Delhi',
    facilities: [
      { code: 'FRE-CHE-MFG', name: 'Fresenius Chennai Plant', type: 'manufacturing', city: 'Chennai' },
      { code: 'FRE-DEL-SVC', name: 'Fresenius Delhi Service Centre', type: 'service_center', city: 'New Delhi' },
    ],
  },
];

export interface ProductSpec {
  manufacturer: string;
  name: string;
  model: string;
  category: Category;
  /** Price range in rupees. */
  price: readonly [number, number];
}

const CR = 10_000_000;
const L = 100_000;

export const PRODUCTS: readonly ProductSpec[] = [
  { manufacturer: 'SIE', name: 'MAGNETOM Sola 1.5T MRI', model: 'MAGNETOM-SOLA', category: 'MRI', price: [3.8 * CR, 4.5 * CR] },
  { manufacturer: 'SIE', name: 'SOMATOM go.Up CT Scanner', model: 'SOMATOM-GOUP', category: 'CT', price: [1.25 * CR, 3.5 * CR] },
  { manufacturer: 'SIE', name: 'Multix Impact Digital X-Ray', model: 'MULTIX-IMPACT', category: 'X-Ray', price: [75 * L, 85 * L] },
  {
    manufacturer: 'SIE',
    name: 'ACUSON Juniper Ultrasound',
    model: 'ACUSON-JUNIPER',
    category: 'Ultrasound',
    price: [1.25 * CR, 1.85 * CR],
  },
  { manufacturer: 'SIE', name: 'Ventilator Max', model: 'VTL-500', category: 'Ventilator', price: [8.5 * L, 12 * L] },
  { manufacturer: 'WGE', name: 'SIGNA Explorer 1.5T MRI', model: 'SIGNA-EXPLORER', category: 'MRI', price: [3.8 * CR, 4.4 * CR] },
  { manufacturer: 'WGE', name: 'Revolution ACT CT Scanner', model: 'REVOLUTION-ACT', category: 'CT', price: [1.25 * CR, 2.2 * CR] },
  { manufacturer: 'WGE', name: 'Brivo XR385 X-Ray', model: 'BRIVO-XR385', category: 'X-Ray', price: [4.2 * L, 80 * L] },
  { manufacturer: 'WGE', name: 'Vivid T8 Cardiac Ultrasound', model: 'VIVID-T8', category: 'Ultrasound', price: [25 * L, 60 * L] },
  { manufacturer: 'WGE', name: 'CARESCAPE R860 Ventilator', model: 'CARESCAPE-R860', category: 'Ventilator', price: [12 * L, 18 * L] },
  { manufacturer: 'WGE', name: 'ECG Machine Pro', model: 'ECG-1000', category: 'ECG', price: [1.5 * L, 2.5 * L] },
  { manufacturer: 'WGE', name: 'MAC 2000 ECG', model: 'MAC-2000', category: 'ECG', price: [1.2 * L, 2 * L] },
  { manufacturer: 'WGE', name: 'B40 Patient Monitor', model: 'B40', category: 'Patient Monitor', price: [2 * L, 4 * L] },
  { manufacturer: 'PHI', name: 'Ingenia 1.5T MRI', model: 'INGENIA-15', category: 'MRI', price: [3.9 * CR, 4.5 * CR] },
  { manufacturer: 'PHI', name: 'Incisive CT', model: 'INCISIVE-CT', category: 'CT', price: [1.5 * CR, 3.5 * CR] },
  { manufacturer: 'PHI', name: 'DigitalDiagnost C90 X-Ray', model: 'DIGITALDIAGNOST-C90', category: 'X-Ray', price: [70 * L, 85 * L] },
  { manufacturer: 'PHI', name: 'Affiniti 50 Ultrasound', model: 'AFFINITI-50', category: 'Ultrasound', price: [30 * L, 75 * L] },
  { manufacturer: 'PHI', name: 'IntelliVue MX450 Patient Monitor', model: 'MX450', category: 'Patient Monitor', price: [4 * L, 8.5 * L] },
  { manufacturer: 'PHI', name: 'PageWriter TC20 ECG', model: 'TC20', category: 'ECG', price: [1.8 * L, 3 * L] },
  { manufacturer: 'PHI', name: 'Infusion Pump Lite', model: 'INF-200', category: 'Infusion Pump', price: [45_000, 65_000] },
  { manufacturer: 'MDT', name: 'Puritan Bennett 980 Ventilator', model: 'PB980', category: 'Ventilator', price: [14 * L, 20 * L] },
  { manufacturer: 'BDI', name: 'Alaris GP Volumetric Pump', model: 'ALARIS-GP', category: 'Infusion Pump', price: [70_000, 1.2 * L] },
  { manufacturer: 'BAX', name: 'AK 98 Dialysis System', model: 'AK98', category: 'Dialysis', price: [7 * L, 10 * L] },
  {
    manufacturer: 'BAX',
    name: 'Sigma Spectrum Infusion System',
    model: 'SIGMA-SPECTRUM',
    category: 'Infusion Pump',
    price: [80_000, 1.2 * L],
  },
  { manufacturer: 'BBR', name: 'Infusomat Space Pump', model: 'INFUSOMAT-SPACE', category: 'Infusion Pump', price: [60_000, 95_000] },
  { manufacturer: 'BBR', name: 'Dialog+ Haemodialysis', model: 'DIALOG-PLUS', category: 'Dialysis', price: [6 * L, 9 * L] },
  { manufacturer: 'NKI', name: 'Cardiofax M ECG-1250', model: 'ECG-1250', category: 'ECG', price: [1.5 * L, 2.2 * L] },
  { manufacturer: 'NKI', name: 'Life Scope G5 Patient Monitor', model: 'LIFESCOPE-G5', category: 'Patient Monitor', price: [3 * L, 6 * L] },
  { manufacturer: 'CAN', name: 'Aquilion Lightning CT', model: 'AQUILION-LIGHTNING', category: 'CT', price: [1.25 * CR, 2.5 * CR] },
  { manufacturer: 'CAN', name: 'Vantage Galan 3T MRI', model: 'VANTAGE-GALAN', category: 'MRI', price: [4 * CR, 4.5 * CR] },
  { manufacturer: 'DRA', name: 'Savina 300 Ventilator', model: 'SAVINA-300', category: 'Ventilator', price: [9 * L, 14 * L] },
  { manufacturer: 'DRA', name: 'Vista 120 Patient Monitor', model: 'VISTA-120', category: 'Patient Monitor', price: [2 * L, 3.5 * L] },
  { manufacturer: 'FRE', name: '4008S classix Dialysis', model: '4008S', category: 'Dialysis', price: [6 * L, 8.5 * L] },
];

export const SKU_VARIANTS: readonly { suffix: string; factor: number }[] = [
  { suffix: 'Standard', factor: 1 },
  { suffix: 'with 3-year CMC', factor: 1.12 },
  { suffix: 'with UPS and installation kit', factor: 1.05 },
];

export interface Distributor {
  id: string;
  name: string;
  city: string;
  regions: readonly string[];
}

const dstId = (n: number) => `dddd${String(n).padStart(4, '0')}-0000-4000-8000-000000000000`;

export const DISTRIBUTORS: readonly Distributor[] = [
  { id: dstId(1), name: 'MedEquip Distributors (North)', city: 'New Delhi', regions: ['Delhi', 'Haryana', 'Uttar Pradesh'] },
  { id: dstId(2), name: 'HealthTech Solutions (South)', city: 'Bangalore', regions: ['Karnataka', 'Tamil Nadu'] },
  { id: dstId(3), name: 'Southern Medical Supplies', city: 'Chennai', regions: ['Tamil Nadu', 'Kerala'] },
  { id: dstId(4), name: 'Western Medical Supplies', city: 'Pune', regions: ['Maharashtra', 'Goa'] },
  { id: dstId(5), name: 'Mumbai Healthcare Distributors', city: 'Mumbai', regions: ['Maharashtra'] },
  { id: dstId(6), name: 'Eastern Medical Equipment', city: 'Kolkata', regions: ['West Bengal', 'Odisha', 'Bihar'] },
  { id: dstId(7), name: 'Kolkata MedTech', city: 'Kolkata', regions: ['West Bengal', 'Assam'] },
  { id: dstId(8), name: 'Hyderabad Medical Systems', city: 'Hyderabad', regions: ['Telangana', 'Andhra Pradesh'] },
  { id: dstId(9), name: 'Ahmedabad Healthcare Solutions', city: 'Ahmedabad', regions: ['Gujarat'] },
  { id: dstId(10), name: 'Kerala Medical', city: 'Kochi', regions: ['Kerala'] },
  { id: dstId(11), name: 'Jaipur Med Solutions', city: 'Jaipur', regions: ['Rajasthan'] },
  { id: dstId(12), name: 'Chandigarh Medical Equipment', city: 'Chandigarh', regions: ['Punjab', 'Chandigarh', 'Haryana'] },
  { id: dstId(13), name: 'Lucknow Health Systems', city: 'Lucknow', regions: ['Uttar Pradesh', 'Uttarakhand'] },
  { id: dstId(14), name: 'Coimbatore Medical Supplies', city: 'Coimbatore', regions: ['Tamil Nadu'] },
  { id: dstId(15), name: 'Indore Healthcare', city: 'Indore', regions: ['Madhya Pradesh', 'Chhattisgarh'] },
  { id: dstId(16), name: 'Surat Medical Equipment', city: 'Surat', regions: ['Gujarat'] },
  { id: dstId(17), name: 'NDD Nagpur', city: 'Nagpur', regions: ['Maharashtra', 'Madhya Pradesh'] },
  { id: dstId(18), name: 'SouthCare Distributors', city: 'Chennai', regions: ['Tamil Nadu', 'Andhra Pradesh'] },
  { id: dstId(19), name: 'MedSupply Mumbai', city: 'Mumbai', regions: ['Maharashtra', 'Goa'] },
  { id: dstId(20), name: 'Bihar Medical Agencies', city: 'Patna', regions: ['Bihar', 'Jharkhand'] },
];

export interface NamedCustomer {
  id: string;
  name: string;
  orgType: 'hospital' | 'imaging_center' | 'diagnostic_center' | 'laboratory';
  city: string;
  beds?: number;
  bmeTeam?: number;
  /** Relative number of installed devices. */
  weight: number;
}

const custId = (n: number) => `aaaa${String(n).padStart(4, '0')}-0000-4000-8000-000000000000`;

export const NAMED_CUSTOMERS: readonly NamedCustomer[] = [
  { id: custId(1), name: 'Apollo Hospitals, Delhi', orgType: 'hospital', city: 'New Delhi', beds: 710, bmeTeam: 12, weight: 6 },
  { id: custId(2), name: 'Fortis Hospital, Bangalore', orgType: 'hospital', city: 'Bangalore', beds: 400, bmeTeam: 8, weight: 4 },
  { id: custId(3), name: 'Manipal Hospital, Mumbai', orgType: 'hospital', city: 'Mumbai', beds: 350, bmeTeam: 7, weight: 4 },
  { id: custId(4), name: 'Max Super Speciality Hospital, Saket', orgType: 'hospital', city: 'New Delhi', beds: 530, weight: 4 },
  { id: custId(5), name: 'Narayana Health City, Bangalore', orgType: 'hospital', city: 'Bangalore', beds: 1000, weight: 5 },
  { id: custId(6), name: 'KIMS Hospitals, Hyderabad', orgType: 'hospital', city: 'Hyderabad', beds: 600, weight: 4 },
  { id: custId(7), name: 'Medanta - The Medicity, Gurgaon', orgType: 'hospital', city: 'Gurgaon', beds: 1250, weight: 6 },
  { id: custId(8), name: 'MGM Healthcare, Chennai', orgType: 'hospital', city: 'Chennai', beds: 400, weight: 4 },
  { id: custId(9), name: 'Ruby Hall Clinic, Pune', orgType: 'hospital', city: 'Pune', beds: 550, weight: 4 },
  { id: custId(10), name: 'AMRI Hospitals, Kolkata', orgType: 'hospital', city: 'Kolkata', beds: 450, weight: 4 },
  { id: custId(11), name: 'AIIMS New Delhi', orgType: 'hospital', city: 'New Delhi', beds: 1250, bmeTeam: 12, weight: 6 },
  { id: custId(12), name: 'Apollo Hospitals, Chennai', orgType: 'hospital', city: 'Chennai', beds: 560, weight: 4 },
  { id: custId(13), name: 'Fortis Hospital, Mumbai', orgType: 'hospital', city: 'Mumbai', beds: 300, weight: 3 },
  { id: custId(14), name: 'Manipal Hospital, Bangalore', orgType: 'hospital', city: 'Bangalore', beds: 600, weight: 4 },
  { id: custId(15), name: 'Yashoda Hospitals, Hyderabad', orgType: 'hospital', city: 'Hyderabad', beds: 500, weight: 4 },
  { id: custId(16), name: 'Aarthi Scans, Chennai', orgType: 'imaging_center', city: 'Chennai', weight: 2 },
  { id: custId(17), name: 'Vijaya Diagnostic Centre, Hyderabad', orgType: 'diagnostic_center', city: 'Hyderabad', weight: 2 },
  { id: custId(18), name: 'SRL Diagnostics, Mumbai', orgType: 'laboratory', city: 'Mumbai', weight: 1 },
];

export const OTHER_ORGS: readonly { id: string; name: string; orgType: string; city: string }[] = [
  { id: 'eeee0001-0000-4000-8000-000000000000', name: 'Aknamed', orgType: 'supplier', city: 'Bangalore' },
  { id: 'eeee0002-0000-4000-8000-000000000000', name: 'MedSource Supplies', orgType: 'supplier', city: 'Mumbai' },
  { id: 'eeee0003-0000-4000-8000-000000000000', name: 'BioMed Care Services', orgType: 'service_provider', city: 'Pune' },
  { id: 'eeee0004-0000-4000-8000-000000000000', name: 'MediServe Field Services', orgType: 'service_provider', city: 'Chennai' },
  { id: 'eeee0005-0000-4000-8000-000000000000', name: 'GENEQR', orgType: 'other', city: 'Bangalore' },
];

export const CUSTOMER_PREFIXES: readonly string[] = [
  'City',
  'Lifeline',
  'Sunrise',
  'CarePoint',
  'Sanjeevani',
  'Arogya',
  'Jeevan Jyoti',
  'Shanti',
  'Navjeevan',
  'Sahyadri',
  'Green Valley',
  'Metro',
  'Global',
  'Unity',
  'Sparsh',
  'Suraksha',
  'Prime',
  'Nova',
  'Aastha',
  'Dhanvantari',
  'Kalpataru',
  'Seva Sadan',
  'Riverside',
  'Lotus',
  'Surya',
  'Chandra',
  'Ashirwad',
  'Vardaan',
  'Sai Krupa',
  'Matrix',
];

export const CUSTOMER_KINDS: readonly { label: string; orgType: string }[] = [
  { label: 'Hospital', orgType: 'hospital' },
  { label: 'Multispeciality Hospital', orgType: 'hospital' },
  { label: 'Medical Centre', orgType: 'hospital' },
  { label: 'Nursing Home', orgType: 'clinic' },
  { label: 'Clinic', orgType: 'clinic' },
  { label: 'Diagnostics', orgType: 'diagnostic_center' },
  { label: 'Imaging Centre', orgType: 'imaging_center' },
  { label: 'Pathology Lab', orgType: 'laboratory' },
];

export const DEALER_PREFIXES: readonly string[] = [
  'Shree Sai',
  'Balaji',
  'Ganesh',
  'Lakshmi',
  'Om',
  'Krishna',
  'Sai Ram',
  'Jai Ambe',
  'Vinayak',
  'Sri Venkateswara',
  'Mahalaxmi',
  'Shiv Shakti',
  'Annapurna',
  'Trimurti',
  'Siddhi',
];

export const DEALER_SUFFIXES: readonly string[] = [
  'Medical Systems',
  'Biomedical Services',
  'Surgicals',
  'Healthcare Equipments',
  'Medi Equip',
  'Scientific Agencies',
];

export const FIRST_NAMES: readonly string[] = [
  'Aarav',
  'Aditya',
  'Akash',
  'Amit',
  'Anand',
  'Anil',
  'Anita',
  'Anjali',
  'Arjun',
  'Arun',
  'Deepa',
  'Deepak',
  'Divya',
  'Ganesh',
  'Gaurav',
  'Harish',
  'Kavita',
  'Kiran',
  'Lakshmi',
  'Manoj',
  'Meena',
  'Mohan',
  'Neha',
  'Nikhil',
  'Pooja',
  'Prakash',
  'Priya',
  'Rahul',
  'Rajesh',
  'Ramesh',
  'Ravi',
  'Rohit',
  'Sachin',
  'Sandeep',
  'Sanjay',
  'Shreya',
  'Sneha',
  'Sunil',
  'Suresh',
  'Swati',
  'Vijay',
  'Vikram',
  'Vinod',
  'Yash',
];

export const MIDDLE_NAMES: readonly string[] = ['Kumar', 'Prasad', 'Chandra', 'Mohan', 'Lal', 'Nath', 'Rani', 'Devi'];

export const LAST_NAMES: readonly string[] = [
  'Agarwal',
  'Bhat',
  'Chatterjee',
  'Das',
  'Desai',
  'Ghosh',
  'Gupta',
  'Iyer',
  'Jain',
  'Joshi',
  'Kapoor',
  'Khan',
  'Kulkarni',
  'Kumar',
  'Mehta',
  'Menon',
  'Mishra',
  'Nair',
  'Naidu',
  'Patel',
  'Pillai',
  'Rao',
  'Reddy',
  'Saxena',
  'Shah',
  'Sharma',
  'Singh',
  'Sinha',
  'Srinivasan',
  'Verma',
];

export interface NamedEngineer {
  employeeId: string;
  fullName: string;
  city: string;
  level: 1 | 2 | 3;
  skills: readonly Category[];
  rating: number;
  /** Manufacturer code, or 'dealer' / 'distributor'. */
  employer: string;
}

export const NAMED_ENGINEERS: readonly NamedEngineer[] = [
  {
    employeeId: 'ENG-001',
    fullName: 'Raj Kumar Sharma',
    city: 'New Delhi',
    level: 3,
    skills: ['MRI', 'CT', 'X-Ray'],
    rating: 4.7,
    employer: 'distributor',
  },
  {
    employeeId: 'ENG-002',
    fullName: 'Priya Shah',
    city: 'Mumbai',
    level: 2,
    skills: ['Ultrasound', 'ECG', 'Patient Monitor'],
    rating: 4.9,
    employer: 'distributor',
  },
  {
    employeeId: 'ENG-003',
    fullName: 'Amit Patel',
    city: 'Bangalore',
    level: 3,
    skills: ['Ventilator'],
    rating: 4.8,
    employer: 'distributor',
  },
  {
    employeeId: 'ENG-004',
    fullName: 'Sneha Reddy',
    city: 'Hyderabad',
    level: 2,
    skills: ['Dialysis', 'Infusion Pump'],
    rating: 4.6,
    employer: 'distributor',
  },
  {
    employeeId: 'ENG-005',
    fullName: 'Rajesh Kumar Singh',
    city: 'New Delhi',
    level: 3,
    skills: ['MRI', 'CT'],
    rating: 4.8,
    employer: 'SIE',
  },
  { employeeId: 'ENG-006', fullName: 'Priya Sharma', city: 'Gurgaon', level: 2, skills: ['X-Ray'], rating: 4.5, employer: 'SIE' },
  { employeeId: 'ENG-007', fullName: 'Arun Menon', city: 'Chennai', level: 3, skills: ['MRI'], rating: 4.7, employer: 'PHI' },
  { employeeId: 'ENG-008', fullName: 'Vikram Reddy', city: 'Hyderabad', level: 3, skills: ['CT'], rating: 4.6, employer: 'WGE' },
  { employeeId: 'ENG-009', fullName: 'Suresh Gupta', city: 'Pune', level: 2, skills: ['X-Ray'], rating: 4.4, employer: 'dealer' },
];

export const LOCATIONS: Record<Category, readonly string[]> = {
  MRI: ['Radiology Dept', 'MRI Suite 1', 'MRI Suite 2', 'Imaging Block'],
  CT: ['Radiology Dept', 'CT Room', 'Emergency Imaging', 'Imaging Block'],
  'X-Ray': ['Radiology Dept', 'X-Ray Room 1', 'X-Ray Room 2', 'Emergency', 'OT 1'],
  Ultrasound: ['Radiology Dept', 'Obstetrics OPD', 'Cardiology OPD', 'Emergency'],
  Ventilator: ['ICU Bed 1', 'ICU Bed 2', 'ICU Bed 3', 'ICU Bed 4', 'NICU', 'OT 1', 'OT 2', 'Emergency'],
  ECG: ['Cardiology OPD', 'Emergency', 'ICU', 'Ward 3B', 'Health Check Unit'],
  Dialysis: ['Dialysis Unit Bay 1', 'Dialysis Unit Bay 2', 'Dialysis Unit Bay 3', 'Nephrology Ward'],
  'Patient Monitor': ['ICU Bed 1', 'ICU Bed 2', 'ICU Bed 5', 'CCU', 'OT 1', 'OT 2', 'Ward 3B', 'Emergency', 'NICU'],
  'Infusion Pump': ['ICU', 'Ward 3B', 'Ward 5A', 'Oncology Day Care', 'NICU', 'OT 2'],
};

export const ISSUES: Record<Category, readonly string[]> = {
  MRI: [
    'Helium level low warning',
    'Gradient coil overheating',
    'Image artifacts in T2 sequences',
    'RF coil not detected',
    'Cold head compressor tripped',
  ],
  CT: [
    'Tube arcing error during scan',
    'Gantry rotation noise',
    'Detector calibration failed',
    'Table movement stuck',
    'Reconstruction computer hangs',
  ],
  'X-Ray': [
    'Flat panel detector not responding',
    'Collimator lamp failure',
    'Exposure error on start-up',
    'Generator overload fault',
    'Images too dark',
  ],
  Ultrasound: ['Probe crystal dropout', 'Display flickering', 'Doppler signal noisy', 'Keyboard trackball stuck', 'System does not boot'],
  Ventilator: [
    'Flow sensor calibration failure',
    'O2 cell low alarm',
    'Exhalation valve leak',
    'Battery not charging',
    'Touch screen unresponsive',
  ],
  ECG: [
    'ECG display flickers',
    'Lead-off alarm persists',
    'Thermal printer paper jam',
    'Baseline wander on all leads',
    'Unit does not power on',
  ],
  Dialysis: ['Conductivity alarm', 'Blood pump occlusion', 'Heater failure', 'Air detector false alarm', 'Ultrafiltration error'],
  'Patient Monitor': [
    'SpO2 reading erratic',
    'NIBP cuff leak',
    'ECG module no signal',
    'Central station link lost',
    'Battery drains quickly',
  ],
  'Infusion Pump': ['Occlusion alarm false trigger', 'Door sensor error', 'Flow rate inaccurate', 'Keypad not responding', 'Battery alarm'],
};

export const PARTS: Record<Category, readonly { number: string; name: string; cost: number }[]> = {
  MRI: [
    { number: 'MR-CH-0042', name: 'Cold head', cost: 450_000 },
    { number: 'MR-RF-0110', name: 'RF coil connector', cost: 85_000 },
  ],
  CT: [
    { number: 'CT-SR-0007', name: 'Slip ring brush set', cost: 120_000 },
    { number: 'CT-DM-0031', name: 'Detector module', cost: 380_000 },
  ],
  'X-Ray': [
    { number: 'XR-CL-0015', name: 'Collimator lamp', cost: 4_500 },
    { number: 'XR-HV-0090', name: 'HV cable', cost: 65_000 },
  ],
  Ultrasound: [
    { number: 'US-PB-0203', name: 'Convex probe', cost: 240_000 },
    { number: 'US-TB-0011', name: 'Trackball assembly', cost: 18_000 },
  ],
  Ventilator: [
    { number: 'VT-FS-0101', name: 'Flow sensor', cost: 12_500 },
    { number: 'VT-O2-0020', name: 'O2 cell', cost: 9_800 },
    { number: 'VT-EV-0033', name: 'Exhalation valve', cost: 21_000 },
  ],
  ECG: [
    { number: 'EC-LD-0005', name: 'Patient cable, 10 lead', cost: 6_500 },
    { number: 'EC-PR-0012', name: 'Thermal print head', cost: 14_000 },
  ],
  Dialysis: [
    { number: 'DY-CS-0044', name: 'Conductivity sensor', cost: 32_000 },
    { number: 'DY-BP-0009', name: 'Blood pump rotor', cost: 18_500 },
  ],
  'Patient Monitor': [
    { number: 'PM-SP-0017', name: 'SpO2 sensor', cost: 7_500 },
    { number: 'PM-NB-0023', name: 'NIBP hose and cuff', cost: 3_200 },
    { number: 'PM-BT-0002', name: 'Li-ion battery', cost: 11_000 },
  ],
  'Infusion Pump': [
    { number: 'IP-DS-0014', name: 'Door sensor', cost: 4_800 },
    { number: 'IP-BT-0006', name: 'Battery pack', cost: 6_200 },
  ],
};

export const COMMENTS = {
  customer: [
    'Machine is down since morning, please send engineer urgently.',
    'Any update on the engineer visit?',
    'Issue observed again during the night shift.',
    'Please call the BME department before visiting.',
  ],
  engineer: [
    'Visited site, diagnosed the fault. Part to be replaced.',
    'Calibration done and verified with the phantom.',
    'Replaced the faulty part; unit tested OK.',
    'Awaiting spare from the central warehouse.',
    'Remote diagnosis done over call; site visit scheduled.',
  ],
  internal: ['Escalated to the OEM service team.', 'Covered under AMC; no charges.', 'Customer has outstanding dues; inform accounts.'],
  system: ['Ticket created from WhatsApp message.', 'SLA response deadline approaching.', 'Engineer auto-assigned by tier rules.'],
} as const;

export const CERTIFICATIONS: Record<string, string> = {
  'ISO 13485': 'TÜV SÜD South Asia',
  CE: 'BSI Group (Notified Body 2797)',
  FDA: 'US Food and Drug Administration',
  BIS: 'Bureau of Indian Standards',
  CDSCO: 'Central Drugs Standard Control Organisation',
  'ISO 9001': 'Bureau Veritas India',
  NABH: 'National Accreditation Board for Hospitals',
  NABL: 'National Accreditation Board for Testing and Calibration Laboratories',
};

export const DESIGNATIONS: readonly { designation: string; department: string }[] = [
  { designation: 'Head - Biomedical Engineering', department: 'Biomedical Engineering' },
  { designation: 'Biomedical Engineer', department: 'Biomedical Engineering' },
  { designation: 'Purchase Manager', department: 'Procurement' },
  { designation: 'Service Manager', department: 'Service' },
  { designation: 'Regional Sales Manager', department: 'Sales' },
  { designation: 'Facility Manager', department: 'Administration' },
  { designation: 'Medical Superintendent', department: 'Administration' },
];

export const STREETS: readonly string[] = [
  'MG Road',
  'Ring Road',
  'Station Road',
  'Nehru Nagar',
  'Sector 44',
  'Industrial Area Phase II',
  'MIDC',
  'Park Street',
  'Anna Salai',
  'Banjara Hills Road No. 1',
  'Outer Ring Road',
  'Linking Road',
];
