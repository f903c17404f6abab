import type { Command } from 'commander';
import { createToken, parseDuration, revokeToken } from '../../auth/tokens.ts';
import { findUserByEmail } from '../../auth/users.ts';
import { openDatabase } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { connectionUrl } from '../connection.ts';

const out = (s: string) => process.stdout.write(`${s}\n`);

async function withDb<T>(fn: (db: ReturnType<typeof openDatabase>) => Promise<T>): Promise<T> {
  const database = openDatabase(await connectionUrl(), { max: 2, applicationName: 'abymed-cli' });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/**
 * `abymed token create --user <email> [--expires-in 30d] [--name <label>]` prints a new API token
 * once (only its hash is stored); `abymed token list --user <email>` and `abymed token revoke <id>`
 * manage them.
 */
export function registerToken(program: Command): void {
  const token = program.command('token').description('API tokens (bearer): create, list, revoke');

  token
    .command('create')
    .description('create an API token for a user and print it (shown once)')
    .requiredOption('--user <email>', 'the user the token acts as')
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h, 45m (default: no expiry)')
    .option('--name <label>', 'what the token is for', 'cli')
    .action((flags: { user: string; expiresIn?: string; name: string }) =>
      withDb(async ({ db }) => {
        const expiresAt = flags.expiresIn ? new Date(Date.now() + parseDuration(flags.expiresIn)) : null;
        const user = await findUserByEmail(db, flags.user);
        if (!user) throw new AppError('bad_request', `no user with email ${flags.user}`);
        if (user.disabled_at) throw new AppError('bad_request', `user ${flags.user} is disabled`);
        const created = await createToken(db, { userId: user.id, kind: 'api', name: flags.name, expiresAt });
        out(created.token);
        process.stderr.write(
          `token ${created.id} for ${user.email} (${user.role}), ${expiresAt ? `expires ${expiresAt.toISOString()}` : 'no expiry'}; ` +
            'store it now: only its hash is kept\n',
        );
      }),
    );

  token
    .command('list')
    .description("list a user's tokens (never the secrets)")
    .requiredOption('--user <email>', 'whose tokens')
    .action((flags: { user: string }) =>
      withDb(async ({ db }) => {
        const user = await findUserByEmail(db, flags.user);
        if (!user) throw new AppError('bad_request', `no user with email ${flags.user}`);
        const rows = await db
          .selectFrom('api_tokens')
          .select(['id', 'kind', 'name', 'token_prefix', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
          .where('user_id', '=', user.id)
          .orderBy('created_at')
          .execute();
        for (const r of rows) {
          const state = r.revoked_at ? 'revoked' : r.expires_at && new Date(r.expires_at) < new Date() ? 'expired' : 'active';
          out(
            `${r.id}  ${r.token_prefix}…  ${r.kind.padEnd(7)} ${state.padEnd(7)} ${r.name ?? ''}  expires ${r.expires_at?.toISOString?.() ?? 'never'}`,
          );
        }
        if (rows.length === 0) out('no tokens');
      }),
    );

  token
    .command('revoke')
    .description('revoke a token by its id')
    .argument('<id>', 'token id (from token list)')
    .action((id: string) =>
      withDb(async ({ db }) => {
        if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('bad_request', `"${id}" is not a token id (a UUID from abymed token list)`);
        const done = await revokeToken(db, { id });
        if (!done) throw new AppError('bad_request', `no active token ${id}`);
        out(`revoked ${id}`);
      }),
    );
}
