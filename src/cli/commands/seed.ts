import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openDatabase } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { logger } from '../../log.ts';
import { MAX_SCALE, type SeedManifest, type SeedProgress, seedLegacyData } from '../../seed/index.ts';
import { connectionUrl } from '../connection.ts';

/**
 * `abymed seed --scale S --seed N [--force] [--json]`: fills the legacy tables (0001_baseline) with
 * deterministic Indian demo data and its seeded defects, shows a progress bar per table, logs one
 * structured line per table (rows, seconds, rows/s), prints a summary and stores the manifest in
 * abymed.seed_manifest.
 */
const out = (s: string) => process.stdout.write(`${s}\n`);

function parseScale(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > MAX_SCALE) {
    throw new AppError(
      'bad_request',
      `--scale must be a number greater than 0 and at most ${MAX_SCALE} (1 = demo, 333.3334 = 1,000,000 tickets), got "${value}"`,
    );
  }
  return n;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 0xffffffff)
    throw new AppError('bad_request', `--seed must be a whole number from 0 to ${0xffffffff}, got "${value}"`);
  return n;
}

interface SeedFlags {
  scale: number;
  seed: number;
  force?: boolean;
  json?: boolean;
  progress: boolean;
}

function printSummary(manifest: SeedManifest, elapsed: Record<string, number>, totalMs: number): void {
  out(`seeded scale ${manifest.scale}, seed ${manifest.seed} in ${(totalMs / 1000).toFixed(1)} s`);
  out('');
  out(`${'table'.padEnd(30)}${'rows'.padStart(12)}${'seconds'.padStart(10)}${'rows/s'.padStart(12)}`);
  for (const [table, rows] of Object.entries(manifest.rows)) {
    const ms = elapsed[table] ?? 0;
    const rate = ms > 0 ? Math.round(rows / (ms / 1000)) : 0;
    out(`${table.padEnd(30)}${String(rows).padStart(12)}${(ms / 1000).toFixed(2).padStart(10)}${String(rate).padStart(12)}`);
  }
  out('');
  out(`${'seeded defect'.padEnd(46)}${'rows'.padStart(8)}  of`);
  for (const [key, d] of Object.entries(manifest.defects)) {
    out(`${key.padEnd(46)}${String(d.rows).padStart(8)}  ${d.population} ${d.unit === 'row' ? 'rows' : 'elements'}`);
  }
  out('');
  out('manifest stored in abymed.seed_manifest (print it with --json)');
}

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('fill the legacy tables with deterministic Indian demo data and its seeded defects (after `migrate up --to 1`)')
    .option('--scale <S>', 'size: 1 = demo (3,000 tickets, 750 devices, 16 engineers); 333.3334 = 1,000,000 tickets', parseScale, 1)
    .option('--seed <N>', 'seed of the generator (0 … 4294967295): the same seed and scale give the same data', parseSeed, 1)
    .option('--force', 'truncate the legacy tables first when they already hold data')
    .option('--json', 'print the manifest as JSON instead of the summary')
    .option('--no-progress', 'no progress bars')
    .action(async (flags: SeedFlags) => {
      const url = await connectionUrl();
      const database = openDatabase(url, { max: 2, applicationName: 'abymed-seed' });
      const showBars = flags.progress && process.stderr.isTTY === true && !flags.json;
      const multibar = showBars
        ? new cliProgress.MultiBar(
            {
              format: '{table} |{bar}| {value}/{total} rows  {rate} rows/s',
              hideCursor: true,
              clearOnComplete: false,
              stopOnComplete: false,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      const bars = new Map<string, cliProgress.SingleBar>();
      const elapsed: Record<string, number> = {};
      const finished = new Set<string>();
      const onProgress = (p: SeedProgress) => {
        elapsed[p.table] = p.elapsedMs;
        const rate = p.elapsedMs > 0 ? Math.round(p.done / (p.elapsedMs / 1000)) : 0;
        if (multibar) {
          let bar = bars.get(p.table);
          if (!bar) {
            bar = multibar.create(p.total, 0, { table: p.table.padEnd(28), rate });
            bars.set(p.table, bar);
          }
          bar.setTotal(p.total);
          bar.update(p.done, { table: p.table.padEnd(28), rate });
        }
        if (p.done >= p.total && !finished.has(p.table)) {
          finished.add(p.table);
          logger.info({ table: p.table, rows: p.done, seconds: +(p.elapsedMs / 1000).toFixed(3), rowsPerSecond: rate }, 'seeded table');
        }
      };
      const t0 = performance.now();
      logger.info({ scale: flags.scale, seed: flags.seed, force: Boolean(flags.force) }, 'seed started');
      try {
        const manifest = await seedLegacyData(database.pool, { scale: flags.scale, seed: flags.seed, force: flags.force, onProgress });
        multibar?.stop();
        const totalMs = performance.now() - t0;
        logger.info({ scale: flags.scale, seed: flags.seed, seconds: +(totalMs / 1000).toFixed(3), rows: manifest.rows }, 'seed finished');
        flags.json ? out(JSON.stringify(manifest, null, 2)) : printSummary(manifest, elapsed, totalMs);
      } finally {
        multibar?.stop();
        await database.close();
      }
    });
}
