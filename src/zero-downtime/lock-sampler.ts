import pg from 'pg';

/**
 * Samples, every 10 ms, the heavyweight locks the workload's sessions are waiting for
 * (pg_locks.granted = false joined to pg_stat_activity by application_name), and keeps for each
 * wait its longest observed duration, measured from pg_locks.waitstart by the server's clock, with
 * who blocked it. A wait shorter than the interval can be missed; the latency samples cover those.
 */
export interface LockWait {
  pid: number;
  session: string;
  query: string;
  mode: string;
  relation: string | null;
  waitedMs: number;
  blockedBy: string | null;
  phase: string;
}

const SAMPLE = `
  select a.pid, a.application_name as session, left(a.query, 200) as query, l.mode, l.relation::regclass::text as relation,
         extract(epoch from clock_timestamp() - coalesce(l.waitstart, a.query_start)) * 1000 as waited_ms,
         coalesce(l.waitstart, a.query_start)::text as since,
         (select string_agg(b.application_name || ' (pid ' || b.pid || '): ' || left(b.query, 160), ' | ')
            from pg_stat_activity b where b.pid = any (pg_blocking_pids(a.pid))) as blocked_by
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
   where not l.granted and a.datname = current_database() and a.application_name like $1`;

export class LockSampler {
  private client?: pg.Client;
  private timer?: Promise<void>;
  private stopped = false;
  private readonly waits = new Map<string, LockWait>();
  samples = 0;
  failures = 0;
  phase = 'start';
  private startedAt = 0;

  constructor(
    private readonly url: string,
    private readonly sessions = 'abymed-zdt:%',
    private readonly intervalMs = 10,
  ) {}

  async start(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url, application_name: 'abymed-zdt-lock-sampler' });
    this.client.on('error', () => {});
    await this.client.connect();
    this.startedAt = performance.now();
    this.timer = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.timer;
    await this.client?.end().catch(() => {});
  }

  /** Mean time between samples actually achieved, in ms. */
  get meanIntervalMs(): number {
    return this.samples > 0 ? (performance.now() - this.startedAt) / this.samples : 0;
  }

  /** Every distinct wait seen, longest first. */
  waitsSeen(): LockWait[] {
    return [...this.waits.values()].sort((a, b) => b.waitedMs - a.waitedMs);
  }

  private async loop(): Promise<void> {
    const client = this.client as pg.Client;
    while (!this.stopped) {
      const t0 = performance.now();
      try {
        const { rows } = await client.query(SAMPLE, [this.sessions]);
        this.samples++;
        for (const r of rows) {
          const key = `${r.pid}@${r.since}`;
          const waitedMs = Number(r.waited_ms);
          const known = this.waits.get(key);
          if (!known || waitedMs > known.waitedMs) {
            this.waits.set(key, {
              pid: r.pid,
              session: r.session,
              query: r.query,
              mode: r.mode,
              relation: r.relation,
              waitedMs,
              blockedBy: r.blocked_by ?? known?.blockedBy ?? null,
              phase: known?.phase ?? this.phase,
            });
          }
        }
      } catch {
        this.failures++;
      }
      const left = this.intervalMs - (performance.now() - t0);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
  }
}
