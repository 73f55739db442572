/**
 * Measures the identifying-details check (docs/data-protection.md, "How well the check works").
 *
 *   npx tsx bench/identifying-details-probe.ts [--generated N] [--general N] [--seed S]
 *
 * Builds the demo in an in-memory embedded database, reads what each demo review's check compares
 * with through the service, adds N generated reviews (default 200), writes every identifier each
 * review holds in every form people write it, and general identifiers (--general rounds per
 * review, default 3), one per item of a draft; runs the check and counts per kind. Also checks the
 * published Child 2 briefing and the sample briefing of ../shared/examples, and ordinary
 * safeguarding phrases. Deterministic for a seed (default 12); the figures, not a timing.
 */
import { openDatabase, serviceConnections } from '../src/db/client.ts';
import { loadDemo } from '../src/demo/load-demo.ts';
import { createServices } from '../src/services/index.ts';
import { demoReviews, publishedFindings } from './identifying-details/demo.ts';
import { report, runProbe } from './identifying-details/probe.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};

const database = await openDatabase({});
try {
  await database.migrate();
  await loadDemo(database.db);
  const services = createServices({ ...serviceConnections(database), now: () => new Date() });
  const reviews = await demoReviews(database.db, services);
  const result = runProbe({
    reviews,
    generated: option('--generated', 200),
    general: option('--general', 3),
    seed: option('--seed', 12),
  });
  console.log(report(result));
  const published = await publishedFindings(database.db, services, reviews);
  console.log('');
  console.log(
    `Published Child 2 briefing (version ${published.child2Version}): ${published.child2Findings.length} findings.`,
  );
  console.log(
    `Sample briefing ${published.samplePath}, against each of ${reviews.length} demo reviews: ${published.sampleFindings.length} findings.`,
  );
  for (const f of [...published.child2Findings, ...published.sampleFindings])
    console.log(`- "${f.text}" (${f.kind}): ${f.reason}`);
} finally {
  await database.close();
}
