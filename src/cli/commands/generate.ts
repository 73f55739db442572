import { Command, InvalidArgumentError } from 'commander';
import { writeSyntheticData } from '../../synthetic/write.ts';

export interface GenerateCommandOptions {
  children: number;
  seed: number;
  out: string;
}

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max.toLocaleString('en-GB')}.`);
    }
    return n;
  };
}

/** Adds the options and action of `generate` to a command (the program's subcommand, or npm run generate). */
export function configureGenerate(command: Command): Command {
  return command
    .description(
      'write a synthetic multi-agency chronology (chronology.csv) and the signals it must produce (ground-truth.json)',
    )
    .option('--children <n>', 'how many children', wholeNumber(1, 1_000_000), 1000)
    .option(
      '--seed <n>',
      'the seed: the same seed always writes the same files',
      wholeNumber(0, 4_294_967_295),
      42,
    )
    .requiredOption('--out <dir>', 'the folder to write into (created if missing)')
    .action(async (options: GenerateCommandOptions) => {
      const progress = process.stderr.isTTY;
      const summary = await writeSyntheticData({
        ...options,
        onProgress: ({ children, rows }) => {
          if (progress && children % 1000 === 0) process.stderr.write(`\r${children} children, ${rows} rows`);
        },
      });
      if (progress) process.stderr.write('\n');
      console.log(
        `Wrote ${summary.rows} chronology entries for ${summary.children} children to ${summary.chronologyFile}, ` +
          `and ${summary.expectedSignals} expected signals to ${summary.groundTruthFile}.`,
      );
    });
}

export function registerGenerate(program: Command): void {
  configureGenerate(program.command('generate'));
}
