import type { Command } from 'commander';
import pg from 'pg';
import { formatT12Report, reportT12 } from '../../customers/validation.ts';
import { formatT14Report, reportT14 } from '../../equipment/relationships-validation.ts';
import { AppError } from '../../errors.ts';
import { formatT13Report, reportT13 } from '../../procurement/validation.ts';
import { formatT11Report, reportT11 } from '../../tickets/assignments/validation.ts';
import { connectionUrl } from '../connection.ts';

/**
 * `abymed validate <ticket>`: the read-only report a ticket's backfill is checked against before
 * anything moves. Each ticket adds one entry: a function that reads the database (on a client not
 * in a transaction) and returns a report with a text form.
 */
interface Validator {
  describe: string;
  run(client: pg.ClientBase): Promise<unknown>;
  format(report: never): string;
}

const validators: Record<string, Validator> = {
  't1.1': { describe: 'inline ticket engineers and ticket status vs history (T1.1 + T3.2)', run: reportT11, format: formatT11Report },
  't1.2': {
    describe: 'customer copies on tickets and devices → customers (dedup forecast), and contacts with several primaries',
    run: reportT12,
    format: formatT12Report,
  },
  't1.3': { describe: 'RFQ and quote line items in JSONB (rfqs.items, quotes.line_items)', run: reportT13, format: formatT13Report },
  't1.4': {
    describe: 'static equipment parties and the customer copy → equipment_relationships periods',
    run: reportT14,
    format: formatT14Report,
  },
};

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(`read-only pre-migration report of a ticket (${Object.keys(validators).join(', ')})`)
    .argument('<ticket>', 'ticket id, e.g. t1.3')
    .option('--json', 'print the report as JSON')
    .action(async (ticket: string, flags: { json?: boolean }) => {
      const validator = validators[ticket.toLowerCase()];
      if (!validator) {
        throw new AppError('bad_request', `no validation report for "${ticket}" (known: ${Object.keys(validators).join(', ')})`);
      }
      const client = new pg.Client({ connectionString: await connectionUrl(), application_name: 'abymed-validate' });
      await client.connect();
      try {
        const report = await validator.run(client);
        process.stdout.write(`${flags.json ? JSON.stringify(report, null, 2) : validator.format(report as never)}\n`);
      } finally {
        await client.end();
      }
    });
}
