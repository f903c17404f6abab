import { sql } from 'kysely';
import { type Db, inTransaction } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { addComment, openTicket } from '../tickets/create.ts';
import { OPEN_STATUSES } from '../tickets/schemas.ts';

/**
 * The public QR service request (origin-facts §1, step 3): whoever scans a device's label may
 * report a problem without logging in. Repeated scans of one device while a ticket is open add a
 * comment to that ticket instead of opening another one.
 *
 * Race-proof in the database: the whole check-then-open runs in one transaction holding a
 * transaction-scoped advisory lock keyed by the device, so N simultaneous scans queue on the lock
 * and only the first finds no open ticket. (A partial unique index on open tickets per device
 * would reject rows the legacy application may legitimately hold, so the lock is the rule here.)
 *
 * There is no caller, so this runs as the system: it reads one device by its QR code and exposes
 * only what its label already tells (name, model, maker, location, open ticket number).
 */
const LOCK_NAMESPACE = 0x5153_5251; // "QSRQ": QR service requests, one advisory-lock key space

const DEVICE_COLUMNS = [
  'id',
  'qr_code',
  'serial_number',
  'equipment_name',
  'manufacturer_name',
  'model_number',
  'category',
  'installation_location',
  'status',
] as const;

async function findOpenTicket(db: Db, equipmentId: string) {
  return db
    .selectFrom('service_tickets')
    .select(['id', 'ticket_number', 'status', 'created_at'])
    .where('equipment_id', '=', equipmentId)
    .where('status', 'in', [...OPEN_STATUSES])
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function describeDevice(db: Db, qr: string) {
  const device = await db.selectFrom('equipment').select(DEVICE_COLUMNS).where('qr_code', '=', qr).executeTakeFirst();
  if (!device) throw notFound('equipment with QR code', qr);
  const open = await findOpenTicket(db, device.id);
  return {
    equipment: {
      qr_code: device.qr_code,
      equipment_name: device.equipment_name,
      manufacturer_name: device.manufacturer_name,
      model_number: device.model_number,
      category: device.category,
      installation_location: device.installation_location,
      status: device.status,
    },
    open_ticket: open ? { ticket_number: open.ticket_number, status: open.status, created_at: open.created_at } : null,
  };
}

export interface ServiceRequestInput {
  qr_code: string;
  requester_name: string;
  requester_phone?: string;
  priority?: string;
  issue_category?: string;
  issue_description: string;
}

export async function submitServiceRequest(db: Db, input: ServiceRequestInput) {
  return inTransaction(db, async (tx) => {
    const device = await tx.selectFrom('equipment').select(DEVICE_COLUMNS).where('qr_code', '=', input.qr_code).executeTakeFirst();
    if (!device) throw notFound('equipment with QR code', input.qr_code);
    await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${device.id}))`.execute(tx);
    const open = await findOpenTicket(tx, device.id);
    const who = input.requester_phone ? `${input.requester_name} (${input.requester_phone})` : input.requester_name;
    if (open) {
      await addComment(tx, open.id, {
        comment: `Reported again via QR scan by ${who}: ${input.issue_description}`,
        comment_type: 'customer',
        author_id: null,
        author_name: input.requester_name,
      });
      return { created: false, ticket_number: open.ticket_number, status: open.status };
    }
    const ticket = await openTicket(tx, device, {
      issue_description: input.issue_description,
      issue_category: input.issue_category ?? 'breakdown',
      priority: input.priority,
      source: 'web',
      customer_phone: input.requester_phone,
      created_by: 'public-qr',
      actor_id: null,
      actor_name: input.requester_name,
      initial_comment: `Reported via QR scan by ${who}`,
      comment_type: 'customer',
    });
    return { created: true, ticket_number: ticket.ticket_number, status: ticket.status };
  });
}
