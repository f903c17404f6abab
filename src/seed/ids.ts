import type { Rng } from './rng.ts';

/**
 * Identifiers in the shapes the legacy application produced, drawn from a seeded stream:
 * v4-shaped UUIDs, 27-character KSUIDs (4-byte timestamp + 16-byte payload, base62) for equipment,
 * tickets, comments, history and quotes, and 26-character ULIDs for RFQs (the column is varchar(26)).
 */
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** KSUID epoch: 2014-05-13T16:53:20Z. */
const KSUID_EPOCH_S = 1_400_000_000;

const buf16 = new Uint8Array(16);

export function uuid(rng: Rng): string {
  const b = rng.bytes(buf16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = (i: number) => HEX[b[i] as number] as string;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

const words = [0, 0, 0, 0, 0];
const chars: string[] = new Array(27);

/** A KSUID for the instant `ms` (epoch milliseconds): sortable by time, 27 base62 characters. */
export function ksuid(rng: Rng, ms: number): string {
  words[0] = Math.floor(ms / 1000) - KSUID_EPOCH_S;
  words[1] = rng.u32();
  words[2] = rng.u32();
  words[3] = rng.u32();
  words[4] = rng.u32();
  // 160-bit big-endian number in five 32-bit words, divided by 62^3 nine times (three digits each;
  // remainder × 2^32 stays below 2^53, so the float arithmetic is exact).
  for (let i = 26; i >= 0; i -= 3) {
    let rem = 0;
    for (let j = 0; j < 5; j++) {
      const cur = rem * 4294967296 + (words[j] as number);
      const q = Math.floor(cur / 238_328);
      words[j] = q;
      rem = cur - q * 238_328;
    }
    const d0 = rem % 62;
    const rest = (rem - d0) / 62;
    const d1 = rest % 62;
    chars[i] = BASE62[d0] as string;
    chars[i - 1] = BASE62[d1] as string;
    chars[i - 2] = BASE62[(rest - d1) / 62] as string;
  }
  return chars.join('');
}

/** A ULID for the instant `ms`: 10 characters of time and 16 of randomness, Crockford base32. */
export function ulid(rng: Rng, ms: number): string {
  let out = '';
  let t = ms;
  const time: string[] = [];
  for (let i = 0; i < 10; i++) {
    time.push(CROCKFORD[t % 32] as string);
    t = Math.floor(t / 32);
  }
  out = time.reverse().join('');
  for (let i = 0; i < 16; i++) out += CROCKFORD[rng.u32() & 31];
  return out;
}

/**
 * A bijection of [0, modulus) onto itself (`multiplier` coprime with `modulus`): distinct indices
 * give distinct numbers, which look scattered. Used for phone numbers, serials and codes that must
 * be unique without a lookup.
 */
export function scatter(index: number, multiplier: number, offset: number, modulus: number): number {
  // BigInt-free: the product stays below 2^53 for the moduli used here (≤ 10^8 × 10^5).
  return ((((index % modulus) * multiplier + offset) % modulus) + modulus) % modulus;
}

export function base36(n: number, width: number): string {
  return n.toString(36).toUpperCase().padStart(width, '0');
}

/**
 * A customer uuid as the legacy columns hold it: `customer_id varchar(32)` cannot take the
 * hyphenated form, so the legacy application wrote the 32 hex digits alone (PostgreSQL's uuid
 * input accepts that form, so `customer_id::uuid` works on these rows).
 */
export const legacyCustomerId = (id: string): string => id.replace(/-/g, '');
