import { randomBytes } from 'node:crypto';

/**
 * RFQ ids: 26-character ULIDs (48-bit milliseconds + 80 random bits in Crockford base32), the size
 * rfqs.id has (varchar(26)); the original generated 27-character KSUIDs that overflowed it
 * (origin-facts §8, bug 3). Time-ordered, so new RFQs land at the end of the primary key.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newRfqId(now: Date = new Date()): string {
  let n = (BigInt(now.getTime()) << 80n) | BigInt(`0x${randomBytes(10).toString('hex')}`);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = CROCKFORD[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}
