import type { Logger } from '../../src/log.ts';
import type { LoadDriver } from './driver.ts';

/**
 * The zero-downtime harness's legacy workload and lock sampler (src/zero-downtime), adapted to the
 * benchmark's windows. Undefined until the harness exposes a runnable workload: the migration
 * section then times the steps alone and says so in the report.
 */
export function legacyWorkloadDriver(_log: Logger): ((url: string) => Promise<LoadDriver>) | undefined {
  return undefined;
}
