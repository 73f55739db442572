import type { Command } from 'commander';
import { commandName, configFrom } from '../runtime-options.ts';

/** Exit code of `audit verify` when the log does not hold together (bad input is 1 or 2). */
export const AUDIT_BROKEN_EXIT = 4;

/**
 * `line-of-sight audit verify [--from DATE]`: walks every audit chain, recomputing each row's hash,
 * and checks the signed checkpoints; exits 4 naming the first row that was changed, deleted or
 * inserted out of order. `audit checkpoint` signs the chains' heads now.
 */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit log: prove it has not been altered');
  audit
    .command('verify')
    .description('recompute the audit chains and check the signed checkpoints; exit 4 on a break')
    .option('--from <date>', 'check only rows written on or after this date (YYYY-MM-DD)')
    .action(async (options: { from?: string }, command: Command) => {
      let from: Date | undefined;
      if (options.from !== undefined) {
        if (
          !/^\d{4}-\d{2}-\d{2}$/.test(options.from) ||
          Number.isNaN(Date.parse(`${options.from}T00:00:00Z`))
        )
          throw new Error(`--from must be a date like 2026-01-31, not "${options.from}".`);
        from = new Date(`${options.from}T00:00:00Z`);
      }
      const { openRuntime, auditKey } = await import('../../runtime.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      try {
        const report = await runtime.services.auditChain.verify({ key: await auditKey(runtime), from });
        if (report.breaks.length === 0) {
          console.log(
            `The audit log holds together: ${report.rows} rows in ${report.chains} chains checked${from ? ` from ${options.from}` : ''}.`,
          );
          return;
        }
        for (const found of report.breaks)
          console.error(`line-of-sight audit verify: ${found.message} (chain ${found.chain}).`);
        process.exitCode = AUDIT_BROKEN_EXIT;
      } finally {
        await runtime.database.close();
      }
    });
  audit
    .command('checkpoint')
    .description('sign the head of every audit chain with the audit key now')
    .action(async (_options: unknown, command: Command) => {
      const { openRuntime, auditKey } = await import('../../runtime.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      try {
        const signed = await runtime.services.auditChain.checkpoint(await auditKey(runtime));
        console.log(`Signed ${signed} audit chain ${signed === 1 ? 'head' : 'heads'}.`);
      } finally {
        await runtime.database.close();
      }
    });
}
