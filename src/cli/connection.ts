import { assertReachable } from '../db/database.ts';
import { type EmbeddedServer, startEmbedded } from '../db/embedded.ts';

let embedded: EmbeddedServer | undefined;

/**
 * The URL a command works on: DATABASE_URL, checked to be reachable, or the embedded server, started
 * for the command (and stopped when the process exits) unless another process already runs it.
 */
export async function connectionUrl(): Promise<string> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    await assertReachable(fromEnv);
    return fromEnv;
  }
  embedded ??= await startEmbedded();
  return embedded.url;
}

export async function stopEmbedded(): Promise<void> {
  await embedded?.stop();
  embedded = undefined;
}
