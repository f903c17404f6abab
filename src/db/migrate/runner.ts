import { hostname, userInfo } from 'node:os';
import pg from 'pg';
import { AppError } from '../../errors.ts';
import { type Logger, logger as rootLogger } from '../../log.ts';
import { migrationsDir } from '../../paths.ts';
import { pgErrorCode } from '../errors.ts';
import { SqlState } from '../sqlstate.ts';
import { label, loadMigrations, type Migration, type MigrationScript } from './files.ts';
import { type LockPrediction, predictLocks, strongest } from './locks.ts';
import { type AppliedRow, type DirtyState, ensureMeta, readApplied, readDirty, setSchemaVersion } from './meta.ts';
import { splitStatements } from './split.ts';

export type Direction = 'up' | 'down';

export interface BackfillContext {
  client: pg.Client;
  migration: Migration;
  log: Logger;
}

export interface RunnerOptions {
  url: string;
  /** (Default: db/migrations of this checkout) */
  dir?: string;
  /** Lock budget of each attempt of each statement. (Default: 200 ms) */
  lockTimeoutMs?: number;
  /** Total time a step may spend retrying lock timeouts before it gives up. (Default: 10 min) */
  retryBudgetMs?: number;
  /** How long to wait for another runner's advisory lock. (Default: 10 min) */
  lockWaitMs?: number;
  /** Runs a `--! backfill: job` step; the backfill engine registers itself here. */
  backfill?: (job: string, ctx: BackfillContext) => Promise<void>;
  appliedBy?: string;
  log?: Logger;
  onStep?: (event: StepEvent) => void;
}

export interface StepEvent {
  type: 'start' | 'done' | 'retry';
  migration: Migration;
  direction: Direction;
  index: number;
  total: number;
  attempt?: number;
}

export interface StepResult {
  version: number;
  name: string;
  direction: Direction;
  status: 'applied' | 'failed';
  durationMs: number;
  lockRetries: number;
  error?: string;
}

export interface UpTarget {
  steps?: number;
  to?: number;
  beforeContract?: boolean;
}

export interface DownTarget {
  steps?: number;
  to?: number;
  all?: boolean;
}

/** Key of the session-level advisory lock that serialises runners ("abymed" in ASCII). */
const ADVISORY_KEY = 0x6162796d6564;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MigrationRunner {
  private readonly opts: Required<Omit<RunnerOptions, 'backfill' | 'onStep'>> & Pick<RunnerOptions, 'backfill' | 'onStep'>;

  constructor(options: RunnerOptions) {
    this.opts = {
      dir: migrationsDir,
      lockTimeoutMs: 200,
      retryBudgetMs: 600_000,
      lockWaitMs: 600_000,
      appliedBy: process.env.ABYMED_APPLIED_BY ?? `${userInfo().username}@${hostname()}`,
      log: rootLogger,
      ...options,
    };
  }

  migrations(): Promise<Migration[]> {
    return loadMigrations(this.opts.dir);
  }

  async up(target: UpTarget = {}): Promise<StepResult[]> {
    return this.withLockedClient(async (client, migrations) => {
      const applied = await readApplied(client);
      this.verifyChecksums(migrations, applied);
      const dirty = await readDirty(client);
      const done = new Set(applied.map((a) => a.version));
      let pending = migrations.filter((m) => !done.has(m.version));
      const maxApplied = Math.max(0, ...done);
      const early = pending.find((m) => m.version < maxApplied && m.version !== dirty?.version);
      if (early) {
        throw new AppError(
          'migration_failed',
          `${label(early)} is pending but ${maxApplied} is already applied; migrations apply in order, so renumber it after ${maxApplied}`,
        );
      }
      if (dirty) {
        const m = migrations.find((x) => x.version === dirty.version);
        if (!m || dirty.direction !== 'up' || !(m.up.directives.noTransaction || m.up.directives.backfill)) {
          throw new AppError(
            'migration_failed',
            `the database is dirty at version ${dirty.version} (${dirty.direction}); ${describeWayForward(dirty)}`,
          );
        }
      }
      if (target.to !== undefined) pending = pending.filter((m) => m.version <= (target.to as number));
      if (target.beforeContract) {
        const firstContract = pending.findIndex((m) => m.phase === 'contract');
        if (firstContract >= 0) pending = pending.slice(0, firstContract);
      }
      if (target.steps !== undefined) pending = pending.slice(0, target.steps);
      return this.runSteps(client, pending, 'up', applied, dirty);
    });
  }

  async down(target: DownTarget = {}): Promise<StepResult[]> {
    return this.withLockedClient(async (client, migrations) => {
      const applied = await readApplied(client);
      this.verifyChecksums(migrations, applied);
      const dirty = await readDirty(client);
      if (dirty && dirty.direction === 'up') {
        throw new AppError('migration_failed', `the database is dirty at version ${dirty.version}; ${describeWayForward(dirty)}`);
      }
      const byVersion = new Map(migrations.map((m) => [m.version, m]));
      let chosen = [...applied].reverse().map((a) => byVersion.get(a.version) as Migration);
      if (target.to !== undefined) chosen = chosen.filter((m) => m.version > (target.to as number));
      else if (!target.all) chosen = chosen.slice(0, target.steps ?? 1);
      return this.runSteps(client, chosen, 'down', applied, dirty);
    });
  }

  /** Clears a dirty flag after a person has repaired the database by hand (golang-migrate's `force`). */
  async force(version: number): Promise<void> {
    await this.withLockedClient(async (client) => {
      const dirty = await readDirty(client);
      if (!dirty) throw new AppError('conflict', 'the database is not dirty; nothing to force');
      if (dirty.version !== version) {
        throw new AppError('conflict', `the dirty version is ${dirty.version}, not ${version}`);
      }
      const applied = await readApplied(client);
      const isApplied = applied.some((a) => a.version === version);
      const current = isApplied ? version : Math.max(0, ...applied.map((a) => a.version)) || undefined;
      await setSchemaVersion(client, current, false);
      this.opts.log.warn({ version }, 'dirty flag cleared by force');
      return [];
    });
  }

  async status(): Promise<MigrationStatus> {
    return this.withClient(async (client) => {
      const migrations = await this.migrations();
      await ensureMeta(client);
      const applied = await readApplied(client);
      const dirty = await readDirty(client);
      const byVersion = new Map(applied.map((a) => [a.version, a]));
      const rows = migrations.map((m) => {
        const a = byVersion.get(m.version);
        return {
          version: m.version,
          name: m.name,
          phase: m.phase,
          applied: Boolean(a),
          appliedAt: a?.applied_at?.toISOString(),
          durationMs: a?.duration_ms,
          appliedBy: a?.applied_by,
          checksumChanged: a ? a.checksum !== m.up.checksum : undefined,
        };
      });
      const missingFiles = applied.filter((a) => !migrations.some((m) => m.version === a.version)).map((a) => a.version);
      const current = applied.at(-1)?.version;
      return {
        current,
        dirty: dirty ? { ...dirty, wayForward: describeWayForward(dirty) } : undefined,
        pending: rows.filter((r) => !r.applied).length,
        migrations: rows,
        missingFiles,
      };
    });
  }

  async plan(direction: Direction, target: UpTarget & DownTarget = {}): Promise<PlanStep[]> {
    return this.withClient(async (client) => {
      const migrations = await this.migrations();
      await ensureMeta(client);
      const applied = new Set((await readApplied(client)).map((a) => a.version));
      let chosen: Migration[];
      if (direction === 'up') {
        chosen = migrations.filter((m) => !applied.has(m.version));
        if (target.to !== undefined) chosen = chosen.filter((m) => m.version <= (target.to as number));
        if (target.beforeContract) {
          const i = chosen.findIndex((m) => m.phase === 'contract');
          if (i >= 0) chosen = chosen.slice(0, i);
        }
        if (target.steps !== undefined) chosen = chosen.slice(0, target.steps);
      } else {
        chosen = migrations.filter((m) => applied.has(m.version)).reverse();
        if (target.to !== undefined) chosen = chosen.filter((m) => m.version > (target.to as number));
        else if (!target.all) chosen = chosen.slice(0, target.steps ?? 1);
      }
      const estimates = await rowEstimates(client);
      return chosen.map((m) => planStep(m, direction, estimates, this.opts.lockTimeoutMs));
    });
  }

  // --- execution ------------------------------------------------------------------------------

  private async runSteps(
    client: pg.Client,
    steps: Migration[],
    direction: Direction,
    applied: AppliedRow[],
    dirty?: DirtyState,
  ): Promise<StepResult[]> {
    const results: StepResult[] = [];
    const appliedVersions = applied.map((a) => a.version);
    for (const [index, m] of steps.entries()) {
      this.opts.onStep?.({ type: 'start', migration: m, direction, index, total: steps.length });
      const t0 = Date.now();
      const counter = { retries: 0 };
      const script = m[direction];
      const log = this.opts.log.child({ migration: label(m), direction });
      log.info({ step: index + 1, of: steps.length }, 'migration step started');
      const resumeAt = dirty?.version === m.version ? (dirty.statementIndex ?? 0) : 0;
      const remaining = direction === 'up' ? [...appliedVersions, m.version] : appliedVersions.filter((v) => v !== m.version);
      try {
        if (direction === 'up' && script.directives.backfill) {
          await this.runBackfill(client, m, script.directives.backfill, log);
        } else if (script.directives.noTransaction) {
          await this.runStatements(client, m, direction, script, resumeAt, counter, log);
        } else {
          await this.runTransactional(client, m, direction, script, counter, log, t0, remaining);
        }
        if (direction === 'up' && (script.directives.backfill || script.directives.noTransaction)) {
          await this.record(client, m, direction, Date.now() - t0, remaining);
        } else if (direction === 'down' && script.directives.noTransaction) {
          await this.record(client, m, direction, Date.now() - t0, remaining);
        }
      } catch (e) {
        const error = e instanceof AppError ? e.message : String((e as Error).message ?? e);
        results.push({
          version: m.version,
          name: m.name,
          direction,
          status: 'failed',
          durationMs: Date.now() - t0,
          lockRetries: counter.retries,
          error,
        });
        log.error({ err: error }, 'migration step failed');
        throw Object.assign(e instanceof AppError ? e : new AppError('migration_failed', error, {}, { cause: e }), { results });
      }
      const durationMs = Date.now() - t0;
      if (direction === 'up') appliedVersions.push(m.version);
      else appliedVersions.splice(appliedVersions.indexOf(m.version), 1);
      dirty = undefined;
      results.push({ version: m.version, name: m.name, direction, status: 'applied', durationMs, lockRetries: counter.retries });
      log.info({ durationMs, lockRetries: counter.retries }, 'migration step applied');
      this.opts.onStep?.({ type: 'done', migration: m, direction, index, total: steps.length });
    }
    return results;
  }

  /** One transaction for the whole file: on any error nothing of it remains. */
  private async runTransactional(
    client: pg.Client,
    m: Migration,
    direction: Direction,
    script: MigrationScript,
    counter: { retries: number },
    log: Logger,
    t0: number,
    remaining: number[],
  ): Promise<void> {
    const timeout = script.directives.lockTimeoutMs ?? this.opts.lockTimeoutMs;
    await this.withLockRetry(client, m, direction, counter, log, undefined, async () => {
      await client.query('begin');
      try {
        await client.query(`set local lock_timeout = ${timeout}`);
        await client.query(script.sql);
        await this.record(client, m, direction, Date.now() - t0, remaining);
        await client.query('commit');
      } catch (e) {
        await client.query('rollback');
        throw e;
      }
    }).catch(async (e) => {
      throw await this.fail(client, m, direction, script, e, null, null);
    });
  }

  /** Statement by statement, outside a transaction; progress is logged so a failure resumes where it stopped. */
  private async runStatements(
    client: pg.Client,
    m: Migration,
    direction: Direction,
    script: MigrationScript,
    resumeAt: number,
    counter: { retries: number },
    log: Logger,
  ): Promise<void> {
    const statements = splitStatements(script.sql);
    const timeout = script.directives.lockTimeoutMs ?? this.opts.lockTimeoutMs;
    await setSchemaVersion(client, m.version, true);
    if (resumeAt > 0) log.warn({ resumeAt }, 'resuming a dirty non-transactional step');
    for (let i = resumeAt; i < statements.length; i++) {
      const stmt = statements[i] as (typeof statements)[number];
      const t0 = Date.now();
      try {
        await this.withLockRetry(client, m, direction, counter, log, i, async () => {
          await dropInvalidIndexFor(client, stmt.text, log);
          await client.query(`set lock_timeout = ${timeout}`);
          try {
            await client.query(stmt.text);
          } finally {
            await client.query('reset lock_timeout');
          }
        });
      } catch (e) {
        throw await this.fail(client, m, direction, script, e, i, stmt.text);
      }
      await client.query(
        `insert into abymed.migration_log (version, name, direction, outcome, statement_index, duration_ms, applied_by)
         values ($1, $2, $3, 'statement_done', $4, $5, $6)`,
        [m.version, m.name, direction, i, Date.now() - t0, this.opts.appliedBy],
      );
    }
  }

  private async runBackfill(client: pg.Client, m: Migration, job: string, log: Logger): Promise<void> {
    if (!this.opts.backfill) {
      throw new AppError(
        'migration_failed',
        `${label(m)} is a backfill step (job "${job}") and this runner has no backfill engine; run it with \`abymed migrate up\``,
      );
    }
    await setSchemaVersion(client, m.version, true);
    try {
      await this.opts.backfill(job, { client, migration: m, log });
    } catch (e) {
      throw await this.fail(client, m, 'up', m.up, e, 0, `backfill ${job}`);
    }
  }

  private async withLockRetry(
    client: pg.Client,
    m: Migration,
    direction: Direction,
    counter: { retries: number },
    log: Logger,
    statementIndex: number | undefined,
    attempt: () => Promise<void>,
  ): Promise<void> {
    const deadline = Date.now() + this.opts.retryBudgetMs;
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        // A deadlock victim, like a lock timeout, was rolled back whole (the transaction, or the one
        // statement of a non-transactional step), so trying again is safe.
        const code = pgErrorCode(e);
        if ((code !== SqlState.LOCK_NOT_AVAILABLE && code !== SqlState.DEADLOCK_DETECTED) || Date.now() > deadline) throw e;
        counter.retries++;
        // Capped exponential backoff with jitter: the blocker gets room to finish, readers never queue long.
        const wait = Math.min(5000, 50 * 2 ** Math.min(n, 7)) * (0.5 + Math.random() / 2);
        log.warn({ attempt: n, waitMs: Math.round(wait), statementIndex }, code === SqlState.DEADLOCK_DETECTED ? 'chosen as a deadlock victim; retrying' : 'lock not available within the lock timeout; retrying');
        await client.query(
          `insert into abymed.migration_log (version, name, direction, outcome, statement_index, error, applied_by)
           values ($1, $2, $3, 'lock_retry', $4, $5, $6)`,
          [m.version, m.name, direction, statementIndex ?? null, (e as Error).message, this.opts.appliedBy],
        );
        this.opts.onStep?.({ type: 'retry', migration: m, direction, index: 0, total: 0, attempt: n });
        await sleep(wait);
      }
    }
  }

  private async fail(
    client: pg.Client,
    m: Migration,
    direction: Direction,
    script: MigrationScript,
    e: unknown,
    statementIndex: number | null,
    statement: string | null,
  ): Promise<AppError> {
    const err = e as pg.DatabaseError;
    const where = locate(script, err, statement);
    const message = `${script.path}${where}: ${err.message}${err.code ? ` (SQLSTATE ${err.code})` : ''}${err.detail ? `; ${err.detail}` : ''}${err.hint ? `; hint: ${err.hint}` : ''}`;
    await client.query(
      `insert into abymed.migration_log (version, name, direction, outcome, statement_index, statement, error, applied_by)
       values ($1, $2, $3, 'failed', $4, $5, $6, $7)`,
      [m.version, m.name, direction, statementIndex, statement, message, this.opts.appliedBy],
    );
    return new AppError('migration_failed', message, { version: m.version, sqlstate: err.code, statementIndex }, { cause: e });
  }

  private async record(client: pg.Client, m: Migration, direction: Direction, durationMs: number, remaining: number[]): Promise<void> {
    if (direction === 'up') {
      await client.query(
        `insert into abymed.migration_history (version, name, phase, checksum, duration_ms, applied_by)
         values ($1, $2, $3, $4, $5, $6)`,
        [m.version, m.name, m.phase, m.up.checksum, durationMs, this.opts.appliedBy],
      );
    } else {
      await client.query('delete from abymed.migration_history where version = $1', [m.version]);
    }
    await client.query(
      `insert into abymed.migration_log (version, name, direction, outcome, duration_ms, applied_by)
       values ($1, $2, $3, 'applied', $4, $5)`,
      [m.version, m.name, direction, durationMs, this.opts.appliedBy],
    );
    const latest = remaining.length > 0 ? Math.max(...remaining) : undefined;
    await setSchemaVersion(client, latest, false);
  }

  private verifyChecksums(migrations: Migration[], applied: AppliedRow[]): void {
    const byVersion = new Map(migrations.map((m) => [m.version, m]));
    for (const a of applied) {
      const m = byVersion.get(a.version);
      if (!m) {
        throw new AppError(
          'migration_failed',
          `version ${a.version} (${a.name}) is applied but its files are missing from db/migrations; restore them before migrating`,
        );
      }
      if (m.up.checksum !== a.checksum) {
        throw new AppError(
          'migration_failed',
          `${m.up.path} was edited after it was applied (sha-256 ${a.checksum.slice(0, 12)}… recorded, ${m.up.checksum.slice(0, 12)}… now); restore the applied text and put the change in a new migration`,
          { version: a.version },
        );
      }
    }
  }

  private async withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.opts.url, application_name: 'abymed-migrate' });
    client.on('error', () => {});
    try {
      await client.connect();
    } catch (e) {
      throw new AppError('database_unavailable', `cannot reach the database: ${(e as Error).message}`, {}, { cause: e });
    }
    client.on('notice', (n) => this.opts.log.debug({ notice: n.message }, 'postgres notice'));
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** Session-level advisory lock taken by polling: never a blocking wait that could deadlock. */
  private async withLockedClient<T>(fn: (client: pg.Client, migrations: Migration[]) => Promise<T>): Promise<T> {
    const migrations = await this.migrations();
    return this.withClient(async (client) => {
      const deadline = Date.now() + this.opts.lockWaitMs;
      let lastNotice = 0;
      for (;;) {
        const { rows } = await client.query('select pg_try_advisory_lock($1) as ok', [ADVISORY_KEY]);
        if (rows[0].ok) break;
        if (Date.now() > deadline) {
          throw new AppError('conflict', 'another migration runner holds the migration lock; gave up waiting');
        }
        if (Date.now() - lastNotice > 5000) {
          this.opts.log.info('another migration runner is working; waiting for its lock');
          lastNotice = Date.now();
        }
        await sleep(100 + Math.random() * 150);
      }
      try {
        await ensureMeta(client);
        return await fn(client, migrations);
      } finally {
        await client.query('select pg_advisory_unlock($1)', [ADVISORY_KEY]).catch(() => {});
      }
    });
  }
}

export interface MigrationStatus {
  current: number | undefined;
  dirty: (DirtyState & { wayForward: string }) | undefined;
  pending: number;
  migrations: Array<{
    version: number;
    name: string;
    phase: string;
    applied: boolean;
    appliedAt?: string;
    durationMs?: number;
    appliedBy?: string;
    checksumChanged?: boolean;
  }>;
  missingFiles: number[];
}

export interface PlanStep {
  version: number;
  name: string;
  phase: string;
  direction: Direction;
  transaction: 'single' | 'per-statement' | 'backfill-engine';
  lockTimeoutMs: number;
  statements: Array<{ index: number; line: number; sql: string; locks: Array<LockPrediction & { rows?: number }>; strongest?: string }>;
}

function planStep(m: Migration, direction: Direction, estimates: Map<string, number>, defaultTimeout: number): PlanStep {
  const script = m[direction];
  const transaction =
    direction === 'up' && script.directives.backfill ? 'backfill-engine' : script.directives.noTransaction ? 'per-statement' : 'single';
  const statements = splitStatements(script.sql).map((s, index) => {
    const locks = predictLocks(s.text).map((l) => {
      const rows = estimates.get(l.relation.replace(/^public\./, '').replaceAll('"', ''));
      return rows === undefined ? l : { ...l, rows };
    });
    return { index, line: s.line, sql: s.text, locks, strongest: strongest(locks) };
  });
  return {
    version: m.version,
    name: m.name,
    phase: m.phase,
    direction,
    transaction,
    lockTimeoutMs: script.directives.lockTimeoutMs ?? defaultTimeout,
    statements,
  };
}

async function rowEstimates(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query(
    `select c.relname, greatest(c.reltuples, 0)::bigint as n from pg_class c
       join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind in ('r', 'p')`,
  );
  return new Map(rows.map((r) => [r.relname as string, Number(r.n)]));
}

/** A failed `CREATE INDEX CONCURRENTLY` leaves an INVALID index; drop it so the retry starts clean. */
async function dropInvalidIndexFor(client: pg.Client, statement: string, log: Logger): Promise<void> {
  const m = /create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?("?[\w$]+"?)/i.exec(statement);
  if (!m?.[1]) return;
  const name = m[1].replaceAll('"', '');
  const { rows } = await client.query(
    `select 1 from pg_index i join pg_class c on c.oid = i.indexrelid
      join pg_namespace n on n.oid = c.relnamespace
      where c.relname = $1 and n.nspname = any (current_schemas(false)) and not i.indisvalid`,
    [name],
  );
  if (rows.length > 0) {
    log.warn({ index: name }, 'dropping an invalid index left by an earlier failure');
    await client.query(`drop index concurrently if exists "${name}"`);
  }
}

function locate(script: MigrationScript, err: pg.DatabaseError, statement: string | null): string {
  if (!err.position) return '';
  const pos = Number(err.position) - 1;
  const base = statement ? script.sql.indexOf(statement) : 0;
  const before = script.sql.slice(0, Math.max(0, base) + pos);
  const lines = before.split('\n');
  return `:${lines.length}:${(lines.at(-1)?.length ?? 0) + 1}`;
}

export function describeWayForward(d: DirtyState): string {
  if (d.statementIndex !== null && d.statement) {
    return `statement ${d.statementIndex + 1} failed: ${d.error ?? 'unknown error'}\n  statement: ${d.statement.split('\n')[0]}…\n  way forward: fix the cause, then run \`abymed migrate up\` to resume from that statement (an invalid index it left is dropped first), or repair by hand and run \`abymed migrate force ${d.version}\``;
  }
  return `${d.error ?? 'a step failed'}; way forward: repair by hand and run \`abymed migrate force ${d.version}\``;
}
