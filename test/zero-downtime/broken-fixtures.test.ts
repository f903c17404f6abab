import { describe, expect, it } from 'vitest';
import { verifyZeroDowntime } from '../../src/zero-downtime/harness.ts';
import { formatReport } from '../../src/zero-downtime/report.ts';
import { freshDatabase } from '../support/database.ts';
import { baselinePlus, downDropsData, longExclusiveLock, seedSmall, ticketEngineersAgree, triggerMissesUpdate } from './fixtures.ts';

/**
 * The harness must fail, and say why, on each kind of broken migration: a test that cannot fail
 * proves nothing (migration-practice.md §2, pytest-alembic#35).
 */
async function harness(files: Record<string, string>, extra: Parameters<typeof verifyZeroDowntime>[0]['checks'] = []) {
  const db = await freshDatabase('none');
  try {
    return await verifyZeroDowntime({
      url: db.url,
      dir: baselinePlus(files),
      seedData: seedSmall,
      checks: extra,
      baselineMs: 800,
      dwellMs: 600,
    });
  } finally {
    await db.close();
  }
}

describe('verify-zero-downtime on broken migrations', () => {
  it('fails a down that drops data: the writes are lost and down → up does not give the data back', async () => {
    const report = await harness(downDropsData);
    expect(report.ok).toBe(false);
    expect(report.checks.lostWrites.ok).toBe(false);
    expect(report.lostWrites.lost.some((l) => l.table === 'ticket_comments' && l.reason === 'row missing')).toBe(true);
    expect(report.checks.roundTrip.ok).toBe(false);
    expect(report.roundTrip.dataDiff.join('\n')).toMatch(/ticket_comments/);
    expect(report.checks.errors.ok).toBe(true);
    expect(formatReport(report)).toMatch(/\[FAIL\] lostWrites .*ticket_comments .*row missing/);
  });

  it('fails a dual-write trigger that misses updates: the shapes disagree at a checkpoint', async () => {
    const report = await harness(triggerMissesUpdate, [ticketEngineersAgree]);
    expect(report.ok).toBe(false);
    expect(report.checks.consistency.ok).toBe(false);
    expect(report.consistency.failing[0]?.check).toBe(ticketEngineersAgree.name);
    expect(report.consistency.failing[0]?.mismatches).toBeGreaterThan(0);
    expect(report.checks.errors.ok).toBe(true);
    expect(report.checks.lostWrites.ok).toBe(true);
    expect(formatReport(report)).toMatch(/\[FAIL\] consistency .*rows disagree/);
  });

  it('fails a step that holds an exclusive lock for 2 s, naming the blocker', async () => {
    const report = await harness(longExclusiveLock);
    expect(report.ok).toBe(false);
    expect(report.checks.lockWaits.ok).toBe(false);
    expect(report.locks.longestWaitMs).toBeGreaterThan(1000);
    expect(report.locks.longest[0]?.blockedBy).toMatch(/abymed-migrate/);
    expect(report.checks.lockWaits.summary).toMatch(/service_tickets/);
    // Waiting is not failing: the legacy application still made no error and lost nothing.
    expect(report.checks.errors.ok).toBe(true);
    expect(report.checks.lostWrites.ok).toBe(true);
  });
});
