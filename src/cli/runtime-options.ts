import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';

/** Configuration from the environment, with the global `--data DIR` applied. */
export function configFrom(command: Command): Config {
  const config = loadConfig();
  const data = command.optsWithGlobals<{ data?: string }>().data;
  return data ? { ...config, DATA_DIR: data } : config;
}

/** The command as typed ("monitor import"), for the note another process shows when the database is held. */
export function commandName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
