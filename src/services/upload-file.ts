import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ServiceContext } from './context.ts';

/** Where uploads wait for their job (UPLOAD_DIR); the system's temporary folder if not given. */
export const uploadDirOf = (ctx: ServiceContext) => ctx.uploadDir ?? join(tmpdir(), 'line-of-sight-uploads');

/**
 * Streams an upload into the upload folder (readable by this user only), counting its bytes and
 * refusing it (`tooLarge`) the moment it passes `maxBytes`; nothing of a refused or broken upload
 * is left behind. The job that reads it removes it when it ends.
 */
export async function saveUpload(
  ctx: ServiceContext,
  input: NodeJS.ReadableStream,
  options: { extension: string; maxBytes: number; tooLarge: () => Error },
): Promise<{ path: string; bytes: number }> {
  const dir = uploadDirOf(ctx);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.${options.extension}`);
  let bytes = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > options.maxBytes) done(options.tooLarge());
      else done(null, chunk);
    },
  });
  try {
    // A stream of its own: a refusal ends it, not the request's, so the answer still reaches the
    // client (the caller drains what is left of the request).
    await pipeline(input.pipe(new PassThrough()), cap, createWriteStream(path, { mode: 0o600 }));
    return { path, bytes };
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}
