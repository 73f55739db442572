import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  agencyRequests,
  monitoredChildren,
  monitoringImports,
  partnerships,
  practiceAuditRounds,
  practiceAudits,
  referrals,
  reviewActions,
  reviewAgencies,
  reviews,
  screeningDecisions,
} from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';
import type { ReviewType, ScreeningOutcome, Stage } from '../../domain/lifecycle/stages.ts';
import { visibleReviewsCondition } from './review-access.ts';

export interface DashboardFilter {
  /** Reviews referred, audit rounds held and referrals made in these years (inclusive). */
  fromYear: number | null;
  toYear: number | null;
  /** Reviews that involve or have in scope this agency; its returns, actions and audits. */
  agencyId: string | null;
}

const yearOf = (date: SQL | unknown) => sql`extract(year from ${date})::int`;

/**
 * The dashboard's figures as SQL aggregates, each over the reviews this actor may see (the
 * visible-reviews condition) and the filter. Dates are compared as the partnership's (London) days.
 */
export function dashboardRepository(db: Executor, actor: Actor) {
  const visible = visibleReviewsCondition(actor);
  const inPeriod = (date: unknown, f: DashboardFilter): SQL[] => [
    ...(f.fromYear !== null ? [sql`${yearOf(date)} >= ${f.fromYear}`] : []),
    ...(f.toYear !== null ? [sql`${yearOf(date)} <= ${f.toYear}`] : []),
  ];
  /** The reviews the filter picks: visible, referred in the period, and involving the agency. */
  const reviewsPicked = (f: DashboardFilter): SQL =>
    and(
      visible,
      ...inPeriod(referrals.referredOn, f),
      ...(f.agencyId
        ? [
            sql`exists (select 1 from ${reviewAgencies} ra where ra.review_id = ${reviews.id} and ra.agency_id = ${f.agencyId} and (ra.in_scope or ra.involved))`,
          ]
        : []),
    )!;

  return {
    /** The review ids the filter picks (themes over time reads recurrence through them). */
    async reviewIds(f: DashboardFilter): Promise<Set<string>> {
      const rows = await db
        .select({ id: reviews.id })
        .from(reviews)
        .innerJoin(referrals, eq(referrals.reviewId, reviews.id))
        .where(reviewsPicked(f));
      return new Set(rows.map((r) => r.id));
    },

    /**
     * Themes over time, counted here rather than from every review's list (the rule is
     * src/domain/learning/recurrence.ts; test/learning/dashboard.test.ts checks the two agree):
     * the picked reviews carrying each theme by the year they were referred, and how many were
     * referred after an action on the theme in another visible review became completed or
     * assured. For that, each theme's two reviews whose actions were done first are enough.
     */
    async themesOverTime(f: DashboardFilter) {
      const doneAt = sql`coalesce((select max(u.at) from action_updates u where u.action_id = a.id and u.status_to in ('completed', 'assured') and u.status_from not in ('completed', 'assured')), a.assured_at, a.updated_at)`;
      const result = await db.execute(sql`
        with picked as (
          select ${reviews.id} as review_id, ${referrals.referredOn} as referred_on
          from ${reviews} join ${referrals} on ${referrals.reviewId} = ${reviews.id}
          where ${reviewsPicked(f)}
        ), pairs as (
          select distinct lst.theme_id, s.review_id
          from learning_statement_themes lst join learning_statements s on s.id = lst.statement_id
          where s.review_id in (select review_id from picked)
        ), done as (
          select lst.theme_id, a.review_id, min(((${doneAt}) at time zone 'Europe/London')::date) as done_on
          from review_actions a
          join ${reviews} on ${reviews.id} = a.review_id
          join action_learning_statements als on als.action_id = a.id
          join learning_statement_themes lst on lst.statement_id = als.statement_id
          where ${visible} and a.status in ('completed', 'assured')
          group by 1, 2
        ), ranked as (
          select *, row_number() over (partition by theme_id order by done_on, review_id) as n from done
        ), firsts as (
          select theme_id,
                 max(review_id::text) filter (where n = 1) as first_review,
                 max(done_on) filter (where n = 1) as first_done,
                 max(done_on) filter (where n = 2) as second_done
          from ranked where n <= 2 group by theme_id
        ), counted as (
          -- Grouped by the theme's id, its key and name joined after: sorting thousands of rows by
          -- text under a collation cost a quarter of the statement.
          select p.theme_id, extract(year from k.referred_on)::int as year,
                 count(*)::int as reviews,
                 (count(*) filter (where (case when p.review_id::text = fs.first_review then fs.second_done else fs.first_done end) < k.referred_on))::int as repeats
          from pairs p
          join picked k on k.review_id = p.review_id
          left join firsts fs on fs.theme_id = p.theme_id
          group by 1, 2
        )
        select t.key, t.name, c.year, c.reviews, c.repeats
        from counted c join learning_themes t on t.id = c.theme_id
        where t.partnership_id = ${actor.partnershipId}`);
      return (
        result as unknown as {
          rows: { key: string; name: string; year: number; reviews: number; repeats: number }[];
        }
      ).rows.map((r) => ({
        ...r,
        year: Number(r.year),
        reviews: Number(r.reviews),
        repeats: Number(r.repeats),
      }));
    },

    /**
     * Reviews in progress (not closed, not stopped) with what their clocks run from. One row per
     * review, hundreds of them: read as plain rows, without the query builder's mapping of each
     * value (which took longer than the statement).
     */
    async pipeline(f: DashboardFilter) {
      const result = await db.execute(sql`
        select ${reviews.reference} as reference, ${reviews.type} as type, ${reviews.stage} as stage,
               ${reviews.status} = 'paused' as paused,
               ((${reviews.stageEnteredAt}) at time zone 'Europe/London')::date::text as stage_entered_on,
               ${referrals.referredOn}::text as referred_on,
               ${screeningDecisions.outcome} as outcome, ${screeningDecisions.decidedOn}::text as decided_on,
               -- The statutory clock of a local child safeguarding practice review, and the partnership's own target.
               case when ${screeningDecisions.rapidReviewOutcome} = 'lcspr' then ${screeningDecisions.outcomeDecidedOn}::text end as lcspr_decided_on,
               (select case ${reviews.type} when 'line_of_sight' then p.line_of_sight_target_weeks
                                            when 'single_agency' then p.single_agency_target_weeks end
                from ${partnerships} p where p.id = ${reviews.partnershipId}) as target_weeks
        from ${reviews}
        join ${referrals} on ${referrals.reviewId} = ${reviews.id}
        left join ${screeningDecisions} on ${screeningDecisions.reviewId} = ${reviews.id}
        where ${reviewsPicked(f)} and ${reviews.stage} <> 'closed' and ${reviews.status} <> 'stopped'
        order by ${reviews.reference}`);
      const rows = (
        result as unknown as {
          rows: {
            reference: string;
            type: ReviewType;
            stage: Stage;
            paused: boolean;
            stage_entered_on: string;
            referred_on: string;
            outcome: ScreeningOutcome | null;
            decided_on: string | null;
            lcspr_decided_on: string | null;
            target_weeks: number | null;
          }[];
        }
      ).rows;
      return rows.map((r) => ({
        reference: r.reference,
        type: r.type,
        stage: r.stage,
        paused: r.paused,
        stageEnteredOn: r.stage_entered_on,
        referredOn: r.referred_on,
        screening: r.outcome && r.decided_on ? { outcome: r.outcome, decidedOn: r.decided_on } : null,
        lcsprDecidedOn: r.lcspr_decided_on,
        targetWeeks: r.target_weeks === null ? null : Number(r.target_weeks),
      }));
    },

    /** Agency returns waiting on the agency (sent, in progress, returned with a query), by agency. */
    async returns(f: DashboardFilter, today: string) {
      return db
        .select({
          agencyCode: agencies.code,
          agencyName: agencies.name,
          outstanding: sql<number>`count(*)::int`,
          overdue: sql<number>`(count(*) filter (where ${agencyRequests.dueDate} < ${today}::date))::int`,
          oldestDue: sql<
            string | null
          >`(min(${agencyRequests.dueDate}) filter (where ${agencyRequests.dueDate} < ${today}::date))::text`,
        })
        .from(agencyRequests)
        .innerJoin(reviews, eq(reviews.id, agencyRequests.reviewId))
        .innerJoin(referrals, eq(referrals.reviewId, reviews.id))
        .innerJoin(agencies, eq(agencies.id, agencyRequests.agencyId))
        .where(
          and(
            reviewsPicked({ ...f, agencyId: null }),
            inArray(agencyRequests.status, ['sent', 'in_progress', 'returned']),
            ...(f.agencyId ? [eq(agencyRequests.agencyId, f.agencyId)] : []),
          ),
        )
        .groupBy(agencies.code, agencies.name)
        .orderBy(asc(agencies.name));
    },

    /**
     * Actions by owning agency and RAG (src/domain/actions/rag.ts, in SQL): overdue when open past its
     * due date, due soon when open and due before `amberBefore` (the 11th working day from today).
     */
    async actions(f: DashboardFilter, today: string, amberBefore: string) {
      const open = sql`${reviewActions.status} in ('not_started', 'in_progress')`;
      return db
        .select({
          agencyCode: agencies.code,
          agencyName: agencies.name,
          overdue: sql<number>`(count(*) filter (where ${open} and ${reviewActions.dueDate} < ${today}::date))::int`,
          dueSoon: sql<number>`(count(*) filter (where ${open} and ${reviewActions.dueDate} >= ${today}::date and ${reviewActions.dueDate} < ${amberBefore}::date))::int`,
          onTrack: sql<number>`(count(*) filter (where ${open} and ${reviewActions.dueDate} >= ${amberBefore}::date))::int`,
          done: sql<number>`(count(*) filter (where ${reviewActions.status} in ('completed', 'assured')))::int`,
          cancelled: sql<number>`(count(*) filter (where ${reviewActions.status} = 'cancelled'))::int`,
        })
        .from(reviewActions)
        .innerJoin(reviews, eq(reviews.id, reviewActions.reviewId))
        .innerJoin(referrals, eq(referrals.reviewId, reviews.id))
        .innerJoin(agencies, eq(agencies.id, reviewActions.owningAgencyId))
        .where(
          and(
            reviewsPicked({ ...f, agencyId: null }),
            ...(f.agencyId ? [eq(reviewActions.owningAgencyId, f.agencyId)] : []),
          ),
        )
        .groupBy(agencies.code, agencies.name)
        .orderBy(asc(agencies.name));
    },

    /** Audit rounds held in the period, of the agency's audits. */
    async auditRounds(f: DashboardFilter) {
      return db
        .select({
          auditId: practiceAudits.id,
          question: practiceAudits.question,
          agencyCode: agencies.code,
          agencyName: agencies.name,
          roundDate: sql<string>`${practiceAuditRounds.roundDate}::text`,
          sampled: practiceAuditRounds.sampled,
          compliant: practiceAuditRounds.compliant,
        })
        .from(practiceAuditRounds)
        .innerJoin(practiceAudits, eq(practiceAudits.id, practiceAuditRounds.auditId))
        .innerJoin(agencies, eq(agencies.id, practiceAudits.agencyId))
        .where(
          and(
            eq(practiceAudits.partnershipId, actor.partnershipId),
            ...inPeriod(practiceAuditRounds.roundDate, f),
            ...(f.agencyId ? [eq(practiceAudits.agencyId, f.agencyId)] : []),
          ),
        )
        .orderBy(asc(agencies.name), asc(practiceAudits.question), asc(practiceAuditRounds.roundDate));
    },

    /**
     * Referrals to children's social care in the front door's current monitoring dataset, by year,
     * and how many came within 12 months of the child's previous referral (the DfE re-referral).
     * A referral within `sameWithinDays` of the one before is the same referral recorded twice; a
     * month-only date counts from the first of its month.
     */
    async reReferrals(f: DashboardFilter, sameWithinDays: number, withinMonths: number) {
      const current = db
        .select({ id: monitoringImports.id })
        .from(monitoringImports)
        .where(
          and(
            eq(monitoringImports.partnershipId, actor.partnershipId),
            eq(monitoringImports.status, 'current'),
          ),
        );
      const period = [
        ...(f.fromYear !== null ? [sql`year >= ${f.fromYear}`] : []),
        ...(f.toYear !== null ? [sql`year <= ${f.toYear}`] : []),
      ];
      const rows = await db.execute<{ year: number; referrals: number; re_referrals: number }>(sql`
        with dated as (
          select c.id, u.n,
                 to_date(case when length(u.d) = 7 then u.d || '-01' else left(u.d, 10) end, 'YYYY-MM-DD') as day
          from ${monitoredChildren} c
          cross join lateral unnest(c.referrals) with ordinality as u(d, n)
          where c.partnership_id = ${actor.partnershipId} and c.import_id in (${current})
        ), stepped as (
          select id, day, lag(day) over (partition by id order by day, n) as before from dated
        ), distinct_referrals as (
          select id, day from stepped where before is null or day - before > ${sameWithinDays}
        ), paired as (
          select day, lag(day) over (partition by id order by day) as previous from distinct_referrals
        ), yearly as (
          select extract(year from day)::int as year,
                 count(*)::int as referrals,
                 (count(*) filter (where previous is not null and day <= (previous + make_interval(months => ${withinMonths}))::date))::int as re_referrals
          from paired group by 1
        )
        select year, referrals, re_referrals from yearly
        ${period.length ? sql`where ${sql.join(period, sql` and `)}` : sql``}
        order by year`);
      return (
        rows as unknown as { rows: { year: number; referrals: number; re_referrals: number }[] }
      ).rows.map((r) => ({
        year: Number(r.year),
        referrals: Number(r.referrals),
        reReferrals: Number(r.re_referrals),
      }));
    },

    /** The agency of a code in the actor's partnership, or null. */
    async agencyByCode(code: string) {
      const [row] = await db
        .select({ id: agencies.id, code: agencies.code, name: agencies.name })
        .from(agencies)
        .where(and(eq(agencies.partnershipId, actor.partnershipId), eq(agencies.code, code)));
      return row ?? null;
    },

    /** The first year anything on the dashboard is dated (for the period's choices). */
    async firstYear(): Promise<number | null> {
      const result = await db.execute(sql`select least(
          (select min(extract(year from ${referrals.referredOn}))::int from ${referrals} join ${reviews} on ${reviews.id} = ${referrals.reviewId} where ${visible}),
          (select min(extract(year from r.round_date))::int from ${practiceAuditRounds} r join ${practiceAudits} a on a.id = r.audit_id where a.partnership_id = ${actor.partnershipId})
        ) as y`);
      const y = (result as unknown as { rows: { y: number | null }[] }).rows[0]?.y;
      return y === null || y === undefined ? null : Number(y);
    },
  };
}
