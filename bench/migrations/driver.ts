/**
 * What the migration benchmark needs from the zero-downtime harness: its legacy workload running
 * continuously and its lock sampler, read in windows (one per migration step).
 */
export interface LoadWindow {
  /** Latency of every operation that finished in the window. */
  latenciesMs: number[];
  errors: number;
  durationMs: number;
  /** The longest time any workload session was seen waiting on a lock in the window. */
  longestLockWaitMs: number;
}

export interface LoadDriver {
  name: string;
  /** Starts the workload as it runs at the database's current schema version. */
  start(version: number): Promise<void>;
  /** Before the step from → to: stops (and drains) what cannot run once `to` is applied. */
  beforeStep(from: number, to: number): Promise<void>;
  afterStep(version: number): Promise<void>;
  /** Whether any workload runs at this version (none after the legacy application retires). */
  running(version: number): boolean;
  /** Closes the current window and opens the next. */
  mark(): LoadWindow;
  stop(): Promise<void>;
}
