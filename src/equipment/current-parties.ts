import { type AliasedRawBuilder, type Expression, sql } from 'kysely';
import type { Caller } from '../auth/caller.ts';
import type { Tx } from '../db/database.ts';
import type { RelationshipType } from './relationship-types.ts';

/**
 * The four parties the legacy `equipment` row carried as columns, read from and written to the
 * current periods of equipment_relationships (T1.4), so the equipment API answers the same shape
 * before and after 0940 drops the columns. "Current" = the open period (valid_to null): the
 * mirrored roles never get an end in the future (only a lease does, and it is not mirrored).
 */
export const PARTY_COLUMNS = {
  manufacturer_org_id: 'manufactured_by',
  sold_by_dealer_id: 'sold_by',
  owned_by_org_id: 'owned_by',
  installed_facility_id: 'installed_at',
} as const satisfies Record<string, RelationshipType>;
export type PartyColumn = keyof typeof PARTY_COLUMNS;

/** `(select …) as <legacy column>` for each party of the device `equipment.id`. */
export function currentPartySelections(): AliasedRawBuilder<string | null, PartyColumn>[] {
  return (Object.entries(PARTY_COLUMNS) as [PartyColumn, RelationshipType][]).map(([column, type]) => {
    const party = type === 'installed_at' ? sql.ref('r.facility_id') : sql.ref('r.organization_id');
    return sql<string | null>`(select ${party} from equipment_relationships r
      where r.equipment_id = equipment.id and r.relationship_type = ${type} and r.valid_to is null)`.as(column);
  });
}

/** Predicate: the device `equipment.id` has `organizationId` in the role of `column` now. */
export function hasCurrentParty(column: Exclude<PartyColumn, 'installed_facility_id'>, organizationId: string): Expression<boolean> {
  return sql<boolean>`exists (select 1 from equipment_relationships r
    where r.equipment_id = equipment.id and r.relationship_type = ${PARTY_COLUMNS[column]} and r.valid_to is null
      and r.organization_id = ${organizationId})`;
}

/**
 * Which of `columns` `equipment` still has. The table lock comes first, then the catalog: a
 * contract step dropping columns (0920, 0940) needs ACCESS EXCLUSIVE on equipment, so it either
 * committed before this transaction looked (the columns are gone) or waits until it ends (they
 * stay for its writes).
 */
export async function equipmentColumnsPresent<C extends string>(tx: Tx, columns: readonly C[]): Promise<Set<C>> {
  await sql`lock table equipment in access share mode`.execute(tx);
  const { rows } = await sql<{ attname: C }>`
    select attname from pg_attribute
     where attrelid = 'equipment'::regclass and attname = any(${[...columns]}::text[]) and not attisdropped`.execute(tx);
  return new Set(rows.map((r) => r.attname));
}

/** True while `equipment` still has its static party columns (0040..0940). */
export async function staticPartyColumnsExist(tx: Tx): Promise<boolean> {
  return (await equipmentColumnsPresent(tx, ['owned_by_org_id'])).has('owned_by_org_id');
}

/** `(select name of the current owner) as customer_name`: the legacy column 0920 drops, answered from T1.4. */
export function currentOwnerNameSelection(): AliasedRawBuilder<string | null, 'customer_name'> {
  return sql<string | null>`(select o.name from equipment_relationships r join organizations o on o.id = r.organization_id
    where r.equipment_id = equipment.id and r.relationship_type = 'owned_by' and r.valid_to is null)`.as('customer_name');
}

export type Parties = Partial<Record<PartyColumn, string>>;

/**
 * Opens the first periods of a device registered in this transaction on the contracted schema
 * (before 0940 the legacy -> history trigger does it from the columns). They start when the
 * legacy rule says (installation, else purchase date, else now).
 * The caller's own periods go first: they make the device the caller's (0941 party_register), and
 * the rest (another party, the facility) then pass the ordinary policy.
 */
export async function openInitialPeriods(
  tx: Tx,
  caller: Pick<Caller, 'userId' | 'orgId' | 'role'>,
  equipmentId: string,
  parties: Parties,
  dates: { installation_date?: string | null; purchase_date?: string | null },
): Promise<void> {
  // 0040's equipment_relationships_initial_from, which 0940 drops with the sync: the installation,
  // else the purchase date, at midnight in India, else now; never in the future.
  const day = dates.installation_date ?? dates.purchase_date ?? null;
  const from = sql`least(coalesce((${day}::date)::timestamp at time zone 'Asia/Kolkata', now()), now())`;
  const own = caller.role === 'engineer' ? null : caller.orgId;
  const rows = (Object.entries(parties) as [PartyColumn, string | undefined][])
    .filter((e): e is [PartyColumn, string] => Boolean(e[1]))
    .map(([column, id]) => ({ type: PARTY_COLUMNS[column], id }));
  const mine = rows.filter((r) => r.type !== 'installed_at' && r.id === own);
  for (const batch of [mine, rows.filter((r) => !mine.includes(r))]) {
    if (batch.length === 0) continue;
    const values = batch.map(
      (r) =>
        sql`(${r.type}, ${r.type === 'installed_at' ? sql`(select f.org_id from organization_facilities f where f.id = ${r.id}::uuid)` : sql`${r.id}::uuid`},
             ${r.type === 'installed_at' ? r.id : null}::uuid)`,
    );
    await sql`
      insert into equipment_relationships (equipment_id, relationship_type, organization_id, facility_id, valid_from,
        transfer_type, transfer_reason, created_by)
      select ${equipmentId}, v.type, v.org, v.facility, ${from}, 'initial', 'registered through the API', ${caller.userId}
        from (values ${sql.join(values)}) v(type, org, facility)`.execute(tx);
  }
}
