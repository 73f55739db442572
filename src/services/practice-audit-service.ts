import { actionRepository } from '../db/repositories/action-repository.ts';
import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { practiceAuditRepository } from '../db/repositories/practice-audit-repository.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { mayManageReview, mayRecordAudit, mayViewActions, type Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { auditInput, auditLinkInput, auditRoundInput } from '../schemas/actions.ts';
import type { Executor } from '../db/client.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/** Audits of practice as evidence of impact: defined once, repeated in rounds, linked to actions. */
export function practiceAuditService(ctx: ServiceContext) {
  const today = () => londonDate(ctx.now());

  function mayView(actor: Actor) {
    if (!mayViewActions(actor)) throw new ForbiddenError('You do not have access to the audits.');
  }

  async function load(tx: Executor, actor: Actor, id: string) {
    const repo = practiceAuditRepository(tx, actor);
    const row = await repo.get(id);
    if (!row) throw new NotFoundError('There is no such audit.');
    const rounds = await repo.rounds([id]);
    return { ...row, rounds };
  }

  function refuse(actor: Actor, action: AuditAction, subjectId: string | null, message: string): never {
    throw new ForbiddenError(message, denial(actor, { action, subjectType: 'practice_audit', subjectId }));
  }

  return {
    async list(actor: Actor) {
      mayView(actor);
      return inTransaction(ctx, async (tx) => {
        const repo = practiceAuditRepository(tx, actor);
        const audits = await repo.list();
        const rounds = await repo.rounds(audits.map((a) => a.id));
        return audits.map((a) => ({ ...a, rounds: rounds.filter((r) => r.auditId === a.id) }));
      });
    },

    /** The agencies whose audits this actor may define. */
    async defineOptions(actor: Actor) {
      mayView(actor);
      return inTransaction(ctx, async (tx) =>
        (await directoryRepository(tx, actor).agencies()).filter((a) => mayRecordAudit(actor, a.id)),
      );
    },

    async define(actor: Actor, input: unknown) {
      mayView(actor);
      const data = parseInput(auditInput, input);
      return inTransaction(ctx, async (tx) => {
        const agency = await directoryRepository(tx, actor).agencyByCode(data.agency);
        if (!agency || agency.retiredAt)
          throw new ValidationError({ agency: 'Select the agency whose practice is audited' });
        if (!mayRecordAudit(actor, agency.id))
          refuse(
            actor,
            'practice-audit.define',
            null,
            `Only the review coordinator or ${agency.name}'s lead can define an audit of ${agency.name}'s practice.`,
          );
        const row = await practiceAuditRepository(tx, actor).insert({
          agencyId: agency.id,
          question: data.question,
          sampleDescription: data.sampleDescription,
          compliantMeans: data.compliantMeans,
        });
        await audit(tx, actor, {
          action: 'practice-audit.define',
          outcome: 'success',
          subjectType: 'practice_audit',
          subjectId: row.id,
          detail: { agency: agency.code },
        });
        return row;
      });
    },

    async get(actor: Actor, id: string) {
      mayView(actor);
      return inTransaction(ctx, async (tx) => {
        const found = await load(tx, actor, id);
        const repo = practiceAuditRepository(tx, actor);
        const linked = await repo.linkedActions(id);
        const mayLink = mayManageReview(actor);
        const linkable = mayLink
          ? (await repo.linkableActions(found.agencyId)).filter((a) => !linked.some((l) => l.id === a.id))
          : [];
        return {
          audit: { ...found, actionIds: linked.map((l) => l.id) },
          linked,
          linkable,
          mayRecord: mayRecordAudit(actor, found.agencyId),
          mayLink,
          today: today(),
        };
      });
    },

    async recordRound(actor: Actor, id: string, input: unknown) {
      mayView(actor);
      const data = parseInput(auditRoundInput, input);
      return inTransaction(ctx, async (tx) => {
        const found = await load(tx, actor, id);
        if (!mayRecordAudit(actor, found.agencyId))
          refuse(
            actor,
            'practice-audit.round',
            id,
            `Only the review coordinator or ${found.agencyName}'s lead can record this audit's rounds.`,
          );
        if (data.roundDate > today())
          throw new ValidationError({ roundDate: 'The date of the round must be today or in the past' });
        const row = await practiceAuditRepository(tx, actor).insertRound(id, data);
        await audit(tx, actor, {
          action: 'practice-audit.round',
          outcome: 'success',
          subjectType: 'practice_audit',
          subjectId: id,
          detail: { roundDate: data.roundDate, sampled: data.sampled, compliant: data.compliant },
        });
        return row;
      });
    },

    /** Links an audit to an action it evidences: the coordinator, for an action they can see. */
    async linkAction(actor: Actor, id: string, input: unknown) {
      mayView(actor);
      const { actionId } = parseInput(auditLinkInput, input);
      return inTransaction(ctx, async (tx) => {
        await load(tx, actor, id);
        if (!mayManageReview(actor))
          refuse(
            actor,
            'practice-audit.link',
            id,
            'Only the review coordinator can link an audit to an action.',
          );
        const reference = await actionRepository(tx, actor).reviewReferenceOf(actionId);
        if (!reference) throw new ValidationError({ actionId: 'Select an action' });
        await practiceAuditRepository(tx, actor).link(id, actionId);
        await audit(tx, actor, {
          action: 'practice-audit.link',
          outcome: 'success',
          reviewReference: reference,
          subjectType: 'practice_audit',
          subjectId: id,
          detail: { actionId },
        });
      });
    },

    /**
     * Removes an audit's link to an action: whoever may link (the coordinator), for an action they
     * can see. Who is checked before the input; the removal is audited with the action's review.
     */
    async unlinkAction(actor: Actor, id: string, input: unknown) {
      mayView(actor);
      return inTransaction(ctx, async (tx) => {
        await load(tx, actor, id);
        if (!mayManageReview(actor))
          refuse(
            actor,
            'practice-audit.unlink',
            id,
            'Only the review coordinator can unlink an audit from an action.',
          );
        const { actionId } = parseInput(auditLinkInput, input);
        const reference = await actionRepository(tx, actor).reviewReferenceOf(actionId);
        if (!reference || !(await practiceAuditRepository(tx, actor).unlink(id, actionId)))
          throw new NotFoundError('This audit is not linked to that action.');
        await audit(tx, actor, {
          action: 'practice-audit.unlink',
          outcome: 'success',
          reviewReference: reference,
          subjectType: 'practice_audit',
          subjectId: id,
          detail: { actionId },
        });
      });
    },
  };
}
