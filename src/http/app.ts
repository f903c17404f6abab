import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { logger } from '../log.ts';
import { registerErrorHandler } from './errors.ts';
import { registerHealth } from './health.ts';

export interface AppOptions {
  database: Database;
  /** Log requests (off in tests unless LOG_LEVEL asks). (Default: true) */
  logRequests?: boolean;
}

/** Builds the HTTP application without listening, so tests drive it with `app.inject()`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    disableRequestLogging: options.logRequests === false,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
  });
  app.decorate('database', options.database);
  registerErrorHandler(app);
  await app.register(registerHealth, { prefix: '/api/v1' });
  app.get('/', async (_req, reply) =>
    reply.type('text/html').send('<!doctype html><title>ABY-MED Core</title><h1>ABY-MED Core</h1><p>The console is on its way. API: <a href="/api/v1/health">/api/v1/health</a></p>'),
  );
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}
