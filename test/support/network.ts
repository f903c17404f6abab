import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/auth/caller.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { createUser } from '../../src/auth/users.ts';
import type { Db } from '../../src/db/database.ts';
import type { MigrateTarget, TestDatabase } from './database.ts';

/**
 * A small channel network with one of each role inside it and a second network outside it, for
 * tenancy and API tests (explicit rows, so a test can say exactly what each caller should see).
 *
 *   M1 (manufacturer) ─distributor_of→ D1 (distributor) ─dealer_of→ K1 (dealer)
 *                                                      └supplier_of→ H1 (hospital)
 *   M2 (manufacturer) ─distributor_of→ D2 ─dealer_of→ K2;  D2 ─supplier_of→ H2      (outside)
 *
 *   E1 made by M1, sold by K1, owned by H1     T1 on E1, assigned to engineer G_K1
 *   E2 made by M2, sold by K2, owned by H2     T2 on E2, assigned to G_M2;  T4 on E2, assigned to G_K1
 *   E3 made by M2, sold by D1, owned by H1     T3 on E3, unassigned
 */
/**
 * The schema the API serves: every migration, contracts included (what `npm start` runs and what a
 * team starting fresh gets). The network's rows are still born in the legacy shape (below).
 */
export const API_SCHEMA: MigrateTarget = 'all';

export const PASSWORD = 'correct horse battery staple';

export const ORG_KEYS = ['M1', 'D1', 'K1', 'H1', 'M2', 'D2', 'K2', 'H2'] as const;
export type OrgKey = (typeof ORG_KEYS)[number];
export const USER_KEYS = ['sys', 'mfr', 'dist', 'dealer', 'hosp', 'eng', 'mfr2', 'hosp2', 'eng2'] as const;
export type UserKey = (typeof USER_KEYS)[number];

export interface NetworkUser {
  id: string;
  email: string;
  role: Role;
  orgId: string | null;
  token: string;
}

export interface Network {
  org: Record<OrgKey, string>;
  facility: Record<'F_M1' | 'F_H1' | 'F_H2', string>;
  engineer: Record<'G_M1' | 'G_K1' | 'G_M2', string>;
  equipment: Record<'E1' | 'E2' | 'E3', string>;
  ticket: Record<'T1' | 'T2' | 'T3' | 'T4', string>;
  comment: Record<'C1' | 'C2' | 'C3' | 'C4', string>;
  user: Record<UserKey, NetworkUser>;
}

const ORG_TYPES: Record<OrgKey, string> = {
  M1: 'manufacturer',
  D1: 'distributor',
  K1: 'dealer',
  H1: 'hospital',
  M2: 'manufacturer',
  D2: 'distributor',
  K2: 'dealer',
  H2: 'hospital',
};

/**
 * Writes the network as the legacy application would have: at the last step before the contracts
 * (taking the database down there if it is further), then runs the remaining steps, so the rows
 * reach the caller's schema through the contract steps, as a legacy team's data does.
 */
export async function buildNetwork(database: TestDatabase): Promise<Network> {
  const runner = database.runner();
  const { current, migrations } = await runner.status();
  const firstContract = migrations.findIndex((m) => m.phase === 'contract');
  const lastLegacy = firstContract > 0 ? migrations[firstContract - 1]?.version : undefined;
  const beyond = current !== undefined && lastLegacy !== undefined && current > lastLegacy;
  if (beyond) await runner.down({ to: lastLegacy });
  const network = await writeLegacyNetwork(database.db);
  if (beyond) await runner.up({ to: current });
  return network;
}

async function writeLegacyNetwork(db: Db): Promise<Network> {
  const org = {} as Record<OrgKey, string>;
  for (const key of ORG_KEYS) {
    const row = await db
      .insertInto('organizations')
      .values({ name: `Org ${key}`, org_type: ORG_TYPES[key] })
      .returning('id')
      .executeTakeFirstOrThrow();
    org[key] = row.id;
  }
  const rel = (parent: OrgKey, child: OrgKey, rel_type: string) =>
    db
      .insertInto('org_relationships')
      .values({ parent_org_id: org[parent], child_org_id: org[child], rel_type, start_date: '2020-01-01' })
      .execute();
  await rel('M1', 'D1', 'distributor_of');
  await rel('D1', 'K1', 'dealer_of');
  await rel('D1', 'H1', 'supplier_of');
  await rel('M2', 'D2', 'distributor_of');
  await rel('D2', 'K2', 'dealer_of');
  await rel('D2', 'H2', 'supplier_of');
  // An ended relationship gives no visibility today, but answers as of a date when it was in force.
  await db
    .insertInto('org_relationships')
    .values({ parent_org_id: org.M2, child_org_id: org.D1, rel_type: 'distributor_of', start_date: '2018-01-01', end_date: '2019-12-31' })
    .execute();

  const fac = async (o: OrgKey, code: string) =>
    (
      await db
        .insertInto('organization_facilities')
        .values({ org_id: org[o], facility_name: `Facility ${code}`, facility_code: code })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const facility = { F_M1: await fac('M1', 'F-M1'), F_H1: await fac('H1', 'F-H1'), F_H2: await fac('H2', 'F-H2') };

  const eng = async (o: OrgKey, name: string) =>
    (
      await db
        .insertInto('engineers')
        .values({ org_id: org[o], full_name: name, engineer_level: 2 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const engineer = {
    G_M1: await eng('M1', 'Rajesh Kumar Singh'),
    G_K1: await eng('K1', 'Suresh Gupta'),
    G_M2: await eng('M2', 'Arun Menon'),
  };

  const equip = async (id: string, made: OrgKey, sold: OrgKey, owned: OrgKey) => {
    await db
      .insertInto('equipment')
      .values({
        id,
        qr_code: `QR-TEST-${id}`,
        serial_number: `SN-${id}`,
        equipment_name: `Device ${id}`,
        manufacturer_org_id: org[made],
        sold_by_dealer_id: org[sold],
        owned_by_org_id: org[owned],
        customer_name: `Org ${owned}`,
      })
      .execute();
    return id;
  };
  const equipment = {
    E1: await equip('E1', 'M1', 'K1', 'H1'),
    E2: await equip('E2', 'M2', 'K2', 'H2'),
    E3: await equip('E3', 'M2', 'D1', 'H1'),
  };

  const tick = async (id: string, eq: string, engineerId: string | null, minutesAgo: number) => {
    await db
      .insertInto('service_tickets')
      .values({
        id,
        ticket_number: `TKT-TEST-${id}`,
        equipment_id: eq,
        serial_number: `SN-${eq}`,
        equipment_name: `Device ${eq}`,
        customer_name: 'Customer',
        issue_description: `Problem ${id}`,
        status: engineerId ? 'assigned' : 'new',
        assigned_engineer_id: engineerId,
        created_at: new Date(Date.now() - minutesAgo * 60_000),
      })
      .execute();
    await db
      .insertInto('ticket_comments')
      .values({ id: `C${id.slice(1)}`, ticket_id: id, comment: `Comment on ${id}`, comment_type: 'internal' })
      .execute();
    return id;
  };
  const ticket = {
    T1: await tick('T1', 'E1', engineer.G_K1, 40),
    T2: await tick('T2', 'E2', engineer.G_M2, 30),
    T3: await tick('T3', 'E3', null, 20),
    T4: await tick('T4', 'E2', engineer.G_K1, 10),
  };
  const comment = { C1: 'C1', C2: 'C2', C3: 'C3', C4: 'C4' };

  const users: Array<[UserKey, Role, OrgKey | null, string | null]> = [
    ['sys', 'system_admin', null, null],
    ['mfr', 'manufacturer_admin', 'M1', null],
    ['dist', 'distributor_admin', 'D1', null],
    ['dealer', 'dealer_admin', 'K1', null],
    ['hosp', 'hospital_admin', 'H1', null],
    ['eng', 'engineer', 'K1', engineer.G_K1],
    ['mfr2', 'manufacturer_admin', 'M2', null],
    ['hosp2', 'hospital_admin', 'H2', null],
    ['eng2', 'engineer', 'M2', engineer.G_M2],
  ];
  const user = {} as Record<UserKey, NetworkUser>;
  for (const [key, role, o, engineerId] of users) {
    const email = `${key}@test.abymed.in`;
    const orgId = o ? org[o] : null;
    const { id } = await createUser(db, {
      email,
      fullName: `User ${key}`,
      role,
      orgId,
      engineerId,
      password: key === 'hosp' ? PASSWORD : undefined,
    });
    const { token } = await createToken(db, { userId: id, kind: 'api', name: 'test' });
    user[key] = { id, email, role, orgId, token };
  }
  return { org, facility, engineer, equipment, ticket, comment, user };
}

/** `app.inject` with a bearer token, JSON in and out. */
export function client(app: FastifyInstance, token?: string) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  return {
    get: (url: string) => app.inject({ method: 'GET', url, headers }),
    post: (url: string, payload?: unknown) => app.inject({ method: 'POST', url, headers, payload: payload as object }),
  };
}
