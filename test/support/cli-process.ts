import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { format } from 'node:util';
import { vi } from 'vitest';
import { main } from '../../src/cli/index.ts';

/**
 * The command line as a person runs it: `line-of-sight` (bin/line-of-sight.js) in a process of its
 * own. It runs the compiled build the run's global setup made (scripts/build.mjs), or tsx in this
 * one process when the sources have changed since (the tsx binary would run the command in a
 * child process, which a kill would miss).
 */
const CLI = [process.execPath, 'bin/line-of-sight.js'] as const;
const ENV = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' };

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one command to its end. */
export function runCommand(args: string[], env: NodeJS.ProcessEnv = {}): CommandResult {
  const result = spawnSync(CLI[0], [...CLI.slice(1), ...args], {
    encoding: 'utf8',
    env: { ...ENV, ...env },
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs one command in the background: its process (to kill), and its result when it ends. */
export function spawnCommand(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(CLI[0], [...CLI.slice(1), ...args], { env: { ...ENV, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const result = new Promise<CommandResult>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, result };
}

/** Runs one command in the background, for commands that must overlap. */
export function startCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  return spawnCommand(args, env).result;
}

export interface ServeProcess {
  address: string;
  process: ChildProcessWithoutNullStreams;
  output: () => string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process dies as in a crash. */
  kill(): Promise<void>;
}

/** `line-of-sight serve` on a free port, resolved once it answers. */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(CLI[0], [...CLI.slice(1), ...args, 'serve', '--port', '0', '--no-demo'], {
    env: { ...ENV, ...env },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match)
        resolve({
          address: match[1]!,
          process: child,
          output: () => output,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`serve exited ${code} before answering: ${output}`)));
  });
}

/**
 * A command through the command line's own entry point (`main`, what `line-of-sight` runs) in the
 * test's process: what it prints and the exit code it sets, without starting Node, tsx and the
 * application again for each. For tests whose point is what a command answers and does, not that a
 * process of its own starts; on an embedded directory a running service holds, it goes through
 * the service as a process would.
 */
export async function commandInProcess(
  args: string[],
  env: { DATABASE_URL?: string } = {},
): Promise<CommandResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...a: unknown[]) => void stdout.push(`${format(...a)}\n`));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void stderr.push(`${format(...a)}\n`));
  // Commander, and commands that write a report as it comes, write to the streams themselves.
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  const writeOut = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.stubEnv('DATABASE_URL', env.DATABASE_URL ?? '');
  vi.stubEnv('LOG_LEVEL', 'silent');
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(['node', 'line-of-sight', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    process.exitCode = exitCode;
    vi.unstubAllEnvs();
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    writeOut.mockRestore();
  }
}
