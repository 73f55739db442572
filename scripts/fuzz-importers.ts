/**
 * Every importer fed generated files at length (test/fuzz: the same generators and checks CI runs
 * at 300 cases each and database).
 *
 *   npx tsx scripts/fuzz-importers.ts [--runs 10000] [--only "briefing (docx)"] [--seed N]
 *
 * The real application on a fresh embedded database holding the demo, or, with DATABASE_URL set
 * to a server (postgres://…/any), on a scratch database created there and dropped at the end.
 * Each case goes in the way people send it (the API, or the web form signed in); a 5xx, an
 * exception, a refusal that does not name the file, or anything written by a refused file stops
 * the run with the smallest case fast-check finds. Prints cases, taken, refused and time per importer.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type DatabaseHandle, serviceConnections } from '../src/db/client.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { limitsFrom } from '../src/limits.ts';
import { buildApp } from '../src/runtime.ts';
import { createServices } from '../src/services/index.ts';
import { fuzzTarget, importerTargets } from '../test/fuzz/importers.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const runs = Number(option('--runs') ?? 10_000);
const only = option('--only');
const seed = option('--seed') === undefined ? undefined : Number(option('--seed'));

const server = process.env.DATABASE_URL;
const scratch = `los_fuzz_${randomBytes(5).toString('hex')}`;
const admin = async (statement: string) => {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
};

let database: DatabaseHandle;
if (server) {
  await admin(`create database "${scratch}"`);
  const url = new URL(server);
  url.pathname = `/${scratch}`;
  database = await openDatabase({ url: url.toString(), migrate: true });
} else database = await openDatabase({ migrate: true });

try {
  await loadDemo(database.db);
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), DATA_DIR: ':memory:' };
  const services = createServices({ ...serviceConnections(database), now: () => new Date(), limits: limitsFrom(config) });
  const app = await buildApp({ config, database, services });
  await app.ready();
  const targets = (await importerTargets({ app, database, services })).filter(
    (t) => !only || t.name === only,
  );
  console.log(
    `${runs} cases per importer on ${server ? 'a PostgreSQL server' : 'the embedded database'}${seed === undefined ? '' : `, seed ${seed}`}:`,
  );
  for (const target of targets) {
    const report = await fuzzTarget(target, runs, seed);
    console.log(
      `  ${report.target.padEnd(34)} ${String(report.cases).padStart(6)} cases, ${String(report.accepted).padStart(5)} taken, ${String(report.refused).padStart(5)} refused, ${(report.ms / 1000).toFixed(0)} s`,
    );
  }
  await app.close();
} finally {
  await database.close();
  if (server) await admin(`drop database if exists "${scratch}" with (force)`);
}
