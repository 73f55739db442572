import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROLE_LABELS, ROLES, type Role } from '../../domain/lifecycle/roles.ts';
import type { Services } from '../../services/index.ts';
import { asArray, flashSuccess, handleForm, takeForm } from '../forms.ts';
import { paths } from '../paths.ts';
import { errorSummary, fieldError } from '../presenters/error-summary.ts';
import { adminNavigation } from './admin.ts';
import { callbackUrl } from '../../services/sign-in/sso-service.ts';

type Body = Record<string, unknown>;
type Params = { id: string };
type Mapping = { group: string; value: string };

/**
 * The administrator's pages for people's sign-in: a person's roles, agency and access (disable,
 * end their sessions, reset their authenticator), the roles that must use a second factor, and
 * the partnership's single sign-on providers.
 */
export async function peopleRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const actor = (request: FastifyRequest) => request.actor!;
  const form = (request: FastifyRequest, key: string) => {
    const state = takeForm(request, key);
    return {
      values: state?.values ?? null,
      errorList: errorSummary(state?.errors),
      fieldError: (k: string) => fieldError(state?.errors, k),
    };
  };
  const roleItems = (chosen: readonly string[]) =>
    ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: chosen.includes(r) }));

  // A person ------------------------------------------------------------------------------------------
  app.get<{ Params: Params }>('/admin/users/:id', async (request, reply) => {
    const found = await services.people.person(actor(request), request.params.id);
    const f = form(request, 'person');
    const v = (f.values ?? {}) as { roles?: string[]; agency?: string };
    return reply.view('pages/admin/person.njk', {
      adminNav: adminNavigation(paths.admin.users()),
      ...found,
      ...f,
      self: found.person.id === actor(request).userId,
      mustUseSecondFactor: found.person.roles.some((r) => found.requiredRoles.includes(r)),
      roleItems: roleItems(v.roles ?? found.person.roles),
      agencyItems: [
        { value: '', text: 'No agency' },
        ...found.agencies.map((a) => ({
          value: a.code,
          text: a.name,
          selected: (v.agency ?? found.person.agencyCode ?? '') === a.code,
        })),
      ],
    });
  });

  app.post<{ Params: Params }>('/admin/users/:id/access', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const id = request.params.id;
    return handleForm(request, reply, {
      key: 'person',
      back: paths.admin.person({ id }),
      values: { roles: asArray(body.roles), agency: body.agency },
      run: async () => {
        await services.people.changeAccess(actor(request), id, {
          roles: asArray(body.roles),
          agency: body.agency,
        });
        return paths.admin.person({ id });
      },
      success: 'Roles and agency saved',
    });
  });

  const personAction = (
    action: 'disable' | 'enable' | 'end-sessions' | 'reset-authenticator',
    run: (request: FastifyRequest<{ Params: Params }>) => Promise<string>,
  ) =>
    app.post<{ Params: Params }>(`/admin/users/:id/${action}`, async (request, reply) => {
      const id = request.params.id;
      return handleForm(request, reply, {
        key: 'person',
        back: paths.admin.person({ id }),
        values: {},
        run: async () => {
          flashSuccess(request, await run(request));
          return paths.admin.person({ id });
        },
      });
    });

  personAction('disable', async (request) => {
    const person = await services.people.disable(actor(request), request.params.id);
    return `${person.name} is disabled: they cannot sign in, their API tokens no longer work, and their sessions have ended`;
  });
  personAction('enable', async (request) => {
    const person = await services.people.enable(actor(request), request.params.id);
    return `${person.name} can sign in again`;
  });
  personAction('end-sessions', async (request) => {
    const { person, sessionsEnded } = await services.people.endSessions(actor(request), request.params.id);
    return `${person.name} is signed out everywhere (${sessionsEnded} ${sessionsEnded === 1 ? 'session' : 'sessions'} ended)`;
  });
  personAction('reset-authenticator', async (request) => {
    const { person } = await services.secondFactor.reset(actor(request), request.params.id);
    return `${person.name}’s authenticator app and recovery codes are removed: they set up a new one when they next sign in`;
  });

  // The partnership's sign-in rules -----------------------------------------------------------------
  app.get(paths.admin.signIn(), async (request, reply) => {
    const settings = await services.people.signInSettings(actor(request));
    const providers = await services.sso.list(actor(request));
    const f = form(request, 'sign-in-settings');
    return reply.view('pages/admin/sign-in.njk', {
      adminNav: adminNavigation(paths.admin.signIn()),
      ...f,
      roleItems: roleItems(
        ((f.values as { secondFactorRoles?: string[] } | null)?.secondFactorRoles ??
          settings.secondFactorRoles) as string[],
      ),
      defaults: settings.defaults.map((r) => ROLE_LABELS[r]),
      providers,
    });
  });

  app.post(paths.admin.signIn(), async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const roles = asArray(body.secondFactorRoles);
    return handleForm(request, reply, {
      key: 'sign-in-settings',
      back: paths.admin.signIn(),
      values: { secondFactorRoles: roles },
      run: async () => {
        await services.people.setSecondFactorRoles(actor(request), { secondFactorRoles: roles });
        return paths.admin.signIn();
      },
      success: 'Sign-in rules saved',
    });
  });

  // Single sign-on providers ---------------------------------------------------------------------------
  const providerView = (values: Record<string, unknown>) => {
    const lines = (mappings: unknown, label: (v: string) => string) =>
      Array.isArray(mappings)
        ? (mappings as Mapping[]).map((m) => `${m.group} = ${label(m.value)}`).join('\n')
        : mappings;
    return {
      ...values,
      roleMappings: lines(values.roleMappings, (v) => ROLE_LABELS[v as Role] ?? v),
      agencyMappings: lines(values.agencyMappings, (v) => v),
    };
  };
  const providerForm = (v: Record<string, unknown>) => ({
    defaultRoleItems: [
      { value: '', text: 'Choose a role' },
      ...ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], selected: v.defaultRole === r })),
    ],
  });

  app.get(paths.admin.newProvider(), async (request, reply) => {
    await services.sso.list(actor(request));
    const f = form(request, 'provider');
    const v = providerView(f.values ?? { enabled: true, emailClaim: 'email', groupsClaim: 'groups' });
    return reply.view('pages/admin/identity-provider.njk', {
      adminNav: adminNavigation(paths.admin.signIn()),
      ...f,
      v,
      ...providerForm(v),
      action: paths.admin.newProvider(),
      callback: callbackUrl(),
      isNew: true,
    });
  });

  app.get<{ Params: Params }>('/admin/sign-in/providers/:id', async (request, reply) => {
    const provider = await services.sso.get(actor(request), request.params.id);
    const f = form(request, 'provider');
    const v = providerView(f.values ?? provider);
    return reply.view('pages/admin/identity-provider.njk', {
      adminNav: adminNavigation(paths.admin.signIn()),
      ...f,
      v,
      ...providerForm(v),
      provider,
      action: paths.admin.provider({ id: provider.id }),
      isNew: false,
    });
  });

  const saveProvider =
    (id: string | null) => async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
      const body = (request.body ?? {}) as Body;
      const values = {
        name: body.name,
        key: body.key,
        issuer: body.issuer,
        clientId: body.clientId,
        emailClaim: body.emailClaim,
        groupsClaim: body.groupsClaim,
        roleMappings: body.roleMappings,
        agencyMappings: body.agencyMappings,
        createUnknown: body.createUnknown,
        defaultRole: body.defaultRole,
        enabled: body.enabled,
      };
      return handleForm(request, reply, {
        key: 'provider',
        back: id ? paths.admin.provider({ id }) : paths.admin.newProvider(),
        values: { ...values, enabled: body.enabled === 'yes', createUnknown: body.createUnknown === 'yes' },
        run: async () => {
          const saved = await services.sso.save(actor(request), id, values);
          return id ? paths.admin.provider({ id: saved.id }) : paths.admin.signIn();
        },
        success: 'Identity provider saved',
      });
    };
  app.post(paths.admin.newProvider(), saveProvider(null));
  app.post<{ Params: Params }>('/admin/sign-in/providers/:id', async (request, reply) =>
    saveProvider(request.params.id)(request, reply),
  );
}
