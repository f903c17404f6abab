import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashData } from '../../src/db/catalog.ts';
import { repoRoot } from '../../src/paths.ts';
import { type SeedManifest, seedLegacyData } from '../../src/seed/index.ts';
import { compareT11WithManifest, formatT11Report, type T11Report } from '../../src/tickets/assignments/validation.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * T1.1/T3.2 on real seeded legacy data (scale 0.2: 600 tickets): `abymed validate t1.1` (the
 * command itself, on the database's URL) reports exactly the seed manifest's ticket classes and
 * changes nothing; the backfills (0012, 0013) then quarantine exactly the manifest's missing
 * engineers, convert every other inline engineer, and leave no ticket whose status disagrees with
 * its latest history row.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const t = useFreshDatabase({ to: 8 });
let c: pg.Client;
let manifest: SeedManifest;
let report: T11Report;

const count = async (sql: string) => Number((await c.query(sql)).rows[0].n);

beforeAll(async () => {
  await seedLegacyData(t.db.pool, { scale: 0.2, seed: 11 });
  c = await t.db.client();
  // The manifest as the seed stored it beside the data, which is what an operator would compare with.
  manifest = (await c.query('select manifest from abymed.seed_manifest where id = 1')).rows[0].manifest;
});
afterAll(async () => c?.end());

describe('T1.1/T3.2 on seeded legacy data', () => {
  it('abymed validate t1.1 agrees exactly with the seed manifest and changes nothing', async () => {
    const before = await hashData(c, ['public']);
    const { stdout } = await promisify(execFile)(process.execPath, [resolve(repoRoot, 'bin/abymed.js'), 'validate', 't1.1', '--json'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: t.db.url },
    });
    report = JSON.parse(stdout);
    if (process.env.SHOW_REPORT) console.log(formatT11Report(report), compareT11WithManifest(report, manifest.defects));
    expect((await hashData(c, ['public'])).total).toBe(before.total);

    const compared = compareT11WithManifest(report, manifest.defects);
    expect(compared.map((x) => x.id).sort()).toEqual([
      'tickets.engineer_missing',
      'tickets.engineer_renamed',
      'tickets.no_history',
      'tickets.status_disagrees_with_history',
    ]);
    for (const x of compared) expect(x.expected).toBeGreaterThan(0); // each class really exercised
    expect(compared.filter((x) => x.reported !== x.expected)).toEqual([]);
    // The seed writes engineer ids as uuids only; the report's other quarantine class is empty.
    expect(report.classes.find((x) => x.id === 'tickets.engineer_not_uuid')?.count).toBe(0);
    expect(report.tickets).toBe(manifest.rows.service_tickets);
  });

  it('the backfills do what the report said: missing engineers quarantined, the rest converted, no drift left', async () => {
    await t.db.runner().up({ to: 13 });
    const missing = manifest.defects['tickets.engineer_missing']?.rows;
    expect(await count(`select count(*) n from abymed.quarantine where job = 't1_1_assignments'`)).toBe(missing);
    const converted = Object.values(report.toConvert).reduce((a, b) => a + b, 0);
    expect(await count(`select count(*) n from engineer_assignments where assigned_by = 'migration_T1.1'`)).toBe(converted);
    expect(converted + (missing ?? 0)).toBe(report.withInlineEngineer);
    const byStatus = await c.query(
      `select status, count(*)::int n from engineer_assignments where assigned_by = 'migration_T1.1' group by status order by status`,
    );
    expect(Object.fromEntries(byStatus.rows.map((r) => [r.status, r.n]))).toEqual(report.toConvert);
    const drift = manifest.defects['tickets.status_disagrees_with_history']?.rows ?? 0;
    const noHistory = manifest.defects['tickets.no_history']?.rows ?? 0;
    expect(await count(`select count(*) n from ticket_status_history where origin = 'reconcile'`)).toBe(drift + noHistory);
    expect(await count(`select count(*) n from service_tickets t where t.status is distinct from ticket_latest_history_status(t.id)`)).toBe(
      0,
    );
  });
});
