import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import { type Actor, actingOrg, assertParty } from './access.ts';
import { newRfqId } from './ids.ts';
import { assertRfqMove, type RfqStatus } from './workflow.ts';

/** RFQs and their lines (rfq_items). Writes go to the rows; until 0930 the sync mirrors them into rfqs.items. */
export interface RfqItemInput {
  product_id?: string | null;
  sku_id?: string | null;
  name: string;
  quantity: number;
  unit?: string | null;
  required_by_date?: string | null;
  specifications?: Record<string, unknown> | null;
  notes?: string | null;
}

export interface RfqRow {
  id: string;
  rfq_number: string | null;
  requesting_org_id: string | null;
  title: string;
  status: RfqStatus;
  response_deadline: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RfqItemRow extends Required<Omit<RfqItemInput, 'specifications'>> {
  id: string;
  rfq_id: string;
  line_number: number;
  specifications: Record<string, unknown> | null;
}

const RFQ_COLUMNS = sql.raw('id, rfq_number, requesting_org_id, title, status, response_deadline, created_by, created_at, updated_at');
const ITEM_COLUMNS = sql.raw('id, rfq_id, line_number, product_id, sku_id, name, quantity, unit, required_by_date, specifications, notes');

export async function findRfq(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<RfqRow> {
  const { rows } = await sql<RfqRow>`select ${RFQ_COLUMNS} from rfqs where id = ${id} ${sql.raw(options.lock ? 'for update' : '')}`.execute(
    tx,
  );
  if (!rows[0]) throw notFound('RFQ', id);
  return rows[0];
}

export async function rfqItems(tx: Tx, rfqId: string): Promise<RfqItemRow[]> {
  return (await sql<RfqItemRow>`select ${ITEM_COLUMNS} from rfq_items where rfq_id = ${rfqId} order by line_number`.execute(tx)).rows;
}

export async function getRfq(tx: Tx, id: string): Promise<RfqRow & { items: RfqItemRow[] }> {
  const rfq = await findRfq(tx, id);
  return { ...rfq, items: await rfqItems(tx, id) };
}

export interface ListRfqsOptions {
  status?: RfqStatus;
  /** (Default: 50) */
  limit?: number;
  /** Ids are time-ordered: the page continues below this id. */
  before?: string;
}

export async function listRfqs(tx: Tx, o: ListRfqsOptions = {}): Promise<RfqRow[]> {
  const { rows } = await sql<RfqRow>`
    select ${RFQ_COLUMNS} from rfqs
     where (${o.status ?? null}::text is null or status = ${o.status ?? null})
       and (${o.before ?? null}::text is null or id < ${o.before ?? null})
     order by id desc limit ${o.limit ?? 50}`.execute(tx);
  return rows;
}

async function insertItems(tx: Tx, rfqId: string, items: RfqItemInput[], firstLine: number): Promise<void> {
  if (items.length === 0) return;
  await sql`
    insert into rfq_items (rfq_id, line_number, product_id, sku_id, name, quantity, unit, required_by_date, specifications, notes)
    select ${rfqId}, ${firstLine} + i.ord - 1, i.product_id, i.sku_id, i.name, i.quantity, i.unit, i.required_by_date, i.specifications, i.notes
      from jsonb_to_recordset(${JSON.stringify(items.map((x, k) => ({ ...x, ord: k + 1 })))}::jsonb)
        as i(product_id uuid, sku_id uuid, name text, quantity integer, unit text, required_by_date date, specifications jsonb, notes text, ord bigint)`.execute(
    tx,
  );
}

export interface CreateRfqOptions {
  title: string;
  responseDeadline?: string | null;
  items: RfqItemInput[];
}

/** A draft RFQ of the caller's organization with its lines numbered 1..n. */
export async function createRfq(tx: Tx, actor: Actor, o: CreateRfqOptions): Promise<RfqRow & { items: RfqItemRow[] }> {
  const org = actingOrg(actor, 'requesting an RFQ');
  const id = newRfqId();
  await sql`
    insert into rfqs (id, rfq_number, requesting_org_id, title, status, response_deadline, created_by)
    values (${id}, next_rfq_number(), ${org}, ${o.title}, 'draft', ${o.responseDeadline ?? null}, ${actor.userId})`.execute(tx);
  await insertItems(tx, id, o.items, 1);
  return getRfq(tx, id);
}

async function lockDraft(tx: Tx, actor: Actor, rfqId: string, what: string): Promise<RfqRow> {
  const visible = await findRfq(tx, rfqId);
  assertParty(actor, visible.requesting_org_id, 'requester', what);
  const rfq = await findRfq(tx, rfqId, { lock: true });
  if (rfq.status !== 'draft')
    throw new AppError('invalid_transition', `RFQ ${rfqId} is ${rfq.status}: lines change only while it is a draft`);
  return rfq;
}

/** Appends a line to a draft RFQ (next line number). */
export async function addRfqItem(tx: Tx, actor: Actor, rfqId: string, item: RfqItemInput): Promise<RfqItemRow> {
  await lockDraft(tx, actor, rfqId, 'change the lines of an RFQ');
  const { rows } = await sql<{
    next: number;
  }>`select coalesce(max(line_number), 0) + 1 as next from rfq_items where rfq_id = ${rfqId}`.execute(tx);
  const line = rows[0]?.next ?? 1;
  await insertItems(tx, rfqId, [item], line);
  const items = await rfqItems(tx, rfqId);
  return items.find((i) => i.line_number === line) as RfqItemRow;
}

export async function removeRfqItem(tx: Tx, actor: Actor, rfqId: string, itemId: string): Promise<void> {
  await lockDraft(tx, actor, rfqId, 'change the lines of an RFQ');
  const res = await sql`delete from rfq_items where rfq_id = ${rfqId} and id = ${itemId}`.execute(tx);
  if (!res.numAffectedRows) throw notFound('RFQ line', itemId);
}

/** publish, close, cancel: the requester's steps. Publishing needs at least one line. */
export async function moveRfq(tx: Tx, actor: Actor, rfqId: string, to: Exclude<RfqStatus, 'draft' | 'awarded'>): Promise<RfqRow> {
  const visible = await findRfq(tx, rfqId);
  assertParty(
    actor,
    visible.requesting_org_id,
    'requester',
    `${to === 'published' ? 'publish' : to === 'closed' ? 'close' : 'cancel'} an RFQ`,
  );
  const rfq = await findRfq(tx, rfqId, { lock: true });
  assertRfqMove(rfqId, rfq.status, to);
  if (to === 'published' && (await rfqItems(tx, rfqId)).length === 0) {
    throw new AppError('invalid_transition', `RFQ ${rfqId} has no lines; add at least one before publishing`);
  }
  await sql`update rfqs set status = ${to} where id = ${rfqId}`.execute(tx);
  return findRfq(tx, rfqId);
}

/**
 * Awards an RFQ to one of its quotes: that quote is accepted, every other open quote rejected and
 * the RFQ awarded, in one transaction.
 */
export async function awardRfq(tx: Tx, actor: Actor, rfqId: string, quoteId: string): Promise<RfqRow> {
  const visible = await findRfq(tx, rfqId);
  assertParty(actor, visible.requesting_org_id, 'requester', 'award an RFQ');
  const rfq = await findRfq(tx, rfqId, { lock: true });
  assertRfqMove(rfqId, rfq.status, 'awarded');
  const { rows } = await sql<{
    id: string;
    status: string;
  }>`select id, status from quotes where rfq_id = ${rfqId} order by id for update`.execute(tx);
  const winner = rows.find((q) => q.id === quoteId);
  if (!winner) throw notFound('quote of this RFQ', quoteId);
  if (!['submitted', 'under_review', 'accepted'].includes(winner.status)) {
    throw new AppError('invalid_transition', `quote ${quoteId} is ${winner.status}; only a submitted or reviewed quote can win`);
  }
  await sql`update quotes set status = 'accepted' where id = ${quoteId} and status <> 'accepted'`.execute(tx);
  await sql`update quotes set status = 'rejected' where rfq_id = ${rfqId} and id <> ${quoteId} and status in ('submitted', 'under_review')`.execute(
    tx,
  );
  await sql`update rfqs set status = 'awarded' where id = ${rfqId}`.execute(tx);
  return findRfq(tx, rfqId);
}
