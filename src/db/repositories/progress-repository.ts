import { eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { reviewProgressStatements } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { VisibleReview } from './review-access.ts';

/** A review's progress/impact statement (section 6 of its briefing). */
export function progressRepository(db: Executor, actor: Actor) {
  return {
    async get(review: VisibleReview) {
      const [row] = await db
        .select()
        .from(reviewProgressStatements)
        .where(eq(reviewProgressStatements.reviewId, review.id));
      return row ?? null;
    },

    /** The statement's items, in order; empty when none has been written. */
    async items(review: VisibleReview): Promise<string[]> {
      return (await this.get(review))?.items ?? [];
    },

    async save(review: VisibleReview, items: string[], at: Date) {
      await db
        .insert(reviewProgressStatements)
        .values({ reviewId: review.id, items, updatedBy: actor.userId, updatedAt: at })
        .onConflictDoUpdate({
          target: reviewProgressStatements.reviewId,
          set: { items, updatedBy: actor.userId, updatedAt: at },
        });
    },
  };
}
