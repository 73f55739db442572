import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { agencies, agencyRequests, chronologyEntries, reviews } from '../../src/db/schema.ts';
import { chronologySortKey, type ChronologyEntry } from '../../src/domain/chronology/entry.ts';

export type TestEntry = Pick<ChronologyEntry, 'date' | 'agency' | 'eventType' | 'summary'> &
  Partial<Omit<ChronologyEntry, 'date' | 'agency' | 'eventType' | 'summary'>>;

/**
 * Test data setup: entries in a review's merged chronology, under an accepted request of their
 * agency (the live one if there is one, else a new accepted request). Returns the entries' ids.
 */
export async function addAcceptedEntries(db: Database, reference: string, entries: readonly TestEntry[]) {
  const [review] = await db.select().from(reviews).where(eq(reviews.reference, reference));
  if (!review) throw new Error(`No review ${reference}`);
  const ids: string[] = [];
  for (const [i, e] of entries.entries()) {
    const [agency] = await db
      .select()
      .from(agencies)
      .where(and(eq(agencies.partnershipId, review.partnershipId), eq(agencies.code, e.agency)));
    if (!agency) throw new Error(`No agency ${e.agency}`);
    let [request] = await db
      .select()
      .from(agencyRequests)
      .where(
        and(
          eq(agencyRequests.reviewId, review.id),
          eq(agencyRequests.agencyId, agency.id),
          isNull(agencyRequests.withdrawnAt),
        ),
      );
    request ??= (
      await db
        .insert(agencyRequests)
        .values({
          reviewId: review.id,
          agencyId: agency.id,
          status: 'accepted',
          dueDate: '2026-01-01',
          acceptedAt: new Date(),
        })
        .returning()
    )[0]!;
    const [row] = await db
      .insert(chronologyEntries)
      .values({
        reviewId: review.id,
        requestId: request.id,
        agencyId: agency.id,
        date: e.date,
        sortKey: chronologySortKey({ date: e.date, time: e.time ?? null }),
        time: e.time ?? null,
        eventType: e.eventType,
        summary: e.summary,
        childrenPresent: e.childrenPresent ?? null,
        childSeen: e.childSeen ?? null,
        concerns: e.concerns ?? [],
        worker: e.worker ?? null,
        sourceRef: e.sourceRef ?? null,
        sourceRow: i + 2,
      })
      .returning({ id: chronologyEntries.id });
    ids.push(row!.id);
  }
  return ids;
}

/** A small chronology with a police incident that does not record the children, a gap and a re-referral. */
export const SIGNAL_ENTRIES: TestEntry[] = [
  {
    date: '2021-01-05',
    agency: 'police',
    eventType: 'police_incident',
    summary: 'Domestic incident at the home.',
    childrenPresent: 'not_recorded',
    concerns: ['domestic_abuse'],
    sourceRef: 'T-POL-1',
  },
  {
    date: '2021-02-01',
    agency: 'csc',
    eventType: 'referral',
    summary: 'Referral from health visiting about neglect.',
    concerns: ['neglect'],
    sourceRef: 'T-CSC-1',
  },
  {
    date: '2021-02-02',
    agency: 'csc',
    eventType: 'referral_decision',
    summary: 'Decision: single assessment.',
    sourceRef: 'T-CSC-2',
  },
  {
    date: '2021-02-03',
    agency: 'csc',
    eventType: 'assessment_started',
    summary: 'Assessment started.',
    childSeen: 'yes',
    sourceRef: 'T-CSC-3',
  },
  {
    date: '2021-08-20',
    agency: 'health-visiting',
    eventType: 'home_visit',
    summary: 'Home visit; child seen.',
    childSeen: 'yes',
    sourceRef: 'T-HV-1',
  },
  {
    date: '2021-09-01',
    agency: 'csc',
    eventType: 'referral',
    summary: 'Second referral: neglect.',
    concerns: ['neglect'],
    sourceRef: 'T-CSC-4',
  },
];
