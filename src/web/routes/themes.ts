import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { adminNavigation } from './admin.ts';

type Body = Record<string, unknown>;

const CHANGE_LABELS: Record<string, string> = {
  seeded: 'In the starting list',
  added: 'Added',
  renamed: 'Renamed',
  keywords: 'Keywords changed',
  retired: 'Retired',
  restored: 'Restored',
};

/** The administrator's learning themes: add, rename, retire and restore. */
export async function themeRoutes(app: FastifyInstance, { services }: { services: Services }) {
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

  app.get(paths.admin.themes(), async (request, reply) => {
    const data = await services.themes.manage(actor(request));
    const f = form(request, 'theme-add');
    const names = new Map(data.themes.map((t) => [t.id, t.name]));
    return reply.view('pages/admin/themes.njk', {
      adminNav: adminNavigation(paths.admin.themes()),
      ...data,
      ...f,
      v: f.values ?? {},
      changes: data.history
        .filter((h) => h.kind !== 'seeded')
        .reverse()
        .map((h) => ({
          ...h,
          label: CHANGE_LABELS[h.kind] ?? h.kind,
          current: names.get(h.themeId) ?? '',
        })),
    });
  });

  app.post(paths.admin.themes(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: 'theme-add',
      back: paths.admin.themes(),
      values: body,
      run: async () => {
        await services.themes.add(actor(request), body);
        return paths.admin.themes();
      },
      success: 'Theme added',
    });
  });

  app.get<{ Params: { id: string } }>('/admin/themes/:id', async (request, reply) => {
    const data = await services.themes.manage(actor(request));
    const theme = data.themes.find((t) => t.id === request.params.id);
    if (!theme) return reply.callNotFound();
    const f = form(request, `theme-${theme.id}`);
    return reply.view('pages/admin/theme-edit.njk', {
      adminNav: adminNavigation(paths.admin.themes()),
      theme,
      ...f,
      v: f.values ?? { ...theme, keywords: theme.keywords.join('\n') },
      history: data.history
        .filter((h) => h.themeId === theme.id)
        .map((h) => ({ ...h, label: CHANGE_LABELS[h.kind] ?? h.kind })),
    });
  });

  app.post<{ Params: { id: string } }>('/admin/themes/:id', async (request, reply) => {
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    return handleForm(request, reply, {
      key: `theme-${id}`,
      back: paths.admin.theme({ id }),
      values: body,
      run: async () => {
        await services.themes.rename(actor(request), id, body);
        return paths.admin.themes();
      },
      success: 'Theme changed',
    });
  });

  for (const change of ['retire', 'restore'] as const) {
    app.post<{ Params: { id: string } }>(`/admin/themes/:id/${change}`, async (request, reply) => {
      const id = request.params.id;
      return handleForm(request, reply, {
        key: `theme-${id}`,
        back: paths.admin.theme({ id }),
        values: {},
        run: async () => {
          await services.themes.setRetired(actor(request), id, change === 'retire');
          return paths.admin.themes();
        },
        success: change === 'retire' ? 'Theme retired' : 'Theme restored',
      });
    });
  }
}
