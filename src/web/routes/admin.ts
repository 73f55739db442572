import multipart from '@fastify/multipart';
import { refuseControlCharacters } from '../plugins/control-characters.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mayAdminister, ROLE_LABELS, ROLES } from '../../domain/lifecycle/roles.ts';
import { MAX_LOGO_BYTES, MAX_LOGO_KB, MAX_LOGO_PIXELS } from '../../files/briefing-logo.ts';
import { TARGET_WEEKS } from '../../domain/lifecycle/deadlines.ts';
import { AGENCY_TYPES } from '../../schemas/admin.ts';
import type { Services } from '../../services/index.ts';
import { NotFoundError, ValidationError } from '../../services/errors.ts';
import { asArray, dateFilters, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { auditRowForPeople, auditTypeOptions } from '../presenters/audit-log.ts';
import { auditLogCsv } from '../../files/audit-log-csv.ts';

type Body = Record<string, unknown>;

export async function adminRoutes(app: FastifyInstance, { services }: { services: Services }) {
  // Only the logo upload is multipart; one byte over the limit is enough to refuse it.
  await app.register(multipart, {
    limits: { fileSize: MAX_LOGO_BYTES, files: 1, fields: 1, parts: 2 },
  });
  const actor = (request: FastifyRequest) => request.actor!;
  const form = (request: FastifyRequest, key: string) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errors: state?.errors ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };
  const adminNav = adminNavigation;

  app.get(paths.admin.audit(), async (request, reply) => {
    const dates = dateFilters(request.query, { from: 'the "from" date', to: 'the "to" date' });
    const log = await services.auditLog.page(actor(request), dates.query);
    const q = log.query;
    const queryOf = (offset?: number) =>
      new URLSearchParams(
        Object.entries({
          ...q,
          offset: offset === undefined ? undefined : String(offset),
          limit: undefined,
        }).filter(([, v]) => v !== undefined && v !== '') as [string, string][],
      ).toString();
    return reply.view('pages/admin/audit.njk', {
      adminNav: adminNav(paths.admin.audit()),
      ...log,
      dateParts: dates.parts,
      dateErrors: dates.errors,
      errorList: errorSummary(dates.errors, { dateFields: Object.keys(dates.errors) }),
      items: log.items.map(auditRowForPeople),
      types: auditTypeOptions(q.type),
      exportHref: `${paths.admin.auditExport()}?${queryOf()}`,
      previous: q.offset > 0 ? `?${queryOf(Math.max(0, q.offset - q.limit))}` : null,
      next: q.offset + q.limit < log.total ? `?${queryOf(q.offset + q.limit)}` : null,
    });
  });

  app.get(paths.admin.auditExport(), async (request, reply) => {
    const dates = dateFilters(request.query, { from: 'the "from" date', to: 'the "to" date' });
    const log = await services.auditLog.export(actor(request), dates.query);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="audit-log.csv"')
      .send(auditLogCsv(log.items));
  });

  app.get(paths.admin.identifiableViews(), async (request, reply) => {
    const answer = await services.auditLog.identifiableViews(actor(request), request.query);
    return reply.view('pages/admin/identifiable-views.njk', {
      adminNav: adminNav(paths.admin.audit()),
      ...answer,
      views: answer.views.map(auditRowForPeople),
    });
  });

  app.get(paths.admin.users(), async (request, reply) => {
    const { users } = await services.admin.users(actor(request));
    return reply.view('pages/admin/users.njk', { adminNav: adminNav(paths.admin.users()), users });
  });

  app.get(paths.admin.newUser(), async (request, reply) => {
    const { agencies } = await services.admin.users(actor(request));
    const f = form(request, 'user');
    return reply.view('pages/admin/user-new.njk', {
      adminNav: adminNav(paths.admin.users()),
      ...f,
      v: f.values ?? {},
      roleItems: ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] })),
      agencyItems: [
        { value: '', text: 'No agency' },
        ...agencies.map((a) => ({ value: a.code, text: a.name })),
      ],
    });
  });

  app.post(paths.admin.newUser(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'user',
      back: paths.admin.newUser(),
      // The password is never carried back into the form.
      values: { ...body, password: '', roles: asArray(body.roles) },
      run: async () => {
        await services.admin.addUser(actor(request), { ...body, roles: asArray(body.roles) });
        return paths.admin.users();
      },
      success: 'Person added',
    });
  });

  app.get(paths.admin.agencies(), async (request, reply) => {
    const { agencies } = await services.admin.users(actor(request));
    const f = form(request, 'agency');
    return reply.view('pages/admin/agencies.njk', {
      adminNav: adminNav(paths.admin.agencies()),
      agencies,
      ...f,
      v: f.values ?? {},
      typeLabels: AGENCY_TYPES,
      typeItems: [
        { value: '', text: 'Choose a type' },
        ...Object.entries(AGENCY_TYPES).map(([value, text]) => ({ value, text })),
      ],
    });
  });

  // The partnership's logo ------------------------------------------------------------------------
  app.get(paths.admin.logo(), async (request, reply) => {
    const info = await services.admin.logoInfo(actor(request));
    const f = form(request, 'logo');
    return reply.view('pages/admin/logo.njk', {
      adminNav: adminNav(paths.admin.logo()),
      ...f,
      logo: info
        ? {
            type: info.mediaType === 'image/png' ? 'PNG' : 'JPEG',
            size: info.bytes < 1024 ? `${info.bytes} bytes` : `${Math.ceil(info.bytes / 1024)} KB`,
            // A new address for each upload, so the preview never shows the picture it replaced.
            src: `${paths.partnershipLogo()}?v=${info.updatedAt.getTime()}`,
          }
        : null,
      maxKb: MAX_LOGO_KB,
      maxPixels: MAX_LOGO_PIXELS,
    });
  });

  app.post(paths.admin.logo(), async (request, reply) => {
    let upload: { fileName: string; bytes: Buffer } | null = null;
    let tooLarge = false;
    // Only an administrator's file is read; for anyone else the service refuses, on record.
    if (!mayAdminister(actor(request))) await services.admin.setLogo(actor(request), null);
    if (request.isMultipart()) {
      try {
        const part = await request.file();
        const bytes = part ? await part.toBuffer() : null;
        // A file input left empty still sends a part, with no name.
        if (part?.filename && bytes) upload = { fileName: part.filename, bytes };
        refuseControlCharacters({ logo: part?.filename });
      } catch (error) {
        if ((error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw error;
        tooLarge = true;
      }
    }
    return handleForm(request, reply, {
      key: 'logo',
      back: paths.admin.logo(),
      values: {},
      run: async () => {
        if (tooLarge)
          throw new ValidationError({ logo: `The selected file must be smaller than ${MAX_LOGO_KB} KB` });
        await services.admin.setLogo(actor(request), upload);
        return paths.admin.logo();
      },
      success: 'Logo saved. It now heads the partnership’s briefings.',
    });
  });

  app.post(paths.admin.logoRemove(), async (request, reply) => {
    return handleForm(request, reply, {
      key: 'logo',
      back: paths.admin.logo(),
      values: {},
      run: async () => {
        await services.admin.removeLogo(actor(request));
        return paths.admin.logo();
      },
      success: 'Logo removed. Briefings now show the partnership’s name only.',
    });
  });

  // The partnership's own targets for Line of Sight and single-agency reviews -------------------
  app.get(paths.admin.reviewTargets(), async (request, reply) => {
    const targets = await services.admin.reviewTargetsForAdmin(actor(request));
    const f = form(request, 'review-targets');
    const shown = (weeks: number | null) => (weeks === null ? '' : String(weeks));
    return reply.view('pages/admin/review-targets.njk', {
      adminNav: adminNav(paths.admin.reviewTargets()),
      ...f,
      v: f.values ?? {
        lineOfSightWeeks: shown(targets.lineOfSightWeeks),
        singleAgencyWeeks: shown(targets.singleAgencyWeeks),
      },
      bounds: TARGET_WEEKS,
    });
  });

  app.post(paths.admin.reviewTargets(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const typed = {
      lineOfSightWeeks: body.lineOfSightWeeks,
      singleAgencyWeeks: body.singleAgencyWeeks,
    };
    return handleForm(request, reply, {
      key: 'review-targets',
      back: paths.admin.reviewTargets(),
      values: typed,
      run: async () => {
        await services.admin.setReviewTargets(actor(request), typed);
        return paths.admin.reviewTargets();
      },
      success: 'Review targets saved',
    });
  });

  // Every signed-in person of the partnership: the logo heads its briefings and library pages.
  app.get(paths.partnershipLogo(), async (request, reply) => {
    const logo = await services.admin.logo(actor(request));
    if (!logo) throw new NotFoundError('The partnership has no logo.');
    return reply
      .header('content-type', logo.mediaType)
      .header('content-disposition', 'inline; filename="logo"')
      .send(logo.content);
  });

  app.post(paths.admin.agencies(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'agency',
      back: paths.admin.agencies(),
      values: body,
      run: async () => {
        await services.admin.addAgency(actor(request), body);
        return paths.admin.agencies();
      },
      success: 'Agency added',
    });
  });
}

/** The admin sub-navigation, shared by every admin page (including other areas' admin pages). */
export function adminNavigation(active: string) {
  return [
    { text: 'Audit log', href: paths.admin.audit() },
    { text: 'People and roles', href: paths.admin.users() },
    { text: 'Sign-in', href: paths.admin.signIn() },
    { text: 'Agencies', href: paths.admin.agencies() },
    { text: 'Signal thresholds', href: paths.admin.signalThresholds() },
    { text: 'Review targets', href: paths.admin.reviewTargets() },
    { text: 'Learning themes', href: paths.admin.themes() },
    { text: 'Resource links', href: paths.admin.resources() },
    { text: 'Partnership logo', href: paths.admin.logo() },
    { text: 'API tokens', href: paths.admin.apiTokens() },
    { text: 'Retention', href: paths.admin.retention() },
    { text: 'Subject access', href: paths.admin.subjectAccess() },
  ].map((i) => ({ ...i, active: i.href === active }));
}
