import type pg from 'pg';
import { copyLines } from './copy.ts';
import type { DefectKey } from './manifest.ts';
import { Rng } from './rng.ts';

/** Every timestamp of a seed is this instant plus an offset drawn from the seed: never the clock. */
export const BASE_MS = Date.UTC(2025, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Installed devices per scale unit. */
export const DEVICES_PER_SCALE = 750;

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const days = new Map<number, string>();

/** 'YYYY-MM-DD' of the UTC day of `ms`. */
export function isoDay(ms: number): string {
  const day = Math.floor(ms / DAY);
  let text = days.get(day);
  if (text === undefined) {
    text = new Date(day * DAY).toISOString().slice(0, 10);
    days.set(day, text);
  }
  return text;
}

/** Exactly `new Date(ms).toISOString()` for whole milliseconds, without a Date per call (millions of rows). */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let rest = ms - day * DAY;
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const s = Math.floor(rest / 1000);
  return `${isoDay(ms)}T${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1000]}Z`;
}
export const addMonths = (ms: number, months: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
};
/** Rupees (an integer number of paise) as a numeric literal with two decimals. */
export const rupees = (paise: number): string => `${Math.trunc(paise / 100)}.${String(Math.abs(paise % 100)).padStart(2, '0')}`;

export interface SeedProgress {
  table: string;
  done: number;
  total: number;
  /** Milliseconds spent generating and loading this table so far. */
  elapsedMs: number;
}

export interface Tally {
  rows: number;
  population: number;
  byTable?: Record<string, number>;
  units?: Record<string, number>;
}

/** What the generation steps share: the transaction's client, the seed's streams, and the tallies. */
export class SeedContext {
  readonly rows: Record<string, number> = {};
  readonly elapsed: Record<string, number> = {};
  readonly totals: Record<string, number> = {};
  readonly defects: Partial<Record<DefectKey, Tally>> = {};
  readonly idShapes: Record<string, number> = {};
  readonly derived: Record<string, number> = {};

  /** Scale of the organizations (dealers, customers): `scale`, unless a device count was given. */
  readonly worldScale: number;
  /** Devices to generate: 750 per scale unit (at least 25), unless a count was given. */
  readonly deviceCount: number;

  constructor(
    readonly client: pg.PoolClient,
    readonly seed: number,
    readonly scale: number,
    private readonly onProgress?: (p: SeedProgress) => void,
    devices?: number,
  ) {
    this.deviceCount = devices ?? Math.max(25, Math.round(DEVICES_PER_SCALE * scale));
    this.worldScale = devices === undefined ? scale : devices / DEVICES_PER_SCALE;
  }

  rng(stream: string): Rng {
    return new Rng(this.seed, stream);
  }

  /** Declares how many rows a table will get, so progress can show a total before loading starts. */
  expect(table: string, total: number): void {
    this.totals[table] = total;
  }

  /** COPYs `lines` into `table`; may be called several times per table (chunks). */
  async load(table: string, columns: readonly string[], lines: Iterable<string>): Promise<number> {
    const before = this.rows[table] ?? 0;
    const total = this.totals[table] ?? before;
    const t0 = performance.now();
    const report = (done: number) =>
      this.onProgress?.({
        table,
        done: before + done,
        total: Math.max(total, before + done),
        elapsedMs: (this.elapsed[table] ?? 0) + performance.now() - t0,
      });
    report(0);
    const n = await copyLines(this.client, table, columns, lines, report);
    this.rows[table] = before + n;
    this.elapsed[table] = (this.elapsed[table] ?? 0) + performance.now() - t0;
    return n;
  }

  /** Adds generation time spent outside `load` (chunked tables build their lines first). */
  addElapsed(table: string, ms: number): void {
    this.elapsed[table] = (this.elapsed[table] ?? 0) + ms;
  }

  defect(key: DefectKey, tally: Tally): void {
    this.defects[key] = tally;
  }

  shape(key: string, n = 1): void {
    this.idShapes[key] = (this.idShapes[key] ?? 0) + n;
  }
}
