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
  start(): Promise<void>;
  /** Closes the current window and opens the next. */
  mark(): LoadWindow;
  stop(): Promise<void>;
}
