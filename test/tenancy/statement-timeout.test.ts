import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, errorCatalogue } from '../../src/errors.ts';
import { requestStatementTimeoutMs, withCaller } from '../../src/tenancy/with-caller.ts';
import { useFreshDatabase } from '../support/database.ts';

/**
 * A caller's transaction runs under a statement timeout: a request whose query runs away is stopped
 * and answered 503 query_timeout, and the connection goes back to the pool without the setting.
 */
// biome-ignore lint/correctness/useHookAtTopLevel: a vitest fixture named like a hook, not a React hook
const fresh = useFreshDatabase({ to: 3 });
const caller = { userId: '00000000-0000-0000-0000-000000000001', orgId: null, role: 'system_admin' } as const;

describe('request statement timeout', () => {
  const saved = process.env.ABYMED_STATEMENT_TIMEOUT_MS;
  afterEach(() => {
    if (saved === undefined) delete process.env.ABYMED_STATEMENT_TIMEOUT_MS;
    else process.env.ABYMED_STATEMENT_TIMEOUT_MS = saved;
  });

  it('stops a statement that runs longer than the limit with query_timeout (503)', async () => {
    process.env.ABYMED_STATEMENT_TIMEOUT_MS = '200';
    const started = Date.now();
    const error = await withCaller(fresh.db.db, caller, async (tx) => sql`select pg_sleep(5)`.execute(tx)).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('query_timeout');
    expect(errorCatalogue.query_timeout.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('lets statements under the limit finish, and the setting ends with the transaction', async () => {
    process.env.ABYMED_STATEMENT_TIMEOUT_MS = '2000';
    const inside = await withCaller(fresh.db.db, caller, async (tx) => {
      await sql`select pg_sleep(0.05)`.execute(tx);
      return (await sql<{ t: string }>`select current_setting('statement_timeout') as t`.execute(tx)).rows[0]?.t;
    });
    expect(inside).toBe('2s');
    const { rows } = await fresh.db.pool.query(`select current_setting('statement_timeout') as t`);
    expect(rows[0].t).toBe('0');
  });

  it('reads a default of 15 s and ignores a value that is not a number', () => {
    delete process.env.ABYMED_STATEMENT_TIMEOUT_MS;
    expect(requestStatementTimeoutMs()).toBe(15_000);
    process.env.ABYMED_STATEMENT_TIMEOUT_MS = 'soon';
    expect(requestStatementTimeoutMs()).toBe(15_000);
  });
});
