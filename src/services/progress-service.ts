import { actionRepository } from '../db/repositories/action-repository.ts';
import { practiceAuditRepository } from '../db/repositories/practice-audit-repository.ts';
import { progressRepository } from '../db/repositories/progress-repository.ts';
import { inSequence } from '../db/sequential.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { compileProgress } from '../domain/actions/progress.ts';
import { whyNotEditable } from '../domain/lifecycle/guards.ts';
import { mayManageReview, type Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { progressInput } from '../schemas/actions.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError } from './errors.ts';
import { loadReview } from './review-load.ts';

/** The review's progress/impact statement: compiled suggestions, edited and stored by the coordinator. */
export function progressService(ctx: ServiceContext) {
  return {
    async statement(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const audits = practiceAuditRepository(tx, actor);
        const [stored, actions, linkedAudits] = await inSequence(
          () => progressRepository(tx, actor).get(handle),
          () => actionRepository(tx, actor).list(handle),
          () => audits.forReview(handle),
        );
        const rounds = await audits.rounds(linkedAudits.map((a) => a.id));
        const suggestions = compileProgress(
          actions,
          linkedAudits.map((a) => ({ ...a, rounds: rounds.filter((r) => r.auditId === a.id) })),
          londonDate(ctx.now()),
        );
        await audit(tx, actor, {
          action: 'review.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { page: 'progress' },
        });
        return {
          review: row,
          items: stored?.items ?? [],
          updatedAt: stored?.updatedAt ?? null,
          suggestions,
          editable: mayManageReview(actor) && whyNotEditable(row as never, 'progress') === null,
        };
      });
    },

    async save(actor: Actor, reference: string, input: unknown) {
      const { items } = parseInput(progressInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        if (!mayManageReview(actor))
          throw new ForbiddenError(
            'Only the review coordinator can change the progress and impact statement.',
            denial(actor, {
              action: 'review.progress.update',
              reviewId: handle.id,
              reviewReference: reference,
            }),
          );
        const reason = whyNotEditable(row as never, 'progress');
        if (reason) throw new ConflictError(reason);
        await progressRepository(tx, actor).save(handle, items, ctx.now());
        await audit(tx, actor, {
          action: 'review.progress.update',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { items: items.length },
        });
      });
    },

    /**
     * Section 6 of the briefing: the stored progress/impact items, in order (empty when none has
     * been written). For the briefing service; the caller must be able to see the review.
     */
    async items(actor: Actor, reference: string): Promise<string[]> {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadReview(tx, actor, reference);
        return progressRepository(tx, actor).items(handle);
      });
    },
  };
}
