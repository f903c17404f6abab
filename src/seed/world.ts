import type { Category, ProductSpec } from './reference.ts';

/**
 * The in-memory picture later steps need of what earlier steps generated (organizations, catalogue,
 * engineers, devices). Big tables (tickets, history, comments) are never held here.
 */
export type OrgKind = 'manufacturer' | 'distributor' | 'dealer' | 'customer' | 'supplier' | 'service_provider' | 'other';

export interface Org {
  id: string;
  name: string;
  orgType: string;
  kind: OrgKind;
  /** Index into CITIES. */
  city: number;
  externalRef: string | null;
  code: string;
  domain: string;
  /** Canonical customer phone (customers only): '+91' and 10 digits. */
  phone: string | null;
  /** Other spellings of the name (customers only), none equal to any organization's name. */
  variants: string[];
  /** Main facility (customers: the campus; distributors: the warehouse). */
  facilityId: string | null;
  /** Relative number of devices (customers). */
  weight: number;
  /** The distributor serving it (dealers, customers). */
  distributor: Org | null;
  /** Manufacturer brand (manufacturers). */
  brand?: string;
  categories?: Category[];
}

export interface Sku {
  id: string;
  productId: string;
  name: string;
  code: string;
  /** List price in paise. */
  price: number;
}

export interface Product {
  id: string;
  spec: ProductSpec;
  manufacturer: Org;
  skus: Sku[];
}

export interface Engineer {
  id: string;
  employeeId: string;
  fullName: string;
  /** The name tickets assigned before a rename still carry; null when never renamed. */
  formerName: string | null;
  city: number;
  org: Org;
  tier: number;
  tierName: string;
}

export interface World {
  manufacturers: Org[];
  distributors: Org[];
  dealers: Org[];
  customers: Org[];
  others: Org[];
  allOrgs: Org[];
  products: Product[];
  skus: Sku[];
  engineers: Engineer[];
  /** Engineers tickets still name but that no longer exist. */
  deletedEngineers: { id: string; fullName: string; tier: number; tierName: string }[];
  /** City index → engineers living there. */
  engineersByCity: Map<number, Engineer[]>;
}

export interface Devices {
  count: number;
  id: string[];
  qr: string[];
  serial: string[];
  name: string[];
  owner: Int32Array;
  category: string[];
  installedMs: Float64Array;
}
