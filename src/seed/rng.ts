/**
 * Deterministic randomness for the legacy data generator: sfc32 (128-bit state, period ≥ 2^32,
 * passes PractRand) seeded through cyrb128 from `seed/stream`, so every table draws from its own
 * stream and a change in how one table is generated never shifts the values of another.
 */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    [this.a, this.b, this.c, this.d] = cyrb128(`${seed}/${stream}`);
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** [0, 1) */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** One of `items`, with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.float() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** `count` distinct elements of `items`, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** Fills `out` with random bytes. */
  bytes(out: Uint8Array): Uint8Array {
    for (let i = 0; i < out.length; i += 4) {
      const v = this.u32();
      out[i] = v & 0xff;
      if (i + 1 < out.length) out[i + 1] = (v >>> 8) & 0xff;
      if (i + 2 < out.length) out[i + 2] = (v >>> 16) & 0xff;
      if (i + 3 < out.length) out[i + 3] = v >>> 24;
    }
    return out;
  }
}

/** Rows a class gets out of `population` at `rate`: rounded, and at least one when there is a row to spare. */
export function quotaFor(rate: number, population: number): number {
  if (population <= 0 || rate <= 0) return 0;
  return Math.max(1, Math.round(rate * population));
}

/**
 * Exact-count assignment of mutually exclusive classes over a population seen one row at a time
 * (sequential selection sampling): after `population` calls to `next`, class c was returned exactly
 * `quotas[c]` times, spread uniformly at random. Each count is therefore known before generation.
 */
export class Quota<K extends string> {
  private remainingRows: number;
  private readonly remaining: Map<K, number>;
  readonly taken = new Map<K, number>();

  constructor(
    population: number,
    readonly quotas: Record<K, number>,
  ) {
    this.remainingRows = population;
    this.remaining = new Map(Object.entries(quotas) as [K, number][]);
    const sum = [...this.remaining.values()].reduce((a, b) => a + b, 0);
    if (sum > population) throw new Error(`quotas (${sum}) exceed the population (${population})`);
    for (const k of this.remaining.keys()) this.taken.set(k, 0);
  }

  next(rng: Rng): K | null {
    if (this.remainingRows <= 0) throw new Error('quota population exhausted');
    const r = Math.floor(rng.float() * this.remainingRows);
    this.remainingRows--;
    let acc = 0;
    for (const [k, left] of this.remaining) {
      acc += left;
      if (r < acc) {
        this.remaining.set(k, left - 1);
        this.taken.set(k, (this.taken.get(k) ?? 0) + 1);
        return k;
      }
    }
    return null;
  }
}
