import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sectionListFields, sectionToForm } from '../../domain/briefing/section-form.ts';
import { isBriefingFormat } from '../../files/briefing-export.ts';
import type { Services } from '../../services/index.ts';
import { NotFoundError } from '../../services/errors.ts';
import { flashSuccess, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { briefingContentView, findingsPanel, stateTag, whenText } from '../presenters/briefing.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { tabHub } from './hub.ts';

type Params = { ref: string };
type Body = Record<string, unknown>;

/** A section number from the address as an index; anything else points at no section. */
const sectionIndex = (index: number) => (Number.isInteger(index) && index >= 0 ? index : -1);

// What each button did, for the banner. The check has none of its own: the findings box says
// what it found, and a green banner above a list of findings would say the opposite.
const MOVES = {
  generate: 'Briefing generated from the review',
  check: null,
  submit: 'Briefing sent for approval',
  approve: 'Briefing approved',
  publish: 'Briefing published to the library',
  return: 'Briefing returned to draft',
} as const;

/** The review's Briefing tab: sections, the identifying-details check, approval, publication, downloads. */
export async function briefingRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;
  const { briefings } = services;

  const form = (request: FastifyRequest, key: string) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };
  async function hub(request: FastifyRequest, ref: string) {
    return tabHub(services, request, ref, 'briefing');
  }

  app.get<{ Params: Params }>('/reviews/:ref/briefing', async (request, reply) => {
    const ref = request.params.ref;
    const h = await hub(request, ref);
    const view = await briefings.view(actor(request), ref);
    const f = form(request, 'briefing');
    const accept = form(request, 'accept');
    const reissue = form(request, 'reissue');
    const current = view.current;
    return reply.view('pages/briefing/tab.njk', {
      hub: h,
      ...view,
      ...f,
      errorList: [...f.errorList, ...accept.errorList, ...reissue.errorList],
      accept,
      reissue,
      stateTag: current ? stateTag(current.state) : null,
      content: current ? briefingContentView(current.content) : null,
      findings: current
        ? findingsPanel(
            view.findings,
            (index) => paths.reviews.briefingSection({ ref, index }),
            current.content,
          )
        : null,
      checkedAt: whenText(current?.checkedAt),
      history: view.versions.map((v) => ({
        version: v.version,
        state: stateTag(v.state),
        note: v.note,
        submittedAt: whenText(v.submittedAt),
        approvedAt: whenText(v.approvedAt),
        publishedAt: whenText(v.publishedAt),
      })),
    });
  });

  app.get<{ Params: Params }>('/reviews/:ref/briefing/preview', async (request, reply) => {
    const ref = request.params.ref;
    const view = await briefings.view(actor(request), ref);
    if (!view.current) throw new NotFoundError('This review has no briefing yet.');
    return reply.view('pages/briefing/preview.njk', {
      review: view.review,
      hasLogo: view.hasLogo,
      version: view.current,
      stateTag: stateTag(view.current.state),
      content: briefingContentView(view.current.content),
    });
  });

  // Adding a custom section: the form of a section edit, and where the section goes.
  app.get<{ Params: Params }>('/reviews/:ref/briefing/sections/new', async (request, reply) => {
    const ref = request.params.ref;
    const view = await briefings.view(actor(request), ref);
    if (!view.current) throw new NotFoundError('This review has no briefing yet.');
    const f = form(request, 'section-new');
    const v = (f.values ?? {}) as Record<string, string | undefined>;
    const after = v.after ?? 'end';
    const sections = view.current.content.sections;
    return reply.view('pages/briefing/section-new.njk', {
      hub: await hub(request, ref),
      review: view.review,
      editable: view.permissions.edit,
      stageOpen: view.stageOpen,
      v,
      // In the briefing's order; the end (after the last section) unless something else was chosen.
      positionItems: [
        { value: '0', text: 'At the start', selected: after === '0' },
        ...sections.map((s, i) => {
          const last = i === sections.length - 1;
          const value = last ? 'end' : String(i + 1);
          return {
            value,
            text: `After ${i + 1} ${s.heading}${last ? ' (at the end)' : ''}`,
            selected: after === value || (last && after === String(i + 1)),
          };
        }),
      ],
      ...f,
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/briefing/sections/new', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'section-new',
      back: paths.reviews.briefingSectionNew({ ref }),
      values: body,
      run: async () => {
        const { index, heading } = await briefings.addSection(actor(request), ref, body);
        flashSuccess(
          request,
          `Section ${index + 1} “${heading}” added. Check the briefing for identifying details again before approval.`,
        );
        return `${paths.reviews.briefing({ ref })}#section-${index + 1}`;
      },
    });
  });

  app.post<{ Params: Params & { index: string } }>(
    '/reviews/:ref/briefing/sections/:index/remove',
    async (request, reply) => {
      const ref = request.params.ref;
      const index = Number(request.params.index) - 1;
      return handleForm(request, reply, {
        key: 'briefing',
        back: `${paths.reviews.briefing({ ref })}#sections`,
        values: {},
        run: async () => {
          const { heading } = await briefings.removeSection(actor(request), ref, sectionIndex(index));
          flashSuccess(request, `Section “${heading ?? ''}” removed`);
          return `${paths.reviews.briefing({ ref })}#sections`;
        },
      });
    },
  );

  app.post<{ Params: Params & { index: string } }>(
    '/reviews/:ref/briefing/sections/:index/move',
    async (request, reply) => {
      const ref = request.params.ref;
      const index = Number(request.params.index) - 1;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: 'briefing',
        back: `${paths.reviews.briefing({ ref })}#sections`,
        values: {},
        run: async () => {
          const { index: to, heading } = await briefings.moveSection(
            actor(request),
            ref,
            sectionIndex(index),
            body,
          );
          flashSuccess(request, `Section “${heading ?? ''}” is now section ${to + 1}`);
          return `${paths.reviews.briefing({ ref })}#section-${to + 1}`;
        },
      });
    },
  );

  app.get<{ Params: Params & { index: string } }>(
    '/reviews/:ref/briefing/sections/:index',
    async (request, reply) => {
      const ref = request.params.ref;
      const index = Number(request.params.index) - 1;
      const view = await briefings.view(actor(request), ref);
      const section = view.current?.content.sections[index];
      if (!section || !Number.isInteger(index))
        throw new NotFoundError('There is no such section in this briefing.');
      const f = form(request, `section-${index}`);
      const resources =
        section.kind === 'furtherInformation' && view.permissions.edit
          ? await services.resources.list(actor(request))
          : [];
      return reply.view('pages/briefing/section.njk', {
        hub: await hub(request, ref),
        review: view.review,
        number: index + 1,
        index,
        section,
        editable: view.permissions.edit,
        lists: sectionListFields(section),
        v: f.values ?? sectionToForm(section),
        resources,
        ...f,
      });
    },
  );

  app.post<{ Params: Params & { index: string } }>(
    '/reviews/:ref/briefing/sections/:index',
    async (request, reply) => {
      const ref = request.params.ref;
      const index = Number(request.params.index) - 1;
      const body = (request.body ?? {}) as Body;
      return handleForm(request, reply, {
        key: `section-${index}`,
        back: paths.reviews.briefingSection({ ref, index }),
        values: body,
        run: async () => {
          await briefings.updateSection(actor(request), ref, index, body);
          return `${paths.reviews.briefing({ ref })}#section-${index + 1}`;
        },
        success: 'Section saved. Check the briefing for identifying details again before approval.',
      });
    },
  );

  for (const move of Object.keys(MOVES) as (keyof typeof MOVES)[]) {
    app.post<{ Params: Params }>(`/reviews/:ref/briefing/${move}`, async (request, reply) => {
      const ref = request.params.ref;
      return handleForm(request, reply, {
        key: 'briefing',
        back: paths.reviews.briefing({ ref }),
        values: {},
        run: async () => {
          const a = actor(request);
          if (move === 'generate') await briefings.generate(a, ref);
          else if (move === 'check') {
            const { findings } = await briefings.check(a, ref);
            if (findings.length === 0)
              flashSuccess(request, 'Briefing checked: no identifying details found');
          } else if (move === 'submit') await briefings.submit(a, ref);
          else if (move === 'approve') await briefings.approve(a, ref);
          else if (move === 'publish') await briefings.publish(a, ref);
          else await briefings.returnToDraft(a, ref);
          return move === 'check'
            ? `${paths.reviews.briefing({ ref })}#identifying-details`
            : paths.reviews.briefing({ ref });
        },
        ...(MOVES[move] ? { success: MOVES[move] } : {}),
      });
    });
  }

  app.post<{ Params: Params }>('/reviews/:ref/briefing/accept', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'accept',
      back: `${paths.reviews.briefing({ ref })}#identifying-details`,
      values: body,
      run: async () => {
        await briefings.acceptFinding(actor(request), ref, body);
        return `${paths.reviews.briefing({ ref })}#identifying-details`;
      },
      success: 'Finding accepted with your reason',
    });
  });

  app.post<{ Params: Params }>('/reviews/:ref/briefing/reissue', async (request, reply) => {
    const ref = request.params.ref;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'reissue',
      back: paths.reviews.briefing({ ref }),
      values: body,
      run: async () => {
        await briefings.reissue(actor(request), ref, body);
        return paths.reviews.briefing({ ref });
      },
      success: 'A new draft version was started from the published briefing',
    });
  });

  app.get<{ Params: Params & { format: string } }>(
    '/reviews/:ref/briefing/download.:format',
    async (request, reply) => {
      const { ref, format } = request.params;
      if (!isBriefingFormat(format)) {
        // Access first, so someone outside the review learns nothing from the answer.
        await briefings.view(actor(request), ref);
        throw new NotFoundError('There is no such download.');
      }
      const out = await briefings.export(actor(request), ref, format);
      if (!('file' in out) || !out.file) throw new NotFoundError('There is no such download.');
      return reply
        .header('content-type', out.file.contentType)
        .header('content-disposition', `attachment; filename="${out.fileName}"`)
        .send(out.file.body);
    },
  );
}
