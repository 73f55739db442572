import { dashboardRepository, type DashboardFilter } from '../db/repositories/dashboard-repository.ts';
import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { learningFiguresVersion } from '../db/repositories/learning-figures-repository.ts';
import { visibilityKey } from '../db/repositories/review-access.ts';
import { inSequence } from '../db/sequential.ts';
import { percentage } from '../domain/actions/audit-results.ts';
import { AMBER_WORKING_DAYS } from '../domain/actions/rag.ts';
import { daysBetween, londonDate } from '../domain/calendar/iso-date.ts';
import { addWorkingDays } from '../domain/calendar/working-days.ts';
import { pipeline } from '../domain/dashboard/pipeline.ts';
import { themesByYearFromCounts } from '../domain/learning/recurrence.ts';
import { mayViewDashboard, type Actor } from '../domain/lifecycle/roles.ts';
import { DEFAULT_SIGNAL_CONFIG } from '../domain/signals/config.ts';
import { dashboardQuery, type DashboardFigure } from '../schemas/dashboard.ts';
import { parseInput } from '../schemas/parse.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, ValidationError } from './errors.ts';
import { deepFreeze, versionedCache } from './versioned-cache.ts';
import type { Executor } from '../db/client.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/** Every figure of the dashboard, as the page, the API and the CSV files give them. */
async function readFigures(tx: Executor, actor: Actor, filter: DashboardFilter, today: string) {
  const repo = dashboardRepository(tx, actor);
  const amberBefore = addWorkingDays(today, AMBER_WORKING_DAYS + 1);
  const repeat = DEFAULT_SIGNAL_CONFIG['repeat-referral'];
  const [pipelineRows, returns, actions, rounds, reReferrals, themeCounts, firstYear] = await inSequence(
    () => repo.pipeline(filter),
    () => repo.returns(filter, today),
    () => repo.actions(filter, today, amberBefore),
    () => repo.auditRounds(filter),
    () => repo.reReferrals(filter, repeat.sameReferralWithinDays, repeat.withinMonths),
    // Counted in SQL: the reviews' lists (recurrence-service) are not needed for a table of counts.
    () => repo.themesOverTime(filter),
    () => repo.firstYear(),
  );
  const themes = themesByYearFromCounts(themeCounts);

  const audits = new Map<
    string,
    {
      auditId: string;
      question: string;
      agencyCode: string;
      agencyName: string;
      rounds: { date: string; compliant: number; sampled: number; percentage: number }[];
    }
  >();
  for (const r of rounds) {
    const a =
      audits.get(r.auditId) ??
      audits
        .set(r.auditId, {
          auditId: r.auditId,
          question: r.question,
          agencyCode: r.agencyCode,
          agencyName: r.agencyName,
          rounds: [],
        })
        .get(r.auditId)!;
    a.rounds.push({
      date: r.roundDate,
      compliant: r.compliant,
      sampled: r.sampled,
      percentage: percentage(r),
    });
  }

  return {
    today,
    firstYear,
    pipeline: pipeline(pipelineRows, today),
    returns: returns.map((r) => ({
      ...r,
      longestOverdueDays: r.oldestDue ? daysBetween(r.oldestDue, today) : null,
    })),
    actions: actions.map((a) => ({ ...a, total: a.overdue + a.dueSoon + a.onTrack + a.done + a.cancelled })),
    themes,
    audits: [...audits.values()],
    reReferrals: reReferrals.map((r) => ({
      ...r,
      rate: r.referrals > 0 ? Math.round((r.reReferrals / r.referrals) * 1000) / 10 : null,
    })),
  };
}

export type DashboardFigures = Awaited<ReturnType<typeof readFigures>>;

/**
 * The board's dashboard: reviews by stage with their clocks, agency returns outstanding, actions
 * by agency and RAG, themes over time with repeats after completed actions, audit results and the
 * front door's re-referral rate. Board members, coordinators and administrators (deny by default,
 * refusals audited); every view and download audited with the filter and counts only.
 */
export function dashboardService(ctx: ServiceContext) {
  // The figures (and the agencies to filter by) per version of the partnership's learning data, for
  // each set of reviews a viewer may see, filter and day: worked out once and reused by every view
  // and download until a change to anything they are read from (drizzle/0023). Access is checked
  // and the view audited on every request, before and after a kept answer alike.
  const kept = versionedCache<
    DashboardFigures & { agencies: Awaited<ReturnType<ReturnType<typeof directoryRepository>['agencies']>> }
  >(64);

  async function figures(tx: Executor, actor: Actor, filter: DashboardFilter, today: string) {
    // The version first: a change committed while the figures are read can only make them newer.
    const version = await learningFiguresVersion(tx, actor);
    const key = [visibilityKey(actor), filter.fromYear, filter.toYear, filter.agencyId, today].join('|');
    return kept.get(key, version, async () => {
      const [read, agencies] = await inSequence(
        () => readFigures(tx, actor, filter, today),
        () => directoryRepository(tx, actor).agencies({ includeRetired: true }),
      );
      return deepFreeze({ ...read, agencies });
    });
  }

  async function open(tx: Executor, actor: Actor, query: unknown, action: AuditAction) {
    if (!mayViewDashboard(actor))
      throw new ForbiddenError(
        'Only board members, review coordinators and administrators see the dashboard.',
        denial(actor, { action, subjectType: 'dashboard' }),
      );
    const q = parseInput(dashboardQuery, query ?? {});
    const repo = dashboardRepository(tx, actor);
    const agency = q.agency ? await repo.agencyByCode(q.agency) : null;
    if (q.agency && !agency) throw new ValidationError({ agency: 'Choose an agency from the list' });
    const filter: DashboardFilter = {
      fromYear: q.from ?? null,
      toYear: q.to ?? null,
      agencyId: agency?.id ?? null,
    };
    return { filter, agency, today: londonDate(ctx.now()) };
  }

  return {
    /** Every figure, for the page and GET /api/v1/dashboard. */
    async view(actor: Actor, query: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { filter, agency, today } = await open(tx, actor, query, 'dashboard.view');
        const { agencies, ...read } = await figures(tx, actor, filter, today);
        await audit(tx, actor, {
          action: 'dashboard.view',
          outcome: 'success',
          subjectType: 'dashboard',
          detail: { from: filter.fromYear, to: filter.toYear, agency: agency?.code ?? null },
        });
        return { ...read, filter: { from: filter.fromYear, to: filter.toYear, agency }, agencies };
      });
    },

    /** The figures for one download (CSV on the page, or the API): audited as an export. */
    async export(actor: Actor, figure: DashboardFigure, query: unknown, format: 'csv' | 'json') {
      return inTransaction(ctx, async (tx) => {
        const { filter, agency, today } = await open(tx, actor, query, 'dashboard.export');
        const { agencies: _agencies, ...read } = await figures(tx, actor, filter, today);
        await audit(tx, actor, {
          action: 'dashboard.export',
          outcome: 'success',
          subjectType: 'dashboard',
          detail: { figure, format, from: filter.fromYear, to: filter.toYear, agency: agency?.code ?? null },
        });
        return { ...read, filter: { from: filter.fromYear, to: filter.toYear, agency } };
      });
    },
  };
}

export type DashboardService = ReturnType<typeof dashboardService>;
