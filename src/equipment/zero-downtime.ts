import type { ConsistencyCheck, FindAgainRule } from '../zero-downtime/workload.ts';

/**
 * T1.4 in the zero-downtime harness (src/zero-downtime/registry.ts).
 * - From the backfill (0045) until the contract (0940), every device's static party columns equal
 *   the parties of its open periods, except devices the backfill quarantined (their sources
 *   disagree; a person resolves them).
 * - From 0940 the legacy columns are gone: the legacy application's equipment writes are found
 *   again through the open periods, under the legacy column names.
 */
export const equipmentConsistencyChecks: ConsistencyCheck[] = [
  {
    name: 't1.4 static party columns = open periods of equipment_relationships',
    from: 45,
    until: 940,
    sql: `select d.* from equipment_relationships_drift d
           where not exists (select 1 from abymed.quarantine q
                              where q.job = 'equipment_relationships_initial' and q.key = array[d.equipment_id::text])`,
  },
];

const party = (type: string, column: 'organization_id' | 'facility_id') =>
  `(select r.${column} from equipment_relationships r where r.equipment_id = e.id and r.relationship_type = '${type}' and r.valid_to is null)`;

export const equipmentFindAgainRules: FindAgainRule[] = [
  {
    table: 'equipment',
    from: 940,
    relation: `(select e.*, ${party('manufactured_by', 'organization_id')} as manufacturer_org_id,
                        ${party('sold_by', 'organization_id')} as sold_by_dealer_id,
                        ${party('owned_by', 'organization_id')} as owned_by_org_id,
                        ${party('installed_at', 'facility_id')} as installed_facility_id
                   from equipment e)`,
  },
];
