import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { agencies, agencyRequests, chronologyEntries, reviewSubjects, users } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { VisibleReview } from './review-access.ts';

const submitter = alias(users, 'submitter');

/**
 * The merged chronology: entries of accepted returns only. Everyone who sees the review sees it
 * (an agency's draft or submitted return is reached only through the return repository).
 */
export function mergedChronologyRepository(db: Executor, actor: Actor) {
  void actor;
  return {
    async entries(review: VisibleReview) {
      return db
        .select({
          entry: chronologyEntries,
          agencyCode: agencies.code,
          agencyName: agencies.name,
          submittedByName: submitter.name,
        })
        .from(chronologyEntries)
        .innerJoin(agencyRequests, eq(agencyRequests.id, chronologyEntries.requestId))
        .innerJoin(agencies, eq(agencies.id, chronologyEntries.agencyId))
        .leftJoin(submitter, eq(submitter.id, agencyRequests.submittedBy))
        .where(
          and(
            eq(chronologyEntries.reviewId, review.id),
            eq(agencyRequests.status, 'accepted'),
            isNull(chronologyEntries.removedAt),
          ),
        )
        .orderBy(asc(chronologyEntries.sortKey), asc(agencies.code), asc(chronologyEntries.sourceRow));
    },

    /** Links accepted entries of this review as one event (or unlinks them with null). */
    async link(review: VisibleReview, entryIds: string[], key: string | null) {
      if (!entryIds.length) return 0;
      const accepted = db
        .select({ id: agencyRequests.id })
        .from(agencyRequests)
        .where(and(eq(agencyRequests.reviewId, review.id), eq(agencyRequests.status, 'accepted')));
      const rows = await db
        .update(chronologyEntries)
        .set({ sameEventKey: key })
        .where(
          and(
            eq(chronologyEntries.reviewId, review.id),
            inArray(chronologyEntries.id, entryIds),
            inArray(chronologyEntries.requestId, accepted),
          ),
        )
        .returning({ id: chronologyEntries.id });
      return rows.length;
    },
  };
}

export type MergedRow = Awaited<ReturnType<ReturnType<typeof mergedChronologyRepository>['entries']>>[number];

/**
 * The child's date of birth, only to work out their age at each entry. It is never handed to a
 * page or a file: the age ("1 year 6 months") says less than the date, and everyone who may see
 * the review may read the chronology's ages. See docs/data-protection.md.
 */
export async function dateOfBirthForAges(db: Executor, review: VisibleReview): Promise<string | null> {
  const [row] = await db
    .select({ dateOfBirth: reviewSubjects.dateOfBirth })
    .from(reviewSubjects)
    .where(eq(reviewSubjects.reviewId, review.id));
  return row?.dateOfBirth ?? null;
}
