import { createHash } from 'node:crypto';
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One process at a time opens an embedded database directory. The lock is the operating system's:
 * on Linux an abstract Unix socket named after the directory, which the kernel frees the moment
 * the process ends (kill -9 included) and which two processes can never both bind. Elsewhere, a
 * lock file created exclusively and holding the pid, taken over only when that pid is gone.
 *
 * Whoever holds the lock serves the database to other processes on a Unix socket in a private
 * directory (`runtimeDirectory`), so a command run while the service runs goes through it.
 */

export interface Holder {
  pid: number;
  command: string;
  startedAt: string;
}

export interface DirectoryLock {
  /** The private directory of this database's socket and holder note. */
  runtimeDir: string;
  release(): Promise<void>;
}

export type LockAttempt =
  { acquired: true; lock: DirectoryLock } | { acquired: false; runtimeDir: string; holder: Holder | null };

/** The socket file a client connects to (pg: host = the directory, port 5432). */
export const SOCKET_PORT = 5432;
export const socketPath = (runtimeDir: string) => join(runtimeDir, `.s.PGSQL.${SOCKET_PORT}`);

function key(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 24);
}

/**
 * The runtime directory of a data directory: under the system's temporary directory (a socket
 * path must be short), named after the directory and the user, created private (0700) and
 * refused if someone else made it first.
 */
export function runtimeDirectory(dataDir: string): string {
  const uid = process.getuid?.() ?? 0;
  const dir = join(tmpdir(), `line-of-sight-${uid}-${key(dataDir)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const mine = process.getuid ? stat.uid === process.getuid() : true;
  if (!stat.isDirectory() || !mine || (stat.mode & 0o077) !== 0)
    throw new Error(
      `${dir} is not a private directory of this user: refusing to use it for the database socket`,
    );
  return dir;
}

const holderFile = (runtimeDir: string) => join(runtimeDir, 'holder.json');

function readHolder(runtimeDir: string): Holder | null {
  try {
    return JSON.parse(readFileSync(holderFile(runtimeDir), 'utf8')) as Holder;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function bindAbstract(name: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(null) : reject(error),
    );
    server.listen({ path: `\0${name}` }, () => {
      server.unref();
      resolve(server);
    });
  });
}

function takeLockFile(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) return false;
      rmSync(path, { force: true });
    }
  }
  return false;
}

export async function lockDirectory(dataDir: string, command: string): Promise<LockAttempt> {
  const runtimeDir = runtimeDirectory(dataDir);
  let releaseOs: () => Promise<void>;
  if (process.platform === 'linux') {
    const server = await bindAbstract(`line-of-sight-${key(dataDir)}`);
    if (!server) return { acquired: false, runtimeDir, holder: readHolder(runtimeDir) };
    releaseOs = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    const file = join(runtimeDir, 'lock');
    if (!takeLockFile(file)) return { acquired: false, runtimeDir, holder: readHolder(runtimeDir) };
    releaseOs = async () => rmSync(file, { force: true });
  }
  const holder: Holder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  writeFileSync(holderFile(runtimeDir), JSON.stringify(holder), { mode: 0o600 });
  return {
    acquired: true,
    lock: {
      runtimeDir,
      async release() {
        if (readHolder(runtimeDir)?.pid === process.pid) rmSync(holderFile(runtimeDir), { force: true });
        await releaseOs();
      },
    },
  };
}
