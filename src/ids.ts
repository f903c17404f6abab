import { randomBytes } from 'node:crypto';

/**
 * Row ids for the legacy varchar-keyed tables (equipment, service_tickets, ticket_comments,
 * ticket_status_history): 27-character KSUID-style strings, as the original Go code generated —
 * 4 bytes of seconds since the KSUID epoch and 16 random bytes in base62, so ids sort by time.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH = 1_400_000_000;

export function newLegacyId(now: Date = new Date()): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.floor(now.getTime() / 1000) - KSUID_EPOCH, 0);
  randomBytes(16).copy(bytes, 4);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}
