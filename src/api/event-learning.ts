import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  attendanceInput,
  attendeeInput,
  episodeInput,
  eventDetailsInput,
  learningInput,
} from '../schemas/learning.ts';
import type { Services } from '../services/index.ts';
import type { EpisodeService } from '../services/episode-service.ts';
import type { EventService } from '../services/event-service.ts';
import type { LearningService } from '../services/learning-service.ts';

const refParams = z.object({
  ref: z.string().min(1).max(40).describe('Review reference, e.g. LOS-2021-002'),
});

type Episodes = Awaited<ReturnType<EpisodeService['list']>>['episodes'];
type Learning = Awaited<ReturnType<LearningService['list']>>['learning'];
type Event = Awaited<ReturnType<EventService['event']>>;

/** An episode as the API shows it: agencies by code, linked ids and signal keys. */
export function episodeJson(e: Episodes[number]) {
  return {
    id: e.id,
    position: e.position,
    title: e.title,
    kind: e.kind,
    periodFrom: e.periodFrom,
    periodTo: e.periodTo,
    whatHappened: e.whatHappened,
    whyItMattered: e.whyItMattered,
    agencies: e.agencies.map((a) => a.code),
    entryIds: e.entryIds,
    signalKeys: e.signalKeys,
    lineOfEnquiryIds: e.lineOfEnquiryIds,
  };
}

/** A learning statement: its themes by key (with the current name; retired ones say so). */
export function learningJson(l: Learning[number]) {
  return {
    id: l.id,
    position: l.position,
    statement: l.statement,
    themes: l.themes.map((t) => ({ key: t.key, name: t.name, retired: Boolean(t.retiredAt) })),
    episodeIds: l.episodeIds,
    lineOfEnquiryIds: l.lineOfEnquiryIds,
  };
}

export function eventJson(e: Event) {
  return {
    heldOn: e.event?.heldOn ?? null,
    format: e.event?.format ?? null,
    venue: e.event?.venue ?? null,
    link: e.event?.link ?? null,
    reflectiveNotes: e.event?.reflectiveNotes ?? null,
    attendees: e.attendees.map((a) => ({
      id: a.id,
      name: a.name,
      agency: a.agencyCode,
      tier: a.tier,
      jobTitle: a.jobTitle,
      attendance: a.attendance,
      invitedAt: a.invitationQueuedAt?.toISOString() ?? null,
    })),
  };
}

/** The event, key practice episodes, learning and traceability of a review. */
export async function eventLearningApiRoutes(base: FastifyInstance, { services }: { services: Services }) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const tags = ['event and learning'];

  app.get(
    '/reviews/:ref/event',
    {
      schema: {
        tags,
        summary: 'The Line of Sight event with its invitees and attendance',
        params: refParams,
      },
    },
    async (request) => eventJson(await services.event.event(request.actor!, request.params.ref)),
  );

  app.put(
    '/reviews/:ref/event',
    {
      schema: {
        tags,
        summary: 'Set the date, format, venue and link of the event',
        params: refParams,
        body: eventDetailsInput,
      },
    },
    async (request) => {
      await services.event.saveDetails(request.actor!, request.params.ref, request.body);
      return eventJson(await services.event.event(request.actor!, request.params.ref));
    },
  );

  app.post(
    '/reviews/:ref/event/attendees',
    { schema: { tags, summary: 'Invite someone to the event', params: refParams, body: attendeeInput } },
    async (request, reply) => {
      const added = await services.event.addAttendee(request.actor!, request.params.ref, request.body);
      return reply.code(201).send(added);
    },
  );

  app.post(
    '/reviews/:ref/event/attendance',
    {
      schema: {
        tags,
        summary: 'Record attendance: { "attendance": { "<attendee id>": "attended" } }',
        params: refParams,
        body: attendanceInput,
      },
    },
    async (request) => {
      await services.event.recordAttendance(request.actor!, request.params.ref, request.body);
      return eventJson(await services.event.event(request.actor!, request.params.ref));
    },
  );

  app.get(
    '/themes',
    {
      schema: {
        tags,
        summary: "The partnership's learning themes (retired ones included) and the taxonomy's version",
      },
    },
    async (request) => {
      const { themes, version } = await services.themes.list(request.actor!);
      return {
        version,
        items: themes.map((t) => ({ key: t.key, name: t.name, retired: Boolean(t.retiredAt) })),
        total: themes.length,
      };
    },
  );

  app.get(
    '/reviews/:ref/episodes',
    { schema: { tags, summary: 'Key practice episodes', params: refParams } },
    async (request) => {
      const { episodes } = await services.episodes.list(request.actor!, request.params.ref);
      return { items: episodes.map(episodeJson), total: episodes.length };
    },
  );

  app.post(
    '/reviews/:ref/episodes',
    { schema: { tags, summary: 'Add a key practice episode', params: refParams, body: episodeInput } },
    async (request, reply) => {
      const { id } = await services.episodes.add(request.actor!, request.params.ref, request.body);
      const { episodes } = await services.episodes.list(request.actor!, request.params.ref);
      return reply.code(201).send(episodeJson(episodes.find((e) => e.id === id)!));
    },
  );

  app.get(
    '/reviews/:ref/learning',
    { schema: { tags, summary: 'Learning statements with their themes', params: refParams } },
    async (request) => {
      const { learning } = await services.learning.list(request.actor!, request.params.ref);
      return { items: learning.map(learningJson), total: learning.length };
    },
  );

  app.post(
    '/reviews/:ref/learning',
    {
      schema: {
        tags,
        summary: 'Add a learning statement; themes by key, e.g. ["professional-curiosity"]',
        params: refParams,
        body: learningInput,
      },
    },
    async (request, reply) => {
      const { id } = await services.learning.add(request.actor!, request.params.ref, request.body);
      const { learning } = await services.learning.list(request.actor!, request.params.ref);
      return reply.code(201).send(learningJson(learning.find((l) => l.id === id)!));
    },
  );

  app.get(
    '/reviews/:ref/traceability',
    {
      schema: {
        tags,
        summary: 'Each key line of enquiry to evidence, episodes, learning and actions, with the gaps',
        params: refParams,
      },
    },
    async (request) => {
      const t = await services.learning.traceability(request.actor!, request.params.ref);
      return {
        linesOfEnquiry: t.rows.map((r) => ({
          id: r.lineOfEnquiry.id,
          position: r.lineOfEnquiry.position,
          question: r.lineOfEnquiry.question,
          signalKeys: r.signalKeys,
          entryIds: r.entryIds,
          selfAnalysisAgencies: r.answerAgencies,
          episodeIds: r.episodeIds,
          learningIds: r.learningIds,
          actionIds: r.actionIds,
          hasEvidence: r.hasEvidence,
        })),
        gaps: t.gaps,
      };
    },
  );
}
