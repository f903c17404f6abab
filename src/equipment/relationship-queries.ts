import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { notFound } from '../errors.ts';
import type { NamedPeriod, RelationshipType } from './relationship-types.ts';

/**
 * Reads of T1.4. Every "as of" read uses the half-open rule: a period covers T when
 * valid_from <= T < valid_to (or valid_to is open), so at a boundary instant exactly one period of
 * a role answers, the one that starts there.
 */
const named = sql`
  select r.*, o.name as organization_name, f.facility_name
    from equipment_relationships r
    left join organizations o on o.id = r.organization_id
    left join organization_facilities f on f.id = r.facility_id`;

const covers = (at: Date) => sql`r.valid_from <= ${at} and (r.valid_to is null or r.valid_to > ${at})`;

async function assertEquipment(tx: Tx, equipmentId: string): Promise<void> {
  const { rows } = await sql`select 1 from equipment where id = ${equipmentId}`.execute(tx);
  if (rows.length === 0) throw notFound('equipment', equipmentId);
}

/** The parties of a device at one instant: at most one period per role. */
export async function partiesAsOf(tx: Tx, equipmentId: string, at: Date): Promise<NamedPeriod[]> {
  await assertEquipment(tx, equipmentId);
  const { rows } = await sql<NamedPeriod>`${named} where r.equipment_id = ${equipmentId} and ${covers(at)}
    order by r.relationship_type`.execute(tx);
  return rows;
}

/** Every period of a device, oldest first within each role. */
export async function relationshipHistory(tx: Tx, equipmentId: string, type?: RelationshipType): Promise<NamedPeriod[]> {
  await assertEquipment(tx, equipmentId);
  const { rows } = await sql<NamedPeriod>`${named} where r.equipment_id = ${equipmentId}
    and (${type ?? null}::text is null or r.relationship_type = ${type ?? null})
    order by r.relationship_type, r.valid_from`.execute(tx);
  return rows;
}

/** The reverse question: the devices an organization held in some role (owned by default) at T. */
export async function organizationEquipmentAsOf(
  tx: Tx,
  organizationId: string,
  at: Date,
  types: readonly RelationshipType[] = ['owned_by'],
): Promise<NamedPeriod[]> {
  const { rows } = await sql<NamedPeriod>`${named} where r.organization_id = ${organizationId}
    and r.relationship_type = any(${types as RelationshipType[]}::text[]) and ${covers(at)}
    order by r.equipment_id, r.relationship_type`.execute(tx);
  return rows;
}

/** The devices installed at a facility at T. */
export async function facilityEquipmentAsOf(tx: Tx, facilityId: string, at: Date): Promise<NamedPeriod[]> {
  const { rows } = await sql<NamedPeriod>`${named} where r.facility_id = ${facilityId} and r.relationship_type = 'installed_at'
    and ${covers(at)} order by r.equipment_id`.execute(tx);
  return rows;
}

export interface SupplyChainLink {
  role: 'manufacturer' | 'distributor' | 'dealer' | 'owner';
  organization_id: string;
  organization_name: string | null;
  /** How the link is known: a period of the device, or the channel relationships of its parties. */
  source: 'equipment_relationships' | 'org_relationships';
  period_id: string | null;
}

/**
 * The supply chain of a device at T: manufacturer → distributor → dealer → owner. Manufacturer,
 * dealer (the seller) and owner are periods of the device; the distributor is not recorded on a
 * device in the legacy data, so it is derived: a distributor with a live channel relationship to
 * the manufacturer (upstream) and to the dealer, or to the owner when there is no dealer
 * (downstream). The one whose relationship started first wins, so the answer is deterministic.
 */
export async function supplyChain(tx: Tx, equipmentId: string, at: Date): Promise<SupplyChainLink[]> {
  const parties = await partiesAsOf(tx, equipmentId, at);
  const of = (type: RelationshipType) => parties.find((p) => p.relationship_type === type);
  const manufacturer = of('manufactured_by');
  const dealer = of('sold_by');
  const owner = of('owned_by');
  const link = (role: SupplyChainLink['role'], p: NamedPeriod): SupplyChainLink => ({
    role,
    organization_id: p.organization_id as string,
    organization_name: p.organization_name,
    source: 'equipment_relationships',
    period_id: p.id,
  });
  const chain: SupplyChainLink[] = [];
  if (manufacturer) chain.push(link('manufacturer', manufacturer));
  const downstream = dealer ?? owner;
  if (manufacturer && downstream) {
    const day = at.toISOString().slice(0, 10);
    const { rows } = await sql<{ id: string; name: string }>`
      select d.id, d.name
        from organizations d
        join org_relationships up on up.child_org_id = d.id and up.parent_org_id = ${manufacturer.organization_id}
        join org_relationships down on down.parent_org_id = d.id and down.child_org_id = ${downstream.organization_id}
       where d.org_type = 'distributor'
         and coalesce(up.relationship_status, 'active') = 'active' and coalesce(down.relationship_status, 'active') = 'active'
         and (up.start_date is null or up.start_date <= ${day}::date) and (up.end_date is null or up.end_date > ${day}::date)
         and (down.start_date is null or down.start_date <= ${day}::date) and (down.end_date is null or down.end_date > ${day}::date)
       order by least(up.start_date, down.start_date) nulls last, d.id
       limit 1`.execute(tx);
    const distributor = rows[0];
    if (distributor) {
      chain.push({
        role: 'distributor',
        organization_id: distributor.id,
        organization_name: distributor.name,
        source: 'org_relationships',
        period_id: null,
      });
    }
  }
  if (dealer) chain.push(link('dealer', dealer));
  if (owner) chain.push(link('owner', owner));
  return chain;
}
