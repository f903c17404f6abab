import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { verifyPassword } from './passwords.ts';
import { createToken } from './tokens.ts';
import { findUserByEmail } from './users.ts';

/** How long a console session lasts. (Default: 12 hours, a working day) */
export const SESSION_TTL_MS = 12 * 3_600_000;

/**
 * Console login: the email and password of an enabled user give a session token. Every failure
 * answers the same 401 whether the email exists or not, after the same scrypt work.
 */
export async function login(db: Db, email: string, password: string) {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.password_hash);
  if (!user || !ok || user.disabled_at) throw new AppError('unauthenticated', 'wrong email or password');
  const session = await createToken(db, {
    userId: user.id,
    kind: 'session',
    name: 'console',
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
  });
  return {
    token: session.token,
    expires_at: session.expiresAt,
    user: { id: user.id, email: user.email, full_name: user.full_name, role: user.role, org_id: user.org_id },
  };
}
