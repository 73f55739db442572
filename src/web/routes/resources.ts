import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RESOURCE_CATEGORIES, RESOURCE_CATEGORY_LABELS } from '../../domain/briefing/resources.ts';
import { mayAdminister } from '../../domain/lifecycle/roles.ts';
import type { Services } from '../../services/index.ts';
import { ForbiddenError } from '../../services/errors.ts';
import { handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { adminNavigation } from './admin.ts';

/** /admin/resources: the partnership's further-information links, offered in section 7 of a briefing. */
export async function resourceRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;
  const requireAdmin = (request: FastifyRequest) => {
    if (!mayAdminister(actor(request)))
      throw new ForbiddenError('Only a partnership administrator can manage resource links.');
  };

  app.get(paths.admin.resources(), async (request, reply) => {
    requireAdmin(request);
    const links = await services.resources.list(actor(request));
    const state = takeForm(request, 'resource');
    return reply.view('pages/admin/resources.njk', {
      adminNav: adminNavigation(paths.admin.resources()),
      links: links.map((l) => ({
        ...l,
        categoryLabel:
          RESOURCE_CATEGORY_LABELS[l.category as keyof typeof RESOURCE_CATEGORY_LABELS] ?? l.category,
      })),
      categories: RESOURCE_CATEGORIES.map((c) => ({ value: c, text: RESOURCE_CATEGORY_LABELS[c] })),
      v: state?.values ?? {},
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    });
  });

  app.post(paths.admin.resources(), async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return handleForm(request, reply, {
      key: 'resource',
      back: paths.admin.resources(),
      values: body,
      run: async () => {
        await services.resources.add(actor(request), body);
        return paths.admin.resources();
      },
      success: 'Link added to the resource library',
    });
  });

  app.post<{ Params: { id: string } }>('/admin/resources/:id/remove', async (request, reply) => {
    return handleForm(request, reply, {
      key: 'resource',
      back: paths.admin.resources(),
      values: {},
      run: async () => {
        await services.resources.remove(actor(request), request.params.id);
        return paths.admin.resources();
      },
      success: 'Link removed from the resource library',
    });
  });
}
