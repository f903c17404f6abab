import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import pg from 'pg';
import { seedLegacyData } from '../../seed/index.ts';
import { verifyZeroDowntime } from '../../zero-downtime/harness.ts';
import { formatReport } from '../../zero-downtime/report.ts';
import { connectionUrl } from '../connection.ts';
import { parseIntArg } from '../program.ts';

const out = (s: string) => process.stdout.write(`${s}\n`);

/** The server's URL with another database name. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

interface Flags {
  target?: number;
  scale: string;
  seed: number;
  sessions: number;
  rate: number;
  baselineMs: number;
  dir?: string;
  json?: boolean;
  report?: string;
  keep?: boolean;
}

/**
 * `abymed verify-zero-downtime`: the harness on a scratch database of the server (created, then
 * dropped unless --keep), so it never touches the database a team works in.
 */
export function registerVerifyZeroDowntime(program: Command): void {
  program
    .command('verify-zero-downtime')
    .description(
      'seed legacy data, run the legacy (and new) application workloads while walking every migration up, down and up, and check nothing broke',
    )
    .option('--target <V>', 'last migration version to apply (default: all)', parseIntArg('--target'))
    .option('--scale <n>', 'legacy data scale (1 = demo size: 3,000 tickets)', '0.2')
    .option('--seed <n>', 'data seed', parseIntArg('--seed'), 7)
    .option('--sessions <n>', 'sessions per workload', parseIntArg('--sessions'), 3)
    .option('--rate <n>', 'operations per second per session', parseIntArg('--rate'), 20)
    .option('--baseline-ms <ms>', 'workload time before migrating, for the latency baseline', parseIntArg('--baseline-ms'), 1500)
    .option('--dir <path>', 'migrations folder (default: db/migrations)')
    .option('--json', 'print the whole report as JSON instead of the summary')
    .option('--report <file>', 'also write the JSON report to a file')
    .option('--keep', 'keep the scratch database afterwards')
    .action(async (flags: Flags) => {
      const admin = await connectionUrl();
      const name = `abymed_zdt_${Date.now().toString(36)}`;
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`create database ${name}`);
      await c.end();
      const url = withDatabase(admin, name);
      try {
        const report = await verifyZeroDowntime({
          url,
          ...(flags.dir ? { dir: resolve(flags.dir) } : {}),
          ...(flags.target !== undefined ? { target: flags.target } : {}),
          scale: Number(flags.scale),
          seed: flags.seed,
          sessions: flags.sessions,
          opsPerSecond: flags.rate,
          baselineMs: flags.baselineMs,
          seedData: (pool) => seedLegacyData(pool, { scale: Number(flags.scale), seed: flags.seed }),
        });
        if (flags.report) writeFileSync(resolve(flags.report), JSON.stringify(report, null, 2));
        out(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
        if (!report.ok) process.exitCode = 1;
      } finally {
        if (flags.keep) out(`scratch database kept: ${name}`);
        else {
          const d = new pg.Client({ connectionString: admin });
          await d.connect();
          await d.query(`drop database if exists ${name} with (force)`);
          await d.end();
        }
      }
    });
}
