import type { Command } from 'commander';
import { commandName, configFrom } from '../runtime-options.ts';

export function registerToken(program: Command) {
  const token = program.command('token').description('personal API tokens');
  token
    .command('create')
    .description('print a new personal API token for a user (stored hashed; shown once)')
    .requiredOption('--user <email>', "the user's e-mail address")
    .option('--name <label>', 'a label to recognise the token by', 'command line')
    .action(async (options: { user: string; name: string }, command: Command) => {
      const { openRuntime } = await import('../../runtime.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      try {
        const { token: value } = await runtime.services.auth.createApiToken(options.user, options.name);
        console.log(value);
      } finally {
        await runtime.database.close();
      }
    });
}
