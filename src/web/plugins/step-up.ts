import fp from 'fastify-plugin';
import type { Services } from '../../services/index.ts';
import { POLICY, type Capability, type Kind } from '../../domain/access/policy.ts';
import { stepUpNeeded, type StepUpAction } from '../../domain/sign-in/strength.ts';
import { flashSuccess } from '../forms.ts';
import { paths } from '../paths.ts';
import { ROUTE_CAPABILITIES, routeKey } from '../route-capabilities.ts';
import { signInRecord } from '../sign-in-session.ts';

/** The kinds of capability in the access policy that ask for a recent strong sign-in. */
const BY_KIND: Partial<Record<Kind, StepUpAction>> = {
  'named view': 'named-view',
  export: 'export',
  administer: 'administer',
};

/**
 * Which pages are which action of the sign-in strength rules (src/domain/sign-in/strength.ts).
 * First the policy: a route whose capability (route-capabilities.ts) is a named view, an export or
 * administration. Then by address, for what the policy calls something else: every page under
 * /admin, every download named export (lists the policy counts as reading), making an API token,
 * and changing one's own second factor. So a new page of any of these kinds is covered without
 * anyone remembering to.
 */
export function stepUpActionOf(method: string, url: string): StepUpAction | null {
  const access = ROUTE_CAPABILITIES[routeKey(method, url)];
  const byPolicy = access && access in POLICY ? BY_KIND[POLICY[access as Capability].kind] : undefined;
  if (byPolicy) return byPolicy;
  if (url === '/admin' || url.startsWith('/admin/')) return 'administer';
  if (url.endsWith('/identifiable-details') || url.endsWith('/chronology/named')) return 'named-view';
  if (/\/export(\.[a-z]+)?$/.test(url)) return 'export';
  if (method === 'POST' && url === paths.account.apiTokens()) return 'api-token';
  if (url === paths.account.authenticator() || url === paths.account.recoveryCodes())
    return 'account-security';
  return null;
}

/**
 * A page that needs a recent strong sign-in sends someone whose sign-in is too old, or used one
 * factor where they hold (or must hold) two, to confirm who they are first, then back to it.
 * The demand is audited (`user.reauthenticate`, denied).
 */
export const stepUpPlugin = fp<{ services: Services; now: () => Date; maxAgeMs: number }>(
  async (app, { services, now, maxAgeMs }) => {
    app.addHook('preHandler', async (request, reply) => {
      const actor = request.actor;
      const url = request.routeOptions.url;
      if (!actor || !url) return;
      const action = stepUpActionOf(request.method, url);
      if (!action) return;
      const facts = await services.secondFactor.status(actor.userId);
      const need = stepUpNeeded({
        action,
        roles: actor.roles,
        requiredRoles: facts.requiredRoles,
        enrolled: facts.enrolled,
        signIn: signInRecord(request),
        now: now(),
        maxAgeMs,
      });
      if (!need) return;
      await services.auth.recordStepUp(actor, { action, need, path: url });
      // Back to the page asked for; after a form, to the page the form is on when there is one.
      const back =
        request.method === 'GET' || app.hasRoute({ method: 'GET', url })
          ? request.url.split('#')[0]!
          : paths.home();
      request.session.stepUpReturn = back;
      if (need === 'enrol') {
        flashSuccess(request, 'Set up an authenticator app first: your role must use one to do this.');
        return reply.redirect(paths.account.authenticator(), 303);
      }
      return reply.redirect(paths.signInSteps.confirm(), 303);
    });
  },
);
