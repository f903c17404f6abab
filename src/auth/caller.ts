/** The authenticated caller of a request: a user with one role and (but for system_admin) one organization. */
export const ROLES = ['system_admin', 'manufacturer_admin', 'distributor_admin', 'dealer_admin', 'hospital_admin', 'engineer'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  userId: string;
  email: string;
  fullName: string;
  role: Role;
  orgId: string | null;
  engineerId: string | null;
  tokenId: string;
}
