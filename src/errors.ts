/**
 * The one error type of the system. Domain code throws `AppError` with a code from the catalogue;
 * the HTTP layer maps the code to a status once (src/http/errors.ts) and the CLI prints the message.
 */
export const errorCatalogue = {
  validation_failed: { status: 400, summary: 'The input does not match the schema.' },
  bad_request: { status: 400, summary: 'The request cannot be understood.' },
  unauthenticated: { status: 401, summary: 'No valid credentials were presented.' },
  // Only for what a role may never do (an engineer registering equipment); a row outside the
  // caller's network is `not_found`, so its existence does not leak.
  forbidden: { status: 403, summary: 'Your role does not allow this change.' },
  not_found: { status: 404, summary: 'The resource does not exist or is outside your network.' },
  conflict: { status: 409, summary: 'The change conflicts with the current state of a row.' },
  invalid_transition: { status: 409, summary: 'The workflow does not allow this step from the current state.' },
  unique_violation: { status: 409, summary: 'A row with the same unique key already exists.' },
  exclusion_violation: { status: 409, summary: 'An overlapping validity period already exists.' },
  foreign_key_violation: { status: 422, summary: 'A referenced row does not exist.' },
  check_violation: { status: 422, summary: 'A value breaks a database rule.' },
  not_null_violation: { status: 400, summary: 'A required value is missing.' },
  invalid_value: { status: 400, summary: 'A value has the wrong format.' },
  payload_too_large: { status: 413, summary: 'The request body is too large.' },
  unsupported_media_type: { status: 415, summary: 'The request body must be JSON.' },
  rate_limited: { status: 429, summary: 'Too many requests.' },
  lock_timeout: { status: 503, summary: 'The database was busy; try again.' },
  query_timeout: { status: 503, summary: 'The request ran longer than the database allows a request; it was stopped.' },
  serialization_failure: { status: 503, summary: 'Concurrent change; try again.' },
  database_unavailable: { status: 503, summary: 'The database cannot be reached.' },
  migration_failed: { status: 500, summary: 'A migration step failed.' },
  internal: { status: 500, summary: 'An unexpected error; this is a bug.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

export function notFound(what: string, id: unknown): AppError {
  return new AppError('not_found', `${what} ${String(id)} was not found`, { resource: what, id });
}
