import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  actionAudits,
  actionLearningStatements,
  agencies,
  briefings,
  briefingThemes,
  briefingVersions,
  learningStatements,
  learningStatementThemes,
  learningThemes,
  practiceAuditRounds,
  practiceAudits,
  referrals,
  reviewActions,
  reviews,
} from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type {
  BriefingOccurrence,
  DoneAction,
  ReviewOccurrence,
  ThemeOfTaxonomy,
} from '../../domain/learning/recurrence.ts';
import { visibleReviewsCondition } from './review-access.ts';

/** The London date of a timestamp, in SQL. */
const londonDay = (column: unknown) => sql<string>`((${column}) at time zone 'Europe/London')::date::text`;

/**
 * The rows recurrence is worked out from (src/domain/learning/recurrence.ts): which reviews carry
 * each theme (only the reviews this actor may see: the visible-reviews condition), which of the
 * library's own briefings do (every partnership user reads the library), and the actions under each
 * theme that were completed or assured, with when.
 */
export function recurrenceRepository(db: Executor, actor: Actor) {
  const visible = visibleReviewsCondition(actor);

  return {
    async themes(): Promise<ThemeOfTaxonomy[]> {
      const rows = await db
        .select({
          id: learningThemes.id,
          key: learningThemes.key,
          name: learningThemes.name,
          retired: sql<boolean>`${learningThemes.retiredAt} is not null`,
        })
        .from(learningThemes)
        .where(eq(learningThemes.partnershipId, actor.partnershipId))
        .orderBy(asc(learningThemes.name));
      return rows;
    },

    /** One row per theme and visible review whose learning carries it, dated by the referral. */
    async reviewOccurrences(): Promise<ReviewOccurrence[]> {
      // The distinct pairs first, on their ids alone: measured about twice as quick as distinct
      // rows with the reference and date (bench/learning-across.ts).
      const pairs = db
        .selectDistinct({ themeId: learningStatementThemes.themeId, reviewId: learningStatements.reviewId })
        .from(learningStatementThemes)
        .innerJoin(learningStatements, eq(learningStatements.id, learningStatementThemes.statementId))
        .as('pairs');
      return db
        .select({
          themeId: pairs.themeId,
          reviewId: reviews.id,
          reference: reviews.reference,
          date: sql<string>`${referrals.referredOn}::text`,
        })
        .from(pairs)
        .innerJoin(reviews, eq(reviews.id, pairs.reviewId))
        .innerJoin(referrals, eq(referrals.reviewId, reviews.id))
        .where(visible);
    },

    /**
     * The library's own briefings (imported, not a review's) with a published version, by theme,
     * dated by the document's own date, else its year, else when it was published here.
     */
    async briefingOccurrences(): Promise<BriefingOccurrence[]> {
      const published = sql`exists (select 1 from ${briefingVersions} v where v.briefing_id = ${briefings.id} and v.state = 'published')`;
      return db
        .select({
          themeId: briefingThemes.themeId,
          briefingId: briefings.id,
          title: sql<string>`coalesce(${briefings.title}, (select v.content->>'title' from ${briefingVersions} v where v.briefing_id = ${briefings.id} and v.state = 'published' order by v.version desc limit 1))`,
          date: sql<string>`coalesce(${briefings.documentDate}, make_date(${briefings.year}, 1, 1), (select min(${londonDay(sql`v.published_at`)}) from ${briefingVersions} v where v.briefing_id = ${briefings.id} and v.state = 'published')::date)::text`,
        })
        .from(briefingThemes)
        .innerJoin(briefings, eq(briefings.id, briefingThemes.briefingId))
        .where(
          and(
            eq(briefings.partnershipId, actor.partnershipId),
            sql`${briefings.reviewId} is null`,
            published,
          ),
        );
    },

    /**
     * Actions answering learning under each theme that are completed or assured now, in visible
     * reviews, with the day they last became done (the update that took them there).
     */
    async doneActions(): Promise<DoneAction[]> {
      const doneAt = sql`(select max(u.at) from action_updates u where u.action_id = ${reviewActions.id} and u.status_to in ('completed', 'assured') and u.status_from not in ('completed', 'assured'))`;
      return db
        .selectDistinct({
          themeId: learningStatementThemes.themeId,
          actionId: reviewActions.id,
          reviewId: reviews.id,
          reference: reviews.reference,
          number: reviewActions.number,
          what: reviewActions.what,
          status: sql<'completed' | 'assured'>`${reviewActions.status}`,
          doneOn: londonDay(sql`coalesce(${doneAt}, ${reviewActions.assuredAt}, ${reviewActions.updatedAt})`),
        })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .innerJoin(actionLearningStatements, eq(actionLearningStatements.actionId, reviewActions.id))
        .innerJoin(
          learningStatementThemes,
          eq(learningStatementThemes.statementId, actionLearningStatements.statementId),
        )
        .where(and(visible, inArray(reviewActions.status, ['completed', 'assured'])));
    },

    /** The audits evidencing these actions, with their rounds in date order. */
    async auditsOf(actionIds: string[]) {
      if (!actionIds.length) return [];
      const links = await db
        .select({
          actionId: actionAudits.actionId,
          auditId: practiceAudits.id,
          question: practiceAudits.question,
          sampleDescription: practiceAudits.sampleDescription,
          compliantMeans: practiceAudits.compliantMeans,
          agencyName: agencies.name,
        })
        .from(actionAudits)
        .innerJoin(practiceAudits, eq(practiceAudits.id, actionAudits.auditId))
        .innerJoin(agencies, eq(agencies.id, practiceAudits.agencyId))
        .where(
          and(
            eq(practiceAudits.partnershipId, actor.partnershipId),
            inArray(actionAudits.actionId, actionIds),
          ),
        );
      const auditIds = [...new Set(links.map((l) => l.auditId))];
      const rounds = auditIds.length
        ? await db
            .select({
              auditId: practiceAuditRounds.auditId,
              roundDate: practiceAuditRounds.roundDate,
              sampled: practiceAuditRounds.sampled,
              compliant: practiceAuditRounds.compliant,
            })
            .from(practiceAuditRounds)
            .where(inArray(practiceAuditRounds.auditId, auditIds))
            .orderBy(asc(practiceAuditRounds.roundDate))
        : [];
      return links.map((l) => ({ ...l, rounds: rounds.filter((r) => r.auditId === l.auditId) }));
    },
  };
}
