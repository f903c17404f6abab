import { sql } from 'kysely';
import type { Tx } from '../../db/database.ts';
import { notFound } from '../../errors.ts';

export interface EngineerRef {
  id: string;
  full_name: string;
  org_id: string | null;
  engineer_level: number | null;
}

/** An engineer the caller can see (row-level security applies), or 404. */
export async function findEngineer(tx: Tx, engineerId: string): Promise<EngineerRef> {
  const { rows } = await sql<EngineerRef>`
    select id, full_name, org_id, engineer_level from engineers where id = ${engineerId}::uuid`.execute(tx);
  if (!rows[0]) throw notFound('engineer', engineerId);
  return rows[0];
}
