import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/caller.ts';
import { callerForToken } from '../auth/tokens.ts';
import type { Tx } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { withCaller } from '../tenancy/with-caller.ts';

/**
 * Every route under /api/v1 needs `Authorization: Bearer <token>` unless its config says
 * `public: true` (health, login, the OpenAPI document, the public QR service request). The caller
 * is on `req.caller`, and `req.withCaller(tx => …)` runs domain code in a transaction under the
 * caller's row-level security — the only way routes reach tenant data.
 */
export function registerAuthentication(app: FastifyInstance): void {
  app.decorateRequest('caller', null);
  app.decorateRequest('withCaller', function <T>(this: FastifyRequest, fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (!this.caller) throw new AppError('unauthenticated', 'this route needs a signed-in caller');
    return withCaller(app.database.db, this.caller, fn);
  });

  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config as { public?: boolean } | undefined;
    // Unknown routes fall through to the 404 handler; the console and the API reference are public.
    const route = req.routeOptions.url;
    if (!route || !route.startsWith('/api/') || route.startsWith('/api/v1/docs') || config?.public) return;
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m?.[1]) {
      reply.header('www-authenticate', 'Bearer');
      throw new AppError(
        'unauthenticated',
        header ? 'the Authorization header must be "Bearer <token>"' : 'missing Authorization: Bearer <token>',
      );
    }
    const caller = await callerForToken(app.database.db, m[1]);
    if (!caller) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new AppError('unauthenticated', 'the token is unknown, expired or revoked');
    }
    req.caller = caller;
    req.log = req.log.child({ userId: caller.userId, role: caller.role });
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
    withCaller<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  }
  interface FastifyContextConfig {
    /** No authentication: health, login, docs, the public QR service request. (Default: false) */
    public?: boolean;
  }
}
