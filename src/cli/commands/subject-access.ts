import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { personOptions, personQueryOf, severalPeople, type PersonOptions } from '../person-options.ts';
import { commandName, configFrom } from '../runtime-options.ts';

/**
 * `line-of-sight subject-access --email EMAIL | --name NAME [--date-of-birth DATE] [--nhs-number N]
 * [--postcode PC] [--all] --user ADMIN [--out FILE]`: everything held about one person as a ZIP of
 * JSON and CSV with a readme (through the running service on the embedded database), on record as
 * the administrator's. A search finding several people writes nothing and says how many (exit 3),
 * unless `--all`.
 */
export function registerSubjectAccess(program: Command): void {
  const command = program
    .command('subject-access')
    .description('gather everything held about one person (a subject access request) into a ZIP')
    .option('--email <email>', 'a member of staff, by their e-mail address');
  personOptions(command, 'gather')
    .requiredOption('--user <email>', 'the administrator answering the request (recorded)')
    .option('--out <file>', 'where to write the ZIP (default: subject-access-DATE.zip here)')
    .action(async (options: PersonOptions & { email?: string; user: string; out?: string }, cmd: Command) => {
      const person = personQueryOf(options);
      if (Boolean(options.email) === Boolean(person))
        throw new Error(
          'say whose data to gather: --email for a member of staff, or --name (with --date-of-birth, --nhs-number or --postcode) for a child or household member.',
        );
      const { openRuntime } = await import('../../runtime.ts');
      const { systemRepository } = await import('../../db/repositories/system-repository.ts');
      const { actorFor } = await import('../../services/auth-service.ts');
      const runtime = await openRuntime(configFrom(cmd), { command: commandName(cmd) });
      try {
        const row = await systemRepository(runtime.database.db).userByEmail(options.user);
        if (!row || row.disabledAt) throw new Error(`There is no active user ${options.user}.`);
        const result = await runtime.services.subjectAccess.request(
          actorFor(row, 'command-line'),
          options.email ? { email: options.email } : { ...person!, all: options.all === true },
        );
        if ('choose' in result) {
          console.log(severalPeople(result.choose.length, 'gathered'));
          process.exitCode = 3;
          return;
        }
        const { answer } = result;
        const file = resolve(options.out ?? answer.fileName);
        // Written beside its name and renamed when whole: no half-written answer under its name.
        await writeFile(`${file}.partial`, answer.zip, { mode: 0o600 });
        await rename(`${file}.partial`, file);
        for (const line of answer.summary) console.log(line);
        console.log(`Written to ${file}. The request is on record.`);
      } finally {
        await runtime.database.close();
      }
    });
}
