import { resolve } from 'node:path';
import type { Command } from 'commander';
import { runDevicesBench } from '../../../bench/devices.ts';
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
  migrationScale?: string;
  queryBudget: number;
  note?: string;
  devices?: number;
}

const out = (s: string) => process.stdout.write(`${s}\n`);

const parseScaleArg =
  (flag: string) =>
  (value: string): string => {
    if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0)
      throw new AppError('bad_request', `${flag} must be a positive number, got "${value}"`);
    return value;
  };

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
    .option(
      '--scale <S>',
      'data generator scale (333.34: 1M tickets, 250k devices, 2k engineers)',
      parseScaleArg('--scale'),
      String(DEFAULTS.scale),
    )
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
    .option(
      '--migration-scale <S>',
      'migrations: scale of the legacy copy migrated under load (default: --scale)',
      parseScaleArg('--migration-scale'),
    )
    .option('--query-budget <ms>', 'reads: time budget per read (both sides)', parseIntArg('--query-budget'), DEFAULTS.queryBudgetMs)
    .option('--note <text>', 'a sentence shown at the top of the report (e.g. why this scale)')
    .option(
      '--devices <N>',
      'only the T1.4 reads, on a dataset of N devices of its own (abymed_bench_devices_<N>_…; --scale, --only and the HTTP and migration options do not apply)',
      parseIntArg('--devices'),
    )
    .action(async (flags: BenchFlags, command: Command) => {
      if (flags.reuse && flags.rebuild) throw new AppError('bad_request', 'give --reuse or --rebuild, not both');
      if (flags.samples < 1) throw new AppError('bad_request', '--samples must be at least 1');
      if (flags.devices !== undefined) {
        if (flags.only || command.getOptionValueSource('scale') === 'cli')
          throw new AppError('bad_request', '--devices runs the T1.4 reads on a dataset of its own: give it without --scale and --only');
        if (flags.devices < 25) throw new AppError('bad_request', '--devices must be at least 25');
        const results = await runDevicesBench({
          serverUrl: await connectionUrl(),
          server: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
          devices: flags.devices,
          seed: flags.seed,
          samples: flags.samples,
          queryBudgetMs: flags.queryBudget,
          mode: flags.rebuild ? 'rebuild' : flags.reuse ? 'reuse' : 'auto',
          outDir: flags.out ? resolve(flags.out) : DEFAULTS.outDir,
          command: `npm run bench -- ${process.argv.slice(3).join(' ')}`.trim(),
          log: logger,
        });
        const d = results.devices;
        out(
          `T1.4 at ${d?.devices.toLocaleString('en-US')} devices (${d?.periods.toLocaleString('en-US')} periods): ${resolve(flags.out ?? DEFAULTS.outDir, 'README.md')}`,
        );
        for (const q of d?.results ?? []) {
          const l = q.legacy.latency;
          const f = q.fixed.latency;
          out(
            `  ${q.name.slice(0, 45).padEnd(45)} legacy p50/p95/p99 ${l ? `${l.p50}/${l.p95}/${l.p99}` : '–'} ms  fixed ${f ? `${f.p50}/${f.p95}/${f.p99}` : '–'} ms  ratio p50 ${q.ratioP50 ?? '–'}`,
          );
        }
        return;
      }
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
        ...(flags.migrationScale ? { migrationScale: Number(flags.migrationScale) } : {}),
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
