import { and, eq, sql, type SQL } from 'drizzle-orm';
import { reviewMembers, reviews } from '../schema.ts';
import { seesAllReviews, type Actor } from '../../domain/lifecycle/roles.ts';

/**
 * The one statement, in SQL, of which reviews an actor may see: their partnership's, and of
 * those either all (partnership-wide roles) or the ones they are a member of. Deny by default.
 */
export function visibleReviewsCondition(actor: Actor): SQL {
  const partnership = eq(reviews.partnershipId, actor.partnershipId);
  if (seesAllReviews(actor)) return partnership;
  return and(
    partnership,
    sql`exists (select 1 from ${reviewMembers} where ${reviewMembers.reviewId} = ${reviews.id} and ${reviewMembers.userId} = ${actor.userId})`,
  )!;
}

/**
 * Which reviews an actor may see, as a key: two actors with the same key get the same rows from
 * visibleReviewsCondition (their partnership, and all of its reviews or those they are a member of).
 * What is worked out over the visible reviews is kept under this key (src/services/versioned-cache.ts).
 */
export function visibilityKey(actor: Actor): string {
  return seesAllReviews(actor)
    ? `${actor.partnershipId}:all`
    : `${actor.partnershipId}:member:${actor.userId}`;
}

declare const visibleBrand: unique symbol;

/**
 * A review the actor has been shown to be allowed to see. Only the review repository makes one,
 * and every query on a review's parts takes one: so no query reaches a review around the check.
 */
export interface VisibleReview {
  readonly [visibleBrand]: true;
  readonly id: string;
  readonly reference: string;
  readonly partnershipId: string;
  readonly isMember: boolean;
  /**
   * The version of the review's accepted chronology when it was found (chronology_versions), read
   * in the same statement: what the merged chronology and signals reuse results by. A change later in
   * the same transaction is not reflected; no use case changes the chronology and then reads it.
   */
  readonly chronologyVersion: string;
}
