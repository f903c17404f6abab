import { BASE_MS, DAY, iso, isoDay, type SeedContext } from './context.ts';
import { json, line } from './copy.ts';
import { scatter, uuid } from './ids.ts';
import { DEFECTS } from './manifest.ts';
import { personName } from './organizations.ts';
import {
  CATEGORIES,
  type Category,
  CITIES,
  cityIndex,
  LAST_NAMES,
  MIDDLE_NAMES,
  NAMED_ENGINEERS,
  REFERENCE_PINCODES,
} from './reference.ts';
import { Quota, quotaFor, type Rng } from './rng.ts';
import type { Engineer, Org, World } from './world.ts';

/**
 * Field engineers (the named ones of the original seeds, then generated ones: 10 + 6 per scale
 * unit), their skills and a fortnight of availability. Coverage is held in text[] arrays (#5) with
 * the seeded defects engineers.coverage_*; some engineers are renamed after tickets named them and
 * some tickets name engineers that were deleted (used by the ticket step).
 */
const TIERS: Record<string, [number, string]> = {
  manufacturer: [1, 'Manufacturer'],
  dealer: [2, 'Dealer'],
  distributor: [3, 'Distributor'],
  service_provider: [4, 'Service Provider'],
  customer: [5, 'Hospital BME'],
};

const KNOWN_PINCODES = new Set(REFERENCE_PINCODES);

function formerNameOf(rng: Rng, fullName: string): string {
  const parts = fullName.split(' ');
  if (parts.length >= 3) return `${parts[0]} ${parts[parts.length - 1]}`;
  let last = rng.pick(LAST_NAMES);
  while (last === parts[parts.length - 1]) last = rng.pick(LAST_NAMES);
  return `${parts[0]} ${last}`;
}

export async function seedEngineers(ctx: SeedContext, world: World): Promise<void> {
  const rng = ctx.rng('engineers');
  const count = 10 + Math.round(6 * ctx.scale);
  const coverage = new Quota(count, {
    duplicates: quotaFor(DEFECTS['engineers.coverage_duplicates'].rate, count),
    stray_spaces: quotaFor(DEFECTS['engineers.coverage_stray_spaces'].rate, count),
    mixed_case: quotaFor(DEFECTS['engineers.coverage_mixed_case'].rate, count),
    unknown_pincode: quotaFor(DEFECTS['engineers.coverage_unknown_pincode'].rate, count),
  });
  const renamed = new Set(
    rng.sample(
      Array.from({ length: count }, (_, i) => i),
      quotaFor(0.1, count),
    ),
  );
  const phoneOffset = rng.int(0, 99_999_999);
  const cityWeights = CITIES.map((c, i) => [i, c.pincodes.length] as const);
  const orgsOf = (kind: string): Org[] =>
    kind === 'manufacturer'
      ? world.manufacturers
      : kind === 'distributor'
        ? world.distributors
        : kind === 'dealer'
          ? world.dealers
          : kind === 'service_provider'
            ? world.others.filter((o) => o.kind === 'service_provider')
            : world.customers;

  const lines: string[] = [];
  const skillLines: string[] = [];
  const availabilityLines: string[] = [];
  for (let i = 0; i < count; i++) {
    const named = NAMED_ENGINEERS[i];
    let fullName: string;
    let first: string;
    let city: number;
    let org: Org;
    let skills: Category[];
    let level: number;
    let rating: number;
    if (named) {
      fullName = named.fullName;
      first = fullName.split(' ')[0] as string;
      city = cityIndex(named.city);
      const byCode = world.manufacturers.find((m) => m.code === named.employer);
      org =
        byCode ??
        (named.employer === 'distributor'
          ? (world.distributors.find((d) => d.city === city) ?? (world.distributors[0] as Org))
          : (world.dealers.find((d) => d.city === city) ?? (world.dealers[0] as Org)));
      skills = [...named.skills];
      level = named.level;
      rating = named.rating;
    } else {
      const p = personName(rng);
      first = p.first;
      fullName = rng.chance(0.3) ? `${p.first} ${rng.pick(MIDDLE_NAMES)} ${p.last}` : p.full;
      city = rng.weighted(cityWeights);
      const kind = rng.weighted([
        ['manufacturer', 45],
        ['distributor', 25],
        ['dealer', 15],
        ['service_provider', 10],
        ['customer', 5],
      ] as const);
      const pool = orgsOf(kind);
      org = pool.find((o) => o.city === city && rng.chance(0.7)) ?? rng.pick(pool);
      skills = rng.sample(org.categories?.length ? org.categories : CATEGORIES, rng.int(1, 3));
      level = rng.int(1, 3);
      rating = rng.int(350, 500) / 100;
    }
    const [tier, tierName] = TIERS[org.kind] as [number, string];
    const engineer: Engineer = {
      id: uuid(rng),
      employeeId: `ENG-${String(i + 1).padStart(3, '0')}`,
      fullName,
      formerName: renamed.has(i) ? formerNameOf(rng, fullName) : null,
      city,
      org,
      tier,
      tierName,
    };
    world.engineers.push(engineer);
    const bucket = world.engineersByCity.get(city) ?? [];
    bucket.push(engineer);
    world.engineersByCity.set(city, bucket);

    // Coverage: pincodes of the home city (and sometimes a neighbour in the same state).
    const home = CITIES[city] as (typeof CITIES)[number];
    const pincodes = rng.sample(home.pincodes, rng.int(1, Math.min(4, home.pincodes.length)));
    const cities = [home.city];
    const neighbours = CITIES.filter((c) => c.state === home.state && c.city !== home.city);
    if (neighbours.length > 0 && rng.chance(0.4)) {
      const n = rng.pick(neighbours);
      cities.push(n.city);
      pincodes.push(...rng.sample(n.pincodes, rng.int(1, Math.min(2, n.pincodes.length))));
    }
    const defect = coverage.next(rng);
    if (defect === 'duplicates') pincodes.push(pincodes[0] as string);
    else if (defect === 'stray_spaces') {
      const unused = REFERENCE_PINCODES.filter((p) => !pincodes.includes(p));
      const p = rng.pick(unused);
      pincodes.splice(rng.int(0, pincodes.length), 0, rng.pick([` ${p}`, `${p} `, ` ${p} `]));
    } else if (defect === 'mixed_case') {
      const k = rng.int(0, cities.length - 1);
      const c = cities[k] as string;
      cities[k] = rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase();
    } else if (defect === 'unknown_pincode') {
      let p: string;
      do p = `${(pincodes[0] as string).slice(0, 3)}${String(rng.int(0, 999)).padStart(3, '0')}`;
      while (KNOWN_PINCODES.has(p));
      pincodes.push(p);
    }
    const phone = named
      ? `+9198765432${String(i + 1).padStart(2, '0')}`
      : `+9197${String(scatter(i, 7919, phoneOffset, 100_000_000)).padStart(8, '0')}`;
    const t = Date.UTC(2022, 0, 1) + rng.int(0, 900) * DAY;
    const status = rng.weighted([
      ['available', 60],
      ['on_job', 25],
      ['on_leave', 10],
      ['inactive', 5],
    ] as const);
    lines.push(
      line([
        engineer.id,
        engineer.employeeId,
        fullName,
        `${first}.${fullName.split(' ').at(-1)}.${i + 1}@${org.domain}`.toLowerCase(),
        phone,
        phone,
        org.id,
        rng.weighted([
          ['full_time', 80],
          ['contract', 15],
          ['part_time', 3],
          ['freelance', 2],
        ] as const),
        level,
        status,
        pincodes,
        cities,
        [home.state],
        home.city,
        skills,
        status === 'on_job' ? rng.int(1, 4) : 0,
        rng.int(4, 8),
        rating.toFixed(2),
        iso(t),
        iso(t),
      ]),
    );
    for (const category of skills) {
      const makers = world.manufacturers.filter((m) => m.categories?.includes(category));
      const maker = org.kind === 'manufacturer' && org.categories?.includes(category) ? org : rng.pick(makers);
      const proficiency = rng.pick(
        level === 1 ? ['beginner', 'intermediate'] : level === 2 ? ['intermediate', 'advanced'] : ['advanced', 'expert'],
      );
      const certified = rng.chance(0.6);
      skillLines.push(
        line([
          uuid(rng),
          engineer.id,
          'equipment_category',
          category,
          maker.id,
          maker.name,
          proficiency,
          certified,
          certified ? isoDay(BASE_MS + rng.int(-200, 900) * DAY) : null,
          iso(t),
        ]),
      );
    }
    for (let d = 0; d < 14; d++) {
      const away = status === 'on_leave' || rng.chance(0.12);
      const reason = status === 'on_leave' ? 'on_leave' : away ? rng.pick(['on_training', 'sick', 'on_site', 'other']) : null;
      const slots = away
        ? null
        : rng.chance(0.7)
          ? [
              { start: '09:00', end: '13:00' },
              { start: '14:00', end: '18:00' },
            ]
          : [{ start: '10:00', end: '19:00' }];
      availabilityLines.push(
        line([uuid(rng), engineer.id, isoDay(BASE_MS + d * DAY), !away, reason, slots ? json(slots) : null, iso(BASE_MS - 7 * DAY)]),
      );
    }
  }
  const deleted = Math.max(2, Math.round(0.05 * count));
  for (let k = 0; k < deleted; k++) {
    const tier = rng.int(1, 3);
    world.deletedEngineers.push({
      id: uuid(rng),
      fullName: personName(rng).full,
      tier,
      tierName: ['Manufacturer', 'Dealer', 'Distributor'][tier - 1] as string,
    });
  }
  const taken = (k: 'duplicates' | 'stray_spaces' | 'mixed_case' | 'unknown_pincode') => coverage.taken.get(k) ?? 0;
  ctx.defect('engineers.coverage_duplicates', { rows: taken('duplicates'), population: count });
  ctx.defect('engineers.coverage_stray_spaces', { rows: taken('stray_spaces'), population: count });
  ctx.defect('engineers.coverage_mixed_case', { rows: taken('mixed_case'), population: count });
  ctx.defect('engineers.coverage_unknown_pincode', { rows: taken('unknown_pincode'), population: count });

  ctx.expect('engineers', lines.length);
  await ctx.load(
    'engineers',
    [
      'id',
      'employee_id',
      'full_name',
      'email',
      'phone',
      'whatsapp_number',
      'org_id',
      'employment_type',
      'engineer_level',
      'status',
      'coverage_pincodes',
      'coverage_cities',
      'coverage_states',
      'home_region',
      'skills',
      'active_tickets',
      'max_daily_tickets',
      'customer_rating',
      'created_at',
      'updated_at',
    ],
    lines,
  );
  ctx.expect('engineer_skills', skillLines.length);
  await ctx.load(
    'engineer_skills',
    [
      'id',
      'engineer_id',
      'skill_type',
      'equipment_category',
      'manufacturer_id',
      'manufacturer_name',
      'proficiency_level',
      'certified',
      'certification_expiry',
      'created_at',
    ],
    skillLines,
  );
  ctx.expect('engineer_availability', availabilityLines.length);
  await ctx.load(
    'engineer_availability',
    ['id', 'engineer_id', 'date', 'available', 'reason', 'available_slots', 'created_at'],
    availabilityLines,
  );
}
