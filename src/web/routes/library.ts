import multipart from '@fastify/multipart';
import { refuseControlCharacters } from '../plugins/control-characters.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REVIEW_TYPE_LABELS, type ReviewType } from '../../domain/lifecycle/stages.ts';
import { mayImportBriefings, maySeeBriefingDissemination } from '../../domain/lifecycle/roles.ts';
import { isBriefingFormat, type BriefingFormat } from '../../files/briefing-export.ts';
import { BriefingImportError, MAX_DOCX_BYTES } from '../../files/briefing-import.ts';
import type { Services } from '../../services/index.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../services/errors.ts';
import { dateFromParts, flashSuccess, handleForm, keepForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { briefingContentView, whenText } from '../presenters/briefing.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';

type Params = { id: string };
type Body = Record<string, unknown>;

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
    return reply.view('pages/library/search.njk', {
      ...result,
      items: result.items.map((i) => ({
        ...i,
        publishedOn: whenText(i.publishedAt),
        typeLabel: REVIEW_TYPE_LABELS[i.reviewType as ReviewType] ?? i.reviewType,
        agencyNames: i.agencyCodes.map((c) => agencyName.get(c) ?? c),
      })),
      agencyOptions: result.facets.agencyCodes.map((c) => ({ value: c, text: agencyName.get(c) ?? c })),
      typeOptions: result.facets.reviewTypes.map((t) => ({
        value: t,
        text: REVIEW_TYPE_LABELS[t as ReviewType] ?? t,
      })),
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
      return reply.view('pages/library/import-preview.njk', {
        fileName: file.filename,
        warnings: parsed.warnings,
        content: briefingContentView(parsed.briefing),
        findings: parsed.findings,
        model: JSON.stringify(parsed.briefing),
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
        const saved = await library.saveImport(actor(request), content, publish ? 'only-if-clean' : 'draft');
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
      content: briefingContentView(view.version.content),
      publishedOn: whenText(view.version.publishedAt),
      isLatest: view.version.id === view.latest.id,
      versionsList: view.versions.map((v) => ({ ...v, publishedOn: whenText(v.publishedAt) })),
      delivery,
      errorList: delivery.errorList,
      v: delivery.values ?? {},
      seesDissemination: maySeeBriefingDissemination(actor(request)),
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
