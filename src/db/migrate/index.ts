import { runBackfill } from '../backfill/engine.ts';
import { backfillJob } from '../backfill/registry.ts';
import { MigrationRunner, type RunnerOptions } from './runner.ts';

export type { MigrationStatus, PlanStep, RunnerOptions, StepResult } from './runner.ts';
export { MigrationRunner } from './runner.ts';

/** The one way to build a runner: wired to the backfill engine, so backfill steps run when passed. */
export function createRunner(options: RunnerOptions): MigrationRunner {
  return new MigrationRunner({
    ...options,
    backfill:
      options.backfill ??
      (async (job, ctx) => {
        await runBackfill(ctx.client, backfillJob(job), { log: ctx.log });
      }),
  });
}
