import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase } from '../../src/db/client.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { PGLITE_TEMPLATE, POSTGRES_TEMPLATE_DB, serverUrl } from './paths.ts';

/**
 * Once per run: a migrated database with the demonstration partnership, as a PGlite data-directory
 * dump (each test file loads it in about a second) and, when TEST_DATABASE_URL is set, as a
 * template database on the PostgreSQL server (each test file copies it).
 */
export default async function setup(): Promise<void> {
  const embedded = await openDatabase({});
  await embedded.migrate();
  await loadDemo(embedded.db);
  const dump = await embedded.pglite!.dumpDataDir('gzip');
  mkdirSync(new URL('.', PGLITE_TEMPLATE), { recursive: true });
  writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await embedded.close();

  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // Copies left by an interrupted run, then a fresh template.
    const stale = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'los_test_%' or datname = $1",
      [POSTGRES_TEMPLATE_DB],
    );
    for (const { datname } of stale.rows)
      await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.query(`create database "${POSTGRES_TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const server = await openDatabase({ url: serverUrl(url, POSTGRES_TEMPLATE_DB), poolSize: 2 });
  await server.migrate();
  await loadDemo(server.db);
  await server.close();
}
