import type { FastifyInstance, FastifyRequest } from 'fastify';
import { londonDate } from '../../domain/calendar/iso-date.ts';
import { ConflictError, ValidationError } from '../../services/errors.ts';
import { whyNotEditable } from '../../domain/lifecycle/guards.ts';
import {
  OUTCOME_DECIDER_LABELS,
  OUTCOME_DECIDERS,
  RAPID_REVIEW_OUTCOME_LABELS,
  RAPID_REVIEW_OUTCOMES,
  SCREENING_OUTCOME_LABELS,
  SCREENING_OUTCOMES,
  STAGE_LABELS,
  type OutcomeDecider,
  type RapidReviewOutcome,
} from '../../domain/lifecycle/stages.ts';
import { ROLE_LABELS, type Role } from '../../domain/lifecycle/roles.ts';
import { deadlineRag } from '../../domain/lifecycle/deadlines.ts';
import type { Services } from '../../services/index.ts';
import { asArray, dateFromParts, handleForm, keepForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { auditRowForPeople } from '../presenters/audit-log.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { reviewHub, type HubTab } from '../presenters/review-hub.ts';
import { offeredMove } from './hub.ts';
import { reviewList } from '../presenters/review-list.ts';
import { stageWorkView } from '../presenters/stage-work.ts';
import { referralFormValues } from '../presenters/referral-form.ts';
import { dateParts } from '../presenters/date-parts.ts';
import { mayRefer } from '../../domain/lifecycle/roles.ts';

type Params = { ref: string };
type Body = Record<string, unknown>;

const today = () => londonDate(new Date());

const DEADLINE_RAG = {
  red: { text: 'Overdue', classes: 'govuk-tag--red' },
  amber: { text: 'Due soon', classes: 'govuk-tag--yellow' },
  green: { text: 'On track', classes: 'govuk-tag--green' },
} as const;

export async function reviewRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;
  const { reviews } = services;

  /** The hub model of a review page: the overview's deadlines feed the identity bar. */
  async function hub(request: FastifyRequest, ref: string, tab: HubTab, options: { tasks?: boolean } = {}) {
    const overview = await reviews.overview(actor(request), ref, options);
    return {
      overview,
      hub: reviewHub(overview.review, tab, { deadline: overview.deadlines[0], today: overview.today }),
    };
  }

  /** A line of enquiry's change and remove pages, only while the policy lets them change (never a form that cannot be sent). */
  const linesOfEnquiryOpen = (review: { stage: string; status: string }) => {
    const why = whyNotEditable(review as Parameters<typeof whyNotEditable>[0], 'linesOfEnquiry');
    if (why) throw new ConflictError(why);
  };

  const form = (request: FastifyRequest, key: string, dateFields: string[] = []) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(state?.errors, { dateFields }),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };

  // Reviews list -------------------------------------------------------------------------------
  app.get(paths.reviews.list(), async (request, reply) => {
    const result = await reviews.list(actor(request), request.query);
    return reply.view('pages/reviews/list.njk', {
      ...reviewList(result.items, result.query, today(), result.agencies),
      total: result.total,
      query: result.query,
      canRefer: mayRefer(actor(request)),
    });
  });

  // Referral -----------------------------------------------------------------------------------
  app.get(paths.reviews.refer(), async (request, reply) => {
    const { agencies } = await reviews.referralOptions(actor(request));
    const f = form(request, 'refer', ['referredOn', 'child.dateOfBirth']);
    return reply.view('pages/reviews/refer.njk', {
      ...f,
      agencies,
      v: f.values ?? { referringAgencyCode: agencies.find((a) => a.id === actor(request).agencyId)?.code },
    });
  });

  app.post(paths.reviews.refer(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const input = referralFormValues(body);
    // A child who already has a review: warned with links, sent only once confirmed; never merged.
    if (body.sameChildConfirmed !== 'yes') {
      const sameChild = await reviews.reviewsOfSameChild(actor(request), input);
      if (sameChild.length) {
        keepForm(request, 'refer', {
          values: { ...body, sameChild },
          errors: {
            sameChildConfirmed:
              'This child may already have a review: check it, then tick “Refer it as a new review” to send the referral',
          },
        });
        return reply.redirect(`${paths.reviews.refer()}#same-child`, 303);
      }
    }
    return handleForm(request, reply, {
      key: 'refer',
      back: paths.reviews.refer(),
      values: body,
      run: async () => {
        const { reference } = await reviews.refer(actor(request), input);
        return paths.reviews.overview({ ref: reference });
      },
      success: 'Referral received',
    });
  });

  // Overview -----------------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref', async (request, reply) => {
    const { overview, hub: h } = await hub(request, request.params.ref, 'overview', { tasks: true });
    const f = form(request, 'stage');
    return reply.view('pages/reviews/overview.njk', {
      hub: h,
      ...overview,
      ...f,
      work: stageWorkView(overview.review.reference, overview.work!, overview.today),
      // Statutory deadlines and the partnership's own target alike, rated as actions are.
      deadlines: overview.deadlines.map((d) => ({ ...d, rag: DEADLINE_RAG[deadlineRag(d, overview.today)] })),
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/stage', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'stage',
      back: paths.reviews.overview({ ref }),
      values: body,
      run: async () => {
        const moved = await reviews.moveStage(actor(request), ref, { to: body.to, reason: body.reason });
        request.session.flash = {
          ...request.session.flash,
          success: `Review moved to ${STAGE_LABELS[moved.to].toLowerCase()}`,
        };
        return paths.reviews.overview({ ref });
      },
    });
  });

  for (const change of ['pause', 'resume', 'stop'] as const) {
    app.get<{ Params: Params }>(`/reviews/:ref/${change}`, async (request, reply) => {
      const { overview, hub: h } = await hub(request, request.params.ref, 'overview');
      return reply.view('pages/reviews/status-change.njk', {
        hub: h,
        review: overview.review,
        change,
        ...form(request, change),
      });
    });
    app.post<{ Params: Params }>(`/reviews/:ref/${change}`, async (request, reply) => {
      const ref = request.params.ref;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: change,
        back: paths.reviews.status({ ref, change }),
        values: body,
        run: async () => {
          await reviews.changeStatus(actor(request), ref, change, { reason: body.reason });
          return paths.reviews.overview({ ref });
        },
        success: { pause: 'Review paused', resume: 'Review resumed', stop: 'Review stopped' }[change],
      });
    });
  }

  // Referral tab and the named view --------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/referral', async (request, reply) => {
    const { hub: h } = await hub(request, request.params.ref, 'referral');
    const referral = await reviews.referral(actor(request), request.params.ref);
    return reply.view('pages/reviews/referral.njk', { hub: h, ...referral, identifiable: null });
  });

  app.get<{ Params: Params }>('/reviews/:ref/referral/identifiable-details', async (request, reply) => {
    const { hub: h } = await hub(request, request.params.ref, 'referral');
    const referral = await reviews.referral(actor(request), request.params.ref);
    const identifiable = await reviews.identifiableDetails(actor(request), request.params.ref);
    return reply.view('pages/reviews/referral.njk', { hub: h, ...referral, identifiable });
  });

  // Screening ----------------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/screening', async (request, reply) => {
    const { hub: h } = await hub(request, request.params.ref, 'screening');
    const screening = await reviews.screening(actor(request), request.params.ref);
    const f = form(request, 'screening', ['decidedOn']);
    const rapidForm = form(request, 'rapid-review-outcome', ['decidedOn']);
    const d = screening.decision;
    return reply.view('pages/reviews/screening.njk', {
      hub: h,
      ...screening,
      ...f,
      v:
        f.values ??
        (d ? { ...d, ...dateParts('decidedOn', d.decidedOn) } : { ...dateParts('decidedOn', today()) }),
      outcomes: SCREENING_OUTCOMES.map((o) => ({ value: o, text: SCREENING_OUTCOME_LABELS[o] })),
      outcomeLabel: d ? SCREENING_OUTCOME_LABELS[d.outcome as keyof typeof SCREENING_OUTCOME_LABELS] : null,
      rapidForm,
      // One error summary at the top, whichever of the page's forms was sent.
      errorList: [...f.errorList, ...rapidForm.errorList],
      rv:
        rapidForm.values ??
        (d?.rapidReviewOutcome
          ? {
              outcome: d.rapidReviewOutcome,
              decidedBy: d.outcomeDecidedBy,
              rationale: d.outcomeRationale,
              ...dateParts('outcomeDecidedOn', d.outcomeDecidedOn),
            }
          : {}),
      rapid:
        screening.review.type === 'rapid_review' || screening.review.type === 'lcspr'
          ? {
              editable: screening.outcomeEditable,
              recorded: d?.rapidReviewOutcome
                ? {
                    outcome: RAPID_REVIEW_OUTCOME_LABELS[d.rapidReviewOutcome as RapidReviewOutcome],
                    decidedBy: OUTCOME_DECIDER_LABELS[d.outcomeDecidedBy as OutcomeDecider],
                    decidedOn: d.outcomeDecidedOn,
                    rationale: d.outcomeRationale,
                  }
                : null,
              outcomes: RAPID_REVIEW_OUTCOMES.map((o) => ({
                value: o,
                text: RAPID_REVIEW_OUTCOME_LABELS[o],
              })),
              deciders: OUTCOME_DECIDERS.map((o) => ({ value: o, text: OUTCOME_DECIDER_LABELS[o] })),
            }
          : null,
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/rapid-review-outcome', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'rapid-review-outcome',
      back: `${paths.reviews.screening({ ref })}#rapid-review-outcome`,
      values: body,
      run: async () => {
        await reviews.recordRapidReviewOutcome(actor(request), ref, {
          outcome: body.outcome,
          decidedBy: body.decidedBy,
          decidedOn: dateFromParts(body, 'outcomeDecidedOn'),
          rationale: body.rationale,
        });
        return paths.reviews.overview({ ref });
      },
      success: "The rapid review's outcome is recorded",
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/screening', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'screening',
      back: paths.reviews.screening({ ref }),
      values: body,
      run: async () => {
        await reviews.recordScreening(actor(request), ref, {
          outcome: body.outcome,
          rationale: body.rationale,
          decisionMaker: body.decisionMaker,
          decidedOn: dateFromParts(body, 'decidedOn'),
        });
        return paths.reviews.overview({ ref });
      },
      success: 'Screening decision recorded',
    });
  });

  // Terms of reference and key lines of enquiry --------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/terms-of-reference', async (request, reply) => {
    const { hub: tabs } = await hub(request, request.params.ref, 'terms-of-reference');
    // The background and purpose are this stage's last task: once done, its move is offered here.
    const h = { ...tabs, ...(await offeredMove(services, request, request.params.ref)) };
    const tor = await reviews.termsOfReference(actor(request), request.params.ref);
    const f = form(request, 'terms-of-reference', ['periodFrom', 'periodTo']);
    const kloe = form(request, 'kloe-add');
    const summary = form(request, 'summary');
    // Agencies named in the referral come ticked until the scope is first saved.
    const inScope = tor.agencies.filter((a) => a.inScope).map((a) => a.code);
    const involved = tor.agencies.filter((a) => a.involved).map((a) => a.code);
    return reply.view('pages/reviews/terms-of-reference.njk', {
      hub: h,
      ...tor,
      ...f,
      // One error summary at the top of the page, whichever of its forms was sent.
      errorList: [...f.errorList, ...kloe.errorList, ...summary.errorList],
      kloe,
      summary: {
        ...summary,
        values: summary.values ?? {
          background: tor.review.background ?? '',
          purpose: tor.review.purpose ?? '',
        },
      },
      v: f.values ?? {
        ...dateParts('periodFrom', tor.review.periodFrom),
        ...dateParts('periodTo', tor.review.periodTo),
        agenciesInScope: inScope.length ? inScope : involved,
        chair: tor.chair?.userId ?? '',
      },
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/terms-of-reference', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    // A key line of enquiry typed but not yet added is kept, not thrown away.
    if (typeof body.question === 'string' && body.question.trim())
      keepForm(request, 'kloe-add', { values: { question: body.question }, errors: {} });
    return handleForm(request, reply, {
      key: 'terms-of-reference',
      back: paths.reviews.termsOfReference({ ref }),
      values: { ...body, agenciesInScope: asArray(body.agenciesInScope) },
      run: async () => {
        await reviews.setTermsOfReference(actor(request), ref, {
          periodFrom: dateFromParts(body, 'periodFrom'),
          periodTo: dateFromParts(body, 'periodTo'),
          agenciesInScope: asArray(body.agenciesInScope),
          chair: body.chair,
        });
        return paths.reviews.termsOfReference({ ref });
      },
      success: 'Terms of reference saved',
    });
  });

  // The background and purpose, in the words the briefing's first two sections will use.
  app.post<{ Params: Params }>('/reviews/:ref/summary', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'summary',
      back: `${paths.reviews.termsOfReference({ ref })}#background-and-purpose`,
      values: body,
      run: async () => {
        await reviews.setSummary(actor(request), ref, { background: body.background, purpose: body.purpose });
        return `${paths.reviews.termsOfReference({ ref })}#background-and-purpose`;
      },
      success: 'Background and purpose saved',
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/lines-of-enquiry', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    // Sent from the terms of reference form: what was typed there comes back as it was, unsaved.
    if ('periodFrom-day' in body) {
      const { question: _question, _csrf, ...typed } = body;
      keepForm(request, 'terms-of-reference', {
        values: { ...typed, agenciesInScope: asArray(body.agenciesInScope) },
        errors: {},
      });
    }
    return handleForm(request, reply, {
      key: 'kloe-add',
      back: `${paths.reviews.termsOfReference({ ref })}#add-line-of-enquiry`,
      values: body,
      run: async () => {
        await reviews.addLineOfEnquiry(actor(request), ref, { question: body.question });
        return `${paths.reviews.termsOfReference({ ref })}#lines-of-enquiry`;
      },
      success: 'Key line of enquiry added',
    });
  });

  app.get<{ Params: Params & { id: string } }>(
    '/reviews/:ref/lines-of-enquiry/:id',
    async (request, reply) => {
      const { ref, id } = request.params;
      const { hub: h, overview } = await hub(request, ref, 'terms-of-reference');
      const kloes = await reviews.linesOfEnquiry(actor(request), ref);
      const kloe = kloes.find((k) => k.id === id);
      if (!kloe) return reply.callNotFound();
      linesOfEnquiryOpen(overview.review);
      const f = form(request, `kloe-${id}`);
      return reply.view('pages/reviews/line-of-enquiry-edit.njk', {
        hub: h,
        kloe,
        ...f,
        v: f.values ?? kloe,
      });
    },
  );

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/lines-of-enquiry/:id',
    async (request, reply) => {
      const { ref, id } = request.params;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: `kloe-${id}`,
        back: paths.reviews.lineOfEnquiry({ ref, id }),
        values: body,
        run: async () => {
          await reviews.updateLineOfEnquiry(actor(request), ref, id, { question: body.question });
          return `${paths.reviews.termsOfReference({ ref })}#lines-of-enquiry`;
        },
        success: 'Key line of enquiry changed',
      });
    },
  );

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/lines-of-enquiry/:id/move',
    async (request, reply) => {
      const { ref, id } = request.params;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: 'kloe-add',
        back: paths.reviews.termsOfReference({ ref }),
        values: {},
        run: async () => {
          // The buttons say which way; anything else is not a move (rather than a silent move down).
          if (body.direction !== 'up' && body.direction !== 'down')
            throw new ValidationError({ direction: 'Choose whether to move the line up or down' });
          await reviews.moveLineOfEnquiry(actor(request), ref, id, body.direction);
          return `${paths.reviews.termsOfReference({ ref })}#lines-of-enquiry`;
        },
      });
    },
  );

  app.get<{ Params: Params & { id: string } }>(
    '/reviews/:ref/lines-of-enquiry/:id/remove',
    async (request, reply) => {
      const { ref, id } = request.params;
      const { hub: h, overview } = await hub(request, ref, 'terms-of-reference');
      const kloe = (await reviews.linesOfEnquiry(actor(request), ref)).find((k) => k.id === id);
      if (!kloe) return reply.callNotFound();
      linesOfEnquiryOpen(overview.review);
      return reply.view('pages/reviews/line-of-enquiry-remove.njk', {
        hub: h,
        kloe,
        ...form(request, 'kloe-remove'),
      });
    },
  );

  app.post<{ Params: Params & { id: string } }>(
    '/reviews/:ref/lines-of-enquiry/:id/remove',
    async (request, reply) => {
      const { ref, id } = request.params;
      return handleForm(request, reply, {
        key: 'kloe-remove',
        back: paths.reviews.lineOfEnquiryRemove({ ref, id }),
        values: {},
        run: async () => {
          await reviews.removeLineOfEnquiry(actor(request), ref, id);
          return `${paths.reviews.termsOfReference({ ref })}#lines-of-enquiry`;
        },
        success: 'Key line of enquiry removed',
      });
    },
  );

  // Agencies and people --------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/agencies', async (request, reply) => {
    const { hub: h } = await hub(request, request.params.ref, 'agencies');
    const members = await reviews.members(actor(request), request.params.ref);
    return reply.view('pages/reviews/agencies.njk', {
      hub: h,
      ...members,
      ...form(request, 'members'),
      candidateItems: [
        { value: '', text: 'Choose a person' },
        ...members.candidates.map((p) => ({
          value: p.id,
          text: `${p.name} — ${p.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join(', ')}${p.agencyName ? `, ${p.agencyName}` : ''}`,
        })),
      ],
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/members', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'members',
      back: paths.reviews.agencies({ ref }),
      values: body,
      run: async () => {
        await reviews.addMember(actor(request), ref, String(body.userId ?? ''));
        return paths.reviews.agencies({ ref });
      },
      success: 'Access given',
    });
  });

  app.post<{ Params: Params & { userId: string } }>(
    '/reviews/:ref/members/:userId/remove',
    async (request, reply) => {
      const { ref, userId } = request.params;
      return handleForm(request, reply, {
        key: 'members',
        back: paths.reviews.agencies({ ref }),
        values: {},
        run: async () => {
          await reviews.removeMember(actor(request), ref, userId);
          return paths.reviews.agencies({ ref });
        },
        success: 'Access removed',
      });
    },
  );

  // History ------------------------------------------------------------------------------------
  app.get<{ Params: Params }>('/reviews/:ref/history', async (request, reply) => {
    const { hub: h } = await hub(request, request.params.ref, 'history');
    const history = await reviews.history(actor(request), request.params.ref);
    return reply.view('pages/reviews/history.njk', {
      hub: h,
      ...history,
      // The audit trail in the audit page's words: the event, who by name, the outcome.
      trail: history.trail
        ? { ...history.trail, items: history.trail.items.map((row) => auditRowForPeople(row)) }
        : null,
    });
  });
}
