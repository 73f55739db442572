import multipart from '@fastify/multipart';
import { refuseControlCharacters } from '../plugins/control-characters.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REVIEW_TYPE_LABELS, REVIEW_TYPES, type ReviewType } from '../../domain/lifecycle/stages.ts';
import { importReportView } from '../presenters/import-report.ts';
import { mayImportBriefings, maySeeBriefingDissemination } from '../../domain/lifecycle/roles.ts';
import { isBriefingFormat, type BriefingFormat } from '../../files/briefing-export.ts';
import { BriefingImportError, MAX_DOCX_BYTES } from '../../files/briefing-import.ts';
import type { Services } from '../../services/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../services/errors.ts';
import { asArray, dateFromParts, flashSuccess, handleForm, keepForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { briefingContentView, whenText } from '../presenters/briefing.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';

type Params = { id: string };
type Body = Record<string, unknown>;

/** The details fields of the import and "Change details" forms. */
const metadataFromBody = (body: Body) => ({
  title: body.title === undefined ? undefined : String(body.title),
  partnership: body.partnership === undefined ? undefined : String(body.partnership),
  year: body.year === undefined ? undefined : String(body.year),
  reviewType: body.reviewType ? String(body.reviewType) : undefined,
});

/** The library of published briefings, readable by every partnership user; and the import of old ones. */
export async function libraryRoutes(app: FastifyInstance, { services }: { services: Services }) {
  await app.register(multipart, { limits: { fileSize: MAX_DOCX_BYTES, files: 1, fields: 2, parts: 3 } });
  const actor = (request: FastifyRequest) => request.actor!;
  const { library } = services;
  const form = (request: FastifyRequest, key: string) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(state?.errors, { dateFields: ['deliveredOn'] }),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };

  app.get(paths.library.search(), async (request, reply) => {
    const result = await library.search(actor(request), request.query);
    const agencyName = new Map(result.agencies.map((a) => [a.code, a.name]));
    const q = result.query;
    // Each filter's choices with how many briefings they would find; the chosen one is kept even at 0.
    const options = <T extends { count: number }>(
      rows: T[],
      value: (r: T) => string,
      text: (r: T) => string,
      chosen: string | undefined,
      any: string,
    ) => [
      { value: '', text: any },
      ...rows.map((r) => ({
        value: value(r),
        text: `${text(r)} (${r.count})`,
        selected: value(r) === chosen,
      })),
      ...(chosen && !rows.some((r) => value(r) === chosen)
        ? [{ value: chosen, text: `${chosen} (0)`, selected: true }]
        : []),
    ];
    return reply.view('pages/library/search.njk', {
      ...result,
      items: result.items.map((i) => ({
        ...i,
        publishedOn: whenText(i.publishedAt),
        typeLabel: REVIEW_TYPE_LABELS[i.reviewType as ReviewType] ?? i.reviewType,
        agencyNames: i.agencyCodes.map((c) => agencyName.get(c) ?? c),
      })),
      themeItems: options(
        result.facets.themes,
        (t) => t.key,
        (t) => t.name,
        q.theme,
        'Any theme',
      ),
      agencyItems: options(
        result.facets.agencies,
        (a) => a.code,
        (a) => agencyName.get(a.code) ?? a.code,
        q.agency,
        'Any agency',
      ),
      yearItems: options(
        result.facets.years,
        (y) => String(y.year),
        (y) => String(y.year),
        q.year ? String(q.year) : undefined,
        'Any year',
      ),
      typeItems: options(
        result.facets.reviewTypes,
        (t) => t.type,
        (t) => REVIEW_TYPE_LABELS[t.type as ReviewType] ?? t.type,
        q.type,
        'Any type',
      ),
      canImport: mayImportBriefings(actor(request)),
    });
  });

  // Import: upload, preview, save ------------------------------------------------------------------
  app.get(paths.library.import(), async (request, reply) => {
    const drafts = await library.importedDrafts(actor(request));
    return reply.view('pages/library/import.njk', {
      ...form(request, 'import'),
      drafts: drafts.map((d) => ({ ...d, importedOn: whenText(d.createdAt) })),
    });
  });

  // The preview: what was read and what the identifying-details check found, before anything is saved.
  app.post(paths.library.import(), async (request, reply) => {
    if (!mayImportBriefings(actor(request)))
      throw new ForbiddenError('Only the review coordinator can load briefings into the library.');
    const fail = (message: string) => {
      keepForm(request, 'import', { values: {}, errors: { file: message } });
      return reply.redirect(paths.library.import(), 303);
    };
    if (!request.isMultipart()) return fail('Choose a briefing file to upload');
    let file: { filename: string; buffer: Buffer } | null = null;
    try {
      const part = await request.file();
      if (part && part.filename) file = { filename: part.filename, buffer: await part.toBuffer() };
    } catch {
      return fail('The file is larger than 20 MB, more than any briefing needs');
    }
    if (!file) return fail('Choose a briefing file to upload');
    refuseControlCharacters({ file: file.filename });
    try {
      const parsed = await library.previewImport(actor(request), file.buffer, file.filename);
      const suggested = new Map(parsed.suggestions.map((t) => [t.key, t]));
      const documentYear = parsed.report.documentDate?.iso.slice(0, 4) ?? '';
      return reply.view('pages/library/import-preview.njk', {
        fileName: file.filename,
        warnings: parsed.warnings,
        content: briefingContentView(parsed.briefing),
        findings: parsed.findings,
        model: JSON.stringify(parsed.briefing),
        report: importReportView(parsed.report),
        documentDate: parsed.report.documentDate?.iso ?? '',
        taxonomyVersion: parsed.taxonomyVersion,
        v: {
          title: parsed.briefing.title,
          partnership: parsed.report.partnership ?? '',
          year: documentYear,
          reviewType: 'line_of_sight',
        },
        typeItems: REVIEW_TYPES.map((t) => ({
          value: t,
          text: REVIEW_TYPE_LABELS[t],
          selected: t === 'line_of_sight',
        })),
        themeItems: [...parsed.themes]
          .sort(
            (a, b) =>
              (suggested.get(b.key)?.hits ?? 0) - (suggested.get(a.key)?.hits ?? 0) ||
              a.name.localeCompare(b.name),
          )
          .map((t) => {
            const hit = suggested.get(t.key);
            return {
              value: t.key,
              text: t.name,
              checked: Boolean(hit),
              ...(hit
                ? {
                    hint: {
                      text: `Suggested: the briefing says ${hit.found.map((f) => `“${f}”`).join(', ')}`,
                    },
                  }
                : {}),
            };
          }),
        suggestedCount: parsed.suggestions.length,
      });
    } catch (error) {
      if (error instanceof BriefingImportError) return fail(error.message);
      throw error;
    }
  });

  // Publish (only if the check, run again here on this content, finds nothing) or keep as a draft.
  app.post(paths.library.importSave(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    let content: unknown = null;
    try {
      content = JSON.parse(String(body.model ?? ''));
    } catch {
      content = null;
    }
    const publish = body.action === 'publish';
    return handleForm(request, reply, {
      key: 'import',
      back: paths.library.import(),
      values: {},
      run: async () => {
        const saved = await library.saveImport(actor(request), content, publish ? 'only-if-clean' : 'draft', {
          metadata: { ...metadataFromBody(body), themes: asArray(body.themes) },
          documentDate: body.documentDate ? String(body.documentDate) : null,
        });
        if (saved.state === 'refused')
          throw new ConflictError(
            'The briefing was not published: the identifying-details check found something. Upload it again to see what.',
          );
        if (saved.state === 'published') {
          flashSuccess(request, 'Briefing published to the library');
          return paths.library.briefing({ id: saved.id });
        }
        flashSuccess(request, 'Briefing saved as a draft: it is not in the library yet');
        return paths.library.draft({ id: saved.id });
      },
    });
  });

  // An imported draft: its findings, accepted one by one with a reason, then published.
  app.get<{ Params: Params }>('/library/import/drafts/:id', async (request, reply) => {
    const draft = await library.importedDraft(actor(request), request.params.id);
    const accept = form(request, 'import-accept');
    const f = form(request, 'import-draft');
    return reply.view('pages/library/import-draft.njk', {
      draft,
      content: briefingContentView(draft.version.content),
      findings: {
        open: draft.findings.filter((x) => !x.accepted),
        accepted: draft.findings.filter((x) => x.accepted),
      },
      checkedAt: whenText(draft.version.checkedAt),
      accept,
      errorList: [...f.errorList, ...accept.errorList],
    });
  });

  app.post<{ Params: Params }>('/library/import/drafts/:id/accept', async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'import-accept',
      back: `${paths.library.draft({ id })}#identifying-details`,
      values: body,
      run: async () => {
        await library.acceptImportFinding(actor(request), id, body);
        return `${paths.library.draft({ id })}#identifying-details`;
      },
      success: 'Finding accepted with your reason',
    });
  });

  app.post<{ Params: Params }>('/library/import/drafts/:id/publish', async (request, reply) => {
    const id = request.params.id;
    return handleForm(request, reply, {
      key: 'import-draft',
      back: paths.library.draft({ id }),
      values: {},
      run: async () => {
        await library.publishImport(actor(request), id);
        return paths.library.briefing({ id });
      },
      success: 'Briefing published to the library',
    });
  });

  app.post<{ Params: Params }>('/library/import/drafts/:id/discard', async (request, reply) => {
    const id = request.params.id;
    return handleForm(request, reply, {
      key: 'import',
      back: paths.library.draft({ id }),
      values: {},
      run: async () => {
        const { title } = await library.discardImport(actor(request), id);
        flashSuccess(request, `Draft “${title}” deleted`);
        return paths.library.import();
      },
    });
  });

  // A briefing --------------------------------------------------------------------------------------
  app.get<{ Params: Params; Querystring: { version?: string } }>('/library/:id', async (request, reply) => {
    const view = await library.briefing(actor(request), request.params.id, request.query.version);
    const delivery = form(request, 'delivery');
    return reply.view('pages/library/briefing.njk', {
      ...view,
      content: briefingContentView({
        ...view.version.content,
        title: view.briefing.title ?? view.version.content.title,
      }),
      typeLabel: REVIEW_TYPE_LABELS[view.briefing.reviewType as ReviewType] ?? view.briefing.reviewType,
      publishedOn: whenText(view.version.publishedAt),
      isLatest: view.version.id === view.latest.id,
      versionsList: view.versions.map((v) => ({ ...v, publishedOn: whenText(v.publishedAt) })),
      delivery,
      errorList: delivery.errorList,
      v: delivery.values ?? {},
      seesDissemination: maySeeBriefingDissemination(actor(request)),
      canChangeDetails: view.briefing.source === 'imported' && mayImportBriefings(actor(request)),
      title: view.briefing.title ?? view.version.content.title,
    });
  });

  // An imported briefing's details: title, partnership, year, review type and themes.
  app.get<{ Params: Params }>('/library/:id/edit', async (request, reply) => {
    const data = await library.importedDetails(actor(request), request.params.id);
    const f = form(request, 'library-details');
    const chosenKeys = f.values ? asArray(f.values.themes) : data.chosen.map((t) => t.key);
    const v = f.values ?? {
      title: data.briefing.title ?? data.documentTitle,
      partnership: data.briefing.sourcePartnership ?? '',
      year: data.year ? String(data.year) : '',
      reviewType: data.briefing.reviewType,
    };
    return reply.view('pages/library/details.njk', {
      data,
      ...f,
      v,
      typeItems: REVIEW_TYPES.map((t) => ({
        value: t,
        text: REVIEW_TYPE_LABELS[t],
        selected: t === v.reviewType,
      })),
      themeItems: data.themes.map((t) => ({
        value: t.key,
        text: t.name + (t.retiredAt ? ' (retired)' : ''),
        checked: chosenKeys.includes(t.key),
      })),
      back: data.published
        ? paths.library.briefing({ id: data.briefing.id })
        : paths.library.draft({ id: data.briefing.id }),
    });
  });

  app.post<{ Params: Params }>('/library/:id/edit', async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'library-details',
      back: paths.library.edit({ id }),
      values: { ...body, themes: asArray(body.themes) },
      run: async () => {
        await library.updateImportedDetails(actor(request), id, {
          ...metadataFromBody(body),
          themes: asArray(body.themes),
        });
        const details = await library.importedDetails(actor(request), id);
        return details.published ? paths.library.briefing({ id }) : paths.library.draft({ id });
      },
      success: 'Briefing details changed',
    });
  });

  app.post<{ Params: Params }>('/library/:id/read', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const id = request.params.id;
    const { version } = await library.markRead(
      actor(request),
      id,
      body.versionId ? String(body.versionId) : undefined,
    );
    flashSuccess(request, `Recorded: you have read version ${version} of this briefing`);
    return reply.redirect(paths.library.briefing({ id }), 303);
  });

  app.post<{ Params: Params }>('/library/:id/deliveries', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const id = request.params.id;
    return handleForm(request, reply, {
      key: 'delivery',
      back: `${paths.library.briefing({ id })}#record-delivery`,
      values: body,
      run: async () => {
        await library.recordDelivery(actor(request), id, {
          ...body,
          deliveredOn: dateFromParts(body, 'deliveredOn'),
        });
        return paths.library.briefing({ id });
      },
      success: 'Team delivery recorded',
    });
  });

  app.get<{ Params: Params & { format: string }; Querystring: { version?: string } }>(
    '/library/:id/download.:format',
    async (request, reply) => {
      const { id, format } = request.params;
      if (!isBriefingFormat(format)) throw new NotFoundError('There is no such download.');
      const out = await library.file(actor(request), id, format as BriefingFormat, request.query.version);
      return reply
        .header('content-type', out.file.contentType)
        .header('content-disposition', `attachment; filename="${out.fileName}"`)
        .send(out.file.body);
    },
  );
}
