import { sql } from 'kysely';
import type pg from 'pg';
import type { Caller } from '../auth/caller.ts';
import { type Db, inTransaction, type Tx } from '../db/database.ts';
import { dbOnSession } from '../zero-downtime/session-db.ts';
import type { ConsistencyCheck, FindAgainRule, OpContext, Workload } from '../zero-downtime/workload.ts';
import { currentPartySelections, PARTY_COLUMNS } from './current-parties.ts';
import { registerEquipment } from './queries.ts';
import { organizationEquipmentAsOf, partiesAsOf, relationshipHistory } from './relationship-queries.ts';
import { relocateEquipment } from './relocate-equipment.ts';
import { transferOwnership } from './transfer-ownership.ts';

/**
 * T1.4 in the zero-downtime harness (src/zero-downtime/registry.ts).
 * - From the backfill (0045) until the contract (0940), every device's static party columns equal
 *   the parties of its open periods, except devices the backfill quarantined (their sources
 *   disagree; a person resolves them).
 * - From 0940 the legacy columns are gone: the legacy application's equipment writes are found
 *   again through the open periods, under the legacy column names.
 */
export const equipmentConsistencyChecks: ConsistencyCheck[] = [
  {
    name: 't1.4 static party columns = open periods of equipment_relationships',
    from: 45,
    until: 940,
    sql: `select d.* from equipment_relationships_drift d
           where not exists (select 1 from abymed.quarantine q
                              where q.job = 'equipment_relationships_initial' and q.key = array[d.equipment_id::text])`,
  },
];

const party = (type: string, column: 'organization_id' | 'facility_id') =>
  `(select r.${column} from equipment_relationships r where r.equipment_id = e.id and r.relationship_type = '${type}' and r.valid_to is null)`;

/**
 * From 0920 (T1.2) the customer copies are gone: the legacy application wrote them only before the
 * first contract, so its writes are found again in the archive 0920 took of every device's copies
 * (a device absent from it had none). From 0940 the parties come from the open periods too; the
 * rule with the highest `from` wins, so the 940 rule carries 0920's copies as well.
 */
const ARCHIVED_COPIES = 'c.customer_id, c.customer_name, c.customer_uuid';
const COPIES_JOIN = 'left join abymed.t1_2_archive_equipment_copies c on c.id = e.id';
export const equipmentFindAgainRules: FindAgainRule[] = [
  {
    table: 'equipment',
    from: 920,
    relation: `(select e.*, ${ARCHIVED_COPIES} from equipment e ${COPIES_JOIN})`,
  },
  {
    table: 'equipment',
    from: 940,
    relation: `(select e.*, ${party('manufactured_by', 'organization_id')} as manufacturer_org_id,
                        ${party('sold_by', 'organization_id')} as sold_by_dealer_id,
                        ${party('owned_by', 'organization_id')} as owned_by_org_id,
                        ${party('installed_at', 'facility_id')} as installed_facility_id,
                        ${ARCHIVED_COPIES}
                   from equipment e ${COPIES_JOIN})`,
  },
];

/**
 * Acknowledged periods are found in the live table, or, after a walk below 0040, in the archive
 * 0040 down copies them to (the rollback keeps history the legacy columns cannot hold). The harness
 * always walks down to the baseline, so the archive exists by the time writes are found again.
 */
const PERIOD_COLUMNS = `id, equipment_id, relationship_type, organization_id, facility_id, valid_from, valid_to, transfer_type,
  transfer_reason, transfer_document_url, amount, currency, created_by, created_at`;
export const equipmentPeriodFindAgainRules: FindAgainRule[] = [
  {
    table: 'equipment_relationships',
    from: 40,
    relation: `(select ${PERIOD_COLUMNS} from equipment_relationships
                union all
                (select distinct on (a.id) ${PERIOD_COLUMNS.replace(/(\w+)/g, 'a.$1')} from abymed.equipment_relationships_archive a
                  where not exists (select 1 from equipment_relationships r where r.id = a.id)
                  order by a.id, a.archived_at desc))`,
  },
];

/**
 * T1.4's new application in the harness: from the backfill (0045) on, through the contract and
 * back, it registers devices of its own through the API's registration (registerEquipment, as the
 * system role: static columns before 0940, periods after), and moves them with the T1.4 operations
 * — sales and transfers between hospitals, relocations between facilities — each naming the period
 * it saw, one transaction each, on the worker's session. The legacy application never changes a
 * device it did not register, so the two never write one row.
 *
 * Acknowledged: each device's parties under their legacy column names (read back through the
 * columns until 0940, the current periods after: the find-again rule above), and every period a
 * change opened or closed (its party, bounds and kind).
 */
interface State extends Record<string, unknown> {
  db: Db;
  manufacturers: string[];
  hospitals: { org: string; facilities: string[] }[];
  devices: string[];
}

const ACTOR = 'equipment-app';
const SYSTEM: Caller = {
  userId: '00000000-0000-4000-8000-00000000e014',
  email: 'equipment-app@zero-downtime.invalid',
  fullName: 'T1.4 workload',
  role: 'system_admin',
  orgId: null,
  engineerId: null,
  tokenId: 'zero-downtime',
};
const pick = <T>(ctx: OpContext, list: T[]): T | undefined => list[Math.floor(ctx.rng() * list.length)];
const st = (ctx: OpContext) => ctx.state as State;

/** The device's parties and the given periods, in the database's own JSON, from inside the change's transaction. */
async function ackChange(ctx: OpContext, tx: Tx, equipmentId: string, periodIds: string[]): Promise<void> {
  const { rows: device } = await sql<{ w: Record<string, unknown> }>`
    select jsonb_build_object(${sql.join(
      Object.keys(PARTY_COLUMNS).flatMap((c) => [sql.lit(c), sql.ref(c)]),
    )}) as w from (select ${sql.join(currentPartySelections())} from equipment where id = ${equipmentId}) p`.execute(tx);
  if (device[0]) ctx.ack({ table: 'equipment', key: { id: equipmentId }, values: device[0].w });
  if (periodIds.length === 0) return;
  const { rows } = await sql<{ id: string; w: Record<string, unknown> }>`
    select id::text, jsonb_build_object('relationship_type', relationship_type, 'organization_id', organization_id,
             'facility_id', facility_id, 'valid_from', valid_from, 'valid_to', valid_to, 'transfer_type', transfer_type) as w
      from equipment_relationships where id = any(${periodIds}::uuid[])`.execute(tx);
  for (const r of rows) ctx.ack({ table: 'equipment_relationships', key: { id: r.id }, values: r.w });
}

async function registerDevice(ctx: OpContext): Promise<boolean> {
  const s = st(ctx);
  const hospital = pick(ctx, s.hospitals);
  const maker = pick(ctx, s.manufacturers);
  if (!hospital || !maker) return false;
  const serial = `ZDT-T14-${ctx.share.index}-${Date.now().toString(36)}-${Math.floor(ctx.rng() * 1e9).toString(36)}`;
  const id = await inTransaction(s.db, async (tx) => {
    const device = await registerEquipment(tx, SYSTEM, {
      serial_number: serial,
      equipment_name: 'Patient monitor (T1.4 workload)',
      manufacturer_org_id: maker,
      owned_by_org_id: hospital.org,
      installed_facility_id: pick(ctx, hospital.facilities),
      installation_date: '2024-01-15',
    });
    const { rows } = await sql<{ id: string }>`select id::text from equipment_relationships where equipment_id = ${device.id}`.execute(tx);
    await ackChange(
      ctx,
      tx,
      device.id,
      rows.map((r) => r.id),
    );
    return device.id;
  });
  s.devices.push(id);
  return true;
}

/**
 * The open period of a role, read in a transaction of its own before the change, as the console
 * reads it (GET) before it posts the change naming it. (Read inside the change's transaction, it
 * would lock equipment_relationships before equipment: the reverse of every writer's order, and a
 * deadlock with a migration that takes both.)
 */
async function seen(tx: Tx, equipmentId: string, type: 'owned_by' | 'installed_at'): Promise<{ id: string; party: string | null } | null> {
  const { rows } = await sql<{ id: string; party: string | null }>`
    select id::text, coalesce(facility_id, organization_id)::text as party from equipment_relationships
     where equipment_id = ${equipmentId} and relationship_type = ${type} and valid_to is null`.execute(tx);
  return rows[0] ?? null;
}

async function sellOrTransfer(ctx: OpContext): Promise<boolean> {
  const s = st(ctx);
  const equipmentId = pick(ctx, s.devices);
  if (!equipmentId) return false;
  const current = await inTransaction(s.db, (tx) => seen(tx, equipmentId, 'owned_by'));
  await inTransaction(s.db, async (tx) => {
    const to = pick(
      ctx,
      s.hospitals.filter((h) => h.org !== current?.party),
    );
    if (!to) return;
    const sale = ctx.rng() < 0.5;
    const change = await transferOwnership(tx, {
      equipmentId,
      kind: sale ? 'sale' : 'transfer',
      toOrganizationId: to.org,
      amount: sale ? '250000.00' : null,
      reason: 'zero-downtime workload',
      actor: ACTOR,
      expectedCurrentId: current?.id ?? null,
    });
    await ackChange(ctx, tx, equipmentId, [change.opened.id, ...(change.closed ? [change.closed.id] : [])]);
  });
  return true;
}

async function relocate(ctx: OpContext): Promise<boolean> {
  const s = st(ctx);
  const equipmentId = pick(ctx, s.devices);
  if (!equipmentId) return false;
  const current = await inTransaction(s.db, (tx) => seen(tx, equipmentId, 'installed_at'));
  await inTransaction(s.db, async (tx) => {
    const to = pick(
      ctx,
      s.hospitals.flatMap((h) => h.facilities).filter((f) => f !== current?.party),
    );
    if (!to) return;
    const change = await relocateEquipment(tx, {
      equipmentId,
      toFacilityId: to,
      reason: 'zero-downtime workload',
      actor: ACTOR,
      expectedCurrentId: current?.id ?? null,
    });
    await ackChange(ctx, tx, equipmentId, [change.opened.id, ...(change.closed ? [change.closed.id] : [])]);
  });
  return true;
}

/** The reads of T1.4: owner as of a past instant, history, and what a hospital held then. */
async function readAsOf(ctx: OpContext): Promise<boolean> {
  const s = st(ctx);
  const equipmentId = pick(ctx, s.devices);
  const hospital = pick(ctx, s.hospitals);
  if (!equipmentId || !hospital) return false;
  const at = new Date(Date.now() - Math.floor(ctx.rng() * 60_000));
  await inTransaction(s.db, async (tx) => {
    await partiesAsOf(tx, equipmentId, at);
    await relationshipHistory(tx, equipmentId);
    await organizationEquipmentAsOf(tx, hospital.org, at);
  });
  return true;
}

export const equipmentWorkload: Workload = {
  name: 'equipment-app',
  from: 45,
  async prepare(client: pg.ClientBase) {
    const manufacturers = (
      await client.query<{ id: string }>(`select id from organizations where org_type = 'manufacturer' order by id limit 5`)
    ).rows;
    const { rows } = await client.query<{ org: string; facilities: string[] }>(
      `select o.id as org, array_agg(f.id::text order by f.id) as facilities
         from organizations o join organization_facilities f on f.org_id = o.id
        where o.org_type = 'hospital' group by o.id order by o.id limit 6`,
    );
    return {
      db: dbOnSession(client),
      manufacturers: manufacturers.map((m) => m.id),
      hospitals: rows,
      devices: [],
    } satisfies State;
  },
  ops: [
    { name: 'register_device', kind: 'write', weight: 1, run: registerDevice },
    { name: 'sell_or_transfer', kind: 'write', weight: 2, run: sellOrTransfer },
    { name: 'relocate', kind: 'write', weight: 2, run: relocate },
    { name: 'owner_as_of', kind: 'read', weight: 1, run: readAsOf },
  ],
};
