import type pg from 'pg';
import { AppError } from '../../errors.ts';

/**
 * A backfill job is data: which table it reads, its key, how one batch is converted into the new
 * shape, and which rows cannot be converted. The engine (engine.ts) owns everything else: keyset
 * batches, the persisted cursor, quarantine, lock back-off and progress. A job never commits.
 *
 * SQL conventions: alias the source table `s`; write `{batch}` where the rows of the current batch
 * belong. The engine replaces it with `(s.k1, …) > (…) and (s.k1, …) <= (…)`, plus, when the job has
 * a quarantine rule, `and not (<rule>)`, so the conversion only sees convertible rows. Bounds are
 * inlined as typed literals, so a job's SQL takes no parameters.
 */
export interface BackfillJob {
  /** Unique name, used by `--! backfill: <name>` and `abymed backfill <name>`. */
  name: string;
  description: string;
  /** Source table, optionally schema-qualified. (Default schema: public) */
  source: string;
  /** Key columns in keyset order; together unique and not null. */
  key: string[];
  /**
   * Copies the batch's rows into the new shape idempotently (`insert … on conflict do update …
   * where … is distinct from …`), so a replayed batch changes nothing. A string is run as SQL;
   * a function receives the open transaction and the batch. Either way it returns the rows changed.
   */
  convert: string | ((tx: pg.ClientBase, batch: Batch) => Promise<number>);
  /** Rows that can never be converted: they go to abymed.quarantine with the reason, the rest continue. */
  quarantine?: QuarantineRule;
}

export interface QuarantineRule {
  /** Predicate over the source row `s`: true for a row that cannot be converted. */
  where: string;
  /** SQL text expression over `s` giving the reason, e.g. `'engineer ' || s.assigned_engineer_id || ' does not exist'`. */
  reason: string;
}

/** A key as text, one element per key column (cast back to the column types in SQL). */
export type Key = string[];

export interface Batch {
  /** Exclusive lower bound; undefined for the first batch. */
  after: Key | undefined;
  /** Inclusive upper bound. */
  upTo: Key;
  /** SQL predicate selecting the batch's convertible rows of the source aliased `s` (what `{batch}` expands to). */
  predicate: string;
}

/** Checks a job definition at registration, so a typo fails at start-up, not halfway through a run. */
export function assertValidJob(job: BackfillJob): void {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_]*$/.test(job.name)) problems.push('name must be lower_snake_case');
  if (job.key.length === 0) problems.push('key needs at least one column');
  if (typeof job.convert === 'string' && !job.convert.includes('{batch}')) problems.push('convert SQL must contain {batch}');
  if (problems.length > 0) throw new AppError('invalid_value', `backfill job "${job.name}": ${problems.join('; ')}`, { job: job.name });
}
