import type { Executor } from '../db/client.ts';
import { outboxRepository } from '../db/repositories/outbox-repository.ts';
import { requestRepository } from '../db/repositories/request-repository.ts';
import { requestScheduleRepository } from '../db/repositories/request-schedule-repository.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { addWorkingDays, workingDaysBetween } from '../domain/calendar/working-days.ts';
import { isWaitingOnAgency, whyNotAllowed, type RequestAction } from '../domain/chronology/requests.ts';
import { whyNotEditable } from '../domain/lifecycle/guards.ts';
import { mayManageReview, writesReturns, type Actor } from '../domain/lifecycle/roles.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import { parseInput } from '../schemas/parse.ts';
import { reissueInput, returnQueryInput, sendRequestsInput, withdrawInput } from '../schemas/chronology.ts';
import { audit, inRead, inTransaction, type ServiceContext } from './context.ts';
import { waitingRepository } from '../db/repositories/waiting-repository.ts';
import { inSequence } from '../db/sequential.ts';
import { AMBER_WORKING_DAYS, ragFor } from '../domain/actions/rag.ts';
import type { ActionStatus } from '../domain/actions/status.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import {
  requestChaseEmail,
  requestOverdueEmail,
  requestReminderEmail,
  requestReturnedEmail,
  requestSentEmail,
} from './mail/request-emails.ts';
import { guard, loadReview } from './review-load.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

export const DEFAULT_WORKING_DAYS = 15;
export const REMINDER_WORKING_DAYS = 3;

/** The one thing waiting on someone, where signing in takes them ("Waiting on me" with one row). */
export interface OnlyThingWaiting {
  kind: 'return' | 'accept' | 'briefing' | 'action';
  reference: string;
  id: string;
}

/** Agency requests: the coordinator sends, withdraws, reissues, accepts or returns them. */
export function requestService(ctx: ServiceContext) {
  const today = () => londonDate(ctx.now());

  async function loadForCoordinator(tx: Executor, actor: Actor, reference: string) {
    const found = await loadReview(tx, actor, reference);
    if (!mayManageReview(actor))
      throw new ForbiddenError('Only the review coordinator can send, accept or return agency requests.');
    guard(found.row, 'agencyRequests');
    return found;
  }

  async function requestIn(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    id: string,
    action: RequestAction,
  ) {
    const request = await requestRepository(tx, actor).find(handle, id);
    if (!request) throw new NotFoundError('There is no such agency request in this review.');
    const why = whyNotAllowed(request.request.status, action);
    if (why) throw new ConflictError(why);
    return request;
  }

  async function track(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    action: AuditAction,
    subjectId: string,
    detail?: Record<string, unknown>,
  ) {
    await audit(tx, actor, {
      action,
      outcome: 'success',
      reviewId: handle.id,
      reviewReference: handle.reference,
      subjectType: 'agency_request',
      subjectId,
      detail: detail ?? null,
    });
  }

  /** One return accepted: its rules, the change and its audit row, in the caller's transaction. */
  async function acceptIn(tx: Executor, actor: Actor, handle: VisibleReview, id: string) {
    await requestIn(tx, actor, handle, id, 'accept');
    await requestRepository(tx, actor).update(handle, id, {
      status: 'accepted',
      acceptedAt: ctx.now(),
      acceptedBy: actor.userId,
    });
    await track(tx, actor, handle, 'request.accept', id);
  }

  /**
   * "Waiting on me": what waits on this person across the reviews they may see: their agency's
   * returns (and those with the coordinator), returns to accept or query, briefings to approve or
   * publish, and their actions due within the amber window or overdue.
   */
  async function waitingOnMe(actor: Actor) {
    const now = today();
    return inRead(ctx, async (db) => {
      const waiting = waitingRepository(db, actor);
      const [rows, toAccept, briefings, actions] = await inSequence(
        () => (writesReturns(actor) ? requestRepository(db, actor).forMyAgency() : Promise.resolve([])),
        () => waiting.returnsToAccept(),
        () => waiting.briefings(),
        () => waiting.actions(addWorkingDays(now, AMBER_WORKING_DAYS)),
      );
      const items = rows.map((r) => ({ ...r, waitingOnMe: isWaitingOnAgency(r.request.status) }));
      const dueActions = actions.map((a) => ({
        ...a,
        rag: ragFor({ ...a, status: a.status as ActionStatus }, now),
      }));
      return {
        today: now,
        items,
        toAccept,
        briefings,
        actions: dueActions,
        count:
          items.filter((i) => i.waitingOnMe).length + toAccept.length + briefings.length + dueActions.length,
      };
    });
  }

  return {
    /** The "Agency requests" tab: each request with its status, and who could still be asked. */
    async overview(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const repo = requestRepository(tx, actor);
        const requests = await repo.list(handle);
        const inScope = (await reviewRepository(tx, actor).agencies(handle)).filter((a) => a.inScope);
        const leads = await repo.leadsOf(inScope.map((a) => a.agencyId));
        const live = new Set(requests.filter((r) => !r.request.withdrawnAt).map((r) => r.request.agencyId));
        await audit(tx, actor, {
          action: 'review.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { page: 'requests' },
        });
        const manage = mayManageReview(actor);
        return {
          review: row,
          requests,
          today: today(),
          unrequested: inScope
            .filter((a) => !live.has(a.agencyId))
            .map((a) => ({ ...a, lead: leads.find((l) => l.agencyId === a.agencyId) ?? null })),
          editable:
            manage && whyNotEditable(row as { stage: Stage; status: 'active' }, 'agencyRequests') === null,
          manage,
        };
      });
    },

    async list(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadReview(tx, actor, reference);
        return requestRepository(tx, actor).list(handle);
      });
    },

    /** Sends a request to each chosen agency in scope, naming its agency safeguarding lead. */
    async send(actor: Actor, reference: string, input: unknown) {
      const data = parseInput(sendRequestsInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForCoordinator(tx, actor, reference);
        const repo = requestRepository(tx, actor);
        const inScope = new Map(
          (await reviewRepository(tx, actor).agencies(handle))
            .filter((a) => a.inScope)
            .map((a) => [a.code, a]),
        );
        const chosen = [...new Set(data.agencies)];
        const notInScope = chosen.filter((c) => !inScope.has(c));
        if (notInScope.length)
          throw new ValidationError({ agencies: `Not in scope of this review: ${notInScope.join(', ')}` });
        const leads = await repo.leadsOf(chosen.map((c) => inScope.get(c)!.agencyId));
        const dueDate = addWorkingDays(today(), data.workingDays);
        const sent: string[] = [];
        for (const code of chosen) {
          const agency = inScope.get(code)!;
          const lead = leads.find((l) => l.agencyId === agency.agencyId);
          if (!lead)
            throw new ValidationError({
              agencies: `${agency.name} has no agency safeguarding lead in Line of Sight. Ask the administrator to add one.`,
            });
          if (await repo.live(handle, agency.agencyId))
            throw new ValidationError({ agencies: `${agency.name} has already been sent a request.` });
          const request = await repo.insert(handle, {
            agencyId: agency.agencyId,
            leadUserId: lead.id,
            instructions: data.instructions,
            dueDate,
            sentAt: ctx.now(),
          });
          await reviewRepository(tx, actor).addMembers(handle, [lead.id]);
          await outboxRepository(tx).enqueue(
            requestSentEmail({
              partnershipId: actor.partnershipId,
              reviewId: handle.id,
              reference,
              to: lead.email,
              dueDate,
            }),
          );
          await track(tx, actor, handle, 'request.send', request.id, {
            agency: code,
            dueDate,
            lead: lead.id,
          });
          sent.push(request.id);
        }
        return { sent, dueDate };
      });
    },

    async withdraw(actor: Actor, reference: string, id: string, input: unknown) {
      const { reason } = parseInput(withdrawInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForCoordinator(tx, actor, reference);
        await requestIn(tx, actor, handle, id, 'withdraw');
        await requestRepository(tx, actor).update(handle, id, {
          status: 'withdrawn',
          withdrawnAt: ctx.now(),
          withdrawnReason: reason,
        });
        await track(tx, actor, handle, 'request.withdraw', id, { reason });
      });
    },

    /** A withdrawn request sent again to the same agency, as a new request with a new due date. */
    async reissue(actor: Actor, reference: string, id: string, input: unknown) {
      const { workingDays } = parseInput(reissueInput, input ?? {});
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForCoordinator(tx, actor, reference);
        const repo = requestRepository(tx, actor);
        const old = await repo.find(handle, id);
        if (!old) throw new NotFoundError('There is no such agency request in this review.');
        if (old.request.status !== 'withdrawn')
          throw new ConflictError('Only a withdrawn request can be reissued.');
        if (await repo.live(handle, old.request.agencyId))
          throw new ConflictError(`${old.agencyName} already has a live request.`);
        const [lead] = await repo.leadsOf([old.request.agencyId]);
        if (!lead)
          throw new ConflictError(`${old.agencyName} has no agency safeguarding lead in Line of Sight.`);
        const dueDate = addWorkingDays(today(), workingDays);
        const request = await repo.insert(handle, {
          agencyId: old.request.agencyId,
          leadUserId: lead.id,
          instructions: old.request.instructions,
          dueDate,
          sentAt: ctx.now(),
        });
        await reviewRepository(tx, actor).addMembers(handle, [lead.id]);
        await outboxRepository(tx).enqueue(
          requestSentEmail({
            partnershipId: actor.partnershipId,
            reviewId: handle.id,
            reference,
            to: lead.email,
            dueDate,
          }),
        );
        await track(tx, actor, handle, 'request.reissue', request.id, { reissues: id, dueDate });
        return { id: request.id };
      });
    },

    /** The return's entries join the merged chronology. */
    async accept(actor: Actor, reference: string, id: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForCoordinator(tx, actor, reference);
        await acceptIn(tx, actor, handle, id);
      });
    },

    /**
     * Every submitted return of the review accepted at once, each as `accept` does it (the same
     * rules, its own audit row), all or none.
     */
    async acceptAll(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForCoordinator(tx, actor, reference);
        const repo = requestRepository(tx, actor);
        const submitted = (await repo.list(handle)).filter(
          (r) => !r.request.withdrawnAt && r.request.status === 'submitted',
        );
        if (!submitted.length) throw new ConflictError('There are no submitted returns to accept.');
        for (const r of submitted) await acceptIn(tx, actor, handle, r.request.id);
        return { accepted: submitted.map((r) => r.agencyName) };
      });
    },

    async returnWithQuery(actor: Actor, reference: string, id: string, input: unknown) {
      const { query } = parseInput(returnQueryInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForCoordinator(tx, actor, reference);
        const request = await requestIn(tx, actor, handle, id, 'return');
        await requestRepository(tx, actor).update(handle, id, { status: 'returned', query });
        if (request.leadEmail)
          await outboxRepository(tx).enqueue(
            requestReturnedEmail({
              partnershipId: actor.partnershipId,
              reviewId: handle.id,
              reference,
              to: request.leadEmail,
            }),
          );
        await track(tx, actor, handle, 'request.return', id);
      });
    },

    /**
     * Chases an overdue request now: the reminder goes through the outbox to the agency's lead, at
     * most once a day, and the chase is on record either way.
     */
    async chase(actor: Actor, reference: string, id: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForCoordinator(tx, actor, reference);
        const request = await requestRepository(tx, actor).find(handle, id);
        if (!request) throw new NotFoundError('There is no such agency request in this review.');
        const now = today();
        if (!isWaitingOnAgency(request.request.status))
          throw new ConflictError(`${request.agencyName} is not being waited on: there is nothing to chase.`);
        if (request.request.dueDate >= now)
          throw new ConflictError(
            `${request.agencyName}'s return is not overdue yet: it can be chased after its due date.`,
          );
        if (!request.leadEmail)
          throw new ConflictError(`${request.agencyName} has no agency safeguarding lead in Line of Sight.`);
        const queued = await outboxRepository(tx).enqueue(
          requestChaseEmail({
            partnershipId: actor.partnershipId,
            reviewId: handle.id,
            reference,
            to: request.leadEmail,
            requestId: id,
            dueDate: request.request.dueDate,
            today: now,
          }),
        );
        await track(tx, actor, handle, 'request.chase', id, { queued });
        return { agencyName: request.agencyName, queued };
      });
    },

    waitingOnMe,

    /**
     * The one thing waiting on this person when there is exactly one (where to take them after
     * signing in); null with none or several.
     */
    async onlyThingWaiting(actor: Actor): Promise<OnlyThingWaiting | null> {
      const w = await waitingOnMe(actor);
      if (w.count !== 1) return null;
      const mine = w.items.find((i) => i.waitingOnMe);
      if (mine) return { kind: 'return', reference: mine.reference, id: mine.request.id };
      const accept = w.toAccept[0];
      if (accept) return { kind: 'accept', reference: accept.reference, id: accept.id };
      const briefing = w.briefings[0];
      if (briefing) return { kind: 'briefing', reference: briefing.reference, id: '' };
      const action = w.actions[0];
      return action ? { kind: 'action', reference: action.reference, id: action.id } : null;
    },

    /** How many things wait on this person: the number beside "Waiting on me" in the navigation. */
    async waitingCount(actor: Actor): Promise<number> {
      return (await waitingOnMe(actor)).count;
    },

    /**
     * The scheduled job: a reminder `REMINDER_WORKING_DAYS` working days before the due date and an
     * overdue notice after it, each queued once (dedupe key per request and due date).
     */
    async queueReminders(options: { reminderWorkingDays?: number } = {}) {
      const days = options.reminderWorkingDays ?? REMINDER_WORKING_DAYS;
      const now = today();
      return ctx.system.transaction(async (tx) => {
        const rows = await requestScheduleRepository(tx).waitingDueBy(addWorkingDays(now, days));
        let queued = 0;
        for (const r of rows) {
          const about = {
            partnershipId: r.partnershipId,
            reviewId: r.reviewId,
            reference: r.reference,
            to: r.leadEmail,
            requestId: r.id,
            dueDate: r.dueDate,
          };
          const message =
            r.dueDate < now
              ? requestOverdueEmail(about)
              : workingDaysBetween(now, r.dueDate) <= days
                ? requestReminderEmail(about)
                : null;
          if (message && (await outboxRepository(tx).enqueue(message))) queued += 1;
        }
        return { queued };
      });
    },
  };
}

export type RequestService = ReturnType<typeof requestService>;
