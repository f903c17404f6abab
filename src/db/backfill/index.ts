export { type ProgressEvent, type RunOptions, type RunResult, runBackfill } from './engine.ts';
export type { BackfillJob, Batch, Key, QuarantineRule } from './job.ts';
export { backfillJob, backfillJobNames, loadBackfillJobsModule, registerBackfillJobs } from './registry.ts';
export { type Progress, quarantineCount, readProgress } from './store.ts';
