import type { CheckpointResult } from './consistency.ts';
import type { OpError } from './load.ts';
import type { LockWait } from './lock-sampler.ts';
import type { LostWrite } from './lost-writes.ts';

/** What `verify-zero-downtime` found: every check with its verdict and the evidence behind it. */
export interface CheckVerdict {
  ok: boolean;
  summary: string;
}

export interface StepRecord {
  pass: 'up' | 'down' | 'up again' | 'round-trip down' | 'round-trip up';
  direction: 'up' | 'down';
  version: number;
  name: string;
  durationMs: number;
}

export interface ZeroDowntimeReport {
  ok: boolean;
  /** One readable line per failed check. */
  failures: string[];
  checks: {
    migrations: CheckVerdict;
    errors: CheckVerdict;
    lostWrites: CheckVerdict;
    consistency: CheckVerdict;
    roundTrip: CheckVerdict;
    lockWaits: CheckVerdict;
    latency: CheckVerdict;
  };
  config: {
    startVersion: number;
    targetVersion: number;
    workloads: string[];
    sessions: number;
    opsPerSecondPerSession: number;
    scale: number;
    seed: number;
  };
  steps: StepRecord[];
  workload: {
    operations: number;
    reads: number;
    writes: number;
    acknowledgedWrites: number;
    skipped: number;
    perOp: Record<string, { count: number; errors: number; p99Ms: number }>;
    errors: OpError[];
  };
  lostWrites: { rowsChecked: number; writesChecked: number; lost: LostWrite[] };
  consistency: { checkpoints: number; checksRun: number; failing: CheckpointResult[] };
  locks: {
    samples: number;
    meanSampleIntervalMs: number;
    longestWaitMs: number;
    targetMs: number;
    longest: LockWait[];
    /** The longest wait seen during each step (the step's phase, e.g. "up 0910_…"), longest first. */
    byStep: StepLockWait[];
  };
  latency: { baselineP99Ms: number; migratingP99Ms: number; targetMs: number; baselineOps: number; migratingOps: number };
  roundTrip: { catalogDiff: string[]; dataDiff: string[]; catalogSameAsFirstUp: boolean; skipped?: string };
  durationMs: number;
}

/** The longest lock wait a workload saw during one step (from its start to its checkpoint). */
export interface StepLockWait {
  phase: string;
  waitedMs: number;
  session: string;
  mode: string;
  relation: string | null;
}

/** Steps whose longest wait is listed in the summary: the slowest ones, and every one over the target. */
const STEPS_SHOWN = 8;

const mark = (v: CheckVerdict) => (v.ok ? 'PASS' : 'FAIL');

/** The readable summary printed by the CLI and quoted in docs/zero-downtime.md. */
export function formatReport(r: ZeroDowntimeReport): string {
  const lines = [
    `zero-downtime verification: ${r.ok ? 'PASSED' : 'FAILED'}  (${(r.durationMs / 1000).toFixed(1)} s)`,
    `  migrations ${r.config.startVersion} → ${r.config.targetVersion} → ${r.config.startVersion} → ${r.config.targetVersion}: ${r.steps.length} steps; workloads ${r.config.workloads.join(', ')}; ${r.config.sessions} sessions × ${r.config.opsPerSecondPerSession} ops/s`,
    `  workload: ${r.workload.operations} operations (${r.workload.reads} reads, ${r.workload.writes} writes), ${r.workload.acknowledgedWrites} acknowledged row writes`,
  ];
  for (const [name, v] of Object.entries(r.checks)) lines.push(`  [${mark(v)}] ${name.padEnd(12)} ${v.summary}`);
  const slow = r.locks.byStep.filter((s, i) => i < STEPS_SHOWN || s.waitedMs >= r.locks.targetMs);
  if (slow.length > 0) {
    lines.push('  longest lock wait by step:');
    for (const s of slow) {
      lines.push(
        `    ${String(s.waitedMs).padStart(8)} ms  ${s.phase}: ${s.session} waited for ${s.mode} on ${s.relation ?? '(no relation)'}`,
      );
    }
  }
  if (r.failures.length > 0) {
    lines.push('', 'failures:');
    for (const f of r.failures) lines.push(`  - ${f}`);
  }
  return lines.join('\n');
}
