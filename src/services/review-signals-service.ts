import type { Executor } from '../db/client.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import {
  reviewSignalsRepository,
  type SignalDecision,
} from '../db/repositories/review-signals-repository.ts';
import { entryCitation, type ChronologyEntry } from '../domain/chronology/entry.ts';
import { asOneEvent } from '../domain/chronology/same-event.ts';
import { mayDecideSignals, type Actor } from '../domain/lifecycle/roles.ts';
import { whyNotEditable } from '../domain/lifecycle/guards.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import { detectSignals, type Signal, type SignalConfig } from '../domain/signals/index.ts';
import { signalKey } from '../domain/signals/key.ts';
import { parseInput } from '../schemas/parse.ts';
import { signalDecisionInput, signalKloeInput } from '../schemas/signals.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { loadReview } from './review-load.ts';
import { mergeOptionsOf, partnershipSignalConfig } from './signal-settings-service.ts';
import { mergedChronologyRepository } from '../db/repositories/merged-chronology-repository.ts';
import { versionedCache } from './versioned-cache.ts';

export interface ReviewSignal extends Signal {
  key: string;
  decision: SignalDecision | null;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  lineOfEnquiry: { id: string; position: number; question: string } | null;
}

/**
 * The practice signals of a review: worked out from the accepted merged chronology with the
 * partnership's thresholds, so they follow the chronology whenever it changes. Decisions are
 * stored by signal key and join back on; a decision whose signal no longer fires is kept (and
 * comes back if the signal does) but not shown.
 */
export function reviewSignalsService(ctx: ServiceContext) {
  // The rules' findings per review and version: they change only with its accepted chronology and
  // its partnership's thresholds, and a change to either gives the review a new version (drizzle/0009
  // and 0010). Decisions are read fresh on every call. Callers check access first.
  const detections = versionedCache<(Signal & { key: string })[]>(32);

  /** Brings merged_chronology up to the review's version under its partnership's settings. */
  async function merged(tx: Executor, actor: Actor, handle: VisibleReview, config?: SignalConfig) {
    const settings = config ?? (await partnershipSignalConfig(tx, handle.partnershipId));
    await mergedChronologyRepository(tx, actor).refresh(handle, mergeOptionsOf(settings));
  }

  async function compute(tx: Executor, actor: Actor, handle: VisibleReview) {
    const repo = reviewSignalsRepository(tx);
    const found = await detections.get(handle.id, handle.chronologyVersion, async () => {
      const config = await partnershipSignalConfig(tx, handle.partnershipId);
      // The rules read the stored merge, only the columns they use (usually already worked out by
      // the chronology page's read of this version), instead of every entry whole.
      await merged(tx, actor, handle, config);
      // Entries linked as one event count once (the first record cites it).
      const found = detectSignals(asOneEvent(await repo.ruleEntries(handle)), config);
      return found.map((s) => ({ ...s, key: signalKey(s) }));
    });
    const decisions = new Map((await repo.decisions(handle)).map((d) => [d.signalKey, d]));
    const signals: ReviewSignal[] = found.map((s) => {
      const d = decisions.get(s.key);
      return {
        ...s,
        decision: (d?.decision as SignalDecision | null | undefined) ?? null,
        reason: d?.reason ?? null,
        decidedBy: d?.decision ? (d.decidedByName ?? null) : null,
        decidedAt: d?.decision ? d.decidedAt : null,
        lineOfEnquiry:
          d?.lineOfEnquiryId && d.kloeQuestion !== null && d.kloePosition !== null
            ? { id: d.lineOfEnquiryId, position: d.kloePosition, question: d.kloeQuestion }
            : null,
      };
    });
    return signals;
  }

  /** Visible, allowed to decide, and the stage still open for decisions. */
  async function loadForDecision(tx: Executor, actor: Actor, reference: string, key: string) {
    const found = await loadReview(tx, actor, reference);
    if (!mayDecideSignals(actor))
      throw new ForbiddenError(
        'Only the review coordinator and the chair can decide on practice signals.',
        denial(actor, { action: 'signal.decide', reviewId: found.handle.id, reviewReference: reference }),
      );
    const reason = whyNotEditable(found.row as { stage: Stage; status: 'active' }, 'signalDecisions');
    if (reason) throw new ConflictError(reason);
    const signals = await compute(tx, actor, found.handle);
    const signal = signals.find((s) => s.key === key);
    if (!signal) throw new NotFoundError('This signal is no longer raised by the merged chronology.');
    return { ...found, signal };
  }

  return {
    /** The review's signals with their decisions, the entries they cite, and what the actor may do. */
    async list(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const signals = await compute(tx, actor, handle);
        // The entries the signals cite, whole, as the list shows them.
        await merged(tx, actor, handle);
        const entries = await reviewSignalsRepository(tx).acceptedEntries(handle);
        const kloes = await reviewRepository(tx, actor).linesOfEnquiry(handle);
        await audit(tx, actor, {
          action: 'review.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { page: 'signals' },
        });
        const cited = new Map<string, ChronologyEntry>(entries.map((e) => [entryCitation(e), e]));
        const stageOpen = !whyNotEditable(row as { stage: Stage; status: 'active' }, 'signalDecisions');
        return {
          review: row,
          signals,
          cited,
          kloes,
          entryCount: entries.length,
          permissions: { decide: mayDecideSignals(actor) && stageOpen },
        };
      });
    },

    async decide(actor: Actor, reference: string, key: string, input: unknown) {
      const data = parseInput(signalDecisionInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, signal } = await loadForDecision(tx, actor, reference, key);
        await reviewSignalsRepository(tx).decide(handle, key, {
          decision: data.decision,
          reason: data.reason,
          by: actor.userId,
          at: ctx.now(),
        });
        await audit(tx, actor, {
          action: data.decision === 'confirmed' ? 'signal.confirm' : 'signal.dismiss',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'signal',
          subjectId: key,
          detail: {
            rule: signal.rule,
            from: signal.from,
            to: signal.to,
            evidence: signal.evidence,
            reason: data.reason,
          },
        });
        return { signal: { ...signal, decision: data.decision, reason: data.reason } };
      });
    },

    async linkLineOfEnquiry(actor: Actor, reference: string, key: string, input: unknown) {
      const data = parseInput(signalKloeInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, signal } = await loadForDecision(tx, actor, reference, key);
        const kloes = await reviewRepository(tx, actor).linesOfEnquiry(handle);
        if (data.lineOfEnquiryId && !kloes.some((k) => k.id === data.lineOfEnquiryId))
          throw new ValidationError({ lineOfEnquiryId: 'Select one of this review’s key lines of enquiry' });
        await reviewSignalsRepository(tx).linkLineOfEnquiry(
          handle,
          key,
          data.lineOfEnquiryId,
          actor.userId,
          ctx.now(),
        );
        await audit(tx, actor, {
          action: 'signal.link-line-of-enquiry',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'signal',
          subjectId: key,
          detail: { rule: signal.rule, lineOfEnquiryId: data.lineOfEnquiryId },
        });
      });
    },

    /**
     * The signals of a review the caller has loaded (access checked), inside the caller's
     * transaction: for a page that shows them beside its own data in one read.
     */
    async signalsFor(tx: Executor, actor: Actor, handle: VisibleReview): Promise<ReviewSignal[]> {
      return compute(tx, actor, handle);
    },
  };
}
