import { randomBytes } from 'node:crypto';

/**
 * Identifiers the way the old Go application made them: KSUIDs (27 base62 characters: a 4-byte
 * timestamp since 2014-05-13 and 16 random bytes) for tickets, comments, history rows and
 * equipment, and human codes for tickets, QR labels, RFQs and quotes.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH = 1_400_000_000;

export function ksuid(now = Date.now()): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.floor(now / 1000) - KSUID_EPOCH, 0);
  randomBytes(16).copy(bytes, 4);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}

/** RFQ ids are varchar(26); the old code cut its KSUIDs to fit (origin-facts §8, bug 3). */
export const rfqId = () => ksuid().slice(0, 26);

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/**
 * `TKT-YYYYMMDD-HHMMSS`, the original format. The original collided within a second (bug 10); the
 * suffix of session and counter keeps the harness's steady rate from tripping over that old bug,
 * which is not what the harness is there to prove.
 */
export function ticketNumber(session: string, counter: number, now = new Date()): string {
  const s = stamp(now);
  return `TKT-${s.slice(0, 8)}-${s.slice(8)}-${session}${counter}`;
}

export function qrCode(session: string, counter: number, now = new Date()): string {
  return `QR-${stamp(now).slice(0, 8)}-${session}${String(counter).padStart(6, '0')}`;
}

export const documentNumber = (prefix: string, session: string, counter: number, now = new Date()) =>
  `${prefix}-${stamp(now).slice(0, 8)}-${session}-${counter}`;
