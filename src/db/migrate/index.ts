import { MigrationRunner, type RunnerOptions } from './runner.ts';

export { MigrationRunner } from './runner.ts';
export type { RunnerOptions, StepResult, MigrationStatus, PlanStep } from './runner.ts';

/** The one way to build a runner: wired to the backfill engine, so backfill steps run when passed. */
export function createRunner(options: RunnerOptions): MigrationRunner {
  return new MigrationRunner(options);
}
