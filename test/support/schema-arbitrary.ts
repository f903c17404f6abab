import fc from 'fast-check';

/**
 * fast-check arbitraries generated from the API's own JSON schemas (the OpenAPI document), so the
 * property tests exercise whatever the routes declare: `valid` values inside every bound, with
 * boundary lengths and numbers favoured, and known ids mixed in so some requests hit real rows.
 */
export type JsonSchema = {
  type?: string | string[];
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

export interface Known {
  uuids: string[];
  legacyIds: string[];
  strings: string[];
}

const boundedString = (min = 0, max = 60) => {
  const hi = Math.min(max, min + 60);
  return fc.oneof(
    fc.string({ minLength: min, maxLength: hi, unit: 'grapheme' }),
    fc.string({ minLength: min, maxLength: hi }),
    fc.constant('x'.repeat(Math.max(min, 1))).filter((s) => s.length <= max),
    fc.constant('y'.repeat(max)),
  );
};

export function valueFor(schema: JsonSchema, known: Known, resolve: (ref: string) => JsonSchema): fc.Arbitrary<unknown> {
  if (schema.$ref) return valueFor(resolve(schema.$ref), known, resolve);
  if (schema.anyOf ?? schema.oneOf) return fc.oneof(...(schema.anyOf ?? schema.oneOf ?? []).map((s) => valueFor(s, known, resolve)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.oneof(fc.uuid(), fc.constantFrom(...known.uuids));
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'email') return fc.emailAddress();
      if (schema.pattern) {
        const matching = fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? 10_000));
        return schema.pattern.startsWith('^[A-Za-z0-9_-]') ? fc.oneof(matching, fc.constantFrom(...known.legacyIds)) : matching;
      }
      return fc.oneof(boundedString(schema.minLength ?? 0, schema.maxLength ?? 200), fc.constantFrom(...known.strings));
    }
    case 'integer': {
      const min = Math.ceil(schema.minimum ?? -1_000_000);
      const max = Math.floor(schema.maximum ?? 1_000_000);
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number': {
      const min = schema.minimum ?? -1_000_000;
      const max = schema.maximum ?? 1_000_000;
      return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? valueFor(schema.items, known, resolve) : fc.jsonValue(), {
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) model[k] = valueFor(s, known, resolve);
      if (Object.keys(props).length === 0) return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue(), { maxKeys: 3 });
      return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue();
  }
}

/** Something a schema does not accept (most of the time): wrong types, junk strings, hostile text. */
export const malformedValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    "'; drop table service_tickets; --",
    '../../etc/passwd',
    '%00',
    '\u0000',
    'NaN',
    '-1',
    '1e309',
    '9'.repeat(400),
    '2025-02-30',
    '{}',
    '[]',
  ),
  fc.integer(),
  fc.constant(null),
);

/** A malformed version of an object schema: a valid object with one field broken, dropped or added. */
export function malformedObject(schema: JsonSchema, known: Known, resolve: (ref: string) => JsonSchema): fc.Arbitrary<unknown> {
  const props = Object.keys(schema.properties ?? {});
  const valid = valueFor(schema, known, resolve) as fc.Arbitrary<Record<string, unknown>>;
  if (props.length === 0) return malformedValue;
  return fc.oneof(
    fc.tuple(valid, fc.constantFrom(...props), malformedValue).map(([v, k, bad]) => ({ ...v, [k]: bad })),
    fc.tuple(valid, fc.constantFrom(...props)).map(([v, k]) => {
      const { [k]: _dropped, ...rest } = v;
      return rest;
    }),
    fc.tuple(valid, fc.string({ minLength: 1, maxLength: 8 }), malformedValue).map(([v, k, bad]) => ({ ...v, [`x_${k}`]: bad })),
    malformedValue,
  );
}
