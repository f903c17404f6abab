import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { repoRoot } from '../paths.ts';

export const consoleDist = resolve(repoRoot, 'web/dist');

/**
 * The React console (web/, built to web/dist by `npm run build:web`) from the same server. Paths
 * the console routes itself (/tickets/…, /service-request?qr=…) get index.html: the SPA fallback,
 * called by the not-found handler for GET requests outside /api/.
 */
export async function registerConsole(app: FastifyInstance): Promise<((req: FastifyRequest, reply: FastifyReply) => unknown) | undefined> {
  if (!existsSync(resolve(consoleDist, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html')
        .send(
          '<!doctype html><title>ABY-MED Core</title><h1>ABY-MED Core</h1><p>The console is not built: run <code>npm run build:web</code>. ' +
            'API: <a href="/api/v1/docs">/api/v1/docs</a></p>',
        ),
    );
    return undefined;
  }
  await app.register(fastifyStatic, { root: consoleDist, prefix: '/', wildcard: false, index: ['index.html'] });
  return (_req, reply) => reply.type('text/html').sendFile('index.html');
}
