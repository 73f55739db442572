import type { Executor } from '../db/client.ts';
import { actionRepository, type ActionListItem } from '../db/repositories/action-repository.ts';
import { actionSystemRepository } from '../db/repositories/action-system-repository.ts';
import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import { inSequence } from '../db/sequential.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { checkEvidenceFile } from '../domain/actions/evidence.ts';
import { ragFor } from '../domain/actions/rag.ts';
import {
  checkStatusChange,
  nextStatuses,
  type ActionRole,
  type ActionStatus,
} from '../domain/actions/status.ts';
import { whyNotEditable } from '../domain/lifecycle/guards.ts';
import {
  mayManageReview,
  mayPlanActions,
  mayUpdateAction,
  mayViewActions,
  updatesEveryAction,
  type Actor,
} from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { actionInput, actionListQuery, actionPatchInput, actionUpdateInput } from '../schemas/actions.ts';
import { queueActionReminders } from './action-reminders.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError, NotVisibleError, ValidationError } from './errors.ts';
import { guard, loadReview } from './review-load.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

export interface EvidenceUpload {
  fileName: string;
  bytes: Buffer;
}

/** How the policy lets this person move an action on: planning every action, or only their own agency's. */
const role = (actor: Actor): ActionRole => (mayPlanActions(actor) ? 'coordinator' : 'owner');

/** A review the actor may see, or the audited reason not (as reviewService's `load`). */

/** A review's action plan, each action's updates with evidence, and the partnership-wide list. */
export function actionService(ctx: ServiceContext) {
  const today = () => londonDate(ctx.now());

  const withRag = <T extends ActionListItem>(a: T, on: string) => ({ ...a, rag: ragFor(a, on) });

  /** The review of an action, when the actor may see it; otherwise not found or refused (audited). */
  async function loadAction(tx: Executor, actor: Actor, actionId: string) {
    const reference = await actionRepository(tx, actor).reviewReferenceOf(actionId);
    if (!reference) {
      const exists = await actionSystemRepository(tx).actionExists(actor.partnershipId, actionId);
      if (!exists) throw new NotFoundError('There is no such action.');
      throw new NotVisibleError(
        'You do not have access to this review.',
        denial(actor, {
          action: 'action.view',
          reviewId: exists.reviewId,
          reviewReference: exists.reference,
          subjectType: 'action',
          subjectId: actionId,
        }),
      );
    }
    const review = await loadReview(tx, actor, reference);
    const action = await actionRepository(tx, actor).get(review.handle, actionId);
    if (!action) throw new NotFoundError('There is no such action.');
    return { ...review, action };
  }

  /** Refuses, with the reason and an audit row, an update of an action the actor may not change. */
  function refuseChange(
    actor: Actor,
    handle: VisibleReview,
    action: ActionListItem,
    what: AuditAction,
  ): never {
    const message =
      !updatesEveryAction(actor) && actor.agencyId && mayUpdateAction(actor, true, actor.agencyId)
        ? `You can only update your own agency's actions: this action belongs to ${action.agencyName}.`
        : 'Only the review coordinator and the owning agency’s lead can update this action.';
    throw new ForbiddenError(
      message,
      denial(actor, {
        action: what,
        reviewId: handle.id,
        reviewReference: handle.reference,
        subjectType: 'action',
        subjectId: action.id,
      }),
    );
  }

  /** Checks the agency, the lead (one of that agency's people) and the due date of an action. */
  async function resolveDetails(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    data: { owningAgency: string; leadUserId: string; dueDate: string },
  ) {
    const directory = directoryRepository(tx, actor);
    const agency = await directory.agencyByCode(data.owningAgency);
    if (!agency || agency.retiredAt) throw new ValidationError({ owningAgency: 'Select the owning agency' });
    const [lead] = await directory.usersByIds([data.leadUserId]);
    if (!lead) throw new ValidationError({ leadUserId: 'Select the named lead' });
    if (lead.agencyId !== agency.id)
      throw new ValidationError({ leadUserId: `Select a named lead who works for ${agency.name}` });
    const referral = await reviewRepository(tx, actor).referral(handle);
    const opened = referral?.referral.referredOn;
    if (opened && data.dueDate < opened)
      throw new ValidationError({
        dueDate: 'The due date must be on or after the date the review was opened (its referral)',
      });
    return { agency, lead };
  }

  /** Refuses, with an audit row, a change of an action's details by anyone but the coordinator. */
  function refuseDetails(actor: Actor, handle: VisibleReview, actionId: string): never {
    throw new ForbiddenError(
      'Only the review coordinator can change what an action is, its owner, lead, due date or success measure.',
      denial(actor, {
        action: 'action.change',
        reviewId: handle.id,
        reviewReference: handle.reference,
        subjectType: 'action',
        subjectId: actionId,
      }),
    );
  }

  /** The agencies and their people an action may be given to (the choices of the action forms). */
  async function detailChoices(tx: Executor, actor: Actor) {
    const directory = directoryRepository(tx, actor);
    const [agencies, people] = await inSequence(
      () => directory.agencies(),
      () => directory.users(),
    );
    return {
      agencies,
      leads: people
        .filter((p) => !p.disabledAt && p.agencyId)
        .map((p) => ({ id: p.id, name: p.name, agencyId: p.agencyId!, agencyName: p.agencyName ?? '' })),
    };
  }

  /**
   * Changes an action's details (the coordinator, checked by the caller): what, owner, lead, due
   * date, success measure and, when given, the learning it answers (an empty list clears it).
   * Audited as `action.change` with the names of the fields that changed.
   */
  async function changeDetails(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    current: ActionListItem,
    data: {
      what?: string | undefined;
      owningAgency?: string | undefined;
      leadUserId?: string | undefined;
      dueDate?: string | undefined;
      successMeasure?: string | undefined;
      learning?: string[] | undefined;
    },
  ) {
    const repo = actionRepository(tx, actor);
    const merged = {
      what: data.what ?? current.what,
      successMeasure: data.successMeasure ?? current.successMeasure,
      owningAgency: data.owningAgency ?? current.agencyCode,
      leadUserId: data.leadUserId ?? current.leadUserId,
      dueDate: data.dueDate ?? current.dueDate,
    };
    const { agency, lead } = await resolveDetails(tx, actor, handle, merged);
    const before = data.learning
      ? (await repo.learningOf(handle, [current.id])).map((l) => l.statementId)
      : [];
    await repo.update(
      handle,
      current.id,
      {
        what: merged.what,
        successMeasure: merged.successMeasure,
        owningAgencyId: agency.id,
        leadUserId: lead.id,
        dueDate: merged.dueDate,
      },
      ctx.now(),
    );
    if (data.learning) await repo.setLearning(handle, current.id, data.learning);
    const after = data.learning
      ? (await repo.learningOf(handle, [current.id])).map((l) => l.statementId)
      : [];
    const changed = [
      ...(merged.what !== current.what ? ['what'] : []),
      ...(agency.id !== current.owningAgencyId ? ['owningAgency'] : []),
      ...(lead.id !== current.leadUserId ? ['leadUserId'] : []),
      ...(merged.dueDate !== current.dueDate ? ['dueDate'] : []),
      ...(merged.successMeasure !== current.successMeasure ? ['successMeasure'] : []),
      ...(before.length !== after.length || before.some((id) => !after.includes(id)) ? ['learning'] : []),
    ];
    await audit(tx, actor, {
      action: 'action.change',
      outcome: 'success',
      reviewId: handle.id,
      reviewReference: handle.reference,
      subjectType: 'action',
      subjectId: current.id,
      detail: { agency: agency.code, dueDate: merged.dueDate, changed },
    });
  }

  return {
    /** The action plan tab of a review. */
    async plan(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const repo = actionRepository(tx, actor);
        const on = today();
        const [actions, learningOptions] = await inSequence(
          () => repo.list(handle),
          () => repo.learningOptions(handle),
        );
        const links = await repo.learningOf(
          handle,
          actions.map((a) => a.id),
        );
        const editable = mayManageReview(actor) && whyNotEditable(row as never, 'actions') === null;
        const choices = editable ? await detailChoices(tx, actor) : { agencies: [], leads: [] };
        await audit(tx, actor, {
          action: 'review.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { page: 'actions' },
        });
        return {
          review: row,
          today: on,
          actions: actions.map((a) => ({
            ...withRag(a, on),
            learning: links.filter((l) => l.actionId === a.id),
            mayUpdate: mayUpdateAction(actor, handle.isMember, a.owningAgencyId),
          })),
          learningOptions,
          editable,
          ...choices,
        };
      });
    },

    async add(actor: Actor, reference: string, input: unknown) {
      const data = parseInput(actionInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        if (!mayManageReview(actor))
          throw new ForbiddenError(
            'Only the review coordinator can add an action to the plan.',
            denial(actor, { action: 'action.add', reviewId: handle.id, reviewReference: handle.reference }),
          );
        guard(row, 'actions');
        const { agency, lead } = await resolveDetails(tx, actor, handle, data);
        const repo = actionRepository(tx, actor);
        const action = await repo.insert(handle, {
          what: data.what,
          owningAgencyId: agency.id,
          leadUserId: lead.id,
          dueDate: data.dueDate,
          successMeasure: data.successMeasure,
        });
        await repo.setLearning(handle, action.id, data.learning);
        await audit(tx, actor, {
          action: 'action.add',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'action',
          subjectId: action.id,
          detail: { agency: agency.code, dueDate: data.dueDate, number: action.number },
        });
        return { id: action.id, number: action.number };
      });
    },

    /** One action with its update history (newest first), learning and what the actor may do. */
    async get(actor: Actor, actionId: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row, action } = await loadAction(tx, actor, actionId);
        const repo = actionRepository(tx, actor);
        const [updates, learning, audits] = await inSequence(
          () => repo.updates(handle, actionId),
          () => repo.learningOf(handle, [actionId]),
          () => repo.auditsOf(handle),
        );
        const mayUpdate =
          mayUpdateAction(actor, handle.isMember, action.owningAgencyId) &&
          whyNotEditable(row as never, 'actionUpdates') === null;
        const mayChange = mayManageReview(actor) && whyNotEditable(row as never, 'actions') === null;
        await audit(tx, actor, {
          action: 'action.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'action',
          subjectId: actionId,
        });
        return {
          review: row,
          action: withRag(action, today()),
          updates,
          learning,
          audits: audits.filter((a) => a.actionId === actionId),
          mayUpdate,
          mayChange,
          nextStatuses: mayUpdate ? nextStatuses(action.status, role(actor)) : [],
          today: today(),
        };
      });
    },

    /**
     * Records an update: a note, perhaps a new status, perhaps evidence (text, link, file). The
     * owning agency's lead or the coordinator only; assurance needs evidence; all or nothing.
     */
    async update(actor: Actor, actionId: string, input: unknown, file?: EvidenceUpload | null) {
      const data = parseInput(actionUpdateInput, input);
      const checked = file ? checkEvidenceFile(file.fileName, file.bytes) : null;
      if (checked && !checked.ok) throw new ValidationError({ evidenceFile: checked.reason });
      return inTransaction(ctx, async (tx) => {
        const { handle, row, action } = await loadAction(tx, actor, actionId);
        const repo = actionRepository(tx, actor);
        const current = await repo.forChange(handle, actionId);
        if (!current) refuseChange(actor, handle, action, 'action.update');
        guard(row, 'actionUpdates');
        return recordUpdate(
          tx,
          actor,
          handle,
          current,
          data,
          file && checked?.ok ? { ...file, contentType: checked.contentType } : null,
        );
      });
    },

    /** The API's PATCH: the coordinator may change the details; anyone who may update adds an update. */
    async patch(actor: Actor, actionId: string, input: unknown) {
      const data = parseInput(actionPatchInput, input);
      const changesDetails = [
        'what',
        'owningAgency',
        'leadUserId',
        'dueDate',
        'successMeasure',
        'learning',
      ].some((k) => data[k as keyof typeof data] !== undefined);
      if (!changesDetails && !data.note && !data.status)
        throw new ValidationError({ note: 'Enter what has been done' });
      return inTransaction(ctx, async (tx) => {
        const { handle, row, action } = await loadAction(tx, actor, actionId);
        const repo = actionRepository(tx, actor);
        const current = await repo.forChange(handle, actionId);
        if (!current) refuseChange(actor, handle, action, 'action.update');
        if (changesDetails) {
          if (!mayManageReview(actor)) refuseDetails(actor, handle, actionId);
          guard(row, 'actions');
          await changeDetails(tx, actor, handle, current, data);
        }
        if (data.note || data.status) {
          guard(row, 'actionUpdates');
          if (!data.note) throw new ValidationError({ note: 'Enter what has been done' });
          const fresh = (await repo.forChange(handle, actionId))!;
          await recordUpdate(
            tx,
            actor,
            handle,
            fresh,
            {
              note: data.note,
              status: data.status,
              evidenceText: data.evidenceText,
              evidenceUrl: data.evidenceUrl,
            },
            null,
          );
        }
        return { id: actionId };
      });
    },

    /**
     * The "change details" page: the action as it is, its learning and the choices. The
     * coordinator only, while the plan may change; others are refused (audited). Viewing is audited.
     */
    async changeForm(actor: Actor, actionId: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row, action } = await loadAction(tx, actor, actionId);
        if (!mayManageReview(actor)) refuseDetails(actor, handle, actionId);
        guard(row, 'actions');
        const repo = actionRepository(tx, actor);
        const [learning, learningOptions] = await inSequence(
          () => repo.learningOf(handle, [actionId]),
          () => repo.learningOptions(handle),
        );
        const choices = await detailChoices(tx, actor);
        await audit(tx, actor, {
          action: 'action.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'action',
          subjectId: actionId,
          detail: { page: 'change' },
        });
        return {
          review: row,
          action,
          learning: learning.map((l) => l.statementId),
          learningOptions,
          ...choices,
        };
      });
    },

    /**
     * The web's "change details": every field as on the add form; no learning ticked clears the
     * links. Who and when are checked before the input, so only the coordinator hears about it.
     */
    async change(actor: Actor, actionId: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadAction(tx, actor, actionId);
        if (!mayManageReview(actor)) refuseDetails(actor, handle, actionId);
        guard(row, 'actions');
        const data = parseInput(actionInput, input);
        const current = await actionRepository(tx, actor).forChange(handle, actionId);
        if (!current) throw new NotFoundError('There is no such action.');
        await changeDetails(tx, actor, handle, current, data);
        return { id: actionId };
      });
    },

    /** An evidence file, for those who may see the review; every download is audited. */
    async evidenceFile(actor: Actor, actionId: string, updateId: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadAction(tx, actor, actionId);
        const file = await actionRepository(tx, actor).evidenceFile(handle, actionId, updateId);
        if (!file) throw new NotFoundError('There is no such evidence file.');
        await audit(tx, actor, {
          action: 'action.evidence.download',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'action_update',
          subjectId: updateId,
        });
        return {
          fileName: file.fileName!,
          contentType: file.fileType ?? 'application/octet-stream',
          content: file.fileContent!,
        };
      });
    },

    /** The scheduler's job: reminders and overdue notices, each queued once (no actor: system work). */
    queueReminders: () => queueActionReminders(ctx.system, ctx.now()),

    /** Every action the actor may see across the partnership, filtered, with RAG. Audited. */
    async list(actor: Actor, query: unknown, purpose: 'view' | 'export' = 'view') {
      if (!mayViewActions(actor)) throw new ForbiddenError('You do not have access to the actions.');
      const q = parseInput(actionListQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        const repo = actionRepository(tx, actor);
        const agencies = await directory.agencies({ includeRetired: true });
        const agency = q.agency ? agencies.find((a) => a.code === q.agency) : undefined;
        const on = today();
        const rows =
          q.agency && !agency
            ? []
            : await repo.partnershipList({
                agencyId: agency?.id,
                status: q.status,
                reviewReference: q.review,
                dueFrom: q.dueFrom,
                dueTo: q.dueTo,
              });
        const reviews = await repo.reviewsWithActions();
        await audit(tx, actor, {
          action: purpose === 'export' ? 'actions.export' : 'actions.view',
          outcome: 'success',
          detail: { filter: q, count: rows.length },
        });
        return { items: rows.map((a) => withRag(a, on)), query: q, agencies, reviews, today: on };
      });
    },
  };

  async function recordUpdate(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    current: ActionListItem,
    data: {
      note: string;
      status?: ActionStatus | undefined;
      evidenceText: string | null;
      evidenceUrl: string | null;
    },
    file: (EvidenceUpload & { contentType: string }) | null,
  ) {
    const repo = actionRepository(tx, actor);
    const to = data.status ?? current.status;
    const bringsEvidence = Boolean(data.evidenceText || data.evidenceUrl || file);
    const check = checkStatusChange({
      from: current.status,
      to,
      role: role(actor),
      hasEvidence: bringsEvidence || (to === 'assured' && (await repo.hasEvidence(handle, current.id))),
      reason: data.note,
    });
    if (!check.allowed) throw new ValidationError({ status: check.reason });
    const added = await repo.addUpdate(handle, current.id, {
      note: data.note,
      statusFrom: current.status,
      statusTo: to,
      evidenceText: data.evidenceText,
      evidenceUrl: data.evidenceUrl,
      fileName: file?.fileName ?? null,
      fileType: file?.contentType ?? null,
      fileSize: file?.bytes.length ?? null,
      fileContent: file?.bytes ?? null,
      at: ctx.now(),
    });
    if (!added) refuseChange(actor, handle, current, 'action.update');
    if (to !== current.status)
      await repo.update(
        handle,
        current.id,
        {
          status: to,
          ...(to === 'cancelled' ? { cancelledReason: data.note } : {}),
          ...(to === 'assured' ? { assuredAt: ctx.now(), assuredBy: actor.userId } : {}),
        },
        ctx.now(),
      );
    await audit(tx, actor, {
      action: 'action.update',
      outcome: 'success',
      reviewId: handle.id,
      reviewReference: handle.reference,
      subjectType: 'action',
      subjectId: current.id,
      detail: { from: current.status, to, evidence: bringsEvidence, file: file?.fileName ?? null },
    });
    return { id: added.id, status: to };
  }
}

export type ActionService = ReturnType<typeof actionService>;
