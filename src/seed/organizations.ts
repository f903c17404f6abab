import { BASE_MS, DAY, iso, isoDay, rupees, type SeedContext } from './context.ts';
import { json, line } from './copy.ts';
import { scatter, uuid } from './ids.ts';
import { DEFECTS } from './manifest.ts';
import {
  CERTIFICATIONS,
  CITIES,
  CUSTOMER_KINDS,
  CUSTOMER_PREFIXES,
  cityIndex,
  DEALER_PREFIXES,
  DEALER_SUFFIXES,
  DESIGNATIONS,
  DISTRIBUTORS,
  FIRST_NAMES,
  LAST_NAMES,
  MANUFACTURERS,
  NAMED_CUSTOMERS,
  OTHER_ORGS,
  PRODUCTS,
  REGIONS,
  STREETS,
} from './reference.ts';
import { Quota, quotaFor, type Rng } from './rng.ts';
import type { Org, World } from './world.ts';

/**
 * Organizations and everything hanging off them: facilities, contacts, certifications,
 * territories and channel relationships. Seeds the defects contacts.two_primaries,
 * certifications.renewal_unlinked and territories.pincode_shared, and prepares the customer
 * organizations (canonical name, phone, legacy code, spellings) the device and ticket steps copy.
 */
const ORG_CREATED_FROM = Date.UTC(2022, 0, 1);

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9 ]/g, '')
    .split(' ')
    .filter(Boolean)
    .slice(0, 2)
    .join('');

function customerPhone(index: number, offset: number): string {
  return `+9194${String(scatter(index, 7919, offset, 100_000_000)).padStart(8, '0')}`;
}

/** Other spellings of a customer name: case, punctuation, abbreviations, the city's other name. */
function spellings(name: string): string[] {
  const out = new Set<string>([
    name.toUpperCase(),
    name.toLowerCase(),
    name.replace(/,/g, ''),
    name.replace(/\bHospitals\b/, 'Hospital'),
    name.replace(/\bHospitals?\b/, 'Hosp.'),
    name.replace('Multispeciality', 'Multi-Speciality'),
    name.replace('Centre', 'Center'),
    name.replace('Bangalore', 'Bengaluru').replace('Gurgaon', 'Gurugram').replace('New Delhi', 'Delhi'),
    name.replace(/ - /, ' '),
  ]);
  out.delete(name);
  return [...out];
}

export async function seedOrganizations(ctx: SeedContext, world: World): Promise<void> {
  const rng = ctx.rng('organizations');
  const created = () => ORG_CREATED_FROM + rng.int(0, 700) * DAY + rng.int(0, 86_399) * 1000;
  const make = (o: Omit<Org, 'domain' | 'facilityId' | 'distributor' | 'variants' | 'phone' | 'weight'> & Partial<Org>): Org => ({
    domain: `${slug(o.name)}.in`,
    facilityId: null,
    distributor: null,
    variants: [],
    phone: null,
    weight: 0,
    ...o,
  });

  for (const m of MANUFACTURERS) {
    world.manufacturers.push(
      make({
        id: m.id,
        name: m.name,
        orgType: 'manufacturer',
        kind: 'manufacturer',
        city: cityIndex(m.city),
        externalRef: `MFR-${m.code}`,
        code: m.code,
        brand: m.brand,
        categories: [...new Set(PRODUCTS.filter((p) => p.manufacturer === m.code).map((p) => p.category))],
      }),
    );
  }
  DISTRIBUTORS.forEach((d, i) => {
    world.distributors.push(
      make({
        id: d.id,
        name: d.name,
        orgType: 'distributor',
        kind: 'distributor',
        city: cityIndex(d.city),
        externalRef: `DST-${String(i + 1).padStart(3, '0')}`,
        code: `DST${String(i + 1).padStart(2, '0')}`,
      }),
    );
  });
  for (const o of OTHER_ORGS) {
    world.others.push(
      make({
        id: o.id,
        name: o.name,
        orgType: o.orgType,
        kind: o.orgType as Org['kind'],
        city: cityIndex(o.city),
        externalRef: null,
        code: slug(o.name),
      }),
    );
  }

  // Dealers: 5 + 2 per scale unit (of the devices' scale when a device count was given: each
  // dealer sells as many devices at any count), unique names "<prefix> <suffix>, <city>".
  const dealerCount = 5 + Math.round(2 * ctx.worldScale);
  const dealerCombos = uniqueCombos(rng, [DEALER_PREFIXES.length, DEALER_SUFFIXES.length, CITIES.length], dealerCount);
  dealerCombos.forEach(([p, s, c, round], i) => {
    const name = `${DEALER_PREFIXES[p]} ${DEALER_SUFFIXES[s]}, ${CITIES[c]?.city}${round > 0 ? ` (Branch ${round + 1})` : ''}`;
    world.dealers.push(
      make({
        id: uuid(rng),
        name,
        orgType: 'dealer',
        kind: 'dealer',
        city: c,
        externalRef: `DLR-${String(i + 1).padStart(5, '0')}`,
        code: `DLR${i + 1}`,
      }),
    );
  });

  // Customers: the named hospitals and centres, then 12 per scale unit (as the dealers) with unique generated names.
  for (const c of NAMED_CUSTOMERS) {
    world.customers.push(
      make({
        id: c.id,
        name: c.name,
        orgType: c.orgType,
        kind: 'customer',
        city: cityIndex(c.city),
        externalRef: '',
        code: '',
        weight: c.weight,
      }),
    );
  }
  const generated = Math.round(12 * ctx.worldScale);
  const customerCombos = uniqueCombos(rng, [CUSTOMER_PREFIXES.length, CUSTOMER_KINDS.length, CITIES.length], generated);
  for (const [p, k, c, round] of customerCombos) {
    const kind = CUSTOMER_KINDS[k] as (typeof CUSTOMER_KINDS)[number];
    const name = `${CUSTOMER_PREFIXES[p]} ${kind.label}, ${CITIES[c]?.city}${round > 0 ? ` - Unit ${round + 1}` : ''}`;
    const weight = kind.orgType === 'hospital' ? (kind.label === 'Multispeciality Hospital' ? 4 : 3) : 1;
    world.customers.push(
      make({ id: uuid(rng), name, orgType: kind.orgType, kind: 'customer', city: c, externalRef: '', code: '', weight }),
    );
  }
  const phoneOffset = rng.int(0, 99_999_999);
  world.customers.forEach((c, i) => {
    c.externalRef = `CUST-${String(i + 1).padStart(6, '0')}`;
    c.code = c.externalRef;
    c.phone = customerPhone(i, phoneOffset);
  });

  world.allOrgs = [...world.manufacturers, ...world.distributors, ...world.others, ...world.dealers, ...world.customers];
  const canonicalNames = new Set(world.allOrgs.map((o) => o.name));
  if (canonicalNames.size !== world.allOrgs.length) throw new Error('generated organization names are not unique');
  for (const c of world.customers) c.variants = spellings(c.name).filter((v) => !canonicalNames.has(v));

  // Channel: each dealer and customer is served by a distributor covering its state.
  const distributorsFor = (city: number): Org[] => {
    const state = CITIES[city]?.state as string;
    const covering = world.distributors.filter((_, i) => DISTRIBUTORS[i]?.regions.includes(state));
    if (covering.length > 0) return covering;
    const region = CITIES[city]?.region;
    const near = world.distributors.filter((d) => CITIES[d.city]?.region === region);
    return near.length > 0 ? near : world.distributors;
  };
  for (const o of [...world.dealers, ...world.customers]) o.distributor = rng.pick(distributorsFor(o.city));

  const orgLines: string[] = [];
  for (const o of world.allOrgs) {
    const t = created();
    orgLines.push(
      line([
        o.id,
        o.name,
        o.orgType,
        o.kind === 'dealer' && rng.chance(0.05) ? 'inactive' : 'active',
        o.externalRef,
        json(orgMetadata(rng, o)),
        iso(t),
        iso(t),
      ]),
    );
  }
  ctx.expect('organizations', orgLines.length);
  await ctx.load('organizations', ['id', 'name', 'org_type', 'status', 'external_ref', 'metadata', 'created_at', 'updated_at'], orgLines);

  await seedFacilities(ctx, world, rng);
  await seedContacts(ctx, world);
  await seedCertifications(ctx, world);
  const territoryByCity = await seedTerritories(ctx, world);
  await seedRelationships(ctx, world, territoryByCity);
}

/**
 * `count` distinct index tuples over the given dimensions in random order (a shuffled product), with
 * a round number once every combination has been used, so names stay unique at any scale.
 */
function uniqueCombos(rng: Rng, dims: number[], count: number): [number, number, number, number][] {
  const size = dims.reduce((a, b) => a * b, 1);
  const order = rng.shuffle(Array.from({ length: size }, (_, i) => i));
  const out: [number, number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    let v = order[i % size] as number;
    const round = Math.floor(i / size);
    const c = v % (dims[2] as number);
    v = Math.floor(v / (dims[2] as number));
    const b = v % (dims[1] as number);
    const a = Math.floor(v / (dims[1] as number));
    out.push([a, b, c, round]);
  }
  return out;
}

function orgMetadata(rng: Rng, o: Org): Record<string, unknown> {
  const city = CITIES[o.city]?.city;
  switch (o.kind) {
    case 'manufacturer':
      return {
        brand: o.brand,
        headquarters: city,
        year_established: rng.int(1950, 2005),
        employee_count: rng.int(400, 2500),
        tax_id: `AAAC${o.code}${rng.int(1000, 9999)}${String.fromCharCode(65 + rng.int(0, 25))}`,
      };
    case 'distributor':
      return {
        regions: DISTRIBUTORS.find((d) => d.id === o.id)?.regions ?? [],
        city,
        year_established: rng.int(2004, 2014),
        employee_count: rng.int(35, 110),
      };
    case 'customer': {
      const named = NAMED_CUSTOMERS.find((c) => c.id === o.id);
      const beds = named?.beds ?? (o.orgType === 'hospital' ? rng.int(50, 400) : undefined);
      return {
        phone: o.phone,
        city,
        ...(beds ? { beds } : {}),
        ...(o.orgType === 'hospital'
          ? {
              specialties: rng.sample(
                ['Cardiology', 'Oncology', 'Neurology', 'Orthopaedics', 'Nephrology', 'Paediatrics', 'Critical Care'],
                rng.int(2, 5),
              ),
              bme_team_size: named?.bmeTeam ?? rng.int(2, 12),
              equipment_count: rng.int(280, 450),
            }
          : {}),
      };
    }
    default:
      return { city };
  }
}

function address(rng: Rng, city: number): Record<string, string> {
  const c = CITIES[city] as (typeof CITIES)[number];
  return {
    line1: `${rng.int(1, 250)}, ${rng.pick(STREETS)}`,
    city: c.city,
    state: c.state,
    pincode: rng.pick(c.pincodes),
    country: 'India',
  };
}

const OFFICE_HOURS = { 'mon-fri': '09:00-18:00', sat: '09:00-13:00' };
const HOSPITAL_HOURS = { all: '00:00-24:00' };

async function seedFacilities(ctx: SeedContext, world: World, rng: Rng): Promise<void> {
  const lines: string[] = [];
  const add = (org: Org, name: string, code: string, type: string, city: number, hours: object) => {
    const id = uuid(rng);
    const t = ORG_CREATED_FROM + rng.int(0, 700) * DAY;
    lines.push(line([id, org.id, name, code, type, json(address(rng, city)), json(hours), 'active', iso(t), iso(t)]));
    return id;
  };
  MANUFACTURERS.forEach((m, i) => {
    const org = world.manufacturers[i] as Org;
    for (const f of m.facilities) {
      const id = add(org, f.name, f.code, f.type, cityIndex(f.city), OFFICE_HOURS);
      org.facilityId ??= id;
    }
  });
  world.distributors.forEach((d, i) => {
    const n = String(i + 1).padStart(2, '0');
    d.facilityId = add(d, `${d.name} Warehouse`, `DST-${n}-WH`, 'warehouse', d.city, OFFICE_HOURS);
    if (rng.chance(0.4)) add(d, `${d.name} Service Centre`, `DST-${n}-SVC`, 'service_center', d.city, OFFICE_HOURS);
  });
  for (const o of world.others) {
    if (o.kind === 'other') continue;
    o.facilityId = add(
      o,
      `${o.name} ${o.kind === 'supplier' ? 'Warehouse' : 'Service Centre'}`,
      `${o.code.toUpperCase()}-01`,
      o.kind === 'supplier' ? 'warehouse' : 'service_center',
      o.city,
      OFFICE_HOURS,
    );
  }
  world.dealers.forEach((d, i) => {
    d.facilityId = add(
      d,
      `${d.name.split(',')[0]} Showroom`,
      `DLR-${String(i + 1).padStart(5, '0')}-SHR`,
      'showroom',
      d.city,
      OFFICE_HOURS,
    );
  });
  world.customers.forEach((c, i) => {
    const n = String(i + 1).padStart(6, '0');
    c.facilityId = add(c, `${c.name} - Main Campus`, `CUS-${n}-MAIN`, 'hospital', c.city, HOSPITAL_HOURS);
    if (i === 0) add(c, `${c.name} - Biomedical Engineering Department`, `CUS-${n}-BME`, 'service_center', c.city, OFFICE_HOURS);
  });
  ctx.expect('organization_facilities', lines.length);
  await ctx.load(
    'organization_facilities',
    [
      'id',
      'org_id',
      'facility_name',
      'facility_code',
      'facility_type',
      'address',
      'operational_hours',
      'status',
      'created_at',
      'updated_at',
    ],
    lines,
  );
}

export function personName(rng: Rng): { first: string; last: string; full: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return { first, last, full: `${first} ${last}` };
}

async function seedContacts(ctx: SeedContext, world: World): Promise<void> {
  const rng = ctx.rng('contacts');
  const quota = new Quota(world.allOrgs.length, { two: quotaFor(DEFECTS['contacts.two_primaries'].rate, world.allOrgs.length) });
  const offset = rng.int(0, 99_999_999);
  const lines: string[] = [];
  const named = new Set(NAMED_CUSTOMERS.map((c) => c.id));
  let index = 0;
  for (const org of world.allOrgs) {
    const bigOrg = org.kind === 'manufacturer' || org.kind === 'distributor' || named.has(org.id);
    const count = bigOrg ? rng.int(2, 3) : rng.int(1, 2);
    const twoPrimaries = quota.next(rng) === 'two';
    for (let k = 0; k < count + (twoPrimaries ? 1 : 0); k++) {
      const p = personName(rng);
      const role = k === 0 && org.kind === 'customer' ? (DESIGNATIONS[0] as (typeof DESIGNATIONS)[number]) : rng.pick(DESIGNATIONS);
      const phone = `+9199${String(scatter(index++, 7919, offset, 100_000_000)).padStart(8, '0')}`;
      const isPrimary = k === 0 || (twoPrimaries && k === count);
      const t = ORG_CREATED_FROM + rng.int(0, 900) * DAY;
      lines.push(
        line([
          uuid(rng),
          org.id,
          p.full,
          role.designation,
          role.department,
          `${p.first}.${p.last}${rng.int(1, 99)}@${org.domain}`.toLowerCase(),
          phone,
          rng.chance(0.7) ? phone : null,
          isPrimary,
          /Purchase|Head|Superintendent/.test(role.designation),
          org.kind === 'customer' || org.kind === 'dealer',
          rng.pick(['email', 'phone', 'whatsapp']),
          true,
          iso(t),
          iso(t),
        ]),
      );
    }
  }
  const two = quota.taken.get('two') ?? 0;
  ctx.defect('contacts.two_primaries', { rows: two, population: world.allOrgs.length, units: { organizations: two } });
  ctx.expect('contact_persons', lines.length);
  await ctx.load(
    'contact_persons',
    [
      'id',
      'org_id',
      'name',
      'designation',
      'department',
      'email',
      'primary_phone',
      'whatsapp_number',
      'is_primary',
      'can_approve_orders',
      'can_raise_tickets',
      'preferred_contact_method',
      'active',
      'created_at',
      'updated_at',
    ],
    lines,
  );
}

async function seedCertifications(ctx: SeedContext, world: World): Promise<void> {
  const rng = ctx.rng('certifications');
  const series: { org: Org; type: string; facility: string | null }[] = [];
  for (const m of world.manufacturers) {
    for (const type of ['ISO 13485', 'CE', 'BIS', 'CDSCO', ...(rng.chance(0.5) ? ['FDA'] : [])]) {
      series.push({ org: m, type, facility: type === 'ISO 13485' ? m.facilityId : null });
    }
  }
  for (const d of world.distributors) for (const type of ['ISO 9001', 'CDSCO']) series.push({ org: d, type, facility: null });
  for (const d of world.dealers) if (rng.chance(0.4)) series.push({ org: d, type: 'ISO 9001', facility: null });
  for (const o of world.others) if (o.kind === 'service_provider') series.push({ org: o, type: 'ISO 9001', facility: null });
  for (const c of world.customers) {
    const lab = c.orgType === 'laboratory' || c.orgType === 'diagnostic_center';
    const p = c.orgType === 'hospital' ? 0.7 : c.orgType === 'clinic' ? 0.3 : 0.5;
    if (rng.chance(p)) series.push({ org: c, type: lab ? 'NABL' : 'NABH', facility: c.facilityId });
  }
  const quota = new Quota(series.length, { renewal: quotaFor(DEFECTS['certifications.renewal_unlinked'].rate, series.length) });
  const offset = rng.int(0, 999_999);
  const lines: string[] = [];
  let n = 0;
  const row = (s: (typeof series)[number], number: string, issue: number, expiry: number) => {
    const t = issue + rng.int(1, 20) * DAY;
    lines.push(
      line([
        uuid(rng),
        s.org.id,
        s.facility,
        s.type,
        number,
        CERTIFICATIONS[s.type],
        isoDay(issue),
        isoDay(expiry),
        expiry < BASE_MS ? 'expired' : 'active',
        `/files/certificates/${number.replace(/[^A-Za-z0-9-]/g, '')}.pdf`,
        s.org.kind === 'manufacturer'
          ? 'Design, manufacture and servicing of medical devices'
          : s.org.kind === 'customer'
            ? 'Hospital services'
            : 'Sale and servicing of medical equipment',
        iso(t),
        iso(t),
      ]),
    );
  };
  const certNumber = (type: string) =>
    `${type.replace(/[^A-Z0-9]/g, '')}-${String(scatter(n++, 7919, offset, 1_000_000)).padStart(6, '0')}`;
  for (const s of series) {
    if (quota.next(rng) === 'renewal') {
      // The original, expired before the base date, and its renewal as a second, unlinked row.
      const issue = Date.UTC(2019, 5, 1) + rng.int(0, 700) * DAY;
      const expiry = issue + 3 * 365 * DAY;
      row(s, certNumber(s.type), issue, expiry);
      const renewed = expiry - rng.int(0, 60) * DAY;
      row(s, certNumber(s.type), renewed, renewed + 3 * 365 * DAY);
    } else {
      const issue = Date.UTC(2021, 0, 1) + rng.int(0, 1400) * DAY;
      row(s, certNumber(s.type), issue, issue + 3 * 365 * DAY);
    }
  }
  const renewals = quota.taken.get('renewal') ?? 0;
  ctx.defect('certifications.renewal_unlinked', { rows: renewals, population: series.length, units: { groups: renewals } });
  ctx.expect('organization_certifications', lines.length);
  await ctx.load(
    'organization_certifications',
    [
      'id',
      'org_id',
      'facility_id',
      'certification_type',
      'certification_number',
      'issued_by',
      'issue_date',
      'expiry_date',
      'status',
      'certificate_document_url',
      'scope',
      'created_at',
      'updated_at',
    ],
    lines,
  );
}

/** Region territories, then one pincode territory per city; some pairs claim the same pincode. */
async function seedTerritories(ctx: SeedContext, world: World): Promise<Map<number, string>> {
  const rng = ctx.rng('territories');
  const lines: string[] = [];
  const t = ORG_CREATED_FROM;
  const regionIds = new Map<string, string>();
  for (const region of REGIONS) {
    const id = uuid(rng);
    regionIds.set(region, id);
    const states = [...new Set(CITIES.filter((c) => c.region === region).map((c) => c.state))];
    lines.push(
      line([id, `${region} Region`, `REG-${region.toUpperCase()}`, 'region', states, null, null, null, null, null, null, iso(t), iso(t)]),
    );
  }
  const cityTerritories = CITIES.map((c, i) => ({ city: i, id: uuid(rng), pincodes: [...c.pincodes] }));
  // Pairs (a, b) of distinct territories in one region: b also claims one of a's pincodes.
  // The rate counts territories; each shared pincode involves two of them.
  const pairs = quotaFor(DEFECTS['territories.pincode_shared'].rate / 2, cityTerritories.length);
  const used = new Set<number>();
  let shared = 0;
  for (let attempt = 0; shared < pairs && attempt < 10_000; attempt++) {
    const a = rng.int(0, cityTerritories.length - 1);
    if (used.has(a) || (cityTerritories[a]?.pincodes.length ?? 0) < 2) continue;
    const region = CITIES[a]?.region;
    const candidates = cityTerritories.map((x) => x.city).filter((b) => b !== a && !used.has(b) && CITIES[b]?.region === region);
    if (candidates.length === 0) continue;
    const b = rng.pick(candidates);
    const ta = cityTerritories[a] as (typeof cityTerritories)[number];
    (cityTerritories[b] as (typeof cityTerritories)[number]).pincodes.push(ta.pincodes[ta.pincodes.length - 1] as string);
    used.add(a);
    used.add(b);
    shared++;
  }
  const byCity = new Map<number, string>();
  for (const ct of cityTerritories) {
    const c = CITIES[ct.city] as (typeof CITIES)[number];
    const owner =
      world.distributors.find((d) => d.city === ct.city) ??
      rng.pick(world.distributors.filter((d) => CITIES[d.city]?.region === c.region).concat(world.distributors.slice(0, 1)));
    byCity.set(ct.city, ct.id);
    lines.push(
      line([
        ct.id,
        `${c.city} Territory`,
        `TER-${c.code}`,
        'pincode',
        [c.state],
        [c.city],
        null,
        ct.pincodes,
        regionIds.get(c.region),
        owner.id,
        owner.facilityId,
        iso(t),
        iso(t),
      ]),
    );
  }
  ctx.defect('territories.pincode_shared', { rows: 2 * shared, population: cityTerritories.length, units: { pincodes: shared } });
  ctx.expect('territories', lines.length);
  await ctx.load(
    'territories',
    [
      'id',
      'name',
      'code',
      'coverage_type',
      'states',
      'cities',
      'districts',
      'pincodes',
      'parent_territory_id',
      'assigned_to_org_id',
      'assigned_to_facility_id',
      'created_at',
      'updated_at',
    ],
    lines,
  );
  return byCity;
}

async function seedRelationships(ctx: SeedContext, world: World, territoryByCity: Map<number, string>): Promise<void> {
  const rng = ctx.rng('relationships');
  const lines: string[] = [];
  const LAKH = 100_000 * 100;
  const rel = (parent: Org, child: Org, type: string, terms: boolean, seq: number) => {
    const start = Date.UTC(2019, 0, 1) + rng.int(0, 1500) * DAY;
    const ended = rng.chance(0.08);
    const status = ended ? rng.pick(['inactive', 'terminated']) : 'active';
    const t = start + rng.int(0, 30) * DAY;
    lines.push(
      line([
        uuid(rng),
        parent.id,
        child.id,
        type,
        status,
        isoDay(start),
        ended ? isoDay(start + rng.int(200, 1200) * DAY) : null,
        type === 'authorized_distributor' && rng.chance(0.15),
        terms ? (territoryByCity.get(child.city) ?? null) : null,
        terms ? (10 + 0.5 * rng.int(0, 14)).toFixed(2) : type === 'dealer_of' ? (5 + 0.5 * rng.int(0, 6)).toFixed(2) : null,
        json({ credit_days: rng.pick([30, 45, 60]), mode: 'NEFT', advance_percent: rng.pick([0, 10, 20]) }),
        terms ? rupees(rng.int(2, 10) * 50 * LAKH) : null,
        terms ? rupees(rng.int(6, 40) * 50 * LAKH) : null,
        terms ? rng.pick(['platinum', 'gold', 'silver', 'bronze']) : null,
        terms ? rng.int(1, 2) : null,
        `CTR-${parent.code.toUpperCase()}-${new Date(start).getUTCFullYear()}-${String(seq).padStart(4, '0')}`,
        json(terms ? { product_lines: parent.categories ?? [] } : {}),
        iso(t),
        iso(t),
      ]),
    );
  };
  let seq = 0;
  for (const m of world.manufacturers) {
    for (const d of rng.sample(world.distributors, rng.int(2, 4))) {
      rel(m, d, rng.chance(0.7) ? 'authorized_distributor' : 'regional_distributor', true, ++seq);
    }
  }
  const sp = world.others.filter((o) => o.kind === 'service_provider');
  for (const [m, s] of [
    [0, 0],
    [2, 1],
    [1, 0],
  ] as const) {
    rel(world.manufacturers[m] as Org, sp[s] as Org, 'services_for', false, ++seq);
  }
  for (const d of world.dealers) rel(d.distributor as Org, d, 'dealer_of', false, ++seq);
  for (const c of world.customers) rel(c.distributor as Org, c, 'supplier_of', false, ++seq);
  const aknamed = world.others[0] as Org;
  for (const c of world.customers.slice(0, 3)) rel(aknamed, c, 'supplier_of', false, ++seq);
  ctx.expect('org_relationships', lines.length);
  await ctx.load(
    'org_relationships',
    [
      'id',
      'parent_org_id',
      'child_org_id',
      'rel_type',
      'relationship_status',
      'start_date',
      'end_date',
      'exclusive',
      'territory_id',
      'commission_percentage',
      'payment_terms',
      'credit_limit',
      'annual_target',
      'performance_tier',
      'priority_level',
      'contract_reference',
      'metadata',
      'created_at',
      'updated_at',
    ],
    lines,
  );
}
