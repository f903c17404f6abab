import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { seedLegacyData } from '../../src/seed/index.ts';
import { freshDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The contracts 0910 and 0930 archive what the legacy shape cannot get back from the new one with
 * plain reads first, and take their ACCESS EXCLUSIVE locks only to re-archive what was written
 * since (the capture triggers' change list) and drop the columns. Here the step is stopped between
 * the two (a reader holds the first table, so the locking statement times out and the step stays
 * dirty there), rows are written as the new application and the sync would write them, and the step
 * is resumed: the archive must be exactly what one statement archiving everything at the lock would
 * have written, and the change list must be gone.
 */
async function seeded(to: number): Promise<TestDatabase> {
  const db = await freshDatabase({ to: 1 });
  await seedLegacyData(db.pool, { scale: 0.2, seed: 3 });
  await db.runner().up({ to });
  return db;
}

/** Runs `version` up until its first statement that needs `table` exclusively, and leaves it dirty there. */
async function stopBeforeLock(db: TestDatabase, version: number, table: string): Promise<pg.Client> {
  const reader = await db.client();
  await reader.query('begin');
  await reader.query(`lock table ${table} in access share mode`);
  await expect(db.runner({ retryBudgetMs: 300 }).up({ to: version })).rejects.toThrow(/lock timeout|lock_timeout|55P03/);
  const { rows } = await db.pool.query('select version, dirty from schema_migrations');
  expect(rows[0]).toEqual({ version, dirty: true });
  return reader;
}

const rows = async (db: TestDatabase, sql: string) => (await db.pool.query(sql)).rows;

/** After the resumed step: its change list and capture function are gone, and it is applied, not dirty. */
async function expectCaptureGone(db: TestDatabase, changes: string, capture: string, version: number): Promise<void> {
  expect(
    await rows(
      db,
      `select to_regclass('${changes}') as changes, to_regprocedure('${capture}') as capture,
              (select version from schema_migrations where not dirty) as version`,
    ),
  ).toEqual([{ changes: null, capture: null, version }]);
}

describe('0910 archives with plain reads, then catches up under the lock', () => {
  const archived = `select s.id as ticket_id, s.assigned_engineer_id, s.assigned_engineer_name, s.assignment_tier,
                           s.assignment_tier_name, s.assigned_at, (s.shown).id as shown_assignment_id, (s.shown).updated_at as shown_updated_at
                      from (select t.*, t1_1_inline_assignment(t.id) as shown from service_tickets t
                             where num_nonnulls(t.assigned_engineer_id, t.assigned_engineer_name, t.assignment_tier,
                                                t.assignment_tier_name, t.assigned_at) > 0 offset 0) s
                     order by 1`;

  it('re-archives the tickets written between the archive and the lock, and only those', async () => {
    const db = await seeded(909);
    try {
      const reader = await stopBeforeLock(db, 910, 'service_tickets');
      const atRead = await rows(db, 'select * from abymed.t1_1_inline_archive order by ticket_id');
      expect(atRead).toEqual(await rows(db, archived));

      const [renamed, cleared] = (
        await rows(
          db,
          `select t.id from service_tickets t join engineer_assignments a on a.ticket_id = t.id and a.status in ('assigned', 'accepted', 'in_progress')
            where t.assigned_engineer_id is not null order by t.id limit 2`,
        )
      ).map((r) => r.id as string);
      const unassigned = (await rows(db, 'select id from service_tickets where assigned_engineer_id is null order by id limit 1'))[0]?.id;
      const engineer = (await rows(db, 'select id::text from engineers order by id limit 1'))[0]?.id;
      // As the sync and the legacy-side writes of a ticket still can until the lock: a name edited
      // (the active assignment takes it), an engineer removed (the assignment is closed), one assigned.
      await db.pool.query(`update service_tickets set assigned_engineer_name = 'Renamed between archive and lock' where id = $1`, [
        renamed,
      ]);
      await db.pool.query(
        `update service_tickets set assigned_engineer_id = null, assigned_engineer_name = null, assignment_tier = null,
                assignment_tier_name = null, assigned_at = null where id = $1`,
        [cleared],
      );
      if (unassigned) await db.pool.query('update service_tickets set assigned_engineer_id = $2 where id = $1', [unassigned, engineer]);
      const expected = await rows(db, archived);
      expect(expected).not.toEqual(atRead);
      const changed = await rows(db, 'select ticket_id from abymed.t1_1_inline_archive_changes order by 1');
      expect(changed.map((r) => r.ticket_id)).toEqual(expect.arrayContaining([renamed, cleared, ...(unassigned ? [unassigned] : [])]));

      await reader.query('commit');
      await reader.end();
      await db.runner().up({ to: 910 });
      expect(await rows(db, 'select * from abymed.t1_1_inline_archive order by ticket_id')).toEqual(expected);
      await expectCaptureGone(db, 'abymed.t1_1_inline_archive_changes', 't1_1_inline_archive_note_change()', 910);
    } finally {
      await db.close();
    }
  });
});

describe('0930 archives with plain reads, then catches up under the lock', () => {
  const archived = `select * from (
                      select 'rfqs' as source_table, r.id as source_id, r.items as original, b.rebuilt, r.updated_at as written_at
                        from rfqs r cross join lateral (select t13_rfq_items_json(r.id) as rebuilt) b
                       where r.items::text is distinct from b.rebuilt::text
                      union all
                      select 'quotes', q.id, q.line_items, b.rebuilt, q.updated_at
                        from quotes q cross join lateral (select t13_quote_line_items_json(q.id) as rebuilt) b
                       where q.line_items::text is distinct from b.rebuilt::text) x
                    order by 1, 2`;

  it('re-archives the RFQs and quotes written between the archive and the lock, and only those', async () => {
    const db = await seeded(929);
    try {
      const reader = await stopBeforeLock(db, 930, 'quote_items');
      const atRead = await rows(db, 'select * from t13_jsonb_archive order by source_table, source_id');
      expect(atRead).toEqual(await rows(db, archived));

      const rfq = (await rows(db, `select source_id from t13_jsonb_archive where source_table = 'rfqs' order by 1 limit 1`))[0]?.source_id;
      const quote = (
        await rows(
          db,
          `select a.source_id from t13_jsonb_archive a join quote_items i on i.quote_id = a.source_id
            where a.source_table = 'quotes' order by 1 limit 1`,
        )
      )[0]?.source_id;
      const quarantined = (
        await rows(
          db,
          `select id from procurement_item_quarantine where resolved_at is null and item_index is not null order by id limit 1`,
        )
      )[0]?.id;
      expect([rfq, quote, quarantined].every(Boolean)).toBe(true);
      // As the new application writes: a line added (the mirror rewrites the RFQ's JSONB), a quote
      // line edited (the quote's JSONB rewritten), and a quarantined original resolved (what the
      // rows rebuild for its RFQ or quote changes).
      await db.pool.query(
        `insert into rfq_items (rfq_id, line_number, name, quantity)
         values ($1::varchar, (select coalesce(max(line_number), 0) + 100 from rfq_items where rfq_id = $1::varchar), 'Added between archive and lock', 3)`,
        [rfq],
      );
      await db.pool.query(
        `update quote_items set notes = 'Edited between archive and lock'
          where id = (select id from quote_items where quote_id = $1 order by line_number limit 1)`,
        [quote],
      );
      await db.pool.query('update procurement_item_quarantine set resolved_at = now() where id = $1', [quarantined]);
      const expected = await rows(db, archived);
      expect(expected).not.toEqual(atRead);

      await reader.query('commit');
      await reader.end();
      await db.runner().up({ to: 930 });
      expect(await rows(db, 'select * from t13_jsonb_archive order by source_table, source_id')).toEqual(expected);
      await expectCaptureGone(db, 't13_jsonb_archive_changes', 't13_jsonb_archive_note_change()', 930);
    } finally {
      await db.close();
    }
  });
});
