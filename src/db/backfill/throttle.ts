import type pg from 'pg';

/**
 * How fast the engine may go. Batches are sized so each takes 50–200 ms (aiming at the middle):
 * long enough to amortise the round trips, short enough that its row locks never hold a writer up
 * for long. When other sessions wait on locks, the engine pauses and shrinks its batches.
 *
 * Timing alone never takes a batch below `minBatchSize` rows: on a starved CPU every batch is slow
 * whatever its size (planning and round trips, not rows), and shrinking further only multiplies
 * that fixed cost — a 1M-row backfill fell to 10-row batches and 400 rows/s that way. Only the
 * evidence of a waiting writer (shrink) goes below it.
 */
export interface ThrottleOptions {
  /** Batch duration band in ms. (Default: 50–200, target 100) */
  minBatchMs?: number;
  maxBatchMs?: number;
  /** First batch size in rows. (Default: 200) */
  initialBatchSize?: number;
  /** Largest batch in rows. (Default: 50 000) */
  maxBatchSize?: number;
  /** Smallest batch the timing alone may choose. (Default: 100) */
  minBatchSize?: number;
  /** Longest pause after repeated lock waits. (Default: 2000 ms) */
  maxBackoffMs?: number;
}

export class BatchSizer {
  private size: number;
  private readonly min: number;
  private readonly max: number;
  private readonly cap: number;
  private readonly floor: number;

  constructor(options: ThrottleOptions = {}, resumeAt?: number | null) {
    this.min = options.minBatchMs ?? 50;
    this.max = options.maxBatchMs ?? 200;
    this.cap = options.maxBatchSize ?? 50_000;
    this.floor = Math.min(this.cap, options.minBatchSize ?? 100);
    this.size = resumeAt ?? options.initialBatchSize ?? 200;
  }

  get current(): number {
    return Math.floor(this.size);
  }

  /** Adjusts towards the middle of the band after a batch of `rows` rows took `ms`. */
  observe(rows: number, ms: number): void {
    if (rows < this.current) return; // a short tail batch says nothing about speed
    const target = (this.min + this.max) / 2;
    if (ms < this.min || ms > this.max) {
      const factor = Math.min(4, Math.max(0.25, target / Math.max(ms, 1)));
      this.size = Math.min(this.cap, Math.max(Math.min(this.floor, this.size), this.size * factor));
    }
  }

  shrink(): void {
    this.size = Math.max(10, this.size / 2);
  }
}

/**
 * Sessions of this database, other than the engine's, that wait on a heavyweight lock now. The
 * workload waiting on a lock is the signal to back off, whoever holds it.
 */
export async function othersWaitingOnLocks(db: Pick<pg.ClientBase, 'query'>): Promise<number> {
  const { rows } = await db.query(
    `select count(*)::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'
        and backend_type = 'client backend'`,
  );
  return Number(rows[0].n);
}

export class Backoff {
  private delay = 0;
  constructor(private readonly maxMs = 2000) {}

  /** The next pause: 25 ms doubling to the cap, with jitter so two engines do not pulse together. */
  next(): number {
    this.delay = Math.min(this.maxMs, this.delay === 0 ? 25 : this.delay * 2);
    return this.delay * (0.75 + Math.random() * 0.5);
  }

  reset(): void {
    this.delay = 0;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
