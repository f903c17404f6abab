import { sql } from 'kysely';
import type { Role } from '../auth/caller.ts';
import { createUser } from '../auth/users.ts';
import type { Db } from '../db/database.ts';
import { logger } from '../log.ts';

/**
 * One console user per role, on the demo data: each attached to the organization (or engineer) of
 * its kind with the most equipment or tickets, so every login shows a living network. The list,
 * with these passwords, is in docs/demo-users.md (a test keeps the two in step). Demo only: change
 * or disable them on any database that matters.
 */
export const DEMO_USERS: ReadonlyArray<{ email: string; password: string; role: Role; fullName: string }> = [
  { email: 'admin@demo.abymed.in', password: 'demo-admin-2025', role: 'system_admin', fullName: 'Asha Iyer (platform admin)' },
  {
    email: 'manufacturer@demo.abymed.in',
    password: 'demo-manufacturer-2025',
    role: 'manufacturer_admin',
    fullName: 'Rohan Mehta (manufacturer)',
  },
  {
    email: 'distributor@demo.abymed.in',
    password: 'demo-distributor-2025',
    role: 'distributor_admin',
    fullName: 'Kavya Nair (distributor)',
  },
  { email: 'dealer@demo.abymed.in', password: 'demo-dealer-2025', role: 'dealer_admin', fullName: 'Imran Shaikh (dealer)' },
  { email: 'hospital@demo.abymed.in', password: 'demo-hospital-2025', role: 'hospital_admin', fullName: 'Dr. Meera Pillai (hospital)' },
  { email: 'engineer@demo.abymed.in', password: 'demo-engineer-2025', role: 'engineer', fullName: 'Engineer login' },
];

type Pick = { org_id: string | null; engineer_id?: string | null; full_name?: string | null } | undefined;

/** The organization of a type that is party to the most equipment in the given role, today (T1.4's periods). */
async function busiest(db: Db, orgType: string, relationship: 'manufactured_by' | 'sold_by' | 'owned_by'): Promise<Pick> {
  const { rows } = await sql<{ org_id: string }>`
    select o.id as org_id from organizations o
      left join equipment_relationships r on r.organization_id = o.id and r.relationship_type = ${relationship} and r.valid_to is null
     where o.org_type = ${orgType} group by o.id order by count(r.equipment_id) desc, o.id limit 1`.execute(db);
  return rows[0];
}

/** The engineer with the most tickets, through the assignment records (T1.1), not inline columns. */
async function busiestEngineer(db: Db): Promise<Pick> {
  const { rows } = await sql<{ org_id: string; engineer_id: string; full_name: string }>`
    select g.org_id, g.id as engineer_id, g.full_name from engineers g
      left join engineer_assignments a on a.engineer_id = g.id
     where g.org_id is not null group by g.id order by count(distinct a.ticket_id) desc, g.id limit 1`.execute(db);
  return rows[0];
}

export async function seedDemoUsers(db: Db): Promise<number> {
  const picks: Record<Role, () => Promise<Pick>> = {
    system_admin: async () => ({ org_id: null }),
    manufacturer_admin: () => busiest(db, 'manufacturer', 'manufactured_by'),
    distributor_admin: () => busiest(db, 'distributor', 'sold_by'),
    dealer_admin: () => busiest(db, 'dealer', 'sold_by'),
    hospital_admin: () => busiest(db, 'hospital', 'owned_by'),
    engineer: () => busiestEngineer(db),
  };
  let created = 0;
  for (const u of DEMO_USERS) {
    const pick = await picks[u.role]();
    if (!pick) {
      logger.warn({ role: u.role }, 'demo users: no organization of this kind in the data; user skipped');
      continue;
    }
    const fullName = u.role === 'engineer' && pick.full_name ? pick.full_name : u.fullName;
    await createUser(db, {
      email: u.email,
      password: u.password,
      role: u.role,
      fullName,
      orgId: pick.org_id,
      engineerId: pick.engineer_id ?? null,
    });
    created++;
  }
  return created;
}
