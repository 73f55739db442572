import { Command } from 'commander';
import { configureGenerate } from './commands/generate.ts';

/** `npm run generate -- --children 10000 --seed 42 --out DIR` */
const command = configureGenerate(new Command('generate'));
try {
  await command.parseAsync(process.argv);
} catch (error) {
  console.error(`generate: ${(error as Error).message}`);
  process.exitCode = 1;
}
