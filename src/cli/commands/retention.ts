import type { Command } from 'commander';
import type { Runtime } from '../../runtime.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import { DATA_CLASSES } from '../../domain/retention/register.ts';
import { countInWords } from '../../limits.ts';
import { commandName, configFrom } from '../runtime-options.ts';
import { personOptions, personQueryOf, severalPeople, type PersonOptions } from '../person-options.ts';
import { personErasureLines, staffErasureLines } from '../../domain/retention/erasure-words.ts';

/** The database for one command: through the running service on the embedded database. */
async function withRuntime<T>(command: Command, run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const { openRuntime } = await import('../../runtime.ts');
  const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
  try {
    return await run(runtime);
  } finally {
    await runtime.database.close();
  }
}

async function actorOf(runtime: Runtime, email: string): Promise<Actor> {
  const { systemRepository } = await import('../../db/repositories/system-repository.ts');
  const { actorFor } = await import('../../services/auth-service.ts');
  const row = await systemRepository(runtime.database.db).userByEmail(email);
  if (!row || row.disabledAt) throw new Error(`There is no active user ${email}.`);
  return actorFor(row, 'command-line');
}

const className = (key: string) => DATA_CLASSES[key as keyof typeof DATA_CLASSES]?.name ?? key;
const records = (n: number) => `${countInWords(n)} ${n === 1 ? 'record' : 'records'}`;

/**
 * `line-of-sight retention run [--dry-run]`, `retention erase --name NAME | --email EMAIL --user EMAIL [--dry-run]`,
 * `retention hold REF --reason TEXT --user EMAIL` and `retention release REF --user EMAIL`.
 */
export function registerRetention(program: Command): void {
  const retention = program
    .command('retention')
    .description('retention periods, legal holds and erasure (docs/data-protection.md#retention)');

  retention
    .command('run')
    .description(
      'erase what is past its retention period, in every partnership (the daily job does the same)',
    )
    .option('--dry-run', 'say what would be erased, and erase nothing')
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      await withRuntime(command, async (runtime) => {
        const report = await runtime.services.retention.run({ dryRun: options.dryRun === true });
        const verb = report.dryRun ? 'Would erase' : 'Erased';
        for (const item of report.erased)
          console.log(
            `${verb}: ${className(item.dataClass)}${item.reviewReference ? ` of ${item.reviewReference}` : ''} (${records(item.records)}).`,
          );
        for (const held of report.held)
          console.log(
            `Kept by a legal hold: ${held.reviewReference} (${held.dataClasses.map(className).join('; ')}).`,
          );
        if (!report.erased.length) console.log(report.dryRun ? 'Nothing is due.' : 'Nothing was due.');
      });
    });

  const erase = retention
    .command('erase')
    .description(
      "erase one person's data on their request: a child or household member (--name, --date-of-birth, --nhs-number, --postcode), or a member of staff (--email)",
    )
    .option('--email <email>', 'a member of staff: the e-mail address of their account');
  personOptions(erase, 'erase')
    .requiredOption('--user <email>', 'the administrator who acts on the request (recorded)')
    .option('--dry-run', 'say what would be erased, and erase nothing')
    .action(
      async (
        options: PersonOptions & { email?: string; user: string; dryRun?: boolean },
        command: Command,
      ) => {
        const person = personQueryOf(options);
        if (Boolean(person) === Boolean(options.email))
          throw new Error(
            'Give --name (a child or household member, with --date-of-birth, --nhs-number or --postcode to narrow it) or --email (a member of staff), not both.',
          );
        await withRuntime(command, async (runtime) => {
          const actor = await actorOf(runtime, options.user);
          if (options.email) {
            const staff = await runtime.services.retention.eraseStaffOnRequest(actor, {
              email: options.email,
              dryRun: options.dryRun === true,
            });
            for (const line of staffErasureLines(staff)) console.log(line);
            if (staff.found && staff.held.length) process.exitCode = 3;
            return;
          }
          const result = await runtime.services.retention.eraseOnRequest(actor, {
            ...person!,
            all: options.all === true,
            dryRun: options.dryRun === true,
          });
          if (result.choose) {
            console.log(severalPeople(result.choose.length, 'erased'));
            process.exitCode = 3;
            return;
          }
          for (const line of personErasureLines(result, options.dryRun === true)) console.log(line);
          if (result.results.some((r) => r.held)) process.exitCode = 3;
        });
      },
    );

  retention
    .command('hold')
    .description('place a legal hold on a review: nothing of it is erased while it stands')
    .argument('<ref>', 'the review reference, e.g. LOS-2021-001')
    .requiredOption('--reason <text>', 'why the review is held')
    .requiredOption('--user <email>', 'the administrator placing it (recorded)')
    .action(async (ref: string, options: { reason: string; user: string }, command: Command) => {
      await withRuntime(command, async (runtime) => {
        await runtime.services.retention.placeHold(await actorOf(runtime, options.user), ref, options.reason);
        console.log(`${ref} is held: nothing of it will be erased until the hold is released.`);
      });
    });

  retention
    .command('release')
    .description('release the legal hold on a review')
    .argument('<ref>', 'the review reference')
    .requiredOption('--user <email>', 'the administrator releasing it (recorded)')
    .action(async (ref: string, options: { user: string }, command: Command) => {
      await withRuntime(command, async (runtime) => {
        await runtime.services.retention.releaseHold(await actorOf(runtime, options.user), ref);
        console.log(`The hold on ${ref} is released; the next run erases what is due.`);
      });
    });
}
