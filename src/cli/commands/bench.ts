import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SECTIONS, type Section } from '../../../bench/results.ts';
import { DEFAULTS, runBench } from '../../../bench/run.ts';
import { AppError } from '../../errors.ts';
import { logger } from '../../log.ts';
import { connectionUrl } from '../connection.ts';
import { parseIntArg } from '../program.ts';

interface BenchFlags {
  scale: string;
  seed: number;
  only?: string[];
  samples: number;
  reuse?: boolean;
  rebuild?: boolean;
  out?: string;
  concurrency: number;
  httpDuration: number;
  httpRequests: number;
  baseline: number;
  queryBudget: number;
  note?: string;
}

const out = (s: string) => process.stdout.write(`${s}\n`);

function parseScale(value: string): string {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0)
    throw new AppError('bad_request', `--scale must be a positive number, got "${value}"`);
  return value;
}

function parseSections(value: string, previous: string[] = []): string[] {
  const list = value.split(',').map((s) => s.trim());
  for (const s of list) {
    if (!(SECTIONS as readonly string[]).includes(s)) throw new AppError('bad_request', `--only takes ${SECTIONS.join(', ')}; got "${s}"`);
  }
  return [...previous, ...list];
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('benchmark reads (legacy vs fixed schema), the HTTP API under load and migrations under load; writes docs/benchmarks/')
    .option('--scale <S>', 'data generator scale (333.34: 1M tickets, 250k devices, 2k engineers)', parseScale, String(DEFAULTS.scale))
    .option('--seed <N>', 'data generator seed', parseIntArg('--seed'), DEFAULTS.seed)
    .option('--only <section>', `run only these sections (${SECTIONS.join(', ')}; repeat or comma-separate)`, parseSections)
    .option('--samples <N>', 'parameter values per read and side', parseIntArg('--samples'), DEFAULTS.samples)
    .option('--reuse', 'reuse existing benchmark databases even if their fingerprint differs')
    .option('--rebuild', 'rebuild the benchmark databases even if their fingerprint matches')
    .option('--out <dir>', 'where results.json, README.md and the plots go (default: docs/benchmarks of this checkout)')
    .option('--concurrency <N>', 'HTTP load: concurrent connections', parseIntArg('--concurrency'), DEFAULTS.httpConcurrency)
    .option('--http-duration <ms>', 'HTTP load: time per scenario', parseIntArg('--http-duration'), DEFAULTS.httpDurationMs)
    .option('--http-requests <N>', 'HTTP load: requests per scenario at most', parseIntArg('--http-requests'), DEFAULTS.httpMaxRequests)
    .option('--baseline <ms>', 'migrations: workload time before the first step', parseIntArg('--baseline'), DEFAULTS.migrationBaselineMs)
    .option('--query-budget <ms>', 'reads: time budget per read (both sides)', parseIntArg('--query-budget'), DEFAULTS.queryBudgetMs)
    .option('--note <text>', 'a sentence shown at the top of the report (e.g. why this scale)')
    .action(async (flags: BenchFlags) => {
      if (flags.reuse && flags.rebuild) throw new AppError('bad_request', 'give --reuse or --rebuild, not both');
      if (flags.samples < 1) throw new AppError('bad_request', '--samples must be at least 1');
      const sections = (flags.only ? [...new Set(flags.only)] : [...SECTIONS]) as Section[];
      const serverUrl = await connectionUrl();
      const results = await runBench({
        serverUrl,
        server: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
        scale: Number(flags.scale),
        seed: flags.seed,
        sections,
        samples: flags.samples,
        mode: flags.rebuild ? 'rebuild' : flags.reuse ? 'reuse' : 'auto',
        outDir: flags.out ? resolve(flags.out) : DEFAULTS.outDir,
        queryBudgetMs: flags.queryBudget,
        httpConcurrency: flags.concurrency,
        httpDurationMs: flags.httpDuration,
        httpMaxRequests: flags.httpRequests,
        migrationBaselineMs: flags.baseline,
        command: `npm run bench -- ${process.argv.slice(3).join(' ')}`.trim(),
        ...(flags.note ? { note: flags.note } : {}),
        log: logger,
      });
      out(`benchmark done in ${Math.round(results.durationMs / 1000)} s: ${resolve(flags.out ?? DEFAULTS.outDir, 'README.md')}`);
      for (const q of results.queries?.results ?? []) {
        out(
          `  ${q.ticket.padEnd(9)} ${q.name.slice(0, 55).padEnd(55)} legacy p95 ${q.legacy.latency?.p95 ?? '–'} ms  fixed p95 ${q.fixed.latency?.p95 ?? '–'} ms  ratio ${q.ratioP95 ?? '–'}`,
        );
      }
      for (const s of results.http?.scenarios ?? []) {
        out(
          `  HTTP ${s.name.slice(0, 50).padEnd(50)} ${s.status === 'ok' ? `${s.throughputRps} req/s  p99 ${s.latency?.p99} ms  errors ${s.errors}` : s.status}`,
        );
      }
      for (const t of results.migrations?.tickets ?? []) {
        out(
          `  migrate ${t.ticket.padEnd(9)} ${Math.round(t.totalMs / 1000)} s  lock wait ${t.longestLockWaitMs} ms  workload p99 ${t.workloadP99BeforeMs ?? '–'} → ${t.workloadP99DuringMs ?? '–'} ms`,
        );
      }
    });
}
