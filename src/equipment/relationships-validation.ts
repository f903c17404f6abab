import type pg from 'pg';

/**
 * `abymed validate t1.4`: read-only forecast of the T1.4 backfill (what becomes which period, what
 * is quarantined and why), and once 0040 is in, the health of the history: drift between the
 * static columns and the open periods, devices without an owner, backfill quarantine entries.
 * Runs on the legacy shape too (the rules are inlined here as in 0040's helper functions).
 */
export interface T14Report {
  devices: number;
  parties: Record<'manufactured_by' | 'sold_by' | 'owned_by' | 'owned_by_from_customer_copy' | 'installed_at', number>;
  quarantine: { rule: string; devices: number; sample: string[] }[];
  history: null | { periods: Record<string, number>; drift: number; devicesWithoutOwner: number; quarantined: number };
}

const UUID = `'^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$'`;
const CUSTOMER_ORG = `coalesce(
  (select o.id from organizations o where e.customer_id ~* ${UUID} and o.id = e.customer_id::uuid),
  (select min(o.id::text)::uuid from organizations o where o.external_ref = e.customer_id having count(*) = 1))`;

const RULES = [
  {
    rule: 'owner conflict: owned_by_org_id and the customer copy name different organizations',
    where: `e.owned_by_org_id is not null and ${CUSTOMER_ORG} is not null and ${CUSTOMER_ORG} <> e.owned_by_org_id`,
  },
  { rule: 'installed before it was purchased: the start of its first periods is unknown', where: 'e.installation_date < e.purchase_date' },
];

export async function reportT14(client: pg.ClientBase): Promise<T14Report> {
  await client.query('begin isolation level repeatable read read only');
  try {
    const { rows } = await client.query(`
      select count(*)::int as devices,
             count(manufacturer_org_id)::int as manufactured_by, count(sold_by_dealer_id)::int as sold_by,
             count(owned_by_org_id)::int as owned_by, count(installed_facility_id)::int as installed_at,
             count(*) filter (where owned_by_org_id is null and ${CUSTOMER_ORG} is not null)::int as owned_by_from_customer_copy
        from equipment e`);
    const r = rows[0];
    const quarantine = [];
    for (const { rule, where } of RULES) {
      const q = await client.query(
        `select count(*)::int as n, (array_agg(e.id order by e.id))[1:10] as sample from equipment e where ${where}`,
      );
      quarantine.push({ rule, devices: q.rows[0].n, sample: q.rows[0].sample ?? [] });
    }
    const exists = await client.query(`select to_regclass('public.equipment_relationships') is not null as ok`);
    let history: T14Report['history'] = null;
    if (exists.rows[0].ok) {
      const periods = await client.query('select relationship_type, count(*)::int as n from equipment_relationships group by 1 order by 1');
      const hasDrift = await client.query(`select to_regclass('public.equipment_relationships_drift') is not null as ok`);
      const drift = hasDrift.rows[0].ok
        ? (await client.query('select count(*)::int as n from equipment_relationships_drift')).rows[0].n
        : 0;
      const noOwner =
        await client.query(`select count(*)::int as n from equipment e where not exists (select 1 from equipment_relationships r
        where r.equipment_id = e.id and r.relationship_type = 'owned_by' and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now()))`);
      const hasQuarantine = await client.query(`select to_regclass('abymed.quarantine') is not null as ok`);
      const quarantined = hasQuarantine.rows[0].ok
        ? (await client.query(`select count(*)::int as n from abymed.quarantine where job = 'equipment_relationships_initial'`)).rows[0].n
        : 0;
      history = {
        periods: Object.fromEntries(periods.rows.map((p) => [p.relationship_type, p.n])),
        drift,
        devicesWithoutOwner: noOwner.rows[0].n,
        quarantined,
      };
    }
    await client.query('commit');
    return {
      devices: r.devices,
      parties: {
        manufactured_by: r.manufactured_by,
        sold_by: r.sold_by,
        owned_by: r.owned_by,
        owned_by_from_customer_copy: r.owned_by_from_customer_copy,
        installed_at: r.installed_at,
      },
      quarantine,
      history,
    };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  }
}

export function formatT14Report(r: T14Report): string {
  const lines = [
    'T1.4 validation — equipment parties as history (read-only)',
    '',
    `devices: ${r.devices}`,
    'initial periods the backfill will write:',
  ];
  for (const [type, n] of Object.entries(r.parties)) lines.push(`  ${type.padEnd(28)} ${n}`);
  lines.push('quarantined (no periods written for the device; a person resolves it):');
  for (const q of r.quarantine)
    lines.push(`  ${String(q.devices).padStart(7)}  ${q.rule}${q.sample.length ? ` (e.g. ${q.sample.slice(0, 3).join(', ')})` : ''}`);
  if (r.history) {
    lines.push('', 'history (0040 applied):');
    for (const [type, n] of Object.entries(r.history.periods)) lines.push(`  ${type.padEnd(28)} ${n} periods`);
    lines.push(`  drift (static columns vs open periods): ${r.history.drift}`);
    lines.push(`  devices without a current owner: ${r.history.devicesWithoutOwner}`);
    lines.push(`  backfill quarantine entries: ${r.history.quarantined}`);
  } else lines.push('', 'history: 0040 not applied yet');
  return lines.join('\n');
}
