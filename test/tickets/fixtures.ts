import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ksuid } from '../../src/legacy/ids.ts';
import { createTicket, type EquipmentCopy } from '../../src/legacy/tickets.ts';

/**
 * A small legacy world for the T1.1/T3.2 tests: one manufacturer, a dealer, a distributor, a
 * hospital, engineers at three levels, one device, and tickets created the way the legacy
 * application creates them (src/legacy), so every test drives the real legacy statements.
 */
export interface World {
  manufacturerId: string;
  dealerId: string;
  distributorId: string;
  hospitalId: string;
  engineers: { id: string; full_name: string; level: number; org_id: string }[];
  equipment: EquipmentCopy;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function buildWorld(db: Queryable, tag = ksuid().slice(-6)): Promise<World> {
  const org = async (name: string, type: string) =>
    (await db.query(`insert into organizations (name, org_type) values ($1, $2) returning id`, [`${name} ${tag}`, type])).rows[0]
      .id as string;
  const manufacturerId = await org('Siemens Healthineers India', 'manufacturer');
  const dealerId = await org('MedSupply Mumbai', 'dealer');
  const distributorId = await org('Western Medical Supplies', 'distributor');
  const hospitalId = await org('Apollo Chennai', 'hospital');
  const people: [string, number, string][] = [
    ['Priya Sharma', 1, manufacturerId],
    ['Rajesh Kumar Singh', 2, manufacturerId],
    ['Arun Menon', 3, manufacturerId],
    ['Suresh Gupta', 2, dealerId],
    ['Vikram Reddy', 3, distributorId],
    ['Anita Rao', 1, hospitalId],
  ];
  const engineers = [];
  for (const [name, level, orgId] of people) {
    const { rows } = await db.query(
      `insert into engineers (full_name, engineer_level, org_id, employee_id) values ($1, $2, $3, $4) returning id, full_name, engineer_level as level, org_id`,
      [name, level, orgId, `ENG-${tag}-${level}`],
    );
    engineers.push(rows[0]);
  }
  const equipmentId = ksuid();
  const serial = `SN-${tag}-${randomUUID().slice(0, 8)}`;
  await db.query(
    `insert into equipment (id, qr_code, serial_number, equipment_name, manufacturer_name, category, customer_name,
       manufacturer_org_id, sold_by_dealer_id, owned_by_org_id, warranty_expiry)
     values ($1, $2, $3, 'Magnetom MRI', 'Siemens', 'MRI', 'Apollo Chennai', $4, $5, $6, current_date + 100)`,
    [equipmentId, `QR-${serial}`, serial, manufacturerId, dealerId, hospitalId],
  );
  return {
    manufacturerId,
    dealerId,
    distributorId,
    hospitalId,
    engineers,
    equipment: {
      id: equipmentId,
      qr_code: `QR-${serial}`,
      serial_number: serial,
      equipment_name: 'Magnetom MRI',
      customer_id: null,
      customer_name: 'Apollo Chennai',
    },
  };
}

/** A ticket created by the legacy application (insert, then its history row in a separate statement). */
export async function legacyTicket(
  db: pg.ClientBase,
  world: World,
  priority: 'critical' | 'high' | 'medium' | 'low' = 'medium',
): Promise<string> {
  const id = ksuid();
  await createTicket(db, {
    id,
    ticketNumber: `TKT-T11-${id.slice(-10)}`,
    equipment: world.equipment,
    customerPhone: '+919876543210',
    issueCategory: 'breakdown',
    issueDescription: 'Gradient coil overheating',
    priority,
    source: 'web',
    createdBy: 'legacy-user',
  });
  return id;
}

export async function assignments(db: Queryable, ticketId: string) {
  const { rows } = await db.query(
    `select assignment_sequence as seq, engineer_id, engineer_name, status, assignment_tier as tier, assignment_type as type,
            escalation_reason, rejection_reason, completion_status, time_spent_hours
       from engineer_assignments where ticket_id = $1 order by assignment_sequence`,
    [ticketId],
  );
  return rows;
}

export async function inline(db: Queryable, ticketId: string) {
  const { rows } = await db.query(
    `select assigned_engineer_id, assigned_engineer_name, assignment_tier, assignment_tier_name, status from service_tickets where id = $1`,
    [ticketId],
  );
  return rows[0];
}

export async function history(db: Queryable, ticketId: string) {
  const { rows } = await db.query(
    `select id, from_status, to_status, origin, changed_by from ticket_status_history where ticket_id = $1
      order by history_seq nulls first, changed_at, id`,
    [ticketId],
  );
  return rows;
}

/** Tickets whose status differs from their latest history row, or that have no history (empty: the T3.2 invariant holds). */
export async function statusDrift(db: Queryable): Promise<string[]> {
  const { rows } = await db.query(
    `select id from service_tickets t where t.status is distinct from ticket_latest_history_status(t.id) order by id`,
  );
  return rows.map((r) => r.id);
}
