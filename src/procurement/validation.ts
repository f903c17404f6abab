import type pg from 'pg';
import { pgErrorCode } from '../db/errors.ts';
import { SqlState } from '../db/sqlstate.ts';
import { AppError } from '../errors.ts';

/**
 * T1.3 validation report: what the backfill (and the sync trigger) will do with every JSONB item of
 * rfqs.items and quotes.line_items, read-only, before anything moves. The verdicts come from the
 * SQL view t13_item_verdicts (migration 0030), which calls the very functions the backfill calls,
 * so the report cannot disagree with the conversion.
 */
export type Source = 'rfqs' | 'quotes';
export type Verdict = 'as_is' | 'normalised' | 'quarantined';

export interface ClassCount {
  /**
   * `<scope>.<key>`, in the seed manifest's naming: scope `rfqs`/`quotes` for a whole JSONB value,
   * `rfq_items`/`quote_items` for one element (e.g. `rfq_items.unknown_sku`).
   */
  id: string;
  source: Source;
  /** The items' verdict; `remark` classes (e.g. name_only) overlap the converted ones and count them again. */
  verdict: Verdict | 'remark';
  /** 'as_is', a normalisation name (quantity_string, indian_number_format …) or a defect name (unknown_sku …). */
  key: string;
  /** What the backfill does with items of this class, in words. */
  action: string;
  count: number;
  /**
   * A quarantined class: one reason (e.g. "line 3: SKU … does not exist"). A normalisation: how many
   * items found in that form end quarantined for another defect (they are counted in both).
   */
  example?: string;
}

export interface SourceTotals {
  rows: number;
  items: number;
  asIs: number;
  normalised: number;
  quarantined: number;
}

export interface T13Report {
  ticket: 't1.3';
  totals: Record<Source, SourceTotals>;
  classes: ClassCount[];
}

/** Per defect: why the item cannot become a row (the report prints it beside the count). */
export const defectActions: Record<string, string> = {
  items_not_array: 'quarantine the whole value (an object or scalar where an array belongs)',
  item_not_object: 'quarantine the item (not a JSON object)',
  invalid_line: 'quarantine the item (line is not a positive whole number)',
  duplicate_line: 'quarantine the item (its line number is already taken by an earlier item)',
  quantity_missing: 'quarantine the item (no quantity; never guessed)',
  quantity_invalid: 'quarantine the item (quantity is not a number)',
  quantity_negative: 'quarantine the item (negative quantity; never flipped)',
  quantity_zero: 'quarantine the item (quantity 0)',
  quantity_not_whole: 'quarantine the item (fractional quantity)',
  unit_price_missing: 'quarantine the line (no unit_price)',
  unit_price_invalid: 'quarantine the line (unit_price is not an amount)',
  unit_price_negative: 'quarantine the line (negative unit_price)',
  tax_amount_invalid: 'quarantine the line (tax_amount is not a non-negative amount)',
  discount_invalid: 'quarantine the line (discount_percentage outside 0–100)',
  rfq_line_missing: 'quarantine the line (it points to an RFQ line that does not exist)',
  rfq_line_quarantined: 'quarantine the line (the RFQ line it answers is itself quarantined; re-checked when the RFQ changes)',
  unknown_product: 'quarantine the item (product_id matches no product)',
  unknown_sku: 'quarantine the item (sku_id matches no SKU)',
  sku_product_mismatch: 'quarantine the item (the SKU belongs to another product)',
  name_missing: 'quarantine the item (no name)',
  invalid_required_by: 'quarantine the item (required_by is not a date)',
  lead_time_invalid: 'quarantine the line (lead_time_days is not a whole number ≥ 0)',
  total_invalid: 'quarantine the line (total_price is not a number)',
  total_mismatch: 'quarantine the line (total ≠ quantity × unit_price × (1 − discount) + tax; money is never corrected silently)',
};

export const normalisationActions: Record<string, string> = {
  quantity_string: 'convert the quantity written as a string ("5") to a number',
  indian_number_format: 'convert a grouped number ("1,25,000.00", "₹ 12,500") to a plain number',
  amount_string: 'convert an amount written as a plain string ("1500.50") to a number',
  line_from_position: "take the missing line number from the item's array position",
  line_string: 'convert a line number written as a string to a number',
  total_computed: 'compute the missing total_price from quantity, unit_price, discount and tax',
};

const AS_IS_ACTION = 'convert as is';

export const remarkActions: Record<string, string> = {
  name_only: 'convert with product_id and sku_id empty (no catalogue link; counted in as_is or normalised too)',
};

/** Runs the report in one read-only, repeatable-read transaction on a client that is not in one. */
export async function reportT13(client: pg.ClientBase): Promise<T13Report> {
  await client.query('begin isolation level repeatable read read only');
  try {
    const report = await collect(client);
    await client.query('commit');
    return report;
  } catch (e) {
    await client.query('rollback').catch(() => {});
    const code = pgErrorCode(e);
    if (code === SqlState.UNDEFINED_TABLE || code === SqlState.UNDEFINED_FUNCTION) {
      throw new AppError(
        'bad_request',
        'the T1.3 validation needs migration 0030 (t13_item_verdicts); run `abymed migrate up --to 30` first',
        {},
        { cause: e },
      );
    }
    throw e;
  }
}

async function collect(client: pg.ClientBase): Promise<T13Report> {
  // One statement, so the verdicts are computed once and every count reads the same snapshot.
  const { rows } = await client.query<{ totals: TotalsRow[]; classes: ClassRow[] }>(`
    with v as materialized (
      select source_table, verdict, defect, reason, normalisations, remark,
             case when item_index is null then source_table when source_table = 'rfqs' then 'rfq_items' else 'quote_items' end as scope
        from t13_item_verdicts),
    totals as (
      select s.source, s.rows,
             count(v.verdict)::int as items,
             count(*) filter (where v.verdict = 'as_is')::int as as_is,
             count(*) filter (where v.verdict = 'normalised')::int as normalised,
             count(*) filter (where v.verdict = 'quarantined')::int as quarantined
        from (select 'rfqs' as source, (select count(*) from rfqs)::int as rows
              union all select 'quotes', (select count(*) from quotes)::int) s
        left join v on v.source_table = s.source
       group by s.source, s.rows
    ), classes as (
      select scope, source_table as source, verdict, coalesce(defect, 'as_is') as key, count(*)::int as count, min(reason) as example
        from v where verdict in ('as_is', 'quarantined')
       group by 1, 2, 3, 4
      union all
      select scope, source_table, 'normalised', n, count(*)::int,
             case when count(*) filter (where verdict = 'quarantined') > 0
                  then count(*) filter (where verdict = 'quarantined') || ' of them quarantined anyway: ' ||
                       string_agg(distinct defect, ', ') filter (where verdict = 'quarantined') end
        from v, unnest(normalisations) n
       group by 1, 2, 4
      union all
      select scope, source_table, 'remark', remark, count(*)::int, null
        from v where remark is not null and verdict <> 'quarantined'
       group by 1, 2, 4
    )
    select (select jsonb_agg(t) from totals t) as totals,
           (select coalesce(jsonb_agg(c order by c.source desc, c.verdict, c.key), '[]') from classes c) as classes`);
  const { totals, classes } = rows[0] as { totals: TotalsRow[]; classes: ClassRow[] };
  const byName = Object.fromEntries(totals.map((t) => [t.source, t]));
  const sum = (s: Source): SourceTotals => {
    const t = byName[s];
    return {
      rows: t?.rows ?? 0,
      items: t?.items ?? 0,
      asIs: t?.as_is ?? 0,
      normalised: t?.normalised ?? 0,
      quarantined: t?.quarantined ?? 0,
    };
  };
  return {
    ticket: 't1.3',
    totals: { rfqs: sum('rfqs'), quotes: sum('quotes') },
    classes: classes.map((c) => ({
      id: `${c.scope}.${c.key}`,
      source: c.source,
      verdict: c.verdict,
      key: c.key,
      action: actionFor(c.verdict, c.key),
      count: c.count,
      ...(c.example ? { example: c.example } : {}),
    })),
  };
}

interface TotalsRow {
  source: Source;
  rows: number;
  items: number;
  as_is: number;
  normalised: number;
  quarantined: number;
}

interface ClassRow {
  scope: string;
  source: Source;
  verdict: Verdict | 'remark';
  key: string;
  count: number;
  example: string | null;
}

function actionFor(verdict: Verdict | 'remark', key: string): string {
  if (verdict === 'as_is') return AS_IS_ACTION;
  if (verdict === 'remark') return remarkActions[key] ?? key;
  if (verdict === 'normalised') return normalisationActions[key] ?? `normalise (${key})`;
  return defectActions[key] ?? `quarantine (${key})`;
}

/** The report as text: totals per source, then one line per class with its count and action. */
export function formatT13Report(r: T13Report): string {
  const lines: string[] = ['T1.3 validation — RFQ and quote line items (read-only)', ''];
  for (const source of ['rfqs', 'quotes'] as const) {
    const t = r.totals[source];
    const field = source === 'rfqs' ? 'rfqs.items' : 'quotes.line_items';
    lines.push(`${field}: ${t.rows} rows, ${t.items} items — ${t.asIs} as is, ${t.normalised} normalised, ${t.quarantined} quarantined`);
    for (const c of r.classes.filter((x) => x.source === source)) {
      const mark = { quarantined: '✘', normalised: '~', remark: 'i', as_is: '✔' }[c.verdict];
      const note = c.example ? `  ${c.verdict === 'quarantined' ? 'e.g. ' : ''}${c.example}` : '';
      lines.push(`  ${mark} ${c.verdict.padEnd(11)} ${c.id.padEnd(36)} ${String(c.count).padStart(7)}  → ${c.action}${note}`);
    }
    lines.push('');
  }
  const q = r.totals.rfqs.quarantined + r.totals.quotes.quarantined;
  lines.push(
    q === 0
      ? 'Nothing will be quarantined.'
      : `${q} item(s) will be quarantined in procurement_item_quarantine with their original JSON; none is dropped.`,
  );
  return lines.join('\n');
}

/** Manifest classes of T1.3 (keys starting rfqs., rfq_items., quotes., quote_items.). */
export const isT13ManifestKey = (key: string) => /^(rfqs|rfq_items|quotes|quote_items)\./.test(key);

export interface ManifestComparison {
  id: string;
  expected: number;
  reported: number;
}

/** Each T1.3 class of a seed manifest beside the report's count for it; equal counts mean the report found exactly what was seeded. */
export function compareWithManifest(report: T13Report, defects: Record<string, { rows: number }>): ManifestComparison[] {
  return Object.entries(defects)
    .filter(([key]) => isT13ManifestKey(key))
    .map(([id, d]) => ({ id, expected: d.rows, reported: report.classes.filter((c) => c.id === id).reduce((n, c) => n + c.count, 0) }));
}
