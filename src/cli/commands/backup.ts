import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDateTime } from '../../domain/calendar/format.ts';
import { countInWords, sizeInWords } from '../../limits.ts';
import { commandName, configFrom } from '../runtime-options.ts';
import { AUDIT_BROKEN_EXIT } from './audit.ts';

/**
 * `line-of-sight backup FILE` (online: through the running service on the embedded database) and
 * `line-of-sight restore FILE` (into an empty database that nothing else is using).
 */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('write a consistent copy of the whole database to FILE (works while the service runs)')
    .argument('<file>', 'the backup file to write (gzip); replaced only once the new copy is complete')
    .action(async (file: string, _options: unknown, command: Command) => {
      const { openRuntime } = await import('../../runtime.ts');
      const { backupDatabase } = await import('../../services/backup-service.ts');
      // No migration: a backup copies the database as it stands.
      const runtime = await openRuntime(configFrom(command), {
        command: commandName(command),
        migrate: false,
      });
      try {
        const started = Date.now();
        const report = await backupDatabase(runtime.database, resolve(file));
        console.log(
          `Backed up ${countInWords(report.rows)} rows in ${report.tables} tables to ${file} ` +
            `(${sizeInWords(report.bytes)}, ${((Date.now() - started) / 1000).toFixed(1)} s), ` +
            `as the database stood on ${formatDateTime(new Date(report.createdAt))}.`,
        );
        console.log(`SHA-256 of its content: ${report.sha256}`);
      } finally {
        await runtime.database.close();
      }
    });

  program
    .command('restore')
    .description(
      'restore a backup into an empty database that nothing else is using, then check the audit log',
    )
    .argument('<file>', 'a file written by line-of-sight backup')
    .action(async (file: string, _options: unknown, command: Command) => {
      const config = configFrom(command);
      if (!config.DATABASE_URL && config.DATA_DIR === ':memory:')
        throw new Error('restore needs a database to keep: set --data DIR or DATABASE_URL.');
      const { openRuntime, auditKey } = await import('../../runtime.ts');
      const { DatabaseInUseError } = await import('../../db/client.ts');
      const { restoreDatabase } = await import('../../services/backup-service.ts');
      let runtime;
      try {
        // The embedded database to itself: no service may run on it while it is restored.
        runtime = await openRuntime(config, {
          command: commandName(command),
          migrate: false,
          access: 'exclusive',
        });
      } catch (error) {
        if (error instanceof DatabaseInUseError)
          throw new Error(
            `the embedded database in ${error.dataDir} is in use by ${error.holder ? `process ${error.holder.pid} (${error.holder.command})` : 'another process'}: stop it before restoring, or restore into a new directory with --data DIR.`,
          );
        throw error;
      }
      try {
        const started = Date.now();
        const report = await restoreDatabase(runtime.database, resolve(file));
        console.log(
          `Restored ${countInWords(report.rows)} rows in ${report.tables} tables from ${file} ` +
            `(${((Date.now() - started) / 1000).toFixed(1)} s), as the database stood on ${formatDateTime(new Date(report.createdAt))}; ` +
            'every table was read back and matches the backup.',
        );
        if (report.migratedTo)
          console.log(
            `The backup's schema (${report.schema}) was migrated to this version's (${report.migratedTo}).`,
          );
        const audit = await runtime.services.auditChain.verify({ key: await auditKey(runtime) });
        if (audit.breaks.length === 0) {
          console.log(
            `The audit log holds together: ${countInWords(audit.rows)} rows in ${audit.chains} chains checked.`,
          );
          return;
        }
        for (const found of audit.breaks)
          console.error(
            `line-of-sight restore: the audit log does not hold together: ${found.message} (chain ${found.chain}).`,
          );
        console.error(
          'If the checkpoints were signed with another AUDIT_KEY, set the key the backed-up service used and run line-of-sight audit verify.',
        );
        process.exitCode = AUDIT_BROKEN_EXIT;
      } finally {
        await runtime.database.close();
      }
    });
}
