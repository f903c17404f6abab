/**
 * The manifest of a legacy seed: what was generated (rows per table) and, per defect class, exactly
 * how many rows (or JSON elements) were seeded wrong and how to recognise them. Later validation
 * reports (customer dedup, JSONB line items, assignment backfill, …) compare their findings with
 * these counts, so every count is exact and every rule below is stated in terms of the stored data.
 */

export interface DefectCount {
  /** The table holding the defective data (for `byTable` classes: the first of them). */
  table: string;
  /** The columns the class is about; a row counted here is wrong in these columns only. */
  columns: string[];
  /** 'row', or 'json element' for classes inside jsonb arrays. */
  unit: 'row' | 'json element';
  /** How many rows (elements) were seeded wrong in this way. */
  rows: number;
  /** Per table, when the class spans several tables; the values sum to `rows`. */
  byTable?: Record<string, number>;
  /** Secondary counts (e.g. distinct customers behind the rows). */
  units?: Record<string, number>;
  /** The rows (elements) the rate applied to, and the rate: rows = max(1, round(rate × population)). */
  population: number;
  rate: number;
  /** Classes of one group never fall on the same row (element); classes of different groups may. */
  group: string;
  /** How to recognise a defective row from the stored data alone. */
  rule: string;
}

export interface SeedManifest {
  generator: 'abymed-legacy-seed';
  version: 1;
  seed: number;
  scale: number;
  /** Every timestamp is this instant plus an offset drawn from the seed. */
  baseDate: string;
  rows: Record<string, number>;
  defects: Record<string, DefectCount>;
  /** group → classes that are mutually exclusive within a row (element). */
  groups: Record<string, string[]>;
  /** Where the canonical (correct) values live, so a validator can tell a defect from clean data. */
  canonical: Record<string, string>;
  /**
   * Consequences of defects on rows that are not defective themselves, for reports that quarantine
   * by dependency (e.g. a quote line answering a malformed RFQ line); not defects.
   */
  derived: Record<string, number>;
  /** Shapes of identifiers present, for the id migration (#10); not defects. */
  idShapes: Record<string, number>;
  /** The reference data clean rows use (pincodes, cities, states). */
  reference: { pincodes: string[]; cities: { city: string; state: string; pincodes: string[] }[]; states: string[] };
}

interface DefectSpec {
  table: string;
  columns: string[];
  unit: 'row' | 'json element';
  rate: number;
  group: string;
  rule: string;
}

/** Every defect class the generator seeds, with its rate. The keys are stable: validation reports name them. */
export const DEFECTS = {
  'customers.name_variants': {
    table: 'service_tickets',
    columns: ['customer_name'],
    unit: 'row',
    rate: 0.04,
    group: 'customer',
    rule: "customer_id is the owner's uuid (32 hex digits) but customer_name differs from organizations.name (another spelling of the same hospital); in service_tickets and equipment",
  },
  'customers.non_uuid_id': {
    table: 'service_tickets',
    columns: ['customer_id'],
    unit: 'row',
    rate: 0.02,
    group: 'customer',
    rule: "customer_id is not a uuid (not 32 hex digits): it is the customer's legacy code, organizations.external_ref ('CUST-NNNNNN'); name and phone are canonical; in service_tickets and equipment",
  },
  'customers.phone_formats.dashed': {
    table: 'service_tickets',
    columns: ['customer_phone'],
    unit: 'row',
    rate: 0.03,
    group: 'customer',
    rule: "customer_phone written '+91-XXXXXXXXXX' (the customer's own number)",
  },
  'customers.phone_formats.leading_zero': {
    table: 'service_tickets',
    columns: ['customer_phone'],
    unit: 'row',
    rate: 0.02,
    group: 'customer',
    rule: "customer_phone written '0XXXXXXXXXX' (the customer's own number)",
  },
  'customers.phone_formats.spaces': {
    table: 'service_tickets',
    columns: ['customer_phone'],
    unit: 'row',
    rate: 0.02,
    group: 'customer',
    rule: "customer_phone written '+91 XXXXX XXXXX' (the customer's own number)",
  },
  'customers.phone_missing': {
    table: 'service_tickets',
    columns: ['customer_phone'],
    unit: 'row',
    rate: 0.015,
    group: 'customer',
    rule: 'customer_phone is null (customer_whatsapp still holds the canonical number)',
  },
  'customers.same_phone_two_names': {
    table: 'service_tickets',
    columns: ['customer_phone'],
    unit: 'row',
    rate: 0.005,
    group: 'customer',
    rule: "customer_phone is another customer's canonical number, so one number appears under two names",
  },
  'tickets.status_disagrees_with_history': {
    table: 'service_tickets',
    columns: ['status'],
    unit: 'row',
    rate: 0.02,
    group: 'ticket_status',
    rule: 'the last ticket_status_history row (by changed_at, then id) has to_status <> service_tickets.status; units: history_behind (the last history row was lost) and ticket_behind (the ticket update was lost)',
  },
  'tickets.no_history': {
    table: 'service_tickets',
    columns: ['status'],
    unit: 'row',
    rate: 0.01,
    group: 'ticket_status',
    rule: 'the ticket has no ticket_status_history row at all',
  },
  'tickets.engineer_missing': {
    table: 'service_tickets',
    columns: ['assigned_engineer_id', 'assigned_engineer_name'],
    unit: 'row',
    rate: 0.01,
    group: 'ticket_engineer',
    rule: 'assigned_engineer_id names no row of engineers (the engineer was deleted)',
  },
  'tickets.engineer_renamed': {
    table: 'service_tickets',
    columns: ['assigned_engineer_name'],
    unit: 'row',
    rate: 0.02,
    group: 'ticket_engineer',
    rule: "assigned_engineer_id exists but assigned_engineer_name differs from engineers.full_name (the engineer's former name)",
  },
  'rfqs.items_not_array': {
    table: 'rfqs',
    columns: ['items'],
    unit: 'row',
    rate: 0.02,
    group: 'rfq_shape',
    rule: "jsonb_typeof(items) = 'object': a single, otherwise clean item object instead of an array; no quote refers to these rfqs",
  },
  'rfq_items.quantity_string': {
    table: 'rfqs',
    columns: ['items'],
    unit: 'json element',
    rate: 0.03,
    group: 'rfq_item',
    rule: 'quantity is a JSON string holding a positive whole number, e.g. "2"',
  },
  'rfq_items.quantity_negative': {
    table: 'rfqs',
    columns: ['items'],
    unit: 'json element',
    rate: 0.01,
    group: 'rfq_item',
    rule: 'quantity is a negative JSON number',
  },
  'rfq_items.quantity_missing': {
    table: 'rfqs',
    columns: ['items'],
    unit: 'json element',
    rate: 0.015,
    group: 'rfq_item',
    rule: 'the element has no quantity key',
  },
  'rfq_items.unknown_sku': {
    table: 'rfqs',
    columns: ['items'],
    unit: 'json element',
    rate: 0.02,
    group: 'rfq_item',
    rule: 'sku_id is a uuid that is not in skus (product_id is valid)',
  },
  'rfq_items.name_only': {
    table: 'rfqs',
    columns: ['items'],
    unit: 'json element',
    rate: 0.04,
    group: 'rfq_item',
    rule: 'the element has neither product_id nor sku_id: only line, name, quantity and unit',
  },
  'quote_items.total_mismatch': {
    table: 'quotes',
    columns: ['line_items'],
    unit: 'json element',
    rate: 0.03,
    group: 'quote_item',
    rule: 'total_price <> quantity × unit_price + tax_amount (the tax was left out); all numbers are JSON numbers',
  },
  'quote_items.indian_number_format': {
    table: 'quotes',
    columns: ['line_items'],
    unit: 'json element',
    rate: 0.02,
    group: 'quote_item',
    rule: 'unit_price and total_price are JSON strings in Indian digit grouping, e.g. "1,25,000.00"; parsed, the total is correct',
  },
  'quote_items.rfq_line_missing': {
    table: 'quotes',
    columns: ['line_items'],
    unit: 'json element',
    rate: 0.015,
    group: 'quote_item',
    rule: "rfq_line is a line number that no element of the quote's rfq has",
  },
  'engineers.coverage_duplicates': {
    table: 'engineers',
    columns: ['coverage_pincodes'],
    unit: 'row',
    rate: 0.05,
    group: 'engineer_coverage',
    rule: 'coverage_pincodes holds one pincode twice (exact duplicate)',
  },
  'engineers.coverage_stray_spaces': {
    table: 'engineers',
    columns: ['coverage_pincodes'],
    unit: 'row',
    rate: 0.05,
    group: 'engineer_coverage',
    rule: 'one element of coverage_pincodes has leading and/or trailing spaces (trimmed, it is a known pincode not otherwise listed)',
  },
  'engineers.coverage_mixed_case': {
    table: 'engineers',
    columns: ['coverage_cities'],
    unit: 'row',
    rate: 0.05,
    group: 'engineer_coverage',
    rule: 'one element of coverage_cities is a reference city in upper or lower case (not its canonical spelling)',
  },
  'engineers.coverage_unknown_pincode': {
    table: 'engineers',
    columns: ['coverage_pincodes'],
    unit: 'row',
    rate: 0.04,
    group: 'engineer_coverage',
    rule: 'coverage_pincodes holds one 6-digit pincode that is not in the reference data',
  },
  'contacts.two_primaries': {
    table: 'contact_persons',
    columns: ['is_primary'],
    unit: 'row',
    rate: 0.05,
    group: 'contact_primary',
    rule: 'an organization has two contact_persons with is_primary = true (every other organization has exactly one); rows counts the second primary, units.organizations the organizations',
  },
  'certifications.renewal_unlinked': {
    table: 'organization_certifications',
    columns: ['org_id', 'facility_id', 'certification_type'],
    unit: 'row',
    rate: 0.1,
    group: 'certification_renewal',
    rule: 'a renewal stored as a second row with the same (org_id, facility_id, certification_type) and no link; rows counts the renewal rows (each group has exactly two rows)',
  },
  'territories.pincode_shared': {
    table: 'territories',
    columns: ['pincodes'],
    unit: 'row',
    rate: 0.16,
    group: 'territory_pincodes',
    rule: 'territories whose pincodes include a pincode another territory also claims; each shared pincode is claimed by exactly two territories and each territory shares at most one; units.pincodes counts the pincodes',
  },
  'price_rules.valid_to_before_valid_from': {
    table: 'price_rules',
    columns: ['valid_from', 'valid_to'],
    unit: 'row',
    rate: 0.03,
    group: 'price_validity',
    rule: 'valid_to < valid_from (every other rule has valid_to null or after valid_from)',
  },
} as const satisfies Record<string, DefectSpec>;

export type DefectKey = keyof typeof DEFECTS;

export const CANONICAL: Record<string, string> = {
  'customer.id':
    "the owning organization's uuid (equipment.owned_by_org_id) written as 32 hex digits without hyphens, because customer_id is varchar(32); customer_id::uuid = organizations.id",
  'customer.name': 'organizations.name',
  'customer.phone': "organizations.metadata->>'phone', written '+91' followed by 10 digits; unique per customer organization",
  'customer.whatsapp': 'service_tickets.customer_whatsapp always holds the canonical phone',
  'ticket.status': 'the to_status of the last ticket_status_history row; history rows of a ticket form a chain from (null → new)',
  'ticket.engineer':
    'assigned_engineer_id = engineers.id::text and assigned_engineer_name = engineers.full_name; null on tickets never assigned',
  'rfq.items':
    'a JSON array of {line, product_id, sku_id, name, quantity (positive number), unit[, required_by, specifications, notes]}, lines numbered 1..n',
  'quote.line_items':
    'a JSON array of {rfq_line, product_id, sku_id, name, quantity, unit_price, tax_amount, total_price, lead_time_days} with numbers as JSON numbers and total_price = quantity × unit_price + tax_amount; quotes.total_amount is the sum of the stored totals (parsed)',
  'engineer.coverage':
    'coverage_pincodes ⊆ reference pincodes, no duplicates; coverage_cities and coverage_states spelled as in the reference',
};
