import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';

/** Configuration from the environment, with the global `--data DIR` applied. */
export function configFrom(command: Command): Config {
  const config = loadConfig();
  const data = command.optsWithGlobals<{ data?: string }>().data;
  return data ? { ...config, DATA_DIR: data } : config;
}
