import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/db/client.ts';
import type { DatabaseKind } from '../support/database.ts';
import { PGLITE_TEMPLATE, serverUrl } from '../support/paths.ts';

/** A database of the given kind holding the demo, addressed as the command line would: a directory or a URL. */
export async function commandLineDatabase(kind: DatabaseKind) {
  if (kind === 'pglite') {
    const dir = await mkdtemp(join(tmpdir(), 'los-briefing-save-'));
    const seeded = await openDatabase({
      dataDir: dir,
      loadDataDir: new Blob([await readFile(PGLITE_TEMPLATE)]),
    });
    await seeded.close();
    return {
      args: ['--data', dir],
      url: '',
      open: () => openDatabase({ dataDir: dir }),
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const server = process.env.TEST_DATABASE_URL!;
  const name = `los_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database "${name}" template "${process.env.LOS_TEST_POSTGRES_TEMPLATE}"`);
  await admin.end();
  const url = serverUrl(server, name);
  return {
    args: [],
    url,
    open: () => openDatabase({ url, poolSize: 1 }),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: server });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}
