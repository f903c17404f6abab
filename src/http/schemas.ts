import { type Static, type TSchema, Type } from 'typebox';
import { type ErrorCode, errorCatalogue } from '../errors.ts';

/**
 * Building blocks every route's schema uses, so the OpenAPI document describes one error model,
 * one id shape per kind of key and one page shape.
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
/** The legacy varchar keys (equipment, tickets, comments): KSUID-style strings or codes such as EQ-DEMO-0001. */
export const LegacyId = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' });
/** Rows carry Date objects; the serializer writes them as ISO 8601. */
export const Timestamp = Type.Unsafe<string | Date>({ type: 'string', format: 'date-time' });
export const DateOnly = Type.String({ format: 'date' });
export const Money = Type.String({ pattern: '^-?\\d+(\\.\\d+)?$', description: 'Decimal amount as a string (no float rounding)' });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: StringEnum(Object.keys(errorCatalogue) as ErrorCode[]),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'Error', description: 'The one error model: a machine-readable code, a sentence, and details (field, conflicting key …)' },
);

/** Error responses a route can give, by status; every route gets 400, 401 and 500 too. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [400, 401, 429, 500, ...statuses]) out[s] = Type.Ref('Error');
  return out;
}

export const IdParams = Type.Object({ id: Uuid });
export const LegacyIdParams = Type.Object({ id: LegacyId });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size. (Default: 50)' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    next_cursor: Nullable(Type.String({ description: 'Pass as ?cursor= for the next page; null on the last' })),
  });

export type { Static };
