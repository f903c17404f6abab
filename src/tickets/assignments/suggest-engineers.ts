import { type RawBuilder, sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { notFound } from '../../errors.ts';

/**
 * Engineer suggestions for a ticket (origin-facts §5b, with its known bugs fixed: real columns, an
 * integer level, workload keyed by engineer id, not by name).
 *
 * Service tiers of the ticket's equipment, nearest first:
 *   1 the warranty provider while the warranty runs, else the AMC provider while an AMC is on
 *     record, else the manufacturer (the legacy schema records no separate provider: it is the
 *     manufacturer in each case, named by why it is first);
 *   2 the dealer that sold the unit;   3 that dealer's distributor (else the manufacturer's);
 *   4 the owning hospital's in-house biomedical team.
 * Minimum level from priority: critical → L3, high → L2, medium/low → L1. Engineers on leave or
 * inactive are left out. Order: tier, certified skill for the equipment's category and maker,
 * fewest active assignments, higher level, name. Rank starts at 1.
 */
export interface SuggestedEngineer {
  rank: number;
  engineer_id: string;
  full_name: string;
  org_id: string;
  org_name: string;
  tier: number;
  tier_name: string;
  engineer_level: number;
  min_level: number;
  skill_match: boolean;
  active_assignments: number;
  max_daily_tickets: number | null;
}

export const MIN_LEVEL_BY_PRIORITY: Record<string, number> = { critical: 3, high: 2, medium: 1, low: 1 };

export interface SuggestOptions {
  /** Only tiers from this one on (escalation asks for the next tier and beyond). (Default: 1) */
  fromTier?: number;
  /** (Default: 10) */
  limit?: number;
  /** Leave out these engineers (the one being escalated away from). */
  exclude?: string[];
}

type Role = 'manufactured_by' | 'sold_by' | 'owned_by';
const LEGACY_COLUMN: Record<Role, string> = {
  manufactured_by: 'manufacturer_org_id',
  sold_by: 'sold_by_dealer_id',
  owned_by: 'owned_by_org_id',
};

/**
 * The device's party in a role now: its current period once T1.4's history exists (0040; 0940 drops
 * the static columns), the static column of `e` before it (a database not yet at T1.4).
 */
async function partyOf(tx: Tx): Promise<(role: Role) => RawBuilder<string | null>> {
  const { rows } = await sql<{ periods: boolean }>`select to_regclass('equipment_relationships') is not null as periods`.execute(tx);
  if (!rows[0]?.periods) return (role) => sql`e.${sql.ref(LEGACY_COLUMN[role])}`;
  return (role) => sql`(select r.organization_id from equipment_relationships r
    where r.equipment_id = e.id and r.relationship_type = ${role} and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
    order by r.valid_from desc limit 1)`;
}

export async function suggestEngineers(tx: Tx, ticketId: string, o: SuggestOptions = {}): Promise<SuggestedEngineer[]> {
  const { rows: found } = await sql<{ id: string }>`select id from service_tickets where id = ${ticketId}`.execute(tx);
  if (!found[0]) throw notFound('ticket', ticketId);
  const party = await partyOf(tx);
  const { rows } = await sql<SuggestedEngineer>`
    with ticket as (
      select t.id, coalesce(t.priority, 'medium') as priority, e.category, e.manufacturer_name,
             ${party('manufactured_by')} as manufacturer_org_id, ${party('sold_by')} as sold_by_dealer_id,
             ${party('owned_by')} as owned_by_org_id, e.warranty_expiry, e.amc_contract_id
        from service_tickets t left join equipment e on e.id = t.equipment_id
       where t.id = ${ticketId}
    ), tiers(tier, org_id, tier_name) as (
      select 1, manufacturer_org_id,
             case when warranty_expiry >= current_date then 'Warranty Coverage'
                  when amc_contract_id is not null then 'AMC Coverage' else 'Primary Service' end from ticket
      union all select 2, sold_by_dealer_id, 'Dealer Service' from ticket
      union all select 3, coalesce(
          (select r.parent_org_id from org_relationships r, ticket
            where r.child_org_id = ticket.sold_by_dealer_id and r.rel_type = 'dealer_of' and r.relationship_status = 'active'
            order by r.created_at limit 1),
          (select r.child_org_id from org_relationships r, ticket
            where r.parent_org_id = ticket.manufacturer_org_id and r.relationship_status = 'active'
              and r.rel_type in ('distributor_of', 'authorized_distributor', 'regional_distributor')
            order by r.created_at limit 1)), 'Distributor Service'
      union all select 4, owned_by_org_id, 'In-house BME' from ticket
    ), firsts as (
      -- an organization serves at its nearest tier only
      select distinct on (org_id) tier, org_id, tier_name from tiers where org_id is not null order by org_id, tier
    ), workload as (
      select engineer_id, count(*)::int as active from engineer_assignments
       where status in ('assigned', 'accepted', 'in_progress') group by engineer_id
    )
    select (row_number() over (order by f.tier, skill.matched desc, coalesce(w.active, 0), e.engineer_level desc, e.full_name))::int as rank,
           e.id as engineer_id, e.full_name, e.org_id, o.name as org_name, f.tier, f.tier_name,
           coalesce(e.engineer_level, 1) as engineer_level, ml.min_level, skill.matched as skill_match,
           coalesce(w.active, 0) as active_assignments, e.max_daily_tickets
      from firsts f
      join engineers e on e.org_id = f.org_id
      join organizations o on o.id = e.org_id
      cross join ticket
      cross join lateral (select case ticket.priority when 'critical' then 3 when 'high' then 2 else 1 end as min_level) ml
      cross join lateral (
        select exists (select 1 from engineer_skills s
                        where s.engineer_id = e.id and s.certified
                          and (s.equipment_category is null or lower(s.equipment_category) = lower(ticket.category))
                          and (s.manufacturer_id is null or s.manufacturer_id = ticket.manufacturer_org_id)) as matched) skill
      left join workload w on w.engineer_id = e.id
     where f.tier >= ${o.fromTier ?? 1}
       and coalesce(e.engineer_level, 1) >= ml.min_level
       and coalesce(e.status, 'available') not in ('on_leave', 'inactive')
       and not (e.id = any (${o.exclude ?? []}::uuid[]))
     order by rank
     limit ${o.limit ?? 10}`.execute(tx);
  return rows;
}
