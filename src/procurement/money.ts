import { AppError } from '../errors.ts';

/**
 * Money as decimal strings, computed in integer paise with BigInt, so a total is exactly what the
 * database's check computes: round(quantity × unit_price × (1 − discount/100) + tax, 2), where
 * round() goes half away from zero like PostgreSQL's numeric round.
 */
const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** "1250.5" → 125050n (paise). Rejects negatives, more than two decimals and non-numbers. */
export function toPaise(amount: string, field: string): bigint {
  const m = AMOUNT.exec(amount);
  if (!m) throw new AppError('invalid_value', `${field} must be an amount in rupees with at most two decimals, got "${amount}"`, { field });
  return BigInt(m[1] as string) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

/** "12.5" → 1250n (hundredths of a percent), 0–100 only. */
export function toBasisPoints(percent: string, field: string): bigint {
  const m = PERCENT.exec(percent);
  const bp = m ? BigInt(m[1] as string) * 100n + BigInt((m[2] ?? '').padEnd(2, '0')) : -1n;
  if (bp < 0n || bp > 10000n)
    throw new AppError('invalid_value', `${field} must be a percentage between 0 and 100, got "${percent}"`, { field });
  return bp;
}

export function fromPaise(paise: bigint): string {
  const sign = paise < 0n ? '-' : '';
  const abs = paise < 0n ? -paise : paise;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Half away from zero: the rounding of PostgreSQL's round(numeric, 2). */
function divRound(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  return 2n * (r < 0n ? -r : r) >= d ? q + (n < 0n ? -1n : 1n) : q;
}

export interface LineAmounts {
  quantity: number;
  unitPrice: string;
  taxAmount?: string;
  discountPercentage?: string;
}

/** The line total the database accepts for these amounts, as a decimal string. */
export function lineTotal(a: LineAmounts): string {
  const price = toPaise(a.unitPrice, 'unit_price');
  const tax = toPaise(a.taxAmount ?? '0', 'tax_amount');
  const bp = toBasisPoints(a.discountPercentage ?? '0', 'discount_percentage');
  return fromPaise(divRound(BigInt(a.quantity) * price * (10000n - bp), 10000n) + tax);
}

/** Sum of decimal strings, exact. */
export const sumAmounts = (amounts: string[]): string => fromPaise(amounts.reduce((s, a) => s + toPaise(a, 'amount'), 0n));
