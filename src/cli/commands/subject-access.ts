import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { commandName, configFrom } from '../runtime-options.ts';

/**
 * `line-of-sight subject-access --email EMAIL | --name NAME --user ADMIN [--out FILE]`: everything
 * held about one person as a ZIP of JSON and CSV with a readme (through the running service on the
 * embedded database), on record as the administrator's.
 */
export function registerSubjectAccess(program: Command): void {
  program
    .command('subject-access')
    .description('gather everything held about one person (a subject access request) into a ZIP')
    .option('--email <email>', 'a member of staff, by their e-mail address')
    .option('--name <name>', 'a child or household member, by their full name as recorded')
    .requiredOption('--user <email>', 'the administrator answering the request (recorded)')
    .option('--out <file>', 'where to write the ZIP (default: subject-access-DATE.zip here)')
    .action(
      async (options: { email?: string; name?: string; user: string; out?: string }, command: Command) => {
        if (Boolean(options.email) === Boolean(options.name))
          throw new Error(
            'say whose data to gather: --email for a member of staff, or --name for a child or household member.',
          );
        const { openRuntime } = await import('../../runtime.ts');
        const { systemRepository } = await import('../../db/repositories/system-repository.ts');
        const { actorFor } = await import('../../services/auth-service.ts');
        const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
        try {
          const row = await systemRepository(runtime.database.db).userByEmail(options.user);
          if (!row || row.disabledAt) throw new Error(`There is no active user ${options.user}.`);
          const answer = await runtime.services.subjectAccess.gather(
            actorFor(row, 'command-line'),
            options.email ? { email: options.email } : { name: options.name! },
          );
          const file = resolve(options.out ?? answer.fileName);
          // Written beside its name and renamed when whole: no half-written answer under its name.
          await writeFile(`${file}.partial`, answer.zip, { mode: 0o600 });
          await rename(`${file}.partial`, file);
          for (const line of answer.summary) console.log(line);
          console.log(`Written to ${file}. The request is on record.`);
        } finally {
          await runtime.database.close();
        }
      },
    );
}
