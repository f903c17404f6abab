import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogSnapshot, diffSnapshots, hashData, snapshotCatalog } from '../../src/db/catalog.ts';
import { label, loadMigrations } from '../../src/db/migrate/files.ts';
import { migrationsDir } from '../../src/paths.ts';
import { seedLegacyData } from '../../src/seed/index.ts';
import { columnHashes, differingColumns } from '../../src/zero-downtime/column-hashes.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * Every migration in db/migrations, found at collection time, so a migration added later is
 * covered the moment its file exists: from a seeded database at version V-1, up (snapshot and
 * data hash), down (must equal V-1 exactly), up again (must equal the first up exactly).
 */
const migrations = await loadMigrations(migrationsDir);
const [baseline, ...rest] = migrations;

interface State {
  catalog: CatalogSnapshot;
  data: Awaited<ReturnType<typeof hashData>>;
}

async function state(c: pg.Client): Promise<State> {
  return { catalog: await snapshotCatalog(c), data: await hashData(c) };
}

/** Readable differences: catalog lines, and for each table whose data changed, the columns that did. */
async function differences(
  c: pg.Client,
  expected: State,
  actual: State,
  expectedColumns?: Record<string, Record<string, string>>,
): Promise<string[]> {
  const out = diffSnapshots(expected.catalog, actual.catalog);
  const tables = Object.keys({ ...expected.data.tables, ...actual.data.tables }).filter(
    (t) => expected.data.tables[t] !== actual.data.tables[t],
  );
  const now = await columnHashes(c, tables);
  for (const t of tables) {
    const cols = expectedColumns ? differingColumns(expectedColumns[t], now[t]).join(', ') : '?';
    out.push(
      `data ${t}: ${expected.data.tables[t] ?? 'absent'} expected, ${actual.data.tables[t] ?? 'absent'} found (rows:md5); columns: ${cols}`,
    );
  }
  return out;
}

describe('baseline round trip from an empty database', () => {
  // biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
  const t = useFreshDatabase('none');
  it(`${baseline ? label(baseline) : 'no baseline'}: up → down → up`, async () => {
    const c = await t.db.client();
    try {
      const runner = t.db.runner();
      await runner.status(); // creates the runner's own bookkeeping, which the baseline's down keeps
      const empty = await state(c);
      await runner.up({ steps: 1 });
      const up = await state(c);
      await runner.down({ steps: 1 });
      expect(await differences(c, empty, await state(c))).toEqual([]);
      await runner.up({ steps: 1 });
      expect(await differences(c, up, await state(c))).toEqual([]);
    } finally {
      await c.end();
    }
  });
});

describe.sequential('every later migration, one by one on seeded legacy data', () => {
  // biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
  const t = useFreshDatabase({ to: 1 });
  let c: pg.Client;
  beforeAll(async () => {
    await seedLegacyData(t.db.pool, { scale: 0.2, seed: 3 });
    c = await t.db.client();
  });
  afterAll(async () => c?.end());

  it.each(rest.map((m) => [label(m), m] as const))(
    '%s: up → down gives V-1 back, up again gives the same as the first up',
    async (_, m) => {
      const runner = t.db.runner();
      const before = await state(c);
      const beforeColumns = await columnHashes(c, Object.keys(before.data.tables));
      await runner.up({ steps: 1 });
      const after = await state(c);
      const afterColumns = await columnHashes(c, Object.keys(after.data.tables));
      await runner.down({ steps: 1 });
      expect(await differences(c, before, await state(c), beforeColumns), `${label(m)} down`).toEqual([]);
      await runner.up({ steps: 1 });
      expect(await differences(c, after, await state(c), afterColumns), `${label(m)} up again`).toEqual([]);
    },
  );
});
