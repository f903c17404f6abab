import type pg from 'pg';
import { SqlState } from '../db/sqlstate.ts';
import { AppError } from '../errors.ts';

/**
 * `abymed validate t1.2`: what the customer backfill (0022, 0023) and the contact backfill (0026)
 * will do, before anything changes. The customer forecast is not a second implementation of the
 * dedup rule: migration 0020 binds the one rule's text twice, and t1_2_forecast_customer() runs it on
 * temporary copies of the four customer tables inside a READ ONLY transaction (temporary tables are
 * the only thing such a transaction may write). The same summary query then describes the forecast
 * (temporary tables shadow the real ones on the session's search_path) and, after the backfill, the
 * outcome — so "forecast = outcome" is a comparison of two values of one function.
 */
export interface CustomerSummary {
  /** Customers in the table (not merged into another). */
  customers: number;
  /** Tickets and devices linked to a customer. */
  ticketsLinked: number;
  devicesLinked: number;
  /** Distinct legacy identities (legacy id, name, phone) by how they were resolved. */
  identitiesByReason: Record<string, number>;
  /** Open review cases by kind: the quarantine. */
  reviewCasesByKind: Record<string, number>;
  /** md5 over the groups of tickets and devices per customer: equal iff the grouping is equal. */
  groupingChecksum: string;
}

export interface T12Report {
  ticket: 't1.2';
  before: { customers: number; ticketsToLink: number; devicesToLink: number };
  forecast: CustomerSummary & {
    /** Customers the backfill will create. */
    created: number;
    /** Identities that resolve into a customer another identity created (name variants, phone formats, id forms). */
    merged: number;
    /** Review cases the backfill will open. */
    quarantined: number;
    /** Devices with a customer copy that resolves to nothing (unknown id, no name): left unlinked. */
    devicesWithoutCustomer: number;
  };
  examples: {
    merged: { name: string; phone: string | null; legacyId: string | null; into: string; confidence: number; reason: string }[];
    quarantined: { kind: string; customer: string; candidate: string; reason: string }[];
  };
  contacts: {
    /** Organizations with several primary contacts and no primary-contact history yet. */
    organizationsWithSeveralPrimaries: number;
    demotions: number;
    examples: { organization: string; kept: string; demoted: string[] }[];
  };
}

const CUSTOMER_TABLES = ['customers', 'customer_legacy_ids', 'customer_sources', 'customer_review_cases'] as const;

/** Links as the backfill leaves them: the real columns (outcome), plus the forecast's (forecast). */
const REAL_LINKS = `select 'service_tickets' as source_table, id, customer_uuid as customer_id from public.service_tickets where customer_uuid is not null
                    union all select 'equipment', id, customer_uuid from public.equipment where customer_uuid is not null`;
const FORECAST_LINKS = `${REAL_LINKS} union all select source_table, id, customer_id from pg_temp.t1_2_forecast_links where customer_id is not null`;

/** The summary of the customer tables as the session sees them (temporary copies first, if any). */
export async function summariseCustomers(client: pg.ClientBase, links = REAL_LINKS): Promise<CustomerSummary> {
  const { rows } = await client.query(`
    with l as (${links}),
    g as (select customer_id, md5(string_agg(source_table || ':' || id, ',' order by source_table, id)) as h from l group by customer_id)
    select (select count(*) from customers where status <> 'merged')::int as customers,
           (select count(*) from l where source_table = 'service_tickets')::int as tickets_linked,
           (select count(*) from l where source_table = 'equipment')::int as devices_linked,
           (select coalesce(jsonb_object_agg(reason, n), '{}') from (select reason, count(*)::int n from customer_sources group by reason) r) as by_reason,
           (select coalesce(jsonb_object_agg(kind, n), '{}') from (select kind, count(*)::int n from customer_review_cases where status = 'open' group by kind) k) as by_kind,
           (select coalesce(md5(string_agg(h, ',' order by h)), '') from g) as checksum`);
  const r = rows[0];
  return {
    customers: r.customers,
    ticketsLinked: r.tickets_linked,
    devicesLinked: r.devices_linked,
    identitiesByReason: r.by_reason,
    reviewCasesByKind: r.by_kind,
    groupingChecksum: r.checksum,
  };
}

/** Copies the customer tables into empty temporary twins (same columns, defaults, checks and indexes). */
async function createTemporaryTwins(client: pg.ClientBase): Promise<void> {
  for (const t of CUSTOMER_TABLES) await client.query(`create temporary table ${t} (like public.${t} including all)`);
  await client.query('create temporary table t1_2_forecast_links (source_table text not null, id text not null, customer_id uuid)');
}

async function copyIntoTwins(client: pg.ClientBase): Promise<void> {
  for (const t of CUSTOMER_TABLES) {
    // Generated columns (customers.name_key) are computed again, not copied.
    const { rows } = await client.query<{ cols: string }>(
      `select string_agg(quote_ident(attname), ', ' order by attnum) as cols from pg_attribute
        where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = ''`,
      [`public.${t}`],
    );
    await client.query(`insert into pg_temp.${t} (${rows[0]?.cols}) select ${rows[0]?.cols} from public.${t}`);
  }
}

async function dropTemporaryTwins(client: pg.ClientBase): Promise<void> {
  await client.query(`drop table if exists ${[...CUSTOMER_TABLES, 't1_2_forecast_links'].map((t) => `pg_temp.${t}`).join(', ')}`);
}

/** Runs the report on a client that is not in a transaction; the database is left exactly as it was. */
export async function reportT12(client: pg.ClientBase): Promise<T12Report> {
  try {
    await createTemporaryTwins(client);
    await client.query('begin isolation level repeatable read read only');
    try {
      const report = await collect(client);
      await client.query('commit');
      return report;
    } catch (e) {
      await client.query('rollback').catch(() => {});
      throw e;
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === SqlState.UNDEFINED_TABLE || code === SqlState.UNDEFINED_FUNCTION || code === SqlState.UNDEFINED_COLUMN) {
      throw new AppError(
        'bad_request',
        'the T1.2 validation needs migration 0020 (customers, t1_2_forecast_customer) and the legacy copies (before 0920); run `abymed migrate up --to 20` first',
        {},
        { cause: e },
      );
    }
    throw e;
  } finally {
    await dropTemporaryTwins(client).catch(() => {});
  }
}

async function collect(client: pg.ClientBase): Promise<T12Report> {
  const count = async (sql: string) => Number((await client.query(sql)).rows[0].n);
  const before = {
    customers: await count(`select count(*) n from public.customers where status <> 'merged'`),
    ticketsToLink: await count('select count(*) n from public.service_tickets where customer_uuid is null'),
    devicesToLink: await count(
      'select count(*) n from public.equipment where customer_uuid is null and (customer_id is not null or customer_name is not null)',
    ),
  };
  const casesBefore = await count(`select count(*) n from public.customer_review_cases`);
  await copyIntoTwins(client);
  await client.query('select t1_2_forecast_links()');
  const summary = await summariseCustomers(client, FORECAST_LINKS);
  const created = (await count('select count(*) n from pg_temp.customers')) - (await count('select count(*) n from public.customers'));
  const merged = await count(`select count(*) n from pg_temp.customer_sources s
                               where s.reason not in ('new customer') and s.reason not like '%held for review'
                                 and not exists (select 1 from public.customer_sources p where p.identity_key = s.identity_key)`);
  const quarantined = (await count('select count(*) n from pg_temp.customer_review_cases')) - casesBefore;
  const devicesWithoutCustomer = await count(`select count(*) n from pg_temp.t1_2_forecast_links where customer_id is null`);
  const examples = await client.query(`
    select s.name, s.phone, s.legacy_id, c.name as into, s.confidence::float as confidence, s.reason
      from pg_temp.customer_sources s join pg_temp.customers c on c.id = s.customer_id
     where s.reason not in ('new customer') and s.reason not like '%held for review'
       and not exists (select 1 from public.customer_sources p where p.identity_key = s.identity_key)
     order by s.confidence, s.reason, s.name, s.identity_key limit 8`);
  const cases = await client.query(`
    select k.kind, a.name as customer, b.name as candidate, k.reason
      from pg_temp.customer_review_cases k join pg_temp.customers a on a.id = k.customer_id join pg_temp.customers b on b.id = k.candidate_customer_id
     where not exists (select 1 from public.customer_review_cases p where p.id = k.id)
     order by k.kind, a.name, b.name limit 8`);
  return {
    ticket: 't1.2',
    before,
    forecast: { ...summary, created, merged, quarantined, devicesWithoutCustomer },
    examples: {
      merged: examples.rows.map((r) => ({
        name: r.name,
        phone: r.phone,
        legacyId: r.legacy_id,
        into: r.into,
        confidence: r.confidence,
        reason: r.reason,
      })),
      quarantined: cases.rows.map((r) => ({ kind: r.kind, customer: r.customer, candidate: r.candidate, reason: r.reason })),
    },
    contacts: await contactForecast(client),
  };
}

/**
 * T3.3: organizations the contact backfill (0026) will find with several primary contacts, and whom
 * it keeps. Read from contact_primary_conflicts' rule as t3_3_backfill_orgs() states it (active
 * first, then latest updated_at, then latest created_at, then smallest id); only organizations
 * without a primary-contact history are considered, as in the backfill.
 */
async function contactForecast(client: pg.ClientBase): Promise<T12Report['contacts']> {
  // Before 0025 there is no history at all: every organization is still to be backfilled.
  const hasPeriods = (await client.query(`select to_regclass('contact_primary_periods') is not null as p`)).rows[0].p;
  const noHistory = hasPeriods ? 'and not exists (select 1 from contact_primary_periods pp where pp.org_id = c.org_id)' : '';
  const { rows } = await client.query(`
    with p as (
      select c.org_id, o.name as organization, c.name,
             row_number() over (partition by c.org_id order by c.active is not false desc, c.updated_at desc, c.created_at desc, c.id) as rank,
             count(*) over (partition by c.org_id) as n
        from contact_persons c join organizations o on o.id = c.org_id
       where c.is_primary ${noHistory})
    select org_id, organization, min(name) filter (where rank = 1) as kept,
           array_agg(name order by rank) filter (where rank > 1) as demoted
      from p where n > 1 group by org_id, organization order by organization, org_id`);
  return {
    organizationsWithSeveralPrimaries: rows.length,
    demotions: rows.reduce((s, r) => s + r.demoted.length, 0),
    examples: rows.slice(0, 5).map((r) => ({ organization: r.organization, kept: r.kept, demoted: r.demoted })),
  };
}

export function formatT12Report(r: T12Report): string {
  const f = r.forecast;
  const lines = [
    'T1.2 customers — forecast of the backfill (0022, 0023); nothing has been changed',
    `  now:        ${r.before.customers} customers; ${r.before.ticketsToLink} tickets and ${r.before.devicesToLink} devices to link`,
    `  create:     ${f.created} customers`,
    `  merge:      ${f.merged} legacy identities (spellings, phone formats, id forms) into a customer another one created`,
    `  quarantine: ${f.quarantined} review cases (${Object.entries(f.reviewCasesByKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')})`,
    `  link:       ${f.ticketsLinked} tickets, ${f.devicesLinked} devices; ${f.devicesWithoutCustomer} devices resolve to no customer`,
    `  by reason:  ${Object.entries(f.identitiesByReason)
      .map(([k, n]) => `${k} ${n}`)
      .join('; ')}`,
    '  merge examples:',
    ...r.examples.merged.map(
      (m) => `    "${m.name}" ${m.phone ?? '(no phone)'} ${m.legacyId ?? '(no id)'} → "${m.into}" (${m.confidence}, ${m.reason})`,
    ),
    '  review examples:',
    ...r.examples.quarantined.map((q) => `    ${q.kind}: "${q.customer}" vs "${q.candidate}" — ${q.reason}`),
    `T3.3 contacts — ${r.contacts.organizationsWithSeveralPrimaries} organizations with several primary contacts; ${r.contacts.demotions} will be demoted:`,
    ...r.contacts.examples.map((c) => `    ${c.organization}: keep ${c.kept}, demote ${c.demoted.join(', ')}`),
    `  grouping checksum ${f.groupingChecksum}`,
  ];
  return lines.join('\n');
}
