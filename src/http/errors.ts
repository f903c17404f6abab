import type { FastifyError, FastifyInstance } from 'fastify';
import { mapDbError } from '../db/errors.ts';
import { AppError, errorCatalogue, isAppError } from '../errors.ts';

/**
 * The one mapping from errors to HTTP: `{ error: { code, message, details } }` with the status the
 * catalogue gives the code. Schema validation failures name the field; anything unknown is a 500
 * and is logged as the bug it is.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    const mapped = mapDbError(err);
    let e: AppError;
    if (isAppError(mapped)) e = mapped;
    else if ('validation' in err && err.validation) {
      const first = err.validation[0];
      const field = first ? `${(err as FastifyError).validationContext ?? 'body'}${first.instancePath.replaceAll('/', '.')}` : 'request';
      e = new AppError('validation_failed', `${field}: ${first?.message ?? 'invalid'}`, {
        field,
        errors: err.validation.map((v) => ({ path: v.instancePath, message: v.message, keyword: v.keyword, params: v.params })),
      });
    } else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
      const code = err.statusCode === 429 ? 'rate_limited' : err.statusCode === 404 ? 'not_found' : err.statusCode === 401 ? 'unauthenticated' : 'bad_request';
      e = new AppError(code, err.message);
    } else {
      req.log.error({ err }, 'unhandled error');
      e = new AppError('internal', 'an unexpected error occurred; it has been logged with the request id', { requestId: req.id });
    }
    return reply.status(errorCatalogue[e.code].status).send({ error: { code: e.code, message: e.message, details: e.details } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}`, details: {} } }),
  );
}
