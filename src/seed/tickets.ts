import { BASE_MS, DAY, HOUR, iso, isoDay, MINUTE, rupees, type SeedContext } from './context.ts';
import { json, line } from './copy.ts';
import type { CustomerTally } from './equipment.ts';
import { ksuid, legacyCustomerId } from './ids.ts';
import { DEFECTS } from './manifest.ts';
import { type Category, COMMENTS, ISSUES, PARTS } from './reference.ts';
import { Quota, quotaFor } from './rng.ts';
import type { Devices, Engineer, Org, World } from './world.ts';

/**
 * Service tickets (3,000 per scale unit, spread over the year after the base date), their status
 * history and comments, loaded in chunks: each chunk's tickets, then its history, then its
 * comments, all inside the seed's one transaction. A plan pass first decides, per ticket, its
 * status chain, its defect classes and its number of comments, so every total and every defect
 * count is exact before a row is written. Seeds customers.* (on tickets), tickets.* (status,
 * history, inline engineer).
 */
const SPAN = 365 * DAY;
const END = BASE_MS + SPAN + DAY;
const CHUNK = 20_000;
const SLICE = 1_000;

type Status = 'new' | 'assigned' | 'in_progress' | 'on_hold' | 'resolved' | 'closed' | 'cancelled';
const CHAINS: readonly (readonly Status[])[] = [
  ['new'],
  ['new', 'assigned'],
  ['new', 'assigned', 'in_progress'],
  ['new', 'assigned', 'in_progress', 'on_hold'],
  ['new', 'assigned', 'in_progress', 'resolved'],
  ['new', 'assigned', 'in_progress', 'resolved', 'closed'],
  ['new', 'cancelled'],
  ['new', 'assigned', 'cancelled'],
];
const NEXT: Partial<Record<Status, Status>> = {
  assigned: 'in_progress',
  in_progress: 'resolved',
  on_hold: 'in_progress',
  resolved: 'closed',
};
const EARLY_WEIGHTS = [5, 5, 5, 4, 15, 60, 3, 3];
const LATE_WEIGHTS = [20, 15, 20, 10, 15, 15, 3, 2];
const WITH_ENGINEER = new Set([1, 2, 3, 4, 5, 7]);

const CUSTOMER_CLASSES = ['name_variant', 'dashed', 'leading_zero', 'spaces', 'missing', 'same_phone', 'non_uuid'] as const;
type CustomerClass = (typeof CUSTOMER_CLASSES)[number];
const STATUS_CLASSES = ['disagree', 'no_history'] as const;
const ENGINEER_CLASSES = ['missing', 'renamed'] as const;

const DELAY: Record<Status, [number, number]> = {
  new: [0, 0],
  assigned: [5 * MINUTE, 3 * HOUR],
  in_progress: [30 * MINUTE, 24 * HOUR],
  on_hold: [1 * HOUR, 48 * HOUR],
  resolved: [1 * HOUR, 72 * HOUR],
  closed: [2 * HOUR, 96 * HOUR],
  cancelled: [10 * MINUTE, 48 * HOUR],
};
const RESPONSE_HOURS = { critical: 2, high: 4, medium: 8, low: 24 } as const;
const RESOLUTION_HOURS = { critical: 8, high: 24, medium: 72, low: 168 } as const;
const CREATED_BY = {
  whatsapp: 'whatsapp-bot',
  web: 'web-portal',
  phone: 'call-centre',
  email: 'email-gateway',
  scheduled: 'pm-scheduler',
} as const;

const TICKET_COLUMNS = [
  'id',
  'ticket_number',
  'equipment_id',
  'qr_code',
  'serial_number',
  'equipment_name',
  'customer_id',
  'customer_name',
  'customer_phone',
  'customer_whatsapp',
  'issue_category',
  'issue_description',
  'priority',
  'source',
  'status',
  'assigned_engineer_id',
  'assigned_engineer_name',
  'assignment_tier',
  'assignment_tier_name',
  'assigned_at',
  'created_at',
  'acknowledged_at',
  'started_at',
  'resolved_at',
  'closed_at',
  'updated_at',
  'sla_response_due',
  'sla_resolution_due',
  'sla_breached',
  'resolution_notes',
  'parts_used',
  'labor_hours',
  'cost',
  'created_by',
];
const HISTORY_COLUMNS = ['id', 'ticket_id', 'from_status', 'to_status', 'changed_by', 'changed_at', 'reason'];
const COMMENT_COLUMNS = ['id', 'ticket_id', 'comment_type', 'author_id', 'author_name', 'comment', 'attachments', 'created_at'];

const phoneDigits = (phone: string) => phone.slice(3);

/** 3,000 tickets per scale unit; at least 100, so every class has a population at tiny scales. */
export const ticketCount = (scale: number): number => Math.max(100, Math.round(3000 * scale));

interface Plan {
  count: number;
  chain: Uint8Array;
  customer: Uint8Array;
  status: Uint8Array;
  engineer: Uint8Array;
  /** 0: the last history row was lost (history behind); 1: the ticket update was lost (ticket behind). */
  variant: Uint8Array;
  comments: Uint8Array;
  historyRows: number;
  commentRows: number;
  taken: { customer: Map<string, number>; status: Map<string, number>; engineer: Map<string, number> };
}

function plan(ctx: SeedContext): Plan {
  const rng = ctx.rng('tickets.plan');
  const count = ticketCount(ctx.scale);
  const q = (key: keyof typeof DEFECTS) => quotaFor(DEFECTS[key].rate, count);
  const customer = new Quota(count, {
    name_variant: q('customers.name_variants'),
    dashed: q('customers.phone_formats.dashed'),
    leading_zero: q('customers.phone_formats.leading_zero'),
    spaces: q('customers.phone_formats.spaces'),
    missing: q('customers.phone_missing'),
    same_phone: q('customers.same_phone_two_names'),
    non_uuid: q('customers.non_uuid_id'),
  });
  const status = new Quota(count, { disagree: q('tickets.status_disagrees_with_history'), no_history: q('tickets.no_history') });
  const engineer = new Quota(count, { missing: q('tickets.engineer_missing'), renamed: q('tickets.engineer_renamed') });
  const p: Plan = {
    count,
    chain: new Uint8Array(count),
    customer: new Uint8Array(count),
    status: new Uint8Array(count),
    engineer: new Uint8Array(count),
    variant: new Uint8Array(count),
    comments: new Uint8Array(count),
    historyRows: 0,
    commentRows: 0,
    taken: { customer: customer.taken, status: status.taken, engineer: engineer.taken },
  };
  for (let i = 0; i < count; i++) {
    const c = customer.next(rng);
    const s = status.next(rng);
    const e = engineer.next(rng);
    p.customer[i] = c === null ? 0 : CUSTOMER_CLASSES.indexOf(c) + 1;
    p.status[i] = s === null ? 0 : STATUS_CLASSES.indexOf(s) + 1;
    p.engineer[i] = e === null ? 0 : ENGINEER_CLASSES.indexOf(e) + 1;
    const weights = (i / count < 0.85 ? EARLY_WEIGHTS : LATE_WEIGHTS).map((w, k) => [k, w] as const);
    // A defect that needs an engineer, or a history of two rows or more, constrains the status.
    const allowed = weights.filter(([k]) => (e === null || WITH_ENGINEER.has(k)) && (s !== 'disagree' || k !== 0));
    const chain = rng.weighted(allowed);
    p.chain[i] = chain;
    const steps = CHAINS[chain] as readonly Status[];
    const last = steps[steps.length - 1] as Status;
    let history = steps.length;
    if (s === 'no_history') history = 0;
    else if (s === 'disagree') {
      const ticketBehind = NEXT[last] !== undefined && rng.chance(0.5);
      p.variant[i] = ticketBehind ? 1 : 0;
      history = ticketBehind ? steps.length + 1 : steps.length - 1;
    }
    p.historyRows += history;
    const comments = rng.weighted([
      [0, 35],
      [1, 35],
      [2, 20],
      [3, 10],
    ] as const);
    p.comments[i] = comments;
    p.commentRows += comments;
  }
  return p;
}

export async function seedTickets(ctx: SeedContext, world: World, devices: Devices, equipmentCustomers: CustomerTally): Promise<void> {
  const p = plan(ctx);
  const rng = ctx.rng('tickets.rows');
  ctx.expect('service_tickets', p.count);
  ctx.expect('ticket_status_history', p.historyRows);
  ctx.expect('ticket_comments', p.commentRows);

  const customers = world.customers;
  const renamedEngineers = world.engineers.filter((e) => e.formerName !== null);
  const slot = Math.max(1, Math.floor(SPAN / p.count));
  const variantsUsed = equipmentCustomers.variantsUsed;
  const phonesShared = new Set<string>();
  const customersBorrowing = new Set<string>();
  const missingUsed = new Set<string>();
  const renamedUsed = new Set<string>();
  let historyBehind = 0;
  let ticketBehind = 0;
  let lastDay = '';
  let dayCounter = 0;
  const times: number[] = [];

  // Chunk k is COPYed while chunk k+1 is generated: generation yields to the event loop every
  // SLICE tickets so the socket keeps draining, and the two cores both work.
  let inFlight: Promise<void> = Promise.resolve();
  for (let start = 0; start < p.count; start += CHUNK) {
    let t0 = performance.now();
    let generating = 0;
    const end = Math.min(p.count, start + CHUNK);
    const tickets: string[] = [];
    const history: string[] = [];
    const comments: string[] = [];
    for (let i = start; i < end; i++) {
      if ((i - start) % SLICE === SLICE - 1) {
        generating += performance.now() - t0;
        await new Promise<void>((resolve) => setImmediate(resolve));
        t0 = performance.now();
      }
      const created = BASE_MS + Math.floor((i * SPAN) / p.count) + rng.int(0, slot - 1);
      const day = isoDay(created).replace(/-/g, '');
      if (day !== lastDay) {
        lastDay = day;
        dayCounter = 0;
      }
      const ticketNumber = `TKT-${day}-${String(++dayCounter).padStart(6, '0')}`;
      const id = ksuid(rng, created);
      const eq = rng.int(0, devices.count - 1);
      const ownerIndex = devices.owner[eq] as number;
      const owner = customers[ownerIndex] as Org;
      const category = devices.category[eq] as Category;

      // Customer copy (#7), with this ticket's customer defect if any.
      const cls: CustomerClass | null = p.customer[i] ? (CUSTOMER_CLASSES[(p.customer[i] as number) - 1] as CustomerClass) : null;
      const canonicalPhone = owner.phone as string;
      let customerId = legacyCustomerId(owner.id);
      let customerName = owner.name;
      let phone: string | null = canonicalPhone;
      switch (cls) {
        case 'name_variant':
          customerName = rng.pick(owner.variants);
          variantsUsed.add(`${owner.id}\t${customerName}`);
          break;
        case 'non_uuid':
          customerId = owner.externalRef as string;
          break;
        case 'dashed':
          phone = `+91-${phoneDigits(canonicalPhone)}`;
          break;
        case 'leading_zero':
          phone = `0${phoneDigits(canonicalPhone)}`;
          break;
        case 'spaces':
          phone = `+91 ${phoneDigits(canonicalPhone).slice(0, 5)} ${phoneDigits(canonicalPhone).slice(5)}`;
          break;
        case 'missing':
          phone = null;
          break;
        case 'same_phone': {
          const twin = customers[(ownerIndex + 1) % customers.length] as Org;
          phone = twin.phone;
          phonesShared.add(twin.phone as string);
          customersBorrowing.add(owner.id);
          break;
        }
      }

      const source = rng.weighted([
        ['whatsapp', 35],
        ['web', 25],
        ['phone', 25],
        ['email', 7],
        ['scheduled', 8],
      ] as const);
      const scheduled = source === 'scheduled';
      const priority = scheduled
        ? rng.pick(['low', 'medium'] as const)
        : rng.weighted([
            ['critical', 8],
            ['high', 22],
            ['medium', 50],
            ['low', 20],
          ] as const);
      const issueCategory = scheduled
        ? 'preventive_maintenance'
        : rng.weighted([
            ['breakdown', 55],
            ['calibration', 12],
            ['software', 10],
            ['electrical', 13],
            ['consumables', 10],
          ] as const);
      const description = scheduled ? `Preventive maintenance visit due (${category})` : rng.pick(ISSUES[category]);

      // Status chain and its instants.
      const steps = CHAINS[p.chain[i] as number] as readonly Status[];
      const statusClass = p.status[i] as number;
      const behind = statusClass === 1 && p.variant[i] === 1;
      const historySteps: Status[] =
        statusClass === 2
          ? []
          : statusClass === 1
            ? behind
              ? [...steps, NEXT[steps[steps.length - 1] as Status] as Status]
              : steps.slice(0, -1)
            : [...steps];
      if (statusClass === 1) behind ? ticketBehind++ : historyBehind++;
      times.length = 0;
      times.push(created);
      const allSteps = behind ? historySteps : steps;
      for (let k = 1; k < allSteps.length; k++) {
        const [lo, hi] = DELAY[allSteps[k] as Status];
        times.push((times[k - 1] as number) + rng.int(lo / MINUTE, hi / MINUTE) * MINUTE + rng.int(0, 59) * 1000);
      }
      const at = (s: Status): number | null => {
        const k = steps.indexOf(s);
        return k < 0 ? null : (times[k] as number);
      };
      const status = steps[steps.length - 1] as Status;

      // Inline engineer (#1), with this ticket's engineer defect if any.
      let engineerId: string | null = null;
      let engineerName: string | null = null;
      let tier: number | null = null;
      let tierName: string | null = null;
      let engineerCode = 'field-engineer';
      if (steps.includes('assigned')) {
        const e = p.engineer[i];
        if (e === 1) {
          const gone = rng.pick(world.deletedEngineers);
          engineerId = gone.id;
          engineerName = gone.fullName;
          tier = gone.tier;
          tierName = gone.tierName;
          missingUsed.add(gone.id);
        } else {
          const local = world.engineersByCity.get(owner.city);
          const engineer: Engineer =
            e === 2 ? rng.pick(renamedEngineers) : local && rng.chance(0.8) ? rng.pick(local) : rng.pick(world.engineers);
          engineerId = engineer.id;
          engineerName = e === 2 ? (engineer.formerName as string) : engineer.fullName;
          tier = engineer.tier;
          tierName = engineer.tierName;
          engineerCode = engineer.employeeId;
          if (e === 2) renamedUsed.add(engineer.id);
        }
      }

      const resolvedAt = at('resolved');
      const closedAt = at('closed');
      const responseDue = created + RESPONSE_HOURS[priority] * HOUR;
      const resolutionDue = created + RESOLUTION_HOURS[priority] * HOUR;
      const breached = status !== 'cancelled' && (resolvedAt ?? END) > resolutionDue;
      let notes: string | null = null;
      let parts: { part_number: string; part_name: string; quantity: number; cost: number }[] = [];
      let labor: string | null = null;
      let cost: string | null = null;
      if (resolvedAt !== null) {
        const hours = rng.int(1, 16) / 2;
        if (rng.chance(0.35)) {
          const part = rng.pick(PARTS[category]);
          parts = [{ part_number: part.number, part_name: part.name, quantity: rng.int(1, 2), cost: part.cost }];
        }
        notes =
          parts.length > 0 ? `Replaced ${parts[0]?.part_name.toLowerCase()}; unit tested and handed over.` : rng.pick(COMMENTS.engineer);
        labor = hours.toFixed(2);
        cost = rupees((hours * 1500 + parts.reduce((s, x) => s + x.cost * x.quantity, 0)) * 100);
      }
      const createdBy = CREATED_BY[source];
      tickets.push(
        line([
          id,
          ticketNumber,
          devices.id[eq],
          devices.qr[eq],
          devices.serial[eq],
          devices.name[eq],
          customerId,
          customerName,
          phone,
          canonicalPhone,
          issueCategory,
          description,
          priority,
          source,
          status,
          engineerId,
          engineerName,
          tier,
          tierName,
          engineerId ? iso(at('assigned') as number) : null,
          iso(created),
          engineerId ? iso(at('assigned') as number) : null,
          at('in_progress') === null ? null : iso(at('in_progress') as number),
          resolvedAt === null ? null : iso(resolvedAt),
          closedAt === null ? null : iso(closedAt),
          iso(times[steps.length - 1] as number),
          iso(responseDue),
          iso(resolutionDue),
          breached,
          notes,
          json(parts),
          labor,
          cost,
          createdBy,
        ]),
      );

      for (let k = 0; k < historySteps.length; k++) {
        const to = historySteps[k] as Status;
        const changedAt = times[k] as number;
        const by =
          to === 'new'
            ? createdBy
            : to === 'assigned'
              ? 'auto-assign'
              : to === 'closed'
                ? 'system'
                : to === 'cancelled'
                  ? 'customer'
                  : engineerCode;
        const reason =
          to === 'on_hold'
            ? 'Awaiting spare parts'
            : to === 'cancelled'
              ? rng.pick(['Raised by mistake', 'Duplicate ticket', 'Issue resolved by hospital staff'])
              : to === 'assigned'
                ? `Tier ${tier ?? 1} assignment`
                : null;
        history.push(line([ksuid(rng, changedAt), id, k === 0 ? null : historySteps[k - 1], to, by, iso(changedAt), reason]));
      }

      const lastMoment = Math.max(times[times.length - 1] as number, created + 2 * DAY);
      for (let k = 0; k < (p.comments[i] as number); k++) {
        const when = created + Math.floor(((k + 1) / ((p.comments[i] as number) + 1)) * (lastMoment - created));
        const type =
          k === 0 && source === 'whatsapp'
            ? 'system'
            : rng.weighted([
                [engineerName ? 'engineer' : 'internal', 40],
                ['customer', 30],
                ['internal', 15],
                ['system', 15],
              ] as const);
        const [authorId, authorName] =
          type === 'engineer'
            ? [engineerCode, engineerName]
            : type === 'customer'
              ? [owner.externalRef, owner.name]
              : type === 'internal'
                ? ['SUP-01', 'Service Desk']
                : ['system', 'System'];
        const text = type === 'system' && k === 0 && source === 'whatsapp' ? COMMENTS.system[0] : rng.pick(COMMENTS[type]);
        comments.push(line([ksuid(rng, when), id, type, authorId, authorName, text, json([]), iso(when)]));
      }
    }
    ctx.addElapsed('service_tickets', generating + performance.now() - t0);
    await inFlight;
    inFlight = (async () => {
      await ctx.load('service_tickets', TICKET_COLUMNS, tickets);
      await ctx.load('ticket_status_history', HISTORY_COLUMNS, history);
      await ctx.load('ticket_comments', COMMENT_COLUMNS, comments);
    })();
    // Awaited before the next chunk's COPY and after the loop; this only keeps an early failure
    // from being reported as unhandled while the next chunk is being generated.
    inFlight.catch(() => {});
  }
  await inFlight;

  const taken = (m: Map<string, number>, k: string) => m.get(k) ?? 0;
  const c = p.taken.customer;
  const variantCustomers = new Set([...variantsUsed].map((v) => v.split('\t')[0]));
  ctx.defect('customers.name_variants', {
    rows: taken(c, 'name_variant') + equipmentCustomers.nameVariant,
    population: p.count + equipmentCustomers.population,
    byTable: { service_tickets: taken(c, 'name_variant'), equipment: equipmentCustomers.nameVariant },
    units: { customers: variantCustomers.size, spellings: variantsUsed.size },
  });
  ctx.defect('customers.non_uuid_id', {
    rows: taken(c, 'non_uuid') + equipmentCustomers.nonUuid,
    population: p.count + equipmentCustomers.population,
    byTable: { service_tickets: taken(c, 'non_uuid'), equipment: equipmentCustomers.nonUuid },
  });
  ctx.defect('customers.phone_formats.dashed', { rows: taken(c, 'dashed'), population: p.count });
  ctx.defect('customers.phone_formats.leading_zero', { rows: taken(c, 'leading_zero'), population: p.count });
  ctx.defect('customers.phone_formats.spaces', { rows: taken(c, 'spaces'), population: p.count });
  ctx.defect('customers.phone_missing', { rows: taken(c, 'missing'), population: p.count });
  ctx.defect('customers.same_phone_two_names', {
    rows: taken(c, 'same_phone'),
    population: p.count,
    units: { phones: phonesShared.size, customers: customersBorrowing.size },
  });
  ctx.defect('tickets.status_disagrees_with_history', {
    rows: taken(p.taken.status, 'disagree'),
    population: p.count,
    units: { history_behind: historyBehind, ticket_behind: ticketBehind },
  });
  ctx.defect('tickets.no_history', { rows: taken(p.taken.status, 'no_history'), population: p.count });
  ctx.defect('tickets.engineer_missing', {
    rows: taken(p.taken.engineer, 'missing'),
    population: p.count,
    units: { engineers: missingUsed.size },
  });
  ctx.defect('tickets.engineer_renamed', {
    rows: taken(p.taken.engineer, 'renamed'),
    population: p.count,
    units: { engineers: renamedUsed.size },
  });
}
