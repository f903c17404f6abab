import { Command, CommanderError } from 'commander';
import { AppError, isAppError } from '../errors.ts';
import { logger } from '../log.ts';

/**
 * Shared plumbing of every `abymed` command: one error path (a sentence on stderr and a non-zero
 * exit code, never a stack trace for a user's mistake) and the commander setup that rejects unknown
 * flags and excess arguments.
 */
export function newCommand(name: string): Command {
  return new Command(name).allowExcessArguments(false).allowUnknownOption(false).showHelpAfterError('(run with --help for usage)');
}

/** Exit codes: 1 a failure of the work, 2 a usage error, 3 the database is unreachable. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (isAppError(e) && e.code === 'database_unavailable') return 3;
  if (isAppError(e) && (e.code === 'bad_request' || e.code === 'validation_failed')) return 2;
  return 1;
}

export function reportError(e: unknown): void {
  if (e instanceof CommanderError) return; // commander already printed its message
  if (isAppError(e)) {
    process.stderr.write(`abymed: ${e.message}\n`);
    logger.debug({ code: e.code, details: e.details }, 'command failed');
  } else {
    process.stderr.write(`abymed: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
  }
}

export function parseIntArg(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new AppError('bad_request', `${name} must be a whole number, got "${value}"`);
    return Number(value);
  };
}
