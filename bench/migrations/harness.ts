import type { Migration } from '../../src/db/migrate/files.ts';
import { legacyWorkload } from '../../src/legacy/workload.ts';
import type { Logger } from '../../src/log.ts';
import { LoadGenerator } from '../../src/zero-downtime/load.ts';
import { LockSampler } from '../../src/zero-downtime/lock-sampler.ts';
import type { Workload } from '../../src/zero-downtime/workload.ts';
import type { LoadDriver, LoadWindow } from './driver.ts';

/**
 * The zero-downtime harness's legacy workload (src/legacy/workload.ts) and its
 * lock sampler, read in windows: each window is a harness "phase", so every operation, error and lock
 * wait the harness records is attributed to the migration step during which it happened. The
 * workload follows the harness's rule: it runs at versions `from <= v < until` and drains before a
 * step after which it could not run (the legacy application is retired before the contract steps).
 */
export function legacyWorkloadDriver(log: Logger, options: { workers?: number; opsPerSecond?: number; seed?: number } = {}) {
  return async (url: string, migrations: readonly Migration[]): Promise<LoadDriver> => {
    const legacy: Workload[] = [legacyWorkload];
    const firstContract = migrations.find((m) => m.phase === 'contract')?.version ?? Number.POSITIVE_INFINITY;
    const until = (w: Workload) => (w.until === 'contract' ? firstContract : (w.until ?? Number.POSITIVE_INFINITY));
    const activeAt = (v: number) => new Set(legacy.filter((w) => (w.from ?? 1) <= v && v < until(w)).map((w) => w.name));
    const generator = new LoadGenerator({
      url,
      workloads: legacy,
      workers: options.workers ?? 3,
      opsPerSecond: options.opsPerSecond ?? 25,
      seed: options.seed ?? 1,
    });
    const sampler = new LockSampler(url);
    let window = 0;
    let openedAt = performance.now();
    const setPhase = (phase: string) => {
      generator.phase = phase;
      sampler.phase = phase;
    };
    return {
      name: legacy.map((w) => w.name).join(' + ') || 'none',
      async start(version) {
        setPhase('w0');
        await generator.start();
        await generator.runOnly(activeAt(version));
        await sampler.start();
        log.info({ workloads: legacy.map((w) => w.name) }, 'legacy workload and lock sampler running');
      },
      async beforeStep(from, to) {
        const after = activeAt(to);
        await generator.runOnly(new Set([...activeAt(from)].filter((n) => after.has(n))));
      },
      async afterStep(version) {
        await generator.runOnly(activeAt(version));
      },
      running: (version) => activeAt(version).size > 0,
      mark(): LoadWindow {
        const phase = `w${window}`;
        const now = performance.now();
        const result: LoadWindow = {
          latenciesMs: generator.samples.filter((s) => s.phase === phase).map((s) => s.ms),
          errors: generator.errors.filter((e) => e.phase === phase).length,
          durationMs: now - openedAt,
          longestLockWaitMs: Math.max(
            0,
            ...sampler
              .waitsSeen()
              .filter((w) => w.phase === phase)
              .map((w) => w.waitedMs),
          ),
        };
        const firstError = generator.errors.find((e) => e.phase === phase);
        if (firstError)
          log.warn({ window: phase, error: firstError.message, op: firstError.op, errors: result.errors }, 'legacy workload errors');
        window++;
        openedAt = now;
        setPhase(`w${window}`);
        return result;
      },
      async stop() {
        await sampler.stop();
        await generator.stop();
      },
    };
  };
}
