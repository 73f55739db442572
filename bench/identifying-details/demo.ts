import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../src/db/client.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { briefingTexts } from '../../src/domain/anonymise/briefing-texts.ts';
import { findIdentifyingDetails } from '../../src/domain/anonymise/find.ts';
import type { Finding } from '../../src/domain/anonymise/types.ts';
import { parseBriefing } from '../../src/domain/briefing/parse.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import type { Services } from '../../src/services/index.ts';
import type { ProbeReview } from './probe.ts';

const SHARED_SAMPLE = new URL('../../../shared/examples/line-of-sight-briefing-child-2.txt', import.meta.url);
const FIXTURE = new URL('../../test/fixtures/briefings/line-of-sight-briefing-child-2.txt', import.meta.url);

/** The sample briefing of ../shared/examples (the project's copy of it when shared/ is not beside it). */
export function sampleBriefing(): { path: string; text: string } {
  const url = existsSync(SHARED_SAMPLE) ? SHARED_SAMPLE : FIXTURE;
  return { path: url.pathname, text: readFileSync(url, 'utf8') };
}

/**
 * Every review of a database holding the demo, with what its check compares with, read as the
 * coordinator through the service (the same data, permission and audit as a check).
 */
export async function demoReviews(db: Executor, services: Services): Promise<ProbeReview[]> {
  const coordinator = actorFor(
    (await systemRepository(db).userByEmail('coordinator@demo.example'))!,
    'probe',
  );
  const refs = (
    (await db.execute(sql`select reference, pseudonym from reviews order by reference`)) as unknown as {
      rows: { reference: string; pseudonym: string }[];
    }
  ).rows;
  const reviews: ProbeReview[] = [];
  for (const { reference, pseudonym } of refs) {
    const { data, partnershipNames } = await services.briefings.checkData(coordinator, reference);
    reviews.push({ label: `${reference} (${pseudonym})`, data, partnershipNames });
  }
  return reviews;
}

/**
 * What the check finds in the published Child 2 briefing (its latest published version, against
 * Child 2's own data) and in the sample briefing (against every demo review's data): nothing, when
 * it leaves anonymised briefings alone.
 */
export async function publishedFindings(db: Executor, services: Services, reviews: ProbeReview[]) {
  const coordinator = actorFor(
    (await systemRepository(db).userByEmail('coordinator@demo.example'))!,
    'probe',
  );
  const child2 = reviews.find((r) => r.label.startsWith('LOS-2021-002'))!;
  const view = await services.briefings.view(coordinator, 'LOS-2021-002');
  const published = view.published!.content;
  const child2Findings = findIdentifyingDetails(briefingTexts(published), child2.data, {
    partnershipNames: child2.partnershipNames,
  });
  const sample = sampleBriefing();
  const parsed = parseBriefing(sample.text, { fileName: 'line-of-sight-briefing-child-2.txt' }).briefing;
  const sampleFindings: (Finding & { review: string })[] = reviews.flatMap((r) =>
    findIdentifyingDetails(briefingTexts(parsed), r.data, { partnershipNames: r.partnershipNames }).map(
      (f) => ({
        ...f,
        review: r.label,
      }),
    ),
  );
  return { child2Version: view.published!.version, child2Findings, samplePath: sample.path, sampleFindings };
}
