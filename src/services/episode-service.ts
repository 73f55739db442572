import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { episodeRepository, type EpisodeValues } from '../db/repositories/episode-repository.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import { isUuid } from '../db/repositories/request-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import type { Executor } from '../db/client.ts';
import { inSequence } from '../db/sequential.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { episodeInput, type EpisodeInput } from '../schemas/learning.ts';
import { inTransaction, type ServiceContext } from './context.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { changed, loadForRecording, viewed, whyNotRecordable } from './learning-load.ts';
import { loadReview } from './review-load.ts';

/** Checks every link of an episode belongs to this review (or partnership), and resolves codes. */
async function resolveLinks(
  tx: Executor,
  actor: Actor,
  handle: VisibleReview,
  data: EpisodeInput,
): Promise<EpisodeValues> {
  const agencies = new Map((await directoryRepository(tx, actor).agencies()).map((a) => [a.code, a.id]));
  const unknown = data.agencies.filter((c) => !agencies.has(c));
  if (unknown.length) throw new ValidationError({ agencies: `Unknown agency: ${unknown.join(', ')}` });
  const repo = episodeRepository(tx, actor);
  const entryIds = [...new Set(data.entryIds)];
  const entries = await repo.entriesOfReview(handle, entryIds);
  if (entries.length !== entryIds.length)
    throw new ValidationError({ entryIds: 'Choose entries of this review’s merged chronology' });
  const kloeIds = [...new Set(data.lineOfEnquiryIds)];
  if ((await repo.linesOfEnquiryOfReview(handle, kloeIds)).length !== kloeIds.length)
    throw new ValidationError({ lineOfEnquiryIds: 'Choose key lines of enquiry of this review' });
  return {
    title: data.title,
    kind: data.kind,
    periodFrom: data.periodFrom,
    periodTo: data.periodTo,
    whatHappened: data.whatHappened,
    whyItMattered: data.whyItMattered,
    agencyIds: [...new Set(data.agencies)].map((c) => agencies.get(c)!),
    entryIds,
    signalKeys: [...new Set(data.signalKeys)],
    lineOfEnquiryIds: kloeIds,
  };
}

/** Key practice episodes: what happened and why it mattered, linked to their evidence. */
export function episodeService(ctx: ServiceContext) {
  return {
    async list(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const repo = episodeRepository(tx, actor);
        const [episodes, kloes, entries] = await inSequence(
          () => repo.list(handle),
          () => reviewRepository(tx, actor).linesOfEnquiry(handle),
          () => repo.linkableEntries(handle),
        );
        await viewed(tx, actor, handle, 'episodes');
        return {
          review: row,
          episodes,
          linesOfEnquiry: kloes,
          entries,
          editable: whyNotRecordable(actor, row, 'episodes') === null,
          whyNotEditable: whyNotRecordable(actor, row, 'episodes'),
        };
      });
    },

    /** What the episode form offers: agencies, the merged chronology and the KLOEs. */
    async formOptions(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadForRecording(tx, actor, reference, 'episodes');
        const [agencies, entries, kloes, episodes] = await inSequence(
          () => directoryRepository(tx, actor).agencies(),
          () => episodeRepository(tx, actor).linkableEntries(handle),
          () => reviewRepository(tx, actor).linesOfEnquiry(handle),
          () => episodeRepository(tx, actor).list(handle),
        );
        return { review: row, agencies, entries, linesOfEnquiry: kloes, episodes };
      });
    },

    async add(actor: Actor, reference: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'episodes');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(episodeInput, input);
        const values = await resolveLinks(tx, actor, handle, data);
        const added = await episodeRepository(tx, actor).insert(handle, values);
        await changed(tx, actor, handle, 'review.episode.add', {
          subjectType: 'practice_episode',
          subjectId: added.id,
          detail: { kind: data.kind, entries: values.entryIds.length, signals: values.signalKeys.length },
        });
        return added;
      });
    },

    async update(actor: Actor, reference: string, id: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'episodes');
        // Access and stage first: only someone who may change the part hears about their input.
        const data = parseInput(episodeInput, input);
        const values = await resolveLinks(tx, actor, handle, data);
        if (!(await episodeRepository(tx, actor).update(handle, id, values)))
          throw new NotFoundError('There is no such key practice episode in this review.');
        await changed(tx, actor, handle, 'review.episode.update', {
          subjectType: 'practice_episode',
          subjectId: id,
        });
      });
    },

    async remove(actor: Actor, reference: string, id: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForRecording(tx, actor, reference, 'episodes');
        if (!isUuid(id) || !(await episodeRepository(tx, actor).remove(handle, id)))
          throw new NotFoundError('There is no such key practice episode in this review.');
        await changed(tx, actor, handle, 'review.episode.remove', {
          subjectType: 'practice_episode',
          subjectId: id,
        });
      });
    },
  };
}

export type EpisodeService = ReturnType<typeof episodeService>;
