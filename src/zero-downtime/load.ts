import pg from 'pg';
import { logger } from '../log.ts';
import type { AcknowledgedWrite, OpContext, Share, WorkerState, Workload, WorkloadOp } from './workload.ts';

/**
 * Runs workloads at a steady rate from several sessions each (application_name
 * `abymed-zdt:<workload>:<n>`, which the lock sampler watches), times every operation, keeps every
 * error and every acknowledged write. A workload runs only while the schema it needs is applied.
 */
export interface Sample {
  at: number;
  ms: number;
  workload: string;
  op: string;
  kind: 'read' | 'write';
  phase: string;
}

export interface OpError {
  at: number;
  workload: string;
  op: string;
  phase: string;
  message: string;
  sqlstate?: string;
}

export interface LoadOptions {
  url: string;
  workloads: Workload[];
  /** Sessions per workload. (Default: 3) */
  workers?: number;
  /** Operations per second per session. (Default: 25) */
  opsPerSecond?: number;
  seed?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** mulberry32: a small seeded generator, so a run's choice of operations is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Worker {
  workload: Workload;
  share: Share;
  client: pg.Client;
  state?: WorkerState;
  rng: () => number;
  running?: Promise<void>;
}

export class LoadGenerator {
  readonly samples: Sample[] = [];
  readonly errors: OpError[] = [];
  readonly acks: AcknowledgedWrite[] = [];
  readonly skipped = new Map<string, number>();
  phase = 'start';
  private readonly workers: Worker[] = [];
  private readonly enabled = new Set<string>();
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: LoadOptions) {}

  async start(): Promise<void> {
    const perWorkload = this.options.workers ?? 3;
    const of = this.options.workloads.length * perWorkload;
    let index = 0;
    for (const workload of this.options.workloads) {
      for (let n = 0; n < perWorkload; n++, index++) {
        const client = new pg.Client({ connectionString: this.options.url, application_name: `abymed-zdt:${workload.name}:${n}` });
        client.on('error', (e) => logger.warn({ err: e.message, workload: workload.name }, 'workload session error'));
        await client.connect();
        const seed = (this.options.seed ?? 1) * 1000 + index;
        this.workers.push({ workload, share: { index, of, seed }, client, rng: rng(seed) });
      }
    }
    this.loops = this.workers.map((w) => this.loop(w));
  }

  /**
   * Makes exactly the workloads `active` names run: the others stop and their operations in flight
   * finish before this returns (so a step never races them); a workload that starts is prepared.
   */
  async runOnly(active: ReadonlySet<string>): Promise<void> {
    const stopping = [...this.enabled].filter((name) => !active.has(name));
    for (const name of stopping) this.enabled.delete(name);
    await Promise.all(this.workers.filter((w) => stopping.includes(w.workload.name)).map((w) => w.running));
    for (const w of this.workers) {
      if (active.has(w.workload.name) && !this.enabled.has(w.workload.name)) w.state = await w.workload.prepare(w.client, w.share);
    }
    for (const name of active) this.enabled.add(name);
  }

  /** Runs every workload whose schema is applied at `version` (from ≤ version), ignoring `until`. */
  activate(version: number): Promise<void> {
    return this.runOnly(new Set(this.options.workloads.filter((w) => (w.from ?? 1) <= version).map((w) => w.name)));
  }

  /** Stops everything and waits until no operation is in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    await Promise.all(this.workers.map((w) => w.client.end().catch(() => {})));
  }

  private async loop(w: Worker): Promise<void> {
    const interval = 1000 / (this.options.opsPerSecond ?? 25);
    let next = performance.now() + w.rng() * interval;
    while (!this.stopped) {
      if (!this.enabled.has(w.workload.name) || !w.state) {
        await sleep(5);
        next = performance.now();
        continue;
      }
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      if (this.stopped || !this.enabled.has(w.workload.name)) continue;
      // Steady rate: a slow operation delays the next, but a long stall is not followed by a burst.
      next = Math.max(next + interval, performance.now() - interval);
      const op = choose(w.workload.ops, w.rng);
      w.running = this.runOne(w, op);
      await w.running;
      w.running = undefined;
    }
  }

  private async runOne(w: Worker, op: WorkloadOp): Promise<void> {
    const phase = this.phase;
    const ctx: OpContext = {
      db: w.client,
      state: w.state as WorkerState,
      share: w.share,
      rng: w.rng,
      ack: (write) => this.acks.push({ ...write, op: op.name, workload: w.workload.name, at: Date.now() }),
    };
    const t0 = performance.now();
    try {
      const did = await op.run(ctx);
      const ms = performance.now() - t0;
      if (did === false) {
        const k = `${w.workload.name}.${op.name}`;
        this.skipped.set(k, (this.skipped.get(k) ?? 0) + 1);
        return;
      }
      this.samples.push({ at: Date.now(), ms, workload: w.workload.name, op: op.name, kind: op.kind, phase });
    } catch (e) {
      const err = e as pg.DatabaseError;
      this.errors.push({ at: Date.now(), workload: w.workload.name, op: op.name, phase, message: err.message, sqlstate: err.code });
      // A failed statement inside an explicit transaction would poison the session for the next op.
      await w.client.query('rollback').catch(() => {});
    }
  }
}

function choose(ops: WorkloadOp[], random: () => number): WorkloadOp {
  const total = ops.reduce((s, o) => s + o.weight, 0);
  let r = random() * total;
  for (const op of ops) {
    r -= op.weight;
    if (r < 0) return op;
  }
  return ops[ops.length - 1] as WorkloadOp;
}
