import type pg from 'pg';

/**
 * The contract between the zero-downtime harness and the applications it runs during migrations.
 * A workload is a registry of operations (the legacy application's today; each ticket adds its new
 * application's) plus the consistency checks and "find again" rules that prove nothing was lost.
 * Register workloads in src/zero-downtime/registry.ts.
 */
export interface Workload {
  /** Names the workload in reports and its sessions' application_name (`abymed-zdt:<name>:<worker>`). */
  name: string;
  /** First migration version whose schema the workload needs. (Default: 1, the baseline) */
  from?: number;
  /**
   * First version at which the workload no longer runs: a number, or 'contract' for the first
   * contract step (an application that reads the old shape is retired before its contract; it
   * comes back when the walk goes down below it). (Default: never retired)
   */
  until?: number | 'contract';
  /** Loads what one worker needs (ids to act on) from the seeded database. */
  prepare(db: pg.ClientBase, share: Share): Promise<WorkerState>;
  ops: WorkloadOp[];
}

/**
 * Workers own disjoint slices of the rows they update (`abs(hashtext(key::text)) % of = index`), so
 * one row's writes are serialised in one session and acknowledgement order is commit order.
 */
export interface Share {
  index: number;
  of: number;
  seed: number;
}

/** Opaque per-worker state a workload's `prepare` returns and its ops use. */
export type WorkerState = Record<string, unknown>;

export interface OpContext {
  db: pg.ClientBase;
  state: WorkerState;
  share: Share;
  rng: () => number;
  /** Records a write the database acknowledged, so the harness can find it again at the end. */
  ack(write: AcknowledgedWrite): void;
}

export interface WorkloadOp {
  name: string;
  kind: 'read' | 'write';
  /** Relative frequency. */
  weight: number;
  /** Runs once; returns false when there was nothing to act on (not an error). */
  run(ctx: OpContext): Promise<boolean | undefined>;
}

/**
 * One row as the application wrote it: the table, its key, and the written columns' values as the
 * database returned them (`returning jsonb_build_object(...)`), so comparison uses the database's
 * own representation of every type.
 */
export interface AcknowledgedWrite {
  table: string;
  key: Record<string, string>;
  values: Record<string, unknown>;
  op?: string;
  workload?: string;
  at?: number;
}

/**
 * Where an acknowledged write to `table` is found again while `version` is applied. A migration
 * that moves a legacy column registers the relation that still shows it under its legacy name (a
 * compatibility view, or the table with the moved column derived) from that version on.
 */
export interface FindAgainRule {
  table: string;
  from: number;
  /** A table or view exposing the legacy columns by their legacy names; may be a subquery `(select …)`. */
  relation: string;
}

/**
 * Old and new shapes agree row by row: a query returning one row per disagreement (empty when all
 * agree). It runs at every checkpoint while `from <= version < until`.
 */
export interface ConsistencyCheck {
  name: string;
  from: number;
  until?: number;
  sql: string;
}

/** SQL predicate: the row whose key is `expr` belongs to this worker's slice. */
export const ownedBy = (share: Share, expr: string) => `mod(hashtext((${expr})::text)::bigint + 2147483648, ${share.of}) = ${share.index}`;
