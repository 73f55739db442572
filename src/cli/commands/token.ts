import type { Command } from 'commander';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from '../../domain/api-tokens/expiry.ts';
import { formatDate } from '../../domain/calendar/format.ts';
import { londonDate } from '../../domain/calendar/iso-date.ts';
import { commandName, configFrom } from '../runtime-options.ts';

export function registerToken(program: Command) {
  const token = program.command('token').description('personal API tokens');
  token
    .command('create')
    .description('print a new personal API token for a user (stored hashed; shown once)')
    .requiredOption('--user <email>', "the user's e-mail address")
    .option('--name <label>', 'a label to recognise the token by', 'command line')
    .option(
      '--expires-in-days <days>',
      `days until the token stops working (at most ${MAX_TOKEN_DAYS})`,
      String(DEFAULT_TOKEN_DAYS),
    )
    .action(async (options: { user: string; name: string; expiresInDays: string }, command: Command) => {
      const days = /^\d+$/.test(options.expiresInDays.trim()) ? Number(options.expiresInDays) : Number.NaN;
      const { openRuntime } = await import('../../runtime.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      try {
        const created = await runtime.services.auth.createApiToken(options.user, options.name, {
          expiresInDays: days,
        });
        // The token alone on standard output, so `TOKEN=$(line-of-sight token create …)` works.
        console.log(created.token);
        console.error(`The token expires on ${formatDate(londonDate(created.expiresAt))}.`);
      } finally {
        await runtime.database.close();
      }
    });
}
