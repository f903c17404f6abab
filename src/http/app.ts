import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { authRoutes } from '../auth/routes.ts';
import { customerRoutes } from '../customers/routes.ts';
import type { Database } from '../db/database.ts';
import { engineerRoutes } from '../engineers/routes.ts';
import { equipmentRelationshipRoutes } from '../equipment/relationships-routes.ts';
import { equipmentRoutes } from '../equipment/routes.ts';
import { logger } from '../log.ts';
import { contactRoutes } from '../organizations/contacts-routes.ts';
import { organizationRoutes } from '../organizations/routes.ts';
import { procurementRoutes } from '../procurement/routes.ts';
import { serviceRequestRoutes } from '../service-requests/routes.ts';
import { assignmentRoutes } from '../tickets/assignment-routes.ts';
import { ticketRoutes } from '../tickets/routes.ts';
import { registerAuthentication } from './authentication.ts';
import { registerConsole } from './console.ts';
import { registerErrorHandler, sendError, toAppError } from './errors.ts';
import { registerHealth } from './health.ts';
import { registerOpenApi } from './openapi.ts';

export interface RateLimit {
  max: number;
  /** Milliseconds. */
  timeWindow: number;
}

export interface AppOptions {
  database: Database;
  /** Log requests (off in tests unless LOG_LEVEL asks). (Default: true) */
  logRequests?: boolean;
  /** Login attempts per client address. (Default: 10 a minute) */
  loginRateLimit?: RateLimit;
  /** Requests to each public route per client address. (Default: 30 a minute) */
  publicRateLimit?: RateLimit;
  /** Serve the console from web/dist when it is built. (Default: true) */
  serveConsole?: boolean;
}

/**
 * Builds the HTTP application without listening, so tests drive it with `app.inject()`.
 *
 * Adding a domain: write src/<domain>/routes.ts exporting `async function <domain>Routes(app)`
 * whose routes declare TypeBox request and response schemas and call the domain in one line via
 * `req.withCaller(tx => …)`, then list it in `domains` below (docs/api.md).
 */
const domains = [
  organizationRoutes,
  contactRoutes,
  customerRoutes,
  engineerRoutes,
  equipmentRoutes,
  equipmentRelationshipRoutes,
  ticketRoutes,
  assignmentRoutes,
  procurementRoutes,
];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    // Every log line of a request carries its id (also sent back as x-request-id).
    logController: new LogController({ disableRequestLogging: options.logRequests === false, requestIdLogLabel: 'requestId' }),
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: 1_048_576,
    // Path parameters up to the longest the schemas allow (QR codes, serial numbers: 255).
    routerOptions: { maxParamLength: 300 },
    // Errors the router raises before any route runs (bad URL, too long a parameter) get the one error model too.
    frameworkErrors: (err, req, reply) => sendError(reply, toAppError(err, req)),
    // Let in-flight requests finish on close, but do not wait for idle keep-alive sockets.
    forceCloseConnections: 'idle',
  });
  app.decorate('database', options.database);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(helmet, {
    // The console and the API reference load only their own scripts; swagger-ui needs inline styles.
    contentSecurityPolicy: {
      directives: { 'img-src': ["'self'", 'data:'], 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"] },
    },
  });
  await app.register(rateLimit, { global: false });
  const consoleFallback = options.serveConsole === false ? undefined : await registerConsole(app);
  registerErrorHandler(app, { consoleFallback });
  registerAuthentication(app);
  await registerOpenApi(app);

  await app.register(
    async (api) => {
      await api.register(registerHealth);
      await api.register(authRoutes, { loginRateLimit: options.loginRateLimit ?? { max: 10, timeWindow: 60_000 } });
      await api.register(serviceRequestRoutes, { rateLimit: options.publicRateLimit ?? { max: 30, timeWindow: 60_000 } });
      for (const routes of domains) await api.register(routes);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}
