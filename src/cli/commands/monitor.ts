import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { LIMITS, sizeInWords } from '../../limits.ts';
import { commandName, configFrom } from '../runtime-options.ts';

/**
 * `line-of-sight monitor import FILE.csv`: loads the partnership's monitoring dataset (replacing
 * the one before, all or nothing) and scans it, with progress on stderr.
 */
export function registerMonitor(program: Command): void {
  const monitor = program
    .command('monitor')
    .description('the population monitoring dataset of the front door lists');
  monitor
    .command('import')
    .description('load a chronology CSV of many children (with a child column) and scan it')
    .argument('<file>', 'the chronology CSV (docs/interfaces.md) with a child key on every row')
    .action(async (file: string, _options: unknown, command: Command) => {
      let size: number;
      try {
        size = (await stat(file)).size;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(
          `${file}: ${code === 'ENOENT' ? 'there is no such file' : `the file cannot be read (${code})`}.`,
        );
      }
      // Refused before the database is opened; the import checks the bytes it reads as well.
      if (size > LIMITS.monitoringBytes)
        throw new Error(
          `${file}: the file is larger than ${sizeInWords(LIMITS.monitoringBytes)}, the limit for the monitoring dataset. Nothing was loaded.`,
        );
      // The application is loaded only for commands that need the database.
      const { openRuntime } = await import('../../runtime.ts');
      const { allPartnerships } = await import('../../db/repositories/monitoring-repository.ts');
      const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
      try {
        const partnerships = await allPartnerships(runtime.database.db);
        if (partnerships.length !== 1)
          throw new Error(
            `the database holds ${partnerships.length} partnerships; this command needs exactly one.`,
          );
        const partnership = partnerships[0]!;
        let last = 0;
        const result = await runtime.services.monitoring.importCsv(
          { partnershipId: partnership.id, label: 'command line' },
          createReadStream(file),
          {
            fileName: file,
            bytesTotal: size,
            onProgress: (p) => {
              const now = Date.now();
              if (now - last < 1000) return;
              last = now;
              const read = size ? ` (${Math.round((p.bytesRead / size) * 100)}%)` : '';
              process.stderr.write(
                p.phase === 'Reading rows'
                  ? `Reading: ${p.rowsRead} rows, ${p.children} children${read}\n`
                  : `Scanning: ${p.childrenScanned} of ${p.children} children\n`,
              );
            },
          },
        );
        process.stderr.write(
          `Loaded ${result.rows} rows for ${result.children} children into ${partnership.name}: ${result.signals} signals.\n`,
        );
      } catch (error) {
        // One line naming the file, row and column (not the field map of the web form).
        const { MonitoringFileError } = await import('../../services/monitoring-service.ts');
        if (error instanceof MonitoringFileError) throw new Error(error.message);
        throw error;
      } finally {
        await runtime.database.close();
      }
    });
}
