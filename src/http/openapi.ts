import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from './schemas.ts';

/**
 * The OpenAPI 3.1 document comes from the route schemas themselves (nothing written by hand), served
 * at /api/v1/openapi.json, with a browsable reference at /api/v1/docs. Must be registered before
 * the routes so it sees them all.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ABY-MED Core API',
        version: '1',
        description:
          'Service platform for medical equipment. Every route needs `Authorization: Bearer <token>` unless marked public; ' +
          'what a caller sees is its organization network, enforced by row-level security. Errors: `{ "error": { "code", "message", "details" } }`.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (abymed token create) or a console session' },
        },
      },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs', uiConfig: { docExpansion: 'list', deepLinking: true }, staticCSP: false });
  app.get('/api/v1/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
}
