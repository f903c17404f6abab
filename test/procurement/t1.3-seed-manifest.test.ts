import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithManifest, isT13ManifestKey, reportT13 } from '../../src/procurement/validation.ts';
import { type SeedManifest, seedLegacyData } from '../../src/seed/index.ts';
import { useFreshDatabase } from '../support/database.ts';
import { BEFORE_T13, T13, t13MigrationsDir } from './support.ts';

/**
 * `abymed validate t1.3` against the legacy seed generator (src/seed): every JSONB defect class of
 * the seed manifest is reported with exactly the manifest's count, and the backfill then puts
 * exactly the reported items in quarantine.
 */
const t = useFreshDatabase('none');
let manifest: SeedManifest;
let c: pg.Client;

beforeAll(async () => {
  const dir = await t13MigrationsDir();
  await t.db.runner({ dir }).up({ to: 1 });
  manifest = await seedLegacyData(t.db.pool, { scale: 1, seed: 7 });
  await t.db.runner({ dir }).up({ to: T13.expand });
  c = await t.db.client();
});
afterAll(async () => c?.end());

describe('T1.3 report against the seed manifest', () => {
  it('reports every T1.3 class of the manifest with its exact count', async () => {
    const keys = Object.keys(manifest.defects).filter(isT13ManifestKey);
    expect(keys.length).toBeGreaterThanOrEqual(9);
    const report = await reportT13(c);
    for (const row of compareWithManifest(report, manifest.defects)) expect(row).toEqual({ ...row, reported: row.expected });
    expect(report.totals.rfqs.rows).toBe(manifest.rows.rfqs);
    expect(report.totals.quotes.rows).toBe(manifest.rows.quotes);
  });

  it('the backfill quarantines exactly what the report said, and the shapes are in step', async () => {
    const report = await reportT13(c);
    expect(BEFORE_T13).toBeLessThan(T13.expand);
    await t.db.runner({ dir: await t13MigrationsDir() }).up({ to: T13.quoteBackfill });
    const { rows } = await c.query<{ id: string; n: number }>(`
      select case when item_index is null then source_table when source_table = 'rfqs' then 'rfq_items' else 'quote_items' end || '.' || defect as id,
             count(*)::int as n
        from procurement_item_quarantine where resolved_at is null group by 1 order by 1`);
    const reported = report.classes.filter((x) => x.verdict === 'quarantined').map((x) => ({ id: x.id, n: x.count }));
    expect(rows).toEqual(reported.sort((a, b) => a.id.localeCompare(b.id)));
    expect((await c.query('select * from t13_sync_mismatches')).rows).toEqual([]);
  });
});
