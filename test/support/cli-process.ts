import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * The command line as a person runs it: `line-of-sight` in a process of its own. Node loads tsx
 * itself (the tsx binary would run the command in a child process, which a kill would miss).
 */
const CLI = [process.execPath, '--import', 'tsx', 'src/cli/index.ts'] as const;
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
