import type { Command } from 'commander';
import type { Runtime } from '../../runtime.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import { DATA_CLASSES } from '../../domain/retention/register.ts';
import { countInWords } from '../../limits.ts';
import { commandName, configFrom } from '../runtime-options.ts';

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

  retention
    .command('erase')
    .description(
      "erase one person's data on their request: a child or household member (--name), or a member of staff (--email)",
    )
    .option('--name <name>', 'a child or household member: their full name, as recorded')
    .option('--email <email>', 'a member of staff: the e-mail address of their account')
    .requiredOption('--user <email>', 'the administrator who acts on the request (recorded)')
    .option('--dry-run', 'say what would be erased, and erase nothing')
    .action(
      async (
        options: { name?: string; email?: string; user: string; dryRun?: boolean },
        command: Command,
      ) => {
        if (Boolean(options.name) === Boolean(options.email))
          throw new Error(
            'Give --name (a child or household member) or --email (a member of staff), not both.',
          );
        await withRuntime(command, async (runtime) => {
          const actor = await actorOf(runtime, options.user);
          if (options.email) {
            const staff = await runtime.services.retention.eraseStaffOnRequest(actor, {
              email: options.email,
              dryRun: options.dryRun === true,
            });
            if (!staff.found) {
              console.log('No member of staff has that e-mail address.');
              return;
            }
            if (staff.held.length) {
              console.log(
                `Kept by a legal hold on ${staff.held.join(', ')}: nothing of this person's is erased while it stands.`,
              );
              process.exitCode = 3;
              return;
            }
            const what = Object.entries(staff.records)
              .map(([kind, n]) => `${kind} (${countInWords(n)})`)
              .join('; ');
            console.log(`A member of staff; ${staff.dryRun ? 'would erase' : 'erased'}: ${what}.`);
            if (staff.reviews.length)
              console.log(
                `The texts of ${staff.reviews.join(', ')} ${staff.dryRun ? 'would be' : 'were'} cleared of their name.`,
              );
            return;
          }
          const result = await runtime.services.retention.eraseOnRequest(actor, {
            name: options.name ?? '',
            dryRun: options.dryRun === true,
          });
          if (!result.found) {
            console.log('No child or household member is recorded with that name.');
            return;
          }
          for (const r of result.results) {
            if (r.held) {
              console.log(
                `${r.reviewReference}: recorded as a ${r.as}; kept by a legal hold, nothing erased.`,
              );
              continue;
            }
            const what = r.erased.map((e) => `${className(e.dataClass)} (${records(e.records)})`).join('; ');
            console.log(
              `${r.reviewReference}: recorded as a ${r.as}; ${options.dryRun ? 'would erase' : 'erased'}: ${what}.`,
            );
          }
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
