import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { reviewRepository, type ReviewRow } from '../db/repositories/review-repository.ts';
import { isUuid, requestRepository } from '../db/repositories/request-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import type { Executor } from '../db/client.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { whyNotEditable, type ReviewPart } from '../domain/lifecycle/guards.ts';
import {
  canCloseAfterScreening,
  checkMove,
  checkStatusChange,
  type ReviewFacts,
  type StatusChange,
} from '../domain/lifecycle/moves.ts';
import { mayManageReview, mayRefer, mayViewIdentifiable, type Actor } from '../domain/lifecycle/roles.ts';
import { appointedRoleWords, isAppointedFor } from '../domain/access/who.ts';
import type { ReviewType, ScreeningOutcome, Stage } from '../domain/lifecycle/stages.ts';
import { parseInput } from '../schemas/parse.ts';
import {
  lineOfEnquiryInput,
  rapidReviewOutcomeInput,
  referralInput,
  reviewListQuery,
  reviewSummaryInput,
  screeningInput,
  stageMoveInput,
  statusChangeInput,
  termsOfReferenceInput,
} from '../schemas/review.ts';
import { audit, denial, inRead, inTransaction, type ServiceContext } from './context.ts';
import { loadReview } from './review-load.ts';
import { deadlinesOf, reviewHubFacts } from './review-hub.ts';
import { reviewStageWork } from './stage-work.ts';
import { inSequence } from '../db/sequential.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';

/** The most reviews one list works out deadlines for. */
const MAX_LISTED = 5000;

const OUTCOME_TYPE: Record<Exclude<ScreeningOutcome, 'no_further_action'>, ReviewType> = {
  line_of_sight: 'line_of_sight',
  rapid_review: 'rapid_review',
  single_agency: 'single_agency',
};

/** Reviews from referral to terms of reference, and the moves between stages. */
export function reviewService(ctx: ServiceContext) {
  const today = () => londonDate(ctx.now());

  /**
   * Loads a review the actor may see, or explains why not: a review that exists but is not
   * visible is refused and the refusal audited (in its own transaction, as the caller's rolls back).
   */
  const load = loadReview;

  /** The one door for changing a review: visible, managed by this actor, and the part editable now. */
  async function loadForChange(tx: Executor, actor: Actor, reference: string, part: ReviewPart) {
    const found = await load(tx, actor, reference);
    if (!mayManageReview(actor))
      throw new ForbiddenError('Only the review coordinator can change this review.');
    const reason = whyNotEditable(found.row as { stage: Stage; status: 'active' }, part);
    if (reason) throw new ConflictError(reason);
    return found;
  }

  async function facts(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    row: ReviewRow,
  ): Promise<ReviewFacts> {
    const repo = reviewRepository(tx, actor);
    const [referral, screening, agencies, kloes, outstanding] = await inSequence(
      () => repo.referral(handle),
      () => repo.screening(handle),
      () => repo.agencies(handle),
      () => repo.linesOfEnquiry(handle),
      () => requestRepository(tx, actor).outstanding(handle),
    );
    return {
      stage: row.stage as Stage,
      status: row.status as ReviewFacts['status'],
      referralComplete: Boolean(referral),
      screeningOutcome: (screening?.outcome as ScreeningOutcome | undefined) ?? null,
      periodFrom: row.periodFrom,
      periodTo: row.periodTo,
      agenciesInScope: agencies.filter((a) => a.inScope).length,
      linesOfEnquiry: kloes.length,
      outstandingRequests: outstanding,
    };
  }

  async function viewed(tx: Executor, actor: Actor, handle: VisibleReview, page: string) {
    await audit(tx, actor, {
      action: 'review.view',
      outcome: 'success',
      reviewId: handle.id,
      reviewReference: handle.reference,
      detail: { page },
    });
  }

  return {
    /**
     * The reviews list: filtered by stage, type, agency, "my reviews" and overdue, each with its true
     * next deadline, newest first or soonest deadline first. Deadlines are worked out for every
     * matching review (a partnership's reviews number in the hundreds), then the page is cut.
     */
    async list(actor: Actor, query: unknown) {
      const q = parseInput(reviewListQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        const agency = q.agency ? await directory.agencyByCode(q.agency) : null;
        const agencies = await directory.agencies();
        if (q.agency && !agency) return { items: [], total: 0, query: q, agencies };
        const repo = reviewRepository(tx, actor);
        const all = await repo.list({
          stage: q.stage,
          type: q.type,
          agencyId: agency?.id,
          memberOnly: q.mine === 'yes',
          limit: MAX_LISTED,
          offset: 0,
        });
        const dates = await repo.deadlineDatesFor(all.items.map((r) => r.id));
        const now = today();
        let items = all.items.map((row) => {
          const d = dates.get(row.id);
          const nextDeadline = d ? (deadlinesOf(row, d)[0] ?? null) : null;
          return { ...row, referredOn: d?.referredOn ?? null, nextDeadline };
        });
        if (q.overdue === 'yes') items = items.filter((i) => i.nextDeadline && i.nextDeadline.due < now);
        if (q.sort === 'deadline')
          items = [...items].sort((a, b) =>
            (a.nextDeadline?.due ?? '9999-12-31').localeCompare(b.nextDeadline?.due ?? '9999-12-31'),
          );
        return {
          items: items.slice(q.offset, q.offset + q.limit),
          total: items.length,
          query: q,
          agencies,
        };
      });
    },

    /** What the referral form offers: the partnership's agencies. Only those who may refer. */
    async referralOptions(actor: Actor) {
      if (!mayRefer(actor))
        throw new ForbiddenError('Only agency safeguarding leads and review coordinators can refer a case.');
      return inTransaction(ctx, async (tx) => ({
        agencies: await directoryRepository(tx, actor).agencies(),
      }));
    },

    /**
     * Reviews the partnership already has of the child a referral names (the same NHS number, or
     * the same full name and date of birth), each with whether this person may open it: the
     * referral form warns with links before a second review is made. Nothing is merged. The
     * warning is on record (references only). A referral not yet valid is left to `refer` to refuse.
     */
    async reviewsOfSameChild(actor: Actor, input: unknown) {
      if (!mayRefer(actor))
        throw new ForbiddenError('Only agency safeguarding leads and review coordinators can refer a case.');
      const parsed = referralInput.safeParse(input);
      if (!parsed.success) return [];
      return inTransaction(ctx, async (tx) => {
        const repo = reviewRepository(tx, actor);
        const references = await repo.reviewsOfSameChild(parsed.data.child);
        if (!references.length) return [];
        const found = [];
        for (const reference of references)
          found.push({ reference, visible: (await repo.find(reference)) !== null });
        await audit(tx, actor, {
          action: 'review.refer.same-child',
          outcome: 'success',
          detail: { references },
        });
        return found;
      });
    },

    async refer(actor: Actor, input: unknown) {
      if (!mayRefer(actor))
        throw new ForbiddenError('Only agency safeguarding leads and review coordinators can refer a case.');
      const data = parseInput(referralInput, input);
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        const partnership = await directory.partnership();
        const agencies = new Map((await directory.agencies()).map((a) => [a.code, a]));
        const referring = agencies.get(data.referringAgency);
        if (!referring) throw new ValidationError({ referringAgency: 'Select the referring agency' });
        const unknown = data.agenciesInvolved.filter((code) => !agencies.has(code));
        if (unknown.length)
          throw new ValidationError({ agenciesInvolved: `Unknown agency: ${unknown.join(', ')}` });
        if (data.referredOn > today())
          throw new ValidationError({ referredOn: 'The date of the referral must be today or in the past' });

        const repo = reviewRepository(tx, actor);
        // A child already reviewed gets a review of their own again, never a merge: on record.
        const sameChild = await repo.reviewsOfSameChild(data.child);
        const year = data.referredOn.slice(0, 4);
        const prefix = `${partnership.referencePrefix}-${year}-`;
        const reference = `${prefix}${String((await repo.lastReferenceNumber(prefix)) + 1).padStart(3, '0')}`;
        const row = await repo.insert({
          reference,
          type: 'line_of_sight',
          pseudonym: data.pseudonym,
          stage: 'referral',
        });
        const handle = repo.adopt(row);
        await repo.insertReferral(handle, {
          referringAgencyId: referring.id,
          referrerUserId: actor.userId,
          referrerName: data.referrerName,
          referrerRole: data.referrerRole,
          referredOn: data.referredOn,
          whatHappened: data.whatHappened,
          whyLearning: data.whyLearning,
        });
        await repo.insertSubject(handle, {
          fullName: data.child.fullName,
          dateOfBirth: data.child.dateOfBirth,
          address: data.child.address,
          postcode: data.child.postcode?.toUpperCase() ?? null,
          nhsNumber: data.child.nhsNumber?.replace(/\s/g, '') ?? null,
          school: data.child.school,
          household: data.household,
        });
        await repo.setAgencies(
          handle,
          'involved',
          data.agenciesInvolved.map((code) => agencies.get(code)!.id),
        );
        await repo.addMembers(handle, [actor.userId]);
        await repo.recordStageChange(handle, {
          kind: 'move',
          fromStage: null,
          toStage: 'referral',
          at: ctx.now(),
        });
        await audit(tx, actor, {
          action: 'review.refer',
          outcome: 'success',
          reviewId: row.id,
          reviewReference: reference,
          detail: {
            agenciesInvolved: data.agenciesInvolved,
            ...(sameChild.length ? { sameChildAs: sameChild } : {}),
          },
        });
        return { reference, sameChildAs: sameChild };
      });
    },

    /**
     * What the hub heading every tab shows (reference, pseudonym, type, stage, the current
     * deadline): no identifiable data, so no audit row of its own; the tab's own view is audited.
     */
    async hub(actor: Actor, reference: string) {
      return inRead(ctx, async (db) => reviewHubFacts(await load(db, actor, reference), ctx.now()));
    },

    /**
     * The move to the next stage when it would be allowed now and this person may make it (as the
     * overview offers it), for the page where a stage's last task is done; null otherwise. Read
     * only: the move itself is `moveStage`.
     */
    async nextMove(actor: Actor, reference: string): Promise<{ to: Stage; text: string } | null> {
      return inRead(ctx, async (db) => {
        const { handle, row } = await load(db, actor, reference);
        const agencies = await reviewRepository(db, actor).agencies(handle);
        const work = await reviewStageWork(
          db,
          actor,
          handle,
          row,
          await facts(db, actor, handle, row),
          agencies.filter((a) => a.inScope),
          today(),
        );
        if (work.primary?.kind === 'move') return { to: work.primary.to, text: work.primary.text };
        return work.move;
      });
    },

    /** The review hub's overview: stage, deadlines, next move and history; no identifiable data. */
    async overview(actor: Actor, reference: string, options: { tasks?: boolean } = {}) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row, deadlineDates } = await load(tx, actor, reference);
        const repo = reviewRepository(tx, actor);
        const [f, referral, screening, agencies, kloes, history] = await inSequence(
          () => facts(tx, actor, handle, row),
          () => repo.referral(handle),
          () => repo.screening(handle),
          () => repo.agencies(handle),
          () => repo.linesOfEnquiry(handle),
          () => repo.stageHistory(handle),
        );
        const deadlines = deadlinesOf(row, deadlineDates);
        // The task list only where it is shown: other tabs use the overview for their heading.
        const work = options.tasks
          ? await reviewStageWork(
              tx,
              actor,
              handle,
              row,
              f,
              agencies.filter((a) => a.inScope),
              today(),
            )
          : null;
        await viewed(tx, actor, handle, 'overview');
        const mayManage = mayManageReview(actor);
        return {
          work,
          review: row,
          facts: f,
          referral: referral
            ? {
                agencyName: referral.agencyName,
                referredOn: referral.referral.referredOn,
                referrerName: referral.referral.referrerName,
              }
            : null,
          screening,
          agencies,
          linesOfEnquiry: kloes,
          history,
          deadlines,
          today: today(),
          permissions: {
            manage: mayManage,
            viewIdentifiable: mayViewIdentifiable(actor, handle.isMember),
          },
          closeAfterScreening: mayManage && canCloseAfterScreening(f),
        };
      });
    },

    /** The referral as recorded, without the child's identifiable details. */
    async referral(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        const repo = reviewRepository(tx, actor);
        const [referral, agencies] = await inSequence(
          () => repo.referral(handle),
          () => repo.agencies(handle),
        );
        await viewed(tx, actor, handle, 'referral');
        return {
          review: row,
          referral,
          agenciesInvolved: agencies.filter((a) => a.involved),
          permissions: {
            viewIdentifiable: mayViewIdentifiable(actor, handle.isMember),
            manage: mayManageReview(actor),
          },
        };
      });
    },

    /** The named view: the child's identifiable details, refused unless permitted, always audited. */
    async identifiableDetails(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await load(tx, actor, reference);
        if (!mayViewIdentifiable(actor, handle.isMember))
          throw new ForbiddenError(
            'You do not have access to the identifiable details of this review.',
            denial(actor, {
              action: 'review.identifiable.view',
              reviewId: handle.id,
              reviewReference: handle.reference,
            }),
          );
        const subject = await reviewRepository(tx, actor).subject(handle);
        await audit(tx, actor, {
          action: 'review.identifiable.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'review_subject',
        });
        return subject;
      });
    },

    async screening(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        const decision = await reviewRepository(tx, actor).screening(handle);
        await viewed(tx, actor, handle, 'screening');
        return {
          review: row,
          decision,
          editable: mayManageReview(actor) && whyNotEditable(row as never, 'screening') === null,
          outcomeEditable:
            mayManageReview(actor) &&
            row.stage !== 'screening' &&
            whyNotEditable(row as never, 'summary') === null,
        };
      });
    },

    async recordScreening(actor: Actor, reference: string, input: unknown) {
      const data = parseInput(screeningInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadForChange(tx, actor, reference, 'screening');
        if (data.decidedOn > today())
          throw new ValidationError({ decidedOn: 'The date of the decision must be today or in the past' });
        const repo = reviewRepository(tx, actor);
        const referral = await repo.referral(handle);
        if (referral && data.decidedOn < referral.referral.referredOn)
          throw new ValidationError({
            decidedOn: 'The date of the decision must be on or after the date of the referral',
          });
        await repo.saveScreening(handle, data);
        if (data.outcome !== 'no_further_action')
          await repo.update(handle, { type: OUTCOME_TYPE[data.outcome] });
        await audit(tx, actor, {
          action: 'review.screening.record',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { outcome: data.outcome, previousType: row.type },
        });
      });
    },

    /**
     * A rapid review's outcome: a local child safeguarding practice review follows (the review
     * becomes one, and its six months run from the decision) or none does. Decided by the national
     * panel or the partnership; recorded by whoever moves the review on.
     */
    async recordRapidReviewOutcome(actor: Actor, reference: string, input: unknown) {
      const data = parseInput(rapidReviewOutcomeInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        if (!mayManageReview(actor))
          throw new ForbiddenError("Only the review coordinator can record a rapid review's outcome.");
        const why = whyNotEditable(row as { stage: Stage; status: 'active' }, 'summary');
        if (why) throw new ConflictError(why);
        if (row.type !== 'rapid_review' && row.type !== 'lcspr')
          throw new ConflictError('Only a rapid review has an outcome to record.');
        const repo = reviewRepository(tx, actor);
        const screening = await repo.screening(handle);
        if (data.decidedOn > today())
          throw new ValidationError({ decidedOn: 'The date of the decision must be today or in the past' });
        if (screening && data.decidedOn < screening.decidedOn)
          throw new ValidationError({
            decidedOn: 'The date of the decision must be on or after the screening decision',
          });
        await repo.saveRapidReviewOutcome(handle, data);
        await repo.update(handle, { type: data.outcome === 'lcspr' ? 'lcspr' : 'rapid_review' });
        await audit(tx, actor, {
          action: 'review.screening.record',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { rapidReviewOutcome: data.outcome, decidedBy: data.decidedBy, decidedOn: data.decidedOn },
        });
      });
    },

    async termsOfReference(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        const repo = reviewRepository(tx, actor);
        const manage = mayManageReview(actor);
        const [agencies, kloes, allAgencies, members, people] = await inSequence(
          () => repo.agencies(handle),
          () => repo.linesOfEnquiry(handle),
          () => directoryRepository(tx, actor).agencies(),
          () => repo.members(handle),
          () => (manage ? directoryRepository(tx, actor).users() : Promise.resolve([])),
        );
        await viewed(tx, actor, handle, 'terms-of-reference');
        const chair = members.find((m) => isAppointedFor('briefing.approve', m.roles)) ?? null;
        return {
          review: row,
          agencies,
          allAgencies,
          chair: chair ? { userId: chair.userId, name: chair.name } : null,
          chairCandidates: people
            .filter((p) => !p.disabledAt && isAppointedFor('briefing.approve', p.roles))
            .map((p) => ({ id: p.id, name: p.name })),
          chairRole: appointedRoleWords('briefing.approve'),
          linesOfEnquiry: kloes,
          editable: {
            termsOfReference: manage && whyNotEditable(row as never, 'termsOfReference') === null,
            linesOfEnquiry: manage && whyNotEditable(row as never, 'linesOfEnquiry') === null,
            summary: manage && whyNotEditable(row as never, 'summary') === null,
          },
        };
      });
    },

    async setTermsOfReference(actor: Actor, reference: string, input: unknown) {
      const data = parseInput(termsOfReferenceInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'termsOfReference');
        const agencies = new Map(
          (await directoryRepository(tx, actor).agencies()).map((a) => [a.code, a.id]),
        );
        const unknown = data.agenciesInScope.filter((code) => !agencies.has(code));
        if (unknown.length)
          throw new ValidationError({ agenciesInScope: `Unknown agency: ${unknown.join(', ')}` });
        const repo = reviewRepository(tx, actor);
        // The chair is appointed here and so given access; only someone whose role is appointed per review.
        let chairId: string | null = null;
        if (data.chair) {
          const person = (await directoryRepository(tx, actor).users()).find((u) => u.id === data.chair);
          if (!person || person.disabledAt || !isAppointedFor('briefing.approve', person.roles))
            throw new ValidationError({
              chair: `Select an ${appointedRoleWords('briefing.approve')} of this partnership`,
            });
          chairId = person.id;
        }
        await repo.update(handle, { periodFrom: data.periodFrom, periodTo: data.periodTo });
        await repo.setAgencies(
          handle,
          'inScope',
          data.agenciesInScope.map((c) => agencies.get(c)!),
        );
        await audit(tx, actor, {
          action: 'review.terms-of-reference.update',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: {
            periodFrom: data.periodFrom,
            periodTo: data.periodTo,
            agenciesInScope: data.agenciesInScope,
          },
        });
        if (chairId && !(await repo.members(handle)).some((m) => m.userId === chairId)) {
          await repo.addMembers(handle, [chairId]);
          await audit(tx, actor, {
            action: 'review.member.add',
            outcome: 'success',
            reviewId: handle.id,
            reviewReference: handle.reference,
            subjectType: 'user',
            subjectId: chairId,
            detail: { as: 'chair' },
          });
        }
      });
    },

    async linesOfEnquiry(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await load(tx, actor, reference);
        return reviewRepository(tx, actor).linesOfEnquiry(handle);
      });
    },

    async addLineOfEnquiry(actor: Actor, reference: string, input: unknown) {
      const { question } = parseInput(lineOfEnquiryInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'linesOfEnquiry');
        const added = await reviewRepository(tx, actor).addLineOfEnquiry(handle, question);
        await audit(tx, actor, {
          action: 'review.line-of-enquiry.add',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'line_of_enquiry',
          subjectId: added.id,
        });
        return added;
      });
    },

    async updateLineOfEnquiry(actor: Actor, reference: string, id: string, input: unknown) {
      const { question } = parseInput(lineOfEnquiryInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'linesOfEnquiry');
        if (!(await reviewRepository(tx, actor).updateLineOfEnquiry(handle, id, question)))
          throw new NotFoundError('There is no such key line of enquiry in this review.');
        await audit(tx, actor, {
          action: 'review.line-of-enquiry.update',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'line_of_enquiry',
          subjectId: id,
        });
      });
    },

    async removeLineOfEnquiry(actor: Actor, reference: string, id: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'linesOfEnquiry');
        const repo = reviewRepository(tx, actor);
        if (!isUuid(id) || !(await repo.removeLineOfEnquiry(handle, id)))
          throw new NotFoundError('There is no such key line of enquiry in this review.');
        await repo.orderLinesOfEnquiry(
          handle,
          (await repo.linesOfEnquiry(handle)).map((k) => k.id),
        );
        await audit(tx, actor, {
          action: 'review.line-of-enquiry.remove',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'line_of_enquiry',
          subjectId: id,
        });
      });
    },

    /** Moves a key line of enquiry one place up or down. */
    async moveLineOfEnquiry(actor: Actor, reference: string, id: string, direction: 'up' | 'down') {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'linesOfEnquiry');
        const repo = reviewRepository(tx, actor);
        const ids = (await repo.linesOfEnquiry(handle)).map((k) => k.id);
        const i = ids.indexOf(id);
        if (i < 0) throw new NotFoundError('There is no such key line of enquiry in this review.');
        const j = direction === 'up' ? i - 1 : i + 1;
        if (j < 0 || j >= ids.length) return;
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
        await repo.orderLinesOfEnquiry(handle, ids);
        await audit(tx, actor, {
          action: 'review.line-of-enquiry.reorder',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'line_of_enquiry',
          subjectId: id,
          detail: { direction },
        });
      });
    },

    async moveStage(actor: Actor, reference: string, input: unknown) {
      const { to, reason } = parseInput(stageMoveInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        if (!mayManageReview(actor))
          throw new ForbiddenError('Only the review coordinator can move a review on.');
        const f = await facts(tx, actor, handle, row);
        const closingAfterNfa = to === 'closed' && canCloseAfterScreening(f);
        if (!closingAfterNfa) {
          const check = checkMove(f, to);
          if (!check.allowed) throw new ConflictError(check.reasons.join(' '), check.reasons);
        }
        const repo = reviewRepository(tx, actor);
        await repo.update(handle, { stage: to, stageEnteredAt: ctx.now() });
        await repo.recordStageChange(handle, {
          kind: 'move',
          fromStage: f.stage,
          toStage: to,
          reason,
          at: ctx.now(),
        });
        await audit(tx, actor, {
          action: 'review.stage.move',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { from: f.stage, to, reason },
        });
        return { from: f.stage, to };
      });
    },

    async changeStatus(actor: Actor, reference: string, change: StatusChange, input: unknown) {
      const { reason } = parseInput(statusChangeInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        if (!mayManageReview(actor))
          throw new ForbiddenError('Only the review coordinator can pause, resume or stop a review.');
        const check = checkStatusChange(row as never, change);
        if (!check.allowed) throw new ConflictError(check.reason);
        const repo = reviewRepository(tx, actor);
        await repo.update(handle, { status: check.to });
        await repo.recordStageChange(handle, {
          kind: change,
          fromStage: row.stage as Stage,
          toStage: row.stage as Stage,
          reason,
          at: ctx.now(),
        });
        await audit(tx, actor, {
          action: `review.${change}`,
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { reason },
        });
      });
    },

    /** Stage history and the review's own audit trail (the coordinator's view of who did what). */
    async history(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        const stages = await reviewRepository(tx, actor).stageHistory(handle);
        const trail = mayManageReview(actor)
          ? await auditRepository(tx).list({
              partnershipId: actor.partnershipId,
              reviewReference: reference,
              limit: 200,
              offset: 0,
            })
          : null;
        await viewed(tx, actor, handle, 'history');
        return { review: row, stages, trail };
      });
    },

    /** The background and purpose of the review, in the words the briefing will use. */
    async setSummary(actor: Actor, reference: string, input: unknown) {
      const data = parseInput(reviewSummaryInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'summary');
        await reviewRepository(tx, actor).update(handle, data);
        await audit(tx, actor, {
          action: 'review.summary.update',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
        });
      });
    },

    async members(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await load(tx, actor, reference);
        const repo = reviewRepository(tx, actor);
        const [members, agencies, people] = await inSequence(
          () => repo.members(handle),
          () => repo.agencies(handle),
          () => (mayManageReview(actor) ? directoryRepository(tx, actor).users() : Promise.resolve([])),
        );
        await viewed(tx, actor, handle, 'agencies');
        return {
          review: row,
          members,
          agencies,
          candidates: people.filter((p) => !p.disabledAt && !members.some((m) => m.userId === p.id)),
          editable: mayManageReview(actor) && whyNotEditable(row as never, 'membership') === null,
        };
      });
    },

    async addMember(actor: Actor, reference: string, userId: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'membership');
        // No one chosen (or not an id at all) is a form error, not a query the database refuses.
        const [user] = isUuid(userId) ? await directoryRepository(tx, actor).usersByIds([userId]) : [];
        if (!user) throw new ValidationError({ userId: 'Select a person from this partnership' });
        await reviewRepository(tx, actor).addMembers(handle, [user.id]);
        await audit(tx, actor, {
          action: 'review.member.add',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'user',
          subjectId: user.id,
        });
      });
    },

    async removeMember(actor: Actor, reference: string, userId: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForChange(tx, actor, reference, 'membership');
        if (!isUuid(userId)) throw new NotFoundError('There is no such person in this review.');
        await reviewRepository(tx, actor).removeMember(handle, userId);
        await audit(tx, actor, {
          action: 'review.member.remove',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'user',
          subjectId: userId,
        });
      });
    },
  };
}

export type ReviewService = ReturnType<typeof reviewService>;
