import type { FastifyInstance, FastifyRequest } from 'fastify';
import { formatDate } from '../../domain/calendar/format.ts';
import {
  ATTENDEE_TIER_LABELS,
  ATTENDEE_TIERS,
  EPISODE_KIND_LABELS,
  EPISODE_KINDS,
  EVENT_FORMAT_LABELS,
  EVENT_FORMATS,
} from '../../domain/learning/labels.ts';
import type { Services } from '../../services/index.ts';
import { asArray, dateFromParts, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import {
  attendeesByAgency,
  episodeKindLabel,
  episodesByKind,
  eventFormatLabel,
  gapMessages,
  periodText,
} from '../presenters/event-learning.ts';
import type { HubTab } from '../presenters/review-hub.ts';
import { dateParts } from '../presenters/date-parts.ts';
import { tabHub } from './hub.ts';
import { repeatWarning, themeHint, themeHistory } from '../presenters/recurrence.ts';

type Params = { ref: string };
type IdParams = Params & { id: string };
type Body = Record<string, unknown>;

/** The fields of this area's forms in the order they appear on the page. */
const FIELD_ORDER = [
  'heldOn',
  'format',
  'venue',
  'link',
  'agency',
  'name',
  'tier',
  'jobTitle',
  'email',
  'title',
  'kind',
  'periodFrom',
  'periodTo',
  'whatHappened',
  'whyItMattered',
  'agencies',
  'entryIds',
  'signalKeys',
  'statement',
  'themes',
  'episodeIds',
  'lineOfEnquiryIds',
];

/** Errors in the order of the page's fields, so the error summary reads down the page (GOV.UK). */
function inPageOrder(errors: Record<string, string> | undefined): Record<string, string> {
  if (!errors) return {};
  const rank = (key: string) => {
    const i = FIELD_ORDER.indexOf(key.split('.')[0]!);
    return i < 0 ? (key.startsWith('_') ? -1 : FIELD_ORDER.length) : i;
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Signal keys typed one a line (or sent as a list). */
function lines(value: unknown): string[] {
  return asArray(value)
    .flatMap((v) => v.split(/\r?\n/))
    .map((v) => v.trim())
    .filter(Boolean);
}

const episodeFromBody = (body: Body) => ({
  title: body.title,
  kind: body.kind,
  periodFrom: dateFromParts(body, 'periodFrom'),
  periodTo: dateFromParts(body, 'periodTo'),
  whatHappened: body.whatHappened,
  whyItMattered: body.whyItMattered,
  agencies: asArray(body.agencies),
  entryIds: asArray(body.entryIds),
  signalKeys: lines(body.signalKeys),
  lineOfEnquiryIds: asArray(body.lineOfEnquiryIds),
});

const learningFromBody = (body: Body) => ({
  statement: body.statement,
  themes: asArray(body.themes),
  episodeIds: asArray(body.episodeIds),
  lineOfEnquiryIds: asArray(body.lineOfEnquiryIds),
});

const episodeFormValues = (body: Body) => ({
  ...body,
  agencies: asArray(body.agencies),
  entryIds: asArray(body.entryIds),
  signalKeys: asArray(body.signalKeys),
  lineOfEnquiryIds: asArray(body.lineOfEnquiryIds),
});

/** A signal in a sentence: its rule, period and finding. */
const signalText = (sig: { rule: string; from: string; to: string; explanation: string }) =>
  `${sig.rule}, ${formatDate(sig.from)}${sig.to !== sig.from ? ` to ${formatDate(sig.to)}` : ''}: ${sig.explanation}`;

/** The event, key practice episodes, learning and traceability pages of a review. */
export async function eventLearningRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;

  async function hub(request: FastifyRequest, ref: string, tab: HubTab, options = {}) {
    return tabHub(services, request, ref, tab, options);
  }

  const form = (request: FastifyRequest, key: string, dateFields: string[] = []) => {
    const state = takeForm(request, key);
    const errors = inPageOrder(state?.errors);
    return {
      values: state?.values ?? null,
      errors,
      errorList: errorSummary(errors, { dateFields }),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };

  // The event -----------------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/event', async (request, reply) => {
    const ref = request.params.ref;
    // Where a stage's last task is done (the event planned, attendance recorded): its move offered.
    const h = await hub(request, ref, 'event', { offerMove: true });
    const data = await services.event.event(actor(request), ref);
    const details = form(request, 'event-details', ['heldOn']);
    const invitee = form(request, 'event-attendee');
    const attendance = form(request, 'event-attendance');
    const notes = form(request, 'event-notes');
    const invitations = form(request, 'event-invitations');
    const e = data.event;
    return reply.view('pages/reviews/event.njk', {
      hub: h,
      ...data,
      // One error summary at the top, whichever of the page's forms was sent.
      errorList: [
        ...details.errorList,
        ...invitee.errorList,
        ...attendance.errorList,
        ...notes.errorList,
        ...invitations.errorList,
      ],
      details,
      invitee,
      notes,
      dv: details.values ?? {
        ...dateParts('heldOn', e?.heldOn),
        format: e?.format,
        venue: e?.venue,
        link: e?.link,
      },
      iv: invitee.values ?? {},
      nv: notes.values ?? { reflectiveNotes: e?.reflectiveNotes },
      formatLabel: eventFormatLabel(e?.format),
      formatItems: EVENT_FORMATS.map((value) => ({ value, text: EVENT_FORMAT_LABELS[value] })),
      tierItems: ATTENDEE_TIERS.map((value) => ({ value, text: ATTENDEE_TIER_LABELS[value] })),
      agencyItems: [
        { value: '', text: 'Choose an agency' },
        ...data.agencies.map((a) => ({ value: a.code, text: a.name })),
      ],
      groups: attendeesByAgency(data.attendees),
      uninvited: data.attendees.filter((a) => !a.invitationQueuedAt && a.email).length,
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/event', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'event-details',
      back: paths.reviews.event({ ref }),
      values: body,
      run: async () => {
        await services.event.saveDetails(actor(request), ref, {
          heldOn: dateFromParts(body, 'heldOn'),
          format: body.format,
          venue: body.venue,
          link: body.link,
        });
        return paths.reviews.event({ ref });
      },
      success: 'Event details saved',
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/event/attendees', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'event-attendee',
      back: `${paths.reviews.event({ ref })}#add-invitee`,
      values: body,
      run: async () => {
        await services.event.addAttendee(actor(request), ref, body);
        return `${paths.reviews.event({ ref })}#invitees`;
      },
      success: 'Invitee added',
    });
  });

  app.post<{ Params: IdParams }>('/reviews/:ref/event/attendees/:id/remove', async (request, reply) => {
    const { ref, id } = request.params;
    return handleForm(request, reply, {
      key: 'event-attendance',
      back: paths.reviews.event({ ref }),
      values: {},
      run: async () => {
        await services.event.removeAttendee(actor(request), ref, id);
        return `${paths.reviews.event({ ref })}#invitees`;
      },
      success: 'Invitee removed',
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/event/attendance', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    const attendance = Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => k.startsWith('attendance-'))
        .map(([k, v]) => [k.slice('attendance-'.length), String(v)]),
    );
    return handleForm(request, reply, {
      key: 'event-attendance',
      back: paths.reviews.event({ ref }),
      values: {},
      run: async () => {
        await services.event.recordAttendance(actor(request), ref, { attendance });
        return `${paths.reviews.event({ ref })}#invitees`;
      },
      success: 'Attendance recorded',
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/event/invitations', async (request, reply) => {
    const ref = request.params.ref;
    return handleForm(request, reply, {
      key: 'event-invitations',
      back: paths.reviews.event({ ref }),
      values: {},
      run: async () => {
        const sent = await services.event.sendInvitations(actor(request), ref);
        request.session.flash = {
          ...request.session.flash,
          success:
            `${sent.queued} invitation${sent.queued === 1 ? '' : 's'} sent` +
            (sent.withoutEmail
              ? `; ${sent.withoutEmail} invitee${sent.withoutEmail === 1 ? ' has' : 's have'} no e-mail address`
              : ''),
        };
        return `${paths.reviews.event({ ref })}#invitees`;
      },
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/event/notes', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'event-notes',
      back: `${paths.reviews.event({ ref })}#notes`,
      values: body,
      run: async () => {
        await services.event.saveNotes(actor(request), ref, { reflectiveNotes: body.reflectiveNotes });
        return `${paths.reviews.event({ ref })}#notes`;
      },
      success: 'Reflective notes saved',
    });
  });

  app.get<{ Params: Params }>('/reviews/:ref/event/pre-reading', async (request, reply) => {
    const ref = request.params.ref;
    const h = await hub(request, ref, 'event');
    const data = await services.event.preReading(actor(request), ref);
    const byKloe = data.linesOfEnquiry.map((k) => ({
      ...k,
      answers: data.answers.filter((a) => a.lineOfEnquiryId === k.id),
    }));
    return reply.view('pages/reviews/event-pre-reading.njk', {
      hub: h,
      ...data,
      byKloe,
      formatLabel: eventFormatLabel(data.event?.format),
    });
  });

  // Key practice episodes ------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/episodes', async (request, reply) => {
    const ref = request.params.ref;
    const h = await hub(request, ref, 'episodes', { offerMove: true });
    const data = await services.episodes.list(actor(request), ref);
    const { signals } = await services.reviewSignals.list(actor(request), ref);
    const signalByKey = new Map(signals.map((sig) => [sig.key, signalText(sig)]));
    const entries = new Map(data.entries.map((e) => [e.id, e]));
    const kloes = new Map(data.linesOfEnquiry.map((k) => [k.id, k]));
    const episodes = data.episodes.map((e) => ({
      ...e,
      kindLabel: episodeKindLabel(e.kind),
      period: periodText(e.periodFrom, e.periodTo, formatDate),
      entries: e.entryIds.map((id) => entries.get(id)).filter(Boolean),
      kloes: e.lineOfEnquiryIds.map((id) => kloes.get(id)).filter(Boolean),
      // A signal the chronology no longer raises keeps its key on the episode.
      signals: e.signalKeys.map((key) => signalByKey.get(key) ?? `Signal ${key} (no longer raised)`),
    }));
    return reply.view('pages/reviews/episodes.njk', {
      hub: h,
      ...data,
      groups: episodesByKind(episodes),
      ...form(request, 'episode-remove'),
    });
  });

  async function episodeForm(request: FastifyRequest, ref: string, id: string | null) {
    const h = await hub(request, ref, 'episodes');
    const options = await services.episodes.formOptions(actor(request), ref);
    const episode = id ? options.episodes.find((e) => e.id === id) : null;
    if (id && !episode) return null;
    const { signals } = await services.reviewSignals.list(actor(request), ref);
    const signalChoices = [
      ...signals
        .filter((sig) => sig.decision !== 'dismissed')
        .map((sig) => ({ key: sig.key, text: signalText(sig) })),
      ...(episode?.signalKeys ?? [])
        .filter((key) => !signals.some((sig) => sig.key === key && sig.decision !== 'dismissed'))
        .map((key) => ({ key, text: `Signal ${key} (no longer raised)` })),
    ];
    const f = form(request, id ? `episode-${id}` : 'episode-new', ['periodFrom', 'periodTo']);
    const v =
      f.values ??
      (episode
        ? {
            ...episode,
            ...dateParts('periodFrom', episode.periodFrom),
            ...dateParts('periodTo', episode.periodTo),
            agencies: episode.agencies.map((a) => a.code),
          }
        : { agencies: [], entryIds: [], signalKeys: [], lineOfEnquiryIds: [] });
    return {
      hub: h,
      ...options,
      ...f,
      episode,
      v,
      signalChoices,
      kindItems: EPISODE_KINDS.map((value) => ({ value, text: EPISODE_KIND_LABELS[value] })),
    };
  }

  app.get<{ Params: Params }>('/reviews/:ref/episodes/new', async (request, reply) => {
    const model = await episodeForm(request, request.params.ref, null);
    return reply.view('pages/reviews/episode-form.njk', model!);
  });

  app.post<{ Params: Params }>('/reviews/:ref/episodes', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'episode-new',
      back: paths.reviews.episodeNew({ ref }),
      values: episodeFormValues(body),
      run: async () => {
        await services.episodes.add(actor(request), ref, episodeFromBody(body));
        return paths.reviews.episodes({ ref });
      },
      success: 'Key practice episode added',
    });
  });

  app.get<{ Params: IdParams }>('/reviews/:ref/episodes/:id', async (request, reply) => {
    const model = await episodeForm(request, request.params.ref, request.params.id);
    if (!model) return reply.callNotFound();
    return reply.view('pages/reviews/episode-form.njk', model);
  });

  app.post<{ Params: IdParams }>('/reviews/:ref/episodes/:id', async (request, reply) => {
    const { ref, id } = request.params;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: `episode-${id}`,
      back: paths.reviews.episode({ ref, id }),
      values: episodeFormValues(body),
      run: async () => {
        await services.episodes.update(actor(request), ref, id, episodeFromBody(body));
        return paths.reviews.episodes({ ref });
      },
      success: 'Key practice episode changed',
    });
  });

  app.post<{ Params: IdParams }>('/reviews/:ref/episodes/:id/remove', async (request, reply) => {
    const { ref, id } = request.params;
    return handleForm(request, reply, {
      key: 'episode-remove',
      back: paths.reviews.episodes({ ref }),
      values: {},
      run: async () => {
        await services.episodes.remove(actor(request), ref, id);
        return paths.reviews.episodes({ ref });
      },
      success: 'Key practice episode removed',
    });
  });

  // Learning -------------------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/learning', async (request, reply) => {
    const ref = request.params.ref;
    const h = await hub(request, ref, 'learning', { offerMove: true });
    const data = await services.learning.list(actor(request), ref);
    const recurrence = await services.recurrence.forReview(actor(request), ref);
    const episodes = new Map(data.episodes.map((e) => [e.id, e]));
    const kloes = new Map(data.linesOfEnquiry.map((k) => [k.id, k]));
    return reply.view('pages/reviews/learning.njk', {
      hub: h,
      ...data,
      ...form(request, 'learning-remove'),
      items: data.learning.map((l) => ({
        ...l,
        episodes: l.episodeIds.map((id) => episodes.get(id)).filter(Boolean),
        kloes: l.lineOfEnquiryIds.map((id) => kloes.get(id)).filter(Boolean),
        // Where its themes appeared before, and the repeat-learning warning after done actions.
        seenBefore: l.themes.map((t) => themeHistory(recurrence.byTheme.get(t.id))).filter(Boolean),
        repeats: l.themes.map((t) => repeatWarning(recurrence.byTheme.get(t.id))).filter(Boolean),
      })),
    });
  });

  async function learningForm(request: FastifyRequest, ref: string, id: string | null) {
    const h = await hub(request, ref, 'learning');
    const data = await services.learning.list(actor(request), ref);
    const recurrence = await services.recurrence.forReview(actor(request), ref);
    if (!data.editable)
      return { conflict: data.whyNotEditable ?? 'The learning cannot change now.' } as const;
    const statement = id ? data.learning.find((l) => l.id === id) : null;
    if (id && !statement) return null;
    const f = form(request, id ? `learning-${id}` : 'learning-new');
    const v =
      f.values ??
      (statement
        ? { ...statement, themes: statement.themes.map((t) => t.key) }
        : { themes: [], episodeIds: [], lineOfEnquiryIds: [] });
    const onThis = new Set(statement?.themes.map((t) => t.id) ?? []);
    return {
      hub: h,
      ...data,
      ...f,
      statement,
      v,
      // Retired themes cannot be chosen, but stay on the learning that already carries them.
      themeChoices: data.themes
        .filter((t) => !t.retiredAt || onThis.has(t.id))
        .map((t) => ({ ...t, hint: themeHint(recurrence.byTheme.get(t.id)) })),
    };
  }

  const renderLearningForm = async (
    request: FastifyRequest,
    reply: import('fastify').FastifyReply,
    id: string | null,
  ) => {
    const model = await learningForm(request, (request.params as Params).ref, id);
    if (!model) return reply.callNotFound();
    if ('conflict' in model)
      return reply.code(409).view('pages/errors/conflict.njk', { reasons: [model.conflict] });
    return reply.view('pages/reviews/learning-form.njk', model);
  };

  app.get<{ Params: Params }>('/reviews/:ref/learning/new', async (request, reply) =>
    renderLearningForm(request, reply, null),
  );

  app.post<{ Params: Params }>('/reviews/:ref/learning', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'learning-new',
      back: paths.reviews.learningNew({ ref }),
      values: { ...body, ...learningFromBody(body) },
      run: async () => {
        await services.learning.add(actor(request), ref, learningFromBody(body));
        return paths.reviews.learning({ ref });
      },
      success: 'Learning added',
    });
  });

  app.get<{ Params: IdParams }>('/reviews/:ref/learning/:id', async (request, reply) =>
    renderLearningForm(request, reply, request.params.id),
  );

  app.post<{ Params: IdParams }>('/reviews/:ref/learning/:id', async (request, reply) => {
    const { ref, id } = request.params;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: `learning-${id}`,
      back: paths.reviews.learningStatement({ ref, id }),
      values: { ...body, ...learningFromBody(body) },
      run: async () => {
        await services.learning.update(actor(request), ref, id, learningFromBody(body));
        return paths.reviews.learning({ ref });
      },
      success: 'Learning changed',
    });
  });

  app.post<{ Params: IdParams }>('/reviews/:ref/learning/:id/remove', async (request, reply) => {
    const { ref, id } = request.params;
    return handleForm(request, reply, {
      key: 'learning-remove',
      back: paths.reviews.learning({ ref }),
      values: {},
      run: async () => {
        await services.learning.remove(actor(request), ref, id);
        return paths.reviews.learning({ ref });
      },
      success: 'Learning removed',
    });
  });

  // Traceability ---------------------------------------------------------------------------------
  async function traceabilityModel(request: FastifyRequest, ref: string) {
    const data = await services.learning.traceability(actor(request), ref);
    const episodes = new Map(data.episodes.map((e) => [e.id, e]));
    const learning = new Map(data.learning.map((l) => [l.id, l]));
    const actions = new Map(data.actions.map((a) => [a.id, a]));
    const entries = new Map(data.entries.map((e) => [e.id, e]));
    const kloes = new Map(data.linesOfEnquiry.map((k) => [k.id, k]));
    const gapList = gapMessages(data.gaps, {
      kloe: (id) => `Key line of enquiry ${kloes.get(id)?.position ?? ''}`.trim(),
      learning: (id) => learning.get(id)?.statement ?? '',
      action: (id) => `A${actions.get(id)?.number ?? ''}`,
    });
    return {
      ...data,
      gapList,
      withoutEvidence: new Set(
        data.gaps.flatMap((g) => (g.kind === 'kloe-without-evidence' ? [g.lineOfEnquiryId] : [])),
      ),
      learningWithoutAction: data.gaps.flatMap((g) =>
        g.kind === 'learning-without-action' ? [learning.get(g.learningId)!] : [],
      ),
      actionsWithoutMeasure: data.gaps.flatMap((g) =>
        g.kind === 'action-without-success-measure' ? [actions.get(g.actionId)!] : [],
      ),
      rows: data.rows.map((r) => ({
        ...r,
        episodes: r.episodeIds.map((id) => ({
          ...episodes.get(id)!,
          kindLabel: episodeKindLabel(episodes.get(id)!.kind),
        })),
        entries: r.entryIds.map((id) => entries.get(id)).filter(Boolean),
        learning: r.learningIds.map((id) => learning.get(id)!),
        actions: r.actionIds.map((id) => actions.get(id)!),
      })),
    };
  }

  app.get<{ Params: Params }>('/reviews/:ref/traceability', async (request, reply) => {
    const ref = request.params.ref;
    const h = await hub(request, ref, 'learning');
    return reply.view('pages/reviews/traceability.njk', {
      hub: h,
      ...(await traceabilityModel(request, ref)),
    });
  });

  app.get<{ Params: Params }>('/reviews/:ref/traceability/print', async (request, reply) => {
    const model = await traceabilityModel(request, request.params.ref);
    return reply.view('pages/reviews/traceability-print.njk', model);
  });
}
