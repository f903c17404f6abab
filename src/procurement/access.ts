import type { Caller } from '../auth/caller.ts';
import { AppError } from '../errors.ts';

/** Who acts in procurement: the caller's organization requests RFQs or supplies quotes. */
export type Actor = Pick<Caller, 'userId' | 'orgId' | 'role'>;

export const isAdmin = (a: Actor) => a.role === 'system_admin';

/** The caller's organization, required to request or to quote (a system_admin acts for none). */
export function actingOrg(a: Actor, what: string): string {
  if (!a.orgId) throw new AppError('forbidden', `${what} needs a caller that belongs to an organization`);
  return a.orgId;
}

/** Only `party` (or a system_admin) may take this step. */
export function assertParty(a: Actor, party: string | null, who: 'requester' | 'supplier', what: string): void {
  if (isAdmin(a) || (party !== null && a.orgId === party)) return;
  throw new AppError('forbidden', `only the ${who} may ${what}`, { party: who });
}
