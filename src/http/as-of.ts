import { Type } from 'typebox';
import { AppError } from '../errors.ts';

/**
 * The one helper for the `?as_of=` convention (ARCHITECTURE.md): every effective-dated read takes an
 * ISO date (`2025-01-31`, meaning that calendar day, from its start in UTC) or an ISO timestamp
 * (`2025-01-31T10:00:00Z`, `…+05:30`; without an offset it is read as UTC) and answers as of then.
 * No value means now. A value that is not a real date or instant is a 400 naming the parameter.
 */
export const AsOfQuery = {
  as_of: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'ISO date or timestamp; the answer is as of then. (Default: now)',
      examples: ['2025-01-31'],
    }),
  ),
};

export interface AsOf {
  /** The instant to compare timestamptz validity against. */
  at: Date;
  /** The calendar day (UTC) to compare date validity against, `YYYY-MM-DD`. */
  date: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseAsOf(raw: string | undefined, now: () => Date = () => new Date()): AsOf {
  if (raw === undefined || raw === '') {
    const at = now();
    return { at, date: at.toISOString().slice(0, 10) };
  }
  const value = raw.trim();
  const fail = () =>
    new AppError('validation_failed', `querystring.as_of: "${raw}" is not an ISO date (2025-01-31) or timestamp (2025-01-31T10:00:00Z)`, {
      field: 'querystring.as_of',
      value: raw,
    });
  const d = DATE.exec(value);
  const t = d ? undefined : TIMESTAMP.exec(value);
  const parts = d ?? t;
  if (!parts) throw fail();
  const [y, mo, da] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  // Date.UTC rolls 2025-02-30 over to March: a real calendar day must survive the round trip.
  const day = new Date(Date.UTC(y, mo - 1, da));
  if (y < 1 || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== da) throw fail();
  if (d) return { at: day, date: value };
  const [hh, mm, ss] = [Number(t?.[4]), Number(t?.[5]), Number(t?.[6] ?? 0)];
  if (hh > 23 || mm > 59 || ss > 59) throw fail();
  const offset = t?.[8] ?? 'Z';
  const iso = `${value.slice(0, 10)}T${t?.[4]}:${t?.[5]}:${String(ss).padStart(2, '0')}${t?.[7] ? `.${t[7].padEnd(3, '0').slice(0, 3)}` : ''}${offset === 'Z' ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`}`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw fail();
  return { at, date: at.toISOString().slice(0, 10) };
}
