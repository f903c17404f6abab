import pino from 'pino';

/** Structured JSON logs on stderr, so stdout stays free for what a command prints for people. */
export const logger = pino(
  { level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'warn' : 'info'), base: undefined },
  pino.destination(2),
);
export type Logger = typeof logger;
