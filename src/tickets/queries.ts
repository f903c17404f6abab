import { sql } from 'kysely';
import type { Caller } from '../auth/caller.ts';
import type { Tx } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import { callerScopeFilter, type ScopeOptions } from '../tenancy/caller-scope.ts';
import { actorId, addComment, openTicket } from './create.ts';
import { OPEN_STATUSES } from './schemas.ts';
import { selectTickets, shownEngineerIs } from './select.ts';

/** Service tickets of the caller's network: list with filters and a keyset cursor, detail, comments, history. */
export interface TicketQuery {
  status?: string;
  open?: boolean;
  priority?: string;
  source?: string;
  equipment_id?: string;
  assigned_engineer_id?: string;
  created_from?: string;
  created_to?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

export async function listTickets(tx: Tx, q: TicketQuery, options: ScopeOptions = {}) {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 2);
  const { customer, query: base } = await selectTickets(tx);
  let query = base
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  const scope = await callerScopeFilter(tx, 'tickets', limit + 1, options);
  if (scope) query = query.where(scope);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.open === true) query = query.where('status', 'in', [...OPEN_STATUSES]);
  if (q.open === false) query = query.where('status', 'not in', [...OPEN_STATUSES]);
  if (q.priority) query = query.where('priority', '=', q.priority);
  if (q.source) query = query.where('source', '=', q.source);
  if (q.equipment_id) query = query.where('equipment_id', '=', q.equipment_id);
  if (q.assigned_engineer_id) query = query.where(shownEngineerIs(q.assigned_engineer_id));
  if (q.created_from) query = query.where('created_at', '>=', new Date(q.created_from));
  if (q.created_to) query = query.where('created_at', '<', new Date(q.created_to));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) => eb.or([eb('ticket_number', 'ilike', like), customer.nameLike(like), eb('equipment_name', 'ilike', like)]));
  }
  if (after) query = query.where(sql`(created_at, id)`, '<', sql`(${after[0]}::timestamptz, ${after[1]})`);
  return pageOf(await query.execute(), limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
}

export async function getTicket(tx: Tx, id: string) {
  const row = await (await selectTickets(tx)).query.where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('ticket', id);
  return row;
}

export async function getTicketByNumber(tx: Tx, number: string) {
  const row = await (await selectTickets(tx)).query.where('ticket_number', '=', number).executeTakeFirst();
  if (!row) throw notFound('ticket', number);
  return row;
}

export interface NewTicketInput {
  equipment_id?: string;
  qr_code?: string;
  serial_number?: string;
  issue_description: string;
  issue_category?: string;
  priority?: string;
  source?: string;
  customer_name?: string;
  customer_phone?: string;
  initial_comment?: string;
}

/** Opens a ticket on a device of the caller's network, named by exactly one of id, QR code or serial. */
export async function createTicket(tx: Tx, caller: Caller, input: NewTicketInput) {
  const keys = (['equipment_id', 'qr_code', 'serial_number'] as const).filter((k) => input[k] !== undefined);
  if (keys.length !== 1) {
    throw new AppError('validation_failed', 'body: name the device by exactly one of equipment_id, qr_code or serial_number', {
      field: 'body.equipment_id',
    });
  }
  const key = keys[0] as 'equipment_id' | 'qr_code' | 'serial_number';
  const column = key === 'equipment_id' ? 'id' : key;
  const device = await tx
    .selectFrom('equipment')
    .select(['id', 'qr_code', 'serial_number', 'equipment_name', 'status'])
    .where(column, '=', input[key] as string)
    .executeTakeFirst();
  if (!device)
    throw new AppError('foreign_key_violation', `equipment ${input[key]} does not exist`, {
      table: 'equipment',
      key: { [column]: input[key] },
    });
  return openTicket(tx, device, {
    ...input,
    source: input.source ?? 'web',
    created_by: caller.email,
    actor_id: actorId(caller.userId),
    actor_name: caller.fullName,
    comment_type: caller.role === 'engineer' ? 'engineer' : 'internal',
  });
}

export async function listComments(tx: Tx, ticketId: string) {
  await getTicket(tx, ticketId);
  return tx
    .selectFrom('ticket_comments')
    .select(['id', 'ticket_id', 'comment_type', 'author_id', 'author_name', 'comment', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function commentOnTicket(tx: Tx, caller: Caller, ticketId: string, c: { comment: string; comment_type?: string }) {
  await getTicket(tx, ticketId);
  return addComment(tx, ticketId, {
    comment: c.comment,
    comment_type: c.comment_type ?? (caller.role === 'engineer' ? 'engineer' : 'internal'),
    author_id: actorId(caller.userId),
    author_name: caller.fullName,
  });
}

export async function listStatusHistory(tx: Tx, ticketId: string) {
  await getTicket(tx, ticketId);
  return tx
    .selectFrom('ticket_status_history')
    .select(['id', 'from_status', 'to_status', 'changed_by', 'changed_at', 'reason'])
    .where('ticket_id', '=', ticketId)
    .orderBy('changed_at')
    .orderBy('id')
    .execute();
}
