import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { PGLITE_TEMPLATE, serverUrl } from './paths.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** PGlite always; the PostgreSQL server too when TEST_DATABASE_URL is set (as in CI). */
export const DATABASE_KINDS: DatabaseKind[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

/**
 * A fresh database holding the demonstration partnership, for one test file. `close()` drops
 * a server copy, so runs leave nothing behind.
 */
export async function openTestDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    const dump = new Blob([readFileSync(PGLITE_TEMPLATE)]);
    return openDatabase({ loadDataDir: dump });
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `los_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}" template "${process.env.LOS_TEST_POSTGRES_TEMPLATE}"`);
  await admin.end();
  const handle = await openDatabase({ url: serverUrl(url, name), poolSize: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}
