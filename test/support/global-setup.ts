import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase } from '../../src/db/client.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { build } from '../../scripts/build.mjs';
import { PGLITE_TEMPLATE, POSTGRES_TEMPLATE_DB, serverUrl } from './paths.ts';

/**
 * Once per run: a migrated database with the demonstration partnership, as a PGlite data-directory
 * dump (each test file loads it in about a second) and, when TEST_DATABASE_URL is set, as a
 * template database on the PostgreSQL server (each test file copies it). The template is this
 * run's own and is dropped at the end, so runs by several people on one server never meet.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Test workers start after this setup, so they inherit the run's name (PGLITE_TEMPLATE).
  process.env.LOS_TEST_PGLITE_RUN = String(process.pid);
  const url = process.env.TEST_DATABASE_URL;
  const template = url ? `${POSTGRES_TEMPLATE_DB}_${randomBytes(4).toString('hex')}` : undefined;
  // Test workers start after this setup, so they inherit it.
  if (template) process.env.LOS_TEST_POSTGRES_TEMPLATE = template;
  const removeTemplate = () => rmSync(PGLITE_TEMPLATE, { force: true });
  // The two databases are made at once: the embedded one works in its own thread, the server in
  // its own process, and neither waits for the other.
  await Promise.all([
    // The compiled build, for the commands tests start as processes (test/support/cli-process.ts).
    // Should it fail (a half-edited file anywhere in src/), they run through tsx; the serve test in
    // test/cli/commands.test.ts builds again and fails then.
    build({ quiet: true }).catch(() => undefined),
    (async () => {
      const embedded = await openDatabase({});
      await embedded.migrate();
      await loadDemo(embedded.db);
      const dump = await embedded.dump!();
      mkdirSync(new URL('.', PGLITE_TEMPLATE), { recursive: true });
      writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
      await embedded.close();
    })(),
    (async () => {
      if (!url || !template) return;
      await adminQuery(url, `create database "${template}"`);
      const server = await openDatabase({ url: serverUrl(url, template), poolSize: 2 });
      await server.migrate();
      await loadDemo(server.db);
      await server.close();
    })(),
  ]);
  if (!url) return async () => removeTemplate();
  return async () => {
    removeTemplate();
    await adminQuery(url, `drop database if exists "${template}"`);
  };
}

async function adminQuery(url: string, statement: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
