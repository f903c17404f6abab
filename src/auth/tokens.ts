import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Caller, Role } from './caller.ts';

/**
 * Bearer tokens: `abm_` + 43 characters of base64url (256 random bits). Only the SHA-256 of a token
 * is stored — a fast hash is right here because the secret has full entropy, unlike a password — so
 * a stolen table does not yield usable tokens. Console logins are tokens of kind `session`.
 */
export type TokenKind = 'api' | 'session';

export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

export interface CreatedToken {
  id: string;
  token: string;
  prefix: string;
  expiresAt: Date | null;
}

export async function createToken(
  db: Db,
  options: { userId: string; kind: TokenKind; name?: string; expiresAt?: Date | null },
): Promise<CreatedToken> {
  const token = `abm_${randomBytes(32).toString('base64url')}`;
  const prefix = token.slice(0, 10);
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: options.userId,
      kind: options.kind,
      name: options.name ?? null,
      token_hash: hashToken(token),
      token_prefix: prefix,
      expires_at: options.expiresAt ?? null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, token, prefix, expiresAt: row.expires_at };
}

/** The caller a token stands for, or undefined when it is unknown, expired, revoked or its user is disabled. */
export async function callerForToken(db: Db, token: string): Promise<Caller | undefined> {
  if (!/^abm_[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.last_used_at', 'u.id', 'u.email', 'u.full_name', 'u.role', 'u.org_id', 'u.engineer_id'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  // Recording use on every request would turn each read into a write; once a minute is enough to audit.
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', row.token_id).execute();
  }
  return {
    userId: row.id,
    email: row.email,
    fullName: row.full_name,
    role: row.role as Role,
    orgId: row.org_id,
    engineerId: row.engineer_id,
    tokenId: row.token_id,
  };
}

export async function revokeToken(db: Db, options: { id?: string; token?: string }): Promise<boolean> {
  let q = db.updateTable('api_tokens').set({ revoked_at: sql`now()` }).where('revoked_at', 'is', null);
  if (options.id) q = q.where('id', '=', options.id);
  else if (options.token) q = q.where('token_hash', '=', hashToken(options.token));
  else throw new AppError('bad_request', 'revokeToken needs an id or a token');
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** `30d`, `12h`, `45m`, `3600s` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*(d|h|m|s)$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new AppError('bad_request', `a duration looks like 30d, 12h, 45m or 3600s; got "${text}"`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's'];
  return Number(m[1]) * unit;
}
