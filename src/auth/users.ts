import type { Db } from '../db/database.ts';
import type { Role } from './caller.ts';
import { hashPassword } from './passwords.ts';

export interface NewUser {
  email: string;
  fullName: string;
  role: Role;
  orgId: string | null;
  engineerId?: string | null;
  /** Omit for a user that only calls the API with tokens. */
  password?: string;
}

export interface UserRow {
  id: string;
  email: string;
  full_name: string;
  role: Role;
  org_id: string | null;
  engineer_id: string | null;
  password_hash: string | null;
  disabled_at: Date | null;
}

export async function createUser(db: Db, user: NewUser): Promise<{ id: string }> {
  return db
    .insertInto('users')
    .values({
      email: user.email.trim(),
      full_name: user.fullName,
      role: user.role,
      org_id: user.orgId,
      engineer_id: user.engineerId ?? null,
      password_hash: user.password === undefined ? null : await hashPassword(user.password),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Emails compare case-insensitively (the unique index is on lower(email)). */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst() as Promise<UserRow | undefined>;
}
