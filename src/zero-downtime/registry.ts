import { contactFindAgainRules, customerConsistencyChecks, customerFindAgainRules, customersWorkload } from '../customers/zero-downtime.ts';
import {
  equipmentConsistencyChecks,
  equipmentFindAgainRules,
  equipmentPeriodFindAgainRules,
  equipmentWorkload,
} from '../equipment/zero-downtime.ts';
import { legacyWorkload } from '../legacy/workload.ts';
import { procurementConsistencyChecks, procurementFindAgainRules, procurementWorkload } from '../procurement/zero-downtime.ts';
import { ticketConsistencyChecks } from '../tickets/assignments/consistency-checks.ts';
import { ticketFindAgainRules, ticketsWorkload } from '../tickets/assignments/zero-downtime.ts';
import type { ConsistencyCheck, FindAgainRule, Workload } from './workload.ts';

/**
 * What the zero-downtime harness runs and checks. A ticket that migrates a shape adds, in one line
 * each: its new application's workload (active from its expand version), its consistency checks
 * (old and new shapes agree row by row), and, if a migration moves a legacy column, the relation
 * where the legacy application's writes are found again from then on.
 */
export const workloads: Workload[] = [legacyWorkload, procurementWorkload, ticketsWorkload, customersWorkload, equipmentWorkload];

export const consistencyChecks: ConsistencyCheck[] = [
  ...ticketConsistencyChecks,
  ...equipmentConsistencyChecks,
  ...procurementConsistencyChecks,
  ...customerConsistencyChecks,
];

export const findAgainRules: FindAgainRule[] = [
  ...equipmentFindAgainRules,
  ...equipmentPeriodFindAgainRules,
  ...procurementFindAgainRules,
  ...ticketFindAgainRules,
  ...customerFindAgainRules,
  ...contactFindAgainRules,
];
