import { resolve } from 'node:path';
import type { Command } from 'commander';
import { connectionUrl } from '../connection.ts';
import { createRunner } from '../../db/migrate/index.ts';
import type { MigrationStatus, PlanStep, StepResult } from '../../db/migrate/runner.ts';
import { blocks, type LockMode } from '../../db/migrate/locks.ts';
import { AppError } from '../../errors.ts';
import { parseIntArg } from '../program.ts';

const out = (s: string) => process.stdout.write(`${s}\n`);

function printResults(results: StepResult[]): void {
  if (results.length === 0) out('nothing to do');
  for (const r of results) {
    out(`${r.status === 'applied' ? '✔' : '✘'} ${r.direction.padEnd(4)} ${String(r.version).padStart(4, '0')}_${r.name}  ${r.durationMs} ms${r.lockRetries ? `  (${r.lockRetries} lock retries)` : ''}`);
  }
}

function printStatus(s: MigrationStatus): void {
  out(`current version: ${s.current ?? 'none'}   pending: ${s.pending}`);
  for (const m of s.migrations) {
    const mark = m.applied ? (m.checksumChanged ? '!' : '✔') : ' ';
    const when = m.applied ? `  applied ${m.appliedAt} by ${m.appliedBy} in ${m.durationMs} ms` : '';
    out(`[${mark}] ${String(m.version).padStart(4, '0')}_${m.name}${when}${m.checksumChanged ? '  EDITED AFTER APPLY' : ''}`);
  }
  if (s.missingFiles.length) out(`applied but missing from db/migrations: ${s.missingFiles.join(', ')}`);
  if (s.dirty) out(`\nDIRTY at version ${s.dirty.version} (${s.dirty.direction}): ${s.dirty.wayForward}`);
}

function printPlan(plan: PlanStep[]): void {
  if (plan.length === 0) out('nothing to do');
  for (const step of plan) {
    const tx = step.transaction === 'single' ? 'BEGIN … COMMIT (one transaction)' : step.transaction === 'per-statement' ? 'no transaction: statement by statement' : 'backfill engine: keyset batches, each its own transaction';
    out(`\n== ${step.direction} ${String(step.version).padStart(4, '0')}_${step.name} [${step.phase}] — ${tx}; lock_timeout ${step.lockTimeoutMs} ms, retried on timeout`);
    for (const st of step.statements) {
      const first = st.sql.replace(/\s+/g, ' ').slice(0, 100);
      out(`  ${String(st.index + 1).padStart(3)}. (line ${st.line}) ${first}${st.sql.length > 100 ? '…' : ''}`);
      for (const l of st.locks) {
        const rows = l.rows !== undefined ? `, ~${l.rows} rows` : '';
        out(`       lock ${l.mode} on ${l.relation}${l.isNew ? ' (created here)' : `${rows}; blocks ${blocks[l.mode as LockMode] ?? '?'}`}`);
      }
      if (st.locks.length === 0) out('       no table lock (catalog-only change)');
    }
  }
}

interface TargetFlags {
  to?: number;
  all?: boolean;
  beforeContract?: boolean;
  json?: boolean;
}

export function registerMigrate(program: Command): void {
  const migrate = program
    .command('migrate')
    .description('apply, revert and inspect schema migrations (db/migrations)')
    .option('--dir <path>', 'migrations folder (default: db/migrations of this checkout)');
  const runner = async (flags: { lockTimeout?: number }) => {
    const { dir } = migrate.opts<{ dir?: string }>();
    // Files are read and checked before any connection, so a malformed folder changes nothing.
    const r = createRunner({ url: '', ...(dir ? { dir: resolve(dir) } : {}) });
    await r.migrations();
    return createRunner({ url: await connectionUrl(), ...(dir ? { dir: resolve(dir) } : {}), ...(flags.lockTimeout ? { lockTimeoutMs: flags.lockTimeout } : {}) });
  };

  migrate
    .command('up')
    .description('apply pending steps: all, the next N, or up to version V')
    .argument('[N]', 'number of steps', parseIntArg('N'))
    .option('--to <V>', 'stop after version V', parseIntArg('--to'))
    .option('--before-contract', 'stop before the first contract step (old and new applications side by side)')
    .option('--lock-timeout <ms>', 'lock budget per attempt in ms (default 200)', parseIntArg('--lock-timeout'))
    .option('--json', 'print the per-step results as JSON')
    .action(async (n: number | undefined, flags: TargetFlags & { lockTimeout?: number }) => {
      if (n !== undefined && flags.to !== undefined) throw new AppError('bad_request', 'give either N or --to, not both');
      const results = await (await runner(flags)).up({ steps: n, to: flags.to, beforeContract: flags.beforeContract });
      flags.json ? out(JSON.stringify(results, null, 2)) : printResults(results);
    });

  migrate
    .command('down')
    .description('revert applied steps: the last one, the last N, down to version V, or --all')
    .argument('[N]', 'number of steps (default 1)', parseIntArg('N'))
    .option('--to <V>', 'revert every step above version V', parseIntArg('--to'))
    .option('--all', 'revert every step')
    .option('--lock-timeout <ms>', 'lock budget per attempt in ms (default 200)', parseIntArg('--lock-timeout'))
    .option('--json', 'print the per-step results as JSON')
    .action(async (n: number | undefined, flags: TargetFlags & { lockTimeout?: number }) => {
      if ([n !== undefined, flags.to !== undefined, Boolean(flags.all)].filter(Boolean).length > 1) {
        throw new AppError('bad_request', 'give only one of N, --to or --all');
      }
      const results = await (await runner(flags)).down({ steps: n, to: flags.to, all: flags.all });
      flags.json ? out(JSON.stringify(results, null, 2)) : printResults(results);
    });

  migrate
    .command('status')
    .description('applied and pending steps, checksums, and a dirty step with the way forward')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const status = await (await runner({})).status();
      flags.json ? out(JSON.stringify(status, null, 2)) : printStatus(status);
    });

  migrate
    .command('plan')
    .description('print the statements, transaction boundaries and the lock each statement takes, without running anything')
    .argument('[direction]', 'up or down', 'up')
    .argument('[N]', 'number of steps', parseIntArg('N'))
    .option('--to <V>', 'up to (or down to) version V', parseIntArg('--to'))
    .option('--all', 'with down: every applied step')
    .option('--before-contract', 'with up: stop before the first contract step')
    .option('--json', 'print as JSON')
    .action(async (direction: string, n: number | undefined, flags: TargetFlags) => {
      if (direction !== 'up' && direction !== 'down') throw new AppError('bad_request', `direction must be up or down, got "${direction}"`);
      const plan = await (await runner({})).plan(direction, { steps: n, to: flags.to, all: flags.all, beforeContract: flags.beforeContract });
      flags.json ? out(JSON.stringify(plan, null, 2)) : printPlan(plan);
    });

  migrate
    .command('force')
    .description('clear the dirty flag of version V after repairing the database by hand')
    .argument('<V>', 'the dirty version', parseIntArg('V'))
    .action(async (v: number) => {
      await (await runner({})).force(v);
      out(`version ${v} is no longer marked dirty`);
    });
}
