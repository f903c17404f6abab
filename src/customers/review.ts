import { sql } from 'kysely';
import type { Caller } from '../auth/caller.ts';
import type { Tx } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../http/cursor.ts';
import type { Static } from '../http/schemas.ts';
import { CUSTOMER_COLUMNS } from './queries.ts';
import type { ReviewCase } from './schemas.ts';

type ReviewCaseRow = Static<typeof ReviewCase>;

/**
 * The dedup review queue (customer_review_cases): possible duplicates the rule would not merge on
 * its own. Only administrators see it (row-level security gives tenants no rows). Resolving a case
 * is one transaction: "keep separate" closes it; "merge" runs t1_2_merge_customers() (0020), which
 * re-points the loser's tickets, devices, sources and legacy ids, marks it merged and closes the
 * case while both applications keep writing.
 */
const customerJson = (alias: string) =>
  sql`jsonb_build_object(${sql.join(CUSTOMER_COLUMNS.map((c) => sql`${sql.lit(c)}::text, ${sql.ref(`${alias}.${c}`)}`))})`;

function selectCases(tx: Tx) {
  return tx
    .selectFrom('customer_review_cases as k')
    .innerJoin('customers as a', 'a.id', 'k.customer_id')
    .innerJoin('customers as b', 'b.id', 'k.candidate_customer_id')
    .select([
      'k.id',
      'k.kind',
      sql`k.similarity::float`.as('similarity'),
      'k.reason',
      'k.status',
      'k.merged_into_id',
      'k.resolved_by',
      'k.resolved_at',
      'k.resolution_note',
      'k.created_at',
      customerJson('a').as('customer'),
      customerJson('b').as('candidate'),
    ]);
}

export async function listReviewCases(tx: Tx, q: { status?: string; kind?: string; limit?: number; cursor?: string }) {
  const limit = q.limit ?? 50;
  const after = decodeCursor(q.cursor, 2);
  let query = selectCases(tx)
    .where('k.status', '=', q.status ?? 'open')
    .orderBy('k.created_at')
    .orderBy('k.id')
    .limit(limit + 1);
  if (q.kind) query = query.where('k.kind', '=', q.kind);
  if (after) query = query.where(sql`(k.created_at, k.id)`, '>', sql`(${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = (await query.execute()) as ReviewCaseRow[];
  return pageOf(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
}

export async function getReviewCase(tx: Tx, id: string): Promise<ReviewCaseRow> {
  const row = (await selectCases(tx).where('k.id', '=', id).executeTakeFirst()) as ReviewCaseRow | undefined;
  if (!row) throw notFound('review case', id);
  return row;
}

export interface Resolution {
  action: 'merge' | 'keep_separate';
  /** For a merge: which of the pair survives. (Default: the customer with more tickets, then the older one) */
  survivor_id?: string;
  note?: string;
}

export async function resolveReviewCase(tx: Tx, caller: Caller, id: string, r: Resolution) {
  const k = await tx
    .selectFrom('customer_review_cases')
    .select(['id', 'status', 'customer_id', 'candidate_customer_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!k) throw notFound('review case', id);
  if (k.status !== 'open') throw new AppError('conflict', `review case ${id} is already resolved (${k.status})`, { id, status: k.status });
  const by = caller.email.slice(0, 255);
  if (r.action === 'keep_separate') {
    await tx
      .updateTable('customer_review_cases')
      .set({ status: 'kept_separate', resolved_by: by, resolved_at: sql`now()`, resolution_note: r.note ?? null })
      .where('id', '=', id)
      .execute();
    return getReviewCase(tx, id);
  }
  const pair = [k.customer_id, k.candidate_customer_id];
  if (r.survivor_id !== undefined && !pair.includes(r.survivor_id)) {
    throw new AppError('validation_failed', `body.survivor_id: must be ${pair.join(' or ')}, the customers of this case`, {
      field: 'body.survivor_id',
    });
  }
  const survivor = r.survivor_id ?? (await defaultSurvivor(tx, pair as [string, string]));
  await sql`select t1_2_merge_customers(${id}::uuid, ${survivor}::uuid, ${by}, ${r.note ?? null})`.execute(tx);
  return getReviewCase(tx, id);
}

/** The customer with more tickets survives; on a tie the older one (uuid v7 ids sort by creation). */
async function defaultSurvivor(tx: Tx, pair: [string, string]): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    select c.id from customers c where c.id in (${pair[0]}::uuid, ${pair[1]}::uuid)
     order by (select count(*) from customer_sources s where s.customer_id = c.id) desc, c.created_at, c.id limit 1`.execute(tx);
  return rows[0]?.id ?? pair[0];
}
