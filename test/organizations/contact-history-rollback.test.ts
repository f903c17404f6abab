import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerConsistencyChecks } from '../../src/customers/zero-downtime.ts';
import type { MigrationRunner } from '../../src/db/migrate/index.ts';
import { flipPrimaryContact } from '../../src/legacy/master-data.ts';
import { t12MigrationsDir } from '../customers/support.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * T3.3 after a rollback below 0025: the legacy application flips primary contacts while the
 * history is gone (no trigger writes a period), then the walk goes up again. 0025 restores the
 * archived periods, which are stale for the flipped organizations; 0026 must reconcile them, so
 * that is_primary = "holds the open primary period" for every organization (the zero-downtime
 * harness's own check), and its down → up must stay exact.
 */
const t = useFreshDatabase('none');
let c: pg.Client;
let runner: MigrationRunner;
const ORG_A = '00000000-0000-4000-8000-00000000010a';
const ORG_B = '00000000-0000-4000-8000-00000000010b';
const ORG_C = '00000000-0000-4000-8000-00000000010c';
const A1 = '00000000-0000-4000-8000-0000000001a1';
const A2 = '00000000-0000-4000-8000-0000000001a2';
const B1 = '00000000-0000-4000-8000-0000000001b1';
const B2 = '00000000-0000-4000-8000-0000000001b2';
const B3 = '00000000-0000-4000-8000-0000000001b3';
const C1 = '00000000-0000-4000-8000-0000000001c1';

const check = customerConsistencyChecks.find((k) => k.name === 't3.3 is_primary = holds the open primary period');
const mismatches = async () => (await c.query(check?.sql ?? 'select 1 as no_check')).rows;
const openPrimary = async (org: string) =>
  (await c.query('select contact_id from contact_primary_periods where org_id = $1 and effective_to is null', [org])).rows.map(
    (r) => r.contact_id,
  );
const periods = async () => (await c.query('select * from contact_primary_periods order by org_id, effective_from')).rows;
const contacts = async () => (await c.query('select * from contact_persons order by id')).rows;

beforeAll(async () => {
  c = await t.db.client();
  runner = t.db.runner({ dir: await t12MigrationsDir() });
  await runner.up({ to: 8 });
  await c.query(
    `insert into organizations (id, name, org_type) values ($1, 'AIIMS Delhi', 'hospital'), ($2, 'Medanta', 'hospital'),
       ($3, 'Fortis', 'hospital')`,
    [ORG_A, ORG_B, ORG_C],
  );
  await c.query(
    `insert into contact_persons (id, org_id, name, email, primary_phone, is_primary, active, created_at, updated_at) values
      ($1, $7, 'Dr. Rao', 'rao@aiims.example', '+919800000111', true, true, '2024-01-01', '2024-01-01'),
      ($2, $7, 'Ms. Iyer', 'iyer@aiims.example', '+919800000112', false, true, '2024-02-01', '2024-02-01'),
      ($3, $8, 'Dr. Mehta', 'mehta@medanta.example', '+919800000121', true, true, '2024-01-01', '2024-01-01'),
      ($4, $8, 'Ms. Gill', 'gill@medanta.example', '+919800000122', false, true, '2024-01-02', '2024-01-02'),
      ($5, $8, 'Mr. Sood', 'sood@medanta.example', '+919800000123', false, true, '2024-01-03', '2024-01-03'),
      ($6, $9, 'Dr. Nair', 'nair@fortis.example', '+919800000131', true, true, '2024-01-01', '2024-01-01')`,
    [A1, A2, B1, B2, B3, C1, ORG_A, ORG_B, ORG_C],
  );
});
afterAll(async () => c?.end());

describe('T3.3 primary contact flipped by the legacy application while rolled back below 0025', () => {
  it('up again: is_primary = the open period for every organization, the stale period closed at the flip', async () => {
    await runner.up({ to: 26 });
    // History the expand's tables hold: Medanta's primary moves to Ms. Gill through the legacy statement.
    await flipPrimaryContact(c, ORG_B, B2);
    expect(await openPrimary(ORG_B)).toEqual([B2]);
    expect(await mismatches()).toEqual([]);

    await runner.down({ to: 24 });
    // Below 0025 no trigger writes history: the legacy flips only change the flags.
    await flipPrimaryContact(c, ORG_B, B3);
    await flipPrimaryContact(c, ORG_A, A2);
    const flippedAt = (await c.query('select updated_at from contact_persons where id = $1', [B3])).rows[0].updated_at;

    await runner.up({ to: 25 });
    // 0025 restored the archived periods: Ms. Gill's is open, but the flags say Mr. Sood.
    expect(await openPrimary(ORG_B)).toEqual([B2]);
    const at25 = { periods: await periods(), contacts: await contacts() };

    await runner.up({ to: 26 });
    expect(await mismatches()).toEqual([]);
    expect(await openPrimary(ORG_A)).toEqual([A2]);
    expect(await openPrimary(ORG_B)).toEqual([B3]);
    expect(await openPrimary(ORG_C)).toEqual([C1]);
    const b = (await periods()).filter((p) => p.org_id === ORG_B);
    expect(b.map((p) => [p.contact_id, p.source, p.effective_to === null])).toEqual([
      [B1, 'backfill', false],
      [B2, 'legacy', false],
      [B3, 'backfill', true],
    ]);
    // Closed and opened at the same instant: when the legacy application made Mr. Sood primary.
    expect(b[1]?.effective_to).toEqual(flippedAt);
    expect(b[2]?.effective_from).toEqual(flippedAt);
    const at26 = { periods: await periods(), contacts: await contacts() };

    // 0026 down gives 0025's state back (the stale period open again) and 0026 up the same rows.
    await runner.down({ to: 25 });
    expect({ periods: await periods(), contacts: await contacts() }).toEqual(at25);
    await runner.up({ to: 26 });
    expect({ periods: await periods(), contacts: await contacts() }).toEqual(at26);
  });

  it('a legacy flip after the reconciliation continues the history; down → up keeps it', async () => {
    await flipPrimaryContact(c, ORG_B, B1);
    expect(await mismatches()).toEqual([]);
    const before = { periods: await periods(), contacts: await contacts() };
    // The reconciliation's period is closed now: 0026 down keeps it (history the later period continues).
    await runner.down({ to: 25 });
    expect((await periods()).filter((p) => p.org_id === ORG_B)).toEqual(before.periods.filter((p) => p.org_id === ORG_B));
    await runner.up({ to: 26 });
    expect({ periods: await periods(), contacts: await contacts() }).toEqual(before);
    expect(await mismatches()).toEqual([]);
  });
});
