import { equipmentJobs } from '../../equipment/relationships-backfill.ts';
import { customerJobs } from '../../customers/backfill-jobs.ts';
import { AppError } from '../../errors.ts';
import { procurementJobs } from '../../procurement/backfill-jobs.ts';
import { ticketJobs } from '../../tickets/assignments/backfill-jobs.ts';
import { contactJobs } from '../../organizations/contacts-backfill-jobs.ts';
import { assertValidJob, type BackfillJob } from './job.ts';

/**
 * Every backfill job the system knows, by name. A ticket that adds a `--! backfill: <job>`
 * migration adds its domain's jobs here in one line, e.g.
 *   import { ticketJobs } from '../../tickets/backfill-jobs.ts';
 *   const ALL: BackfillJob[] = [...ticketJobs];
 * Jobs are plain data, so a domain module defining them imports only types from src/db/backfill.
 */
const ALL: BackfillJob[] = [...procurementJobs, ...equipmentJobs, ...customerJobs, ...contactJobs, ...ticketJobs];

const jobs = new Map<string, BackfillJob>();

/** Adds jobs (the list above at start-up; `abymed backfill --jobs <module>` for one-off jobs). */
export function registerBackfillJobs(list: readonly BackfillJob[]): void {
  for (const job of list) {
    assertValidJob(job);
    const known = jobs.get(job.name);
    if (known && known !== job) throw new AppError('conflict', `two backfill jobs are named "${job.name}"`);
    jobs.set(job.name, job);
  }
}

registerBackfillJobs(ALL);

export function backfillJob(name: string): BackfillJob {
  const job = jobs.get(name);
  if (!job) {
    const known = [...jobs.keys()].sort();
    throw new AppError('not_found', `no backfill job named "${name}" (known: ${known.length ? known.join(', ') : 'none'})`, { job: name });
  }
  return job;
}

export const backfillJobNames = (): string[] => [...jobs.keys()].sort();

/** Loads a module that exports `jobs: BackfillJob[]` (or a default export of the same) and registers them. */
export async function loadBackfillJobsModule(path: string): Promise<string[]> {
  const mod = (await import(path)) as { jobs?: BackfillJob[]; default?: BackfillJob[] };
  const list = mod.jobs ?? mod.default;
  if (!Array.isArray(list)) throw new AppError('invalid_value', `${path} exports no \`jobs\` array of backfill jobs`);
  registerBackfillJobs(list);
  return list.map((j) => j.name);
}
