import type pg from 'pg';
import type { ConsistencyCheck } from './workload.ts';

/** Runs the consistency checks in force at `version`; each returns the rows where old and new shapes disagree. */
export interface CheckpointResult {
  phase: string;
  version: number;
  check: string;
  mismatches: number;
  sample: unknown[];
  error?: string;
}

export async function runCheckpoint(
  db: Pick<pg.ClientBase, 'query'>,
  checks: readonly ConsistencyCheck[],
  version: number,
  phase: string,
): Promise<CheckpointResult[]> {
  const out: CheckpointResult[] = [];
  for (const c of checks) {
    if (version < c.from || (c.until !== undefined && version >= c.until)) continue;
    try {
      // One statement, one snapshot: the triggers write both shapes atomically, so a consistent
      // database shows no disagreement even while the workload keeps writing.
      const { rows } = await db.query(`select count(*) over () as mismatches, q.* from (${c.sql}) q limit 5`);
      const mismatches = Number(rows[0]?.mismatches ?? 0);
      out.push({ phase, version, check: c.name, mismatches, sample: rows.map(({ mismatches: _, ...r }) => r) });
    } catch (e) {
      out.push({ phase, version, check: c.name, mismatches: -1, sample: [], error: (e as Error).message });
    }
  }
  return out;
}
