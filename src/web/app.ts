import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import formbody from '@fastify/formbody';
import type { Config } from '../config.ts';
import { LIMITS } from '../limits.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { Services } from '../services/index.ts';
import { apiPlugin } from '../api/plugin.ts';
import { apiSecurityHeaders } from '../api/security-headers.ts';
import { assetsPlugin } from './plugins/assets.ts';
import { authenticationPlugin } from './plugins/authentication.ts';
import { csrfCheckPlugin } from './plugins/csrf-check.ts';
import { capabilityGuardPlugin } from './plugins/capability-guard.ts';
import { refusalsOnRecordPlugin } from './plugins/refusals-on-record.ts';
import { controlCharactersPlugin } from './plugins/control-characters.ts';
import { errorPagesPlugin } from './plugins/errors.ts';
import { healthRoutes } from './plugins/health.ts';
import { localsPlugin } from './plugins/locals.ts';
import { securityPlugin } from './plugins/security.ts';
import { loggerOptions } from './logging.ts';
import { sessionPlugin } from './plugins/session.ts';
import { viewsPlugin } from './plugins/views.ts';
import { adminRoutes } from './routes/admin.ts';
import { actionRoutes } from './routes/actions.ts';
import { auditRoutes } from './routes/audits.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { briefingRoutes } from './routes/briefings.ts';
import { libraryRoutes } from './routes/library.ts';
import { resourceRoutes } from './routes/resources.ts';
import { retentionRoutes } from './routes/retention.ts';
import { eventLearningRoutes } from './routes/event-learning.ts';
import { themeRoutes } from './routes/themes.ts';
import { chronologyRoutes } from './routes/chronology.ts';
import { requestRoutes } from './routes/requests.ts';
import { returnRoutes } from './routes/returns.ts';
import { signalThresholdRoutes } from './routes/signal-thresholds.ts';
import { reviewSignalRoutes } from './routes/review-signals.ts';
import { frontDoorRoutes } from './routes/front-door.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { apiTokenRoutes } from './routes/api-tokens.ts';
import { accountRoutes } from './routes/account.ts';
import { peopleRoutes } from './routes/people.ts';
import { ssoRoutes } from './routes/sso.ts';
import { stepUpPlugin } from './plugins/step-up.ts';
import { keptFormRoutes, keptFormSentPlugin } from './routes/kept-forms.ts';

export interface AppDependencies {
  config: Pick<
    Config,
    | 'LOG_LEVEL'
    | 'TRUST_PROXY'
    | 'SESSION_IDLE_MINUTES'
    | 'SESSION_MAX_HOURS'
    | 'REAUTHENTICATE_AFTER_MINUTES'
  >;
  database: Pick<DatabaseHandle, 'db' | 'ping' | 'kind'>;
  services: Services;
  sessionSecret: string;
  partnershipName: (partnershipId: string) => Promise<string | null>;
  /** The clock of sessions and sign-in (the services' own, so tests can move it). */
  now?: (() => Date) | undefined;
  /** Where the log goes, instead of standard output (tests read it). */
  logStream?: NodeJS.WritableStream | undefined;
  /** Told of every route as it is added (the authorisation tests walk them all). */
  onRoute?: ((route: RouteOptions) => void) | undefined;
}

/**
 * The web application and the API. The order below is the order requests meet each concern;
 * it is written once, here.
 */
export async function createApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config.LOG_LEVEL, deps.logStream),
    genReqId: () => randomUUID(),
    // Only the listed proxies may say who the client is (X-Forwarded-For); anyone else's header is ignored.
    trustProxy: deps.config.TRUST_PROXY,
    bodyLimit: LIMITS.requestBodyBytes,
  });
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  const now = deps.now ?? (() => new Date());

  // 0. Text with a control character (a NUL byte cannot even be stored) is refused on every route.
  await app.register(controlCharactersPlugin);
  // 1. Health, before anything that could fail on a dependency.
  await app.register(healthRoutes, {
    ping: deps.database.ping,
    kind: deps.database.kind,
    services: deps.services,
  });
  // 2. Static files, outside the session and sign-in: they hold no case data.
  await app.register(assetsPlugin);
  // 3. The JSON API: bearer tokens, its own errors, no cookies and so no CSRF; headers that allow nothing;
  //    the policy asked before a change reads its input.
  await app.register(capabilityGuardPlugin, { services: deps.services, apiOnly: true });
  await app.register(refusalsOnRecordPlugin, { services: deps.services });
  await app.register(apiSecurityHeaders);
  await app.register(apiPlugin, { prefix: '/api', services: deps.services });
  // 4. The web: headers, bodies, session, CSRF, views, who is signed in, routes, errors.
  await app.register(async (web) => {
    await web.register(securityPlugin);
    await web.register(formbody);
    await web.register(sessionPlugin, {
      db: deps.database.db,
      secret: deps.sessionSecret,
      idleMinutes: deps.config.SESSION_IDLE_MINUTES,
      maxHours: deps.config.SESSION_MAX_HOURS,
      now,
    });
    await web.register(viewsPlugin);
    await web.register(csrfCheckPlugin);
    await web.register(authenticationPlugin, {
      services: deps.services,
      now,
      maxSessionMs: deps.config.SESSION_MAX_HOURS * 3_600_000,
    });
    // The policy first: someone who may not do what a route does is refused, not asked to sign in again.
    await web.register(capabilityGuardPlugin, { services: deps.services });
    // Named views, exports and administration ask for a recent strong sign-in.
    await web.register(stepUpPlugin, {
      services: deps.services,
      now,
      maxAgeMs: deps.config.REAUTHENTICATE_AFTER_MINUTES * 60_000,
    });
    await web.register(localsPlugin, {
      partnershipName: deps.partnershipName,
      waitingCount: (actor) => deps.services.requests.waitingCount(actor),
      session: {
        idleMs: deps.config.SESSION_IDLE_MINUTES * 60_000,
        maxMs: deps.config.SESSION_MAX_HOURS * 3_600_000,
        now,
      },
    });
    await web.register(keptFormSentPlugin, { services: deps.services });
    await web.register(errorPagesPlugin);
    await web.register(signInRoutes, { services: deps.services, now });
    await web.register(ssoRoutes, { services: deps.services, now });
    await web.register(accountRoutes, { services: deps.services, now });
    await web.register(keptFormRoutes, {
      services: deps.services,
      now,
      idleMs: deps.config.SESSION_IDLE_MINUTES * 60_000,
      maxMs: deps.config.SESSION_MAX_HOURS * 3_600_000,
    });
    await web.register(peopleRoutes, { services: deps.services });
    await web.register(reviewRoutes, { services: deps.services });
    await web.register(briefingRoutes, { services: deps.services });
    await web.register(libraryRoutes, { services: deps.services });
    await web.register(resourceRoutes, { services: deps.services });
    await web.register(retentionRoutes, { services: deps.services });
    await web.register(eventLearningRoutes, { services: deps.services });
    await web.register(themeRoutes, { services: deps.services });
    await web.register(requestRoutes, { services: deps.services });
    await web.register(returnRoutes, { services: deps.services });
    await web.register(chronologyRoutes, { services: deps.services });
    await web.register(adminRoutes, { services: deps.services });
    await web.register(apiTokenRoutes, { services: deps.services });
    await web.register(actionRoutes, { services: deps.services });
    await web.register(auditRoutes, { services: deps.services });
    await web.register(signalThresholdRoutes, { services: deps.services });
    await web.register(reviewSignalRoutes, { services: deps.services });
    await web.register(frontDoorRoutes, { services: deps.services });
    await web.register(dashboardRoutes, { services: deps.services });
  });
  return app;
}
