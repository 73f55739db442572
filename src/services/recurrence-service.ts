import type { Executor } from '../db/client.ts';
import { inSequence } from '../db/sequential.ts';
import { recurrenceRepository } from '../db/repositories/recurrence-repository.ts';
import { learningFiguresVersion } from '../db/repositories/learning-figures-repository.ts';
import { visibilityKey } from '../db/repositories/review-access.ts';
import { percentage, trend } from '../domain/actions/audit-results.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import {
  actionsDoneBefore,
  recurrence,
  type DoneAction,
  type ThemeRecurrence,
} from '../domain/learning/recurrence.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { recurrenceQuery } from '../schemas/recurrence.ts';
import { audit, inTransaction, type ServiceContext } from './context.ts';
import { loadReview } from './review-load.ts';
import { deepFreeze, versionedCache } from './versioned-cache.ts';

/** What an earlier, done action's audits found, for the repeat-learning warning. */
export interface ActionAuditView {
  auditId: string;
  question: string;
  agencyName: string;
  rounds: { roundDate: string; sampled: number; compliant: number; percentage: number }[];
  trend: ReturnType<typeof trend>;
}

export type DoneActionView = DoneAction & { audits: ActionAuditView[] };

/**
 * Every theme's recurrence, worked out in one transaction from four reads. `briefings: false` for
 * what needs the reviews alone (the dashboard's themes over time): one read less.
 */
export async function readRecurrence(
  tx: Executor,
  actor: Actor,
  since?: string,
  options: { briefings?: boolean } = {},
) {
  const repo = recurrenceRepository(tx, actor);
  const [themes, reviews, briefings, actions] = await inSequence(
    () => repo.themes(),
    () => repo.reviewOccurrences(),
    () => (options.briefings === false ? Promise.resolve([]) : repo.briefingOccurrences()),
    () => repo.doneActions(),
  );
  return { items: recurrence({ themes, reviews, briefings, actions, since }), actions };
}

async function withAudits(tx: Executor, actor: Actor, actions: DoneAction[]): Promise<DoneActionView[]> {
  const audits = await recurrenceRepository(tx, actor).auditsOf([...new Set(actions.map((a) => a.actionId))]);
  return actions.map((a) => ({
    ...a,
    audits: audits
      .filter((x) => x.actionId === a.actionId)
      .map((x) => ({
        auditId: x.auditId,
        question: x.question,
        agencyName: x.agencyName,
        rounds: x.rounds.map((r) => ({ ...r, percentage: percentage(r) })),
        trend: trend(x.rounds),
      })),
  }));
}

/**
 * Recurrence of learning themes across the partnership's reviews (those the person may see) and
 * its library's own briefings; and, for one review's learning, where each theme appeared before
 * and the earlier actions on it that were completed or assured before this review was referred.
 */
export function recurrenceService(ctx: ServiceContext) {
  // Every theme's recurrence per version of the partnership's learning data (drizzle/0023), for each
  // set of reviews a reader may see and each `since`: worked out once and reused by the API and
  // every learning page until a change to what it is read from. The review's own access is checked
  // (loadReview) and the API's view audited on every request, before and after a kept answer alike.
  const kept = versionedCache<Awaited<ReturnType<typeof readRecurrence>>>(16);

  async function recurrenceFor(tx: Executor, actor: Actor, since?: string) {
    // The version first: a change committed while the rows are read can only make them newer.
    const version = await learningFiguresVersion(tx, actor);
    return kept.get(`${visibilityKey(actor)}|${since ?? ''}`, version, async () =>
      deepFreeze(await readRecurrence(tx, actor, since)),
    );
  }

  return {
    /** Every theme (GET /api/v1/themes/recurrence): audited as a view of the partnership's learning. */
    async list(actor: Actor, query: unknown): Promise<{ items: ThemeRecurrence[]; since: string | null }> {
      const q = parseInput(recurrenceQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const { items } = await recurrenceFor(tx, actor, q.since ?? undefined);
        await audit(tx, actor, {
          action: 'themes.recurrence.view',
          outcome: 'success',
          subjectType: 'learning_theme',
          detail: { since: q.since ?? null, themes: items.length },
        });
        return { items, since: q.since ?? null };
      });
    },

    /**
     * For a review's learning page: each theme with the other reviews and briefings carrying it,
     * and the repeat-learning warning's actions (with their audits). Read with the page, whose view
     * is audited by the learning service; nothing here is identifiable.
     */
    async forReview(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, deadlineDates } = await loadReview(tx, actor, reference);
        const { items, actions } = await recurrenceFor(tx, actor);
        const date = deadlineDates.referredOn ?? londonDate(ctx.now());
        const byTheme = new Map<string, ThemeLearningHistory>();
        const warnings: DoneAction[] = [];
        for (const item of items) {
          const earlier = actionsDoneBefore(
            actions.filter((a) => a.themeId === item.theme.id),
            handle.id,
            date,
          );
          warnings.push(...earlier);
          byTheme.set(item.theme.id, {
            theme: item.theme,
            reviews: item.reviews.filter((r) => r.reviewId !== handle.id),
            briefings: item.briefings,
            earlierActions: earlier,
          });
        }
        const withAuditViews = await withAudits(tx, actor, warnings);
        for (const history of byTheme.values())
          history.earlierActions = history.earlierActions.map(
            (a) => withAuditViews.find((w) => w.actionId === a.actionId && w.themeId === a.themeId) ?? a,
          );
        return { referredOn: date, byTheme };
      });
    },
  };
}

export interface ThemeLearningHistory {
  theme: ThemeRecurrence['theme'];
  reviews: ThemeRecurrence['reviews'];
  briefings: ThemeRecurrence['briefings'];
  earlierActions: (DoneAction | DoneActionView)[];
}

export type RecurrenceService = ReturnType<typeof recurrenceService>;
