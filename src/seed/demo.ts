import { logger } from '../log.ts';

/**
 * Fills an empty database with the demo data set (scale 1, seed 1) so a newcomer's first
 * `npm start` shows a living system. A database that holds data is left alone.
 */
export async function seedDemoIfEmpty(url: string): Promise<void> {
  logger.info({ url: url.replace(/:[^:@/]*@/, ':***@') }, 'demo seed: generator not yet wired');
}
