#!/usr/bin/env node
import { Command } from 'commander';
import { safeMessage } from '../observability/safe-error.ts';
import { registerServe } from './commands/serve.ts';
import { registerDatabase } from './commands/database.ts';
import { registerToken } from './commands/token.ts';
import { registerScan } from './commands/scan.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerMonitor } from './commands/monitor.ts';
import { registerBriefing } from './commands/briefing.ts';
import { registerBriefingDatabaseCommands } from './commands/briefing-export.ts';
import { registerAudit } from './commands/audit.ts';
import { registerBackup } from './commands/backup.ts';
import { registerRetention } from './commands/retention.ts';
import { registerSubjectAccess } from './commands/subject-access.ts';
import { registerMfa } from './commands/mfa.ts';

/** `line-of-sight`: one command, its subcommands as in docs/interfaces.md. */
export function buildProgram(): Command {
  const program = new Command('line-of-sight')
    .description('Line of Sight: multi-agency child safeguarding learning reviews')
    .option('--data <dir>', 'embedded database directory (when DATABASE_URL is not set)')
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerDatabase(program);
  registerToken(program);
  registerScan(program);
  registerGenerate(program);
  registerMonitor(program);
  registerBriefingDatabaseCommands(registerBriefing(program));
  registerAudit(program);
  registerBackup(program);
  registerRetention(program);
  registerSubjectAccess(program);
  registerMfa(program);
  return program;
}

/** Runs the command line; a failure prints one clear line and a non-zero exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const e = error as { code?: string; exitCode?: number; message?: string };
    if (e.code?.startsWith('commander.')) {
      process.exitCode =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : (e.exitCode ?? 2);
      return;
    }
    const fields = (error as { fieldErrors?: Record<string, string> }).fieldErrors;
    const detail = fields
      ? ` ${Object.entries(fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')}`
      : '';
    // A database failure prints its code, never the statement's values (they may be a child's details).
    console.error(`line-of-sight: ${safeMessage(error)}${detail}`);
    process.exitCode = 1;
  }
}

const invokedDirectly = process.argv[1]?.endsWith('/cli/index.ts');
if (invokedDirectly) await main(process.argv);
