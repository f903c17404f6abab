import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mapDbError } from '../db/errors.ts';
import { AppError, type ErrorCode, errorCatalogue, isAppError } from '../errors.ts';

/**
 * The one mapping from errors to HTTP: `{ error: { code, message, details } }` with the status the
 * catalogue gives the code. Schema validation failures name the field; anything unknown is a 500
 * and is logged as the bug it is.
 */
const byStatus: Record<number, ErrorCode> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

export function toAppError(err: FastifyError | Error, req: FastifyRequest): AppError {
  const mapped = mapDbError(err);
  if (isAppError(mapped)) return mapped;
  if ('validation' in err && err.validation) {
    const first = err.validation[0];
    const path = first ? first.instancePath.replaceAll('/', '.') : '';
    // A missing required property names the property itself, not its parent.
    const missing = first?.keyword === 'required' ? `.${(first.params as { missingProperty?: string }).missingProperty}` : '';
    const field = first ? `${(err as FastifyError).validationContext ?? 'body'}${path}${missing}` : 'request';
    return new AppError('validation_failed', `${field}: ${first?.message ?? 'invalid'}`, {
      field,
      errors: err.validation.map((v) => ({ path: v.instancePath, message: v.message, keyword: v.keyword, params: v.params })),
    });
  }
  if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
    return new AppError(byStatus[err.statusCode] ?? 'bad_request', err.message);
  }
  req.log.error({ err }, 'unhandled error');
  return new AppError('internal', 'an unexpected error occurred; it has been logged with the request id', { requestId: req.id });
}

export function sendError(reply: FastifyReply, e: AppError): FastifyReply {
  return reply.status(errorCatalogue[e.code].status).send({ error: { code: e.code, message: e.message, details: e.details } });
}

export interface ErrorHandlerOptions {
  /** Answers a GET outside /api/ that matched no route (the console's client-side routes). */
  consoleFallback?: (req: FastifyRequest, reply: FastifyReply) => unknown;
}

export function registerErrorHandler(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => sendError(reply, toAppError(err, req)));
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (options.consoleFallback && (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/')) {
      return options.consoleFallback(req, reply);
    }
    return sendError(reply, new AppError('not_found', `no route ${req.method} ${path}`, {}));
  });
}
