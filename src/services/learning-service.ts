import { episodeRepository } from '../db/repositories/episode-repository.ts';
import { evidenceRepository } from '../db/repositories/evidence-repository.ts';
import { learningRepository, type LearningValues } from '../db/repositories/learning-repository.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import { themeRepository } from '../db/repositories/theme-repository.ts';
import type { Executor } from '../db/client.ts';
import { inSequence } from '../db/sequential.ts';
import { traceReview } from '../domain/learning/traceability.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { learningInput, type LearningInput } from '../schemas/learning.ts';
import { inTransaction, type ServiceContext } from './context.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { changed, loadForRecording, viewed, whyNotRecordable } from './learning-load.ts';
import { loadReview } from './review-load.ts';

/**
 * Themes are chosen by key. A retired theme cannot be chosen for new learning, but a statement
 * that already carries it keeps it when edited.
 */
async function resolveLinks(
  tx: Executor,
  actor: Actor,
  handle: VisibleReview,
  data: LearningInput,
  keep: string[] = [],
): Promise<LearningValues> {
  const themes = themeRepository(tx, actor);
  await themes.seedIfEmpty();
  const keys = [...new Set(data.themes)];
  const found = await themes.byKeys(keys);
  const missing = keys.filter((k) => !found.some((t) => t.key === k));
  if (missing.length) throw new ValidationError({ themes: `Unknown theme: ${missing.join(', ')}` });
  const retired = found.filter((t) => t.retiredAt && !keep.includes(t.id));
  if (retired.length)
    throw new ValidationError({
      themes: `This theme has been retired and cannot be chosen: ${retired.map((t) => t.name).join(', ')}`,
    });
  const episodeIds = [...new Set(data.episodeIds)];
  if ((await learningRepository(tx, actor).episodesOfReview(handle, episodeIds)).length !== episodeIds.length)
    throw new ValidationError({ episodeIds: 'Choose key practice episodes of this review' });
  const kloeIds = [...new Set(data.lineOfEnquiryIds)];
  if ((await episodeRepository(tx, actor).linesOfEnquiryOfReview(handle, kloeIds)).length !== kloeIds.length)
    throw new ValidationError({ lineOfEnquiryIds: 'Choose key lines of enquiry of this review' });
  return {
    statement: data.statement,
    themeIds: found.map((t) => t.id),
    episodeIds,
    lineOfEnquiryIds: kloeIds,
  };
}

/** Learning statements, tagged with themes and linked to episodes and KLOEs; traceability. */
export function learningService(ctx: ServiceContext) {
  return {
    async list(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const themes = themeRepository(tx, actor);
        await themes.seedIfEmpty();
        const [learning, episodes, kloes, allThemes, version] = await inSequence(
          () => learningRepository(tx, actor).list(handle),
          () => episodeRepository(tx, actor).list(handle),
          () => reviewRepository(tx, actor).linesOfEnquiry(handle),
          () => themes.all(),
          () => themes.version(),
        );
        await viewed(tx, actor, handle, 'learning');
        return {
          review: row,
          learning,
          episodes,
          linesOfEnquiry: kloes,
          themes: allThemes,
          taxonomyVersion: version,
          editable: whyNotRecordable(actor, row, 'learning') === null,
          whyNotEditable: whyNotRecordable(actor, row, 'learning'),
        };
      });
    },

    async add(actor: Actor, reference: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'learning');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(learningInput, input);
        const values = await resolveLinks(tx, actor, handle, data);
        const added = await learningRepository(tx, actor).insert(handle, values);
        await changed(tx, actor, handle, 'review.learning.add', {
          subjectType: 'learning_statement',
          subjectId: added.id,
          detail: { themes: data.themes },
        });
        return added;
      });
    },

    async update(actor: Actor, reference: string, id: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'learning');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(learningInput, input);
        const repo = learningRepository(tx, actor);
        const current = (await repo.list(handle)).find((l) => l.id === id);
        if (!current) throw new NotFoundError('There is no such learning in this review.');
        const values = await resolveLinks(
          tx,
          actor,
          handle,
          data,
          current.themes.map((t) => t.id),
        );
        await repo.update(handle, id, values);
        await changed(tx, actor, handle, 'review.learning.update', {
          subjectType: 'learning_statement',
          subjectId: id,
          detail: { themes: data.themes },
        });
      });
    },

    async remove(actor: Actor, reference: string, id: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'learning');
        if (!(await learningRepository(tx, actor).remove(handle, id)))
          throw new NotFoundError('There is no such learning in this review.');
        await changed(tx, actor, handle, 'review.learning.remove', {
          subjectType: 'learning_statement',
          subjectId: id,
        });
      });
    },

    /** Each KLOE → evidence → episodes → learning → actions, with the gaps. */
    async traceability(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const evidence = evidenceRepository(tx, actor);
        const [kloes, signalLinks, answers, episodes, learning, actions] = await inSequence(
          () => reviewRepository(tx, actor).linesOfEnquiry(handle),
          () => evidence.signalLinks(handle),
          () => evidence.acceptedSelfAnalyses(handle),
          () => episodeRepository(tx, actor).list(handle),
          () => learningRepository(tx, actor).list(handle),
          () => evidence.actions(handle),
        );
        const entries = await episodeRepository(tx, actor).entriesOfReview(handle, [
          ...new Set(episodes.flatMap((e) => e.entryIds)),
        ]);
        const trace = traceReview({
          linesOfEnquiry: kloes,
          signalLinks,
          answers,
          episodes,
          learning,
          actions,
        });
        await viewed(tx, actor, handle, 'traceability');
        return { review: row, ...trace, episodes, learning, entries, actions, linesOfEnquiry: kloes };
      });
    },
  };
}

export type LearningService = ReturnType<typeof learningService>;
