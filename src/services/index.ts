import { adminService } from './admin-service.ts';
import { authService } from './auth-service.ts';
import { apiTokenService } from './api-token-service.ts';
import type { ServiceContext } from './context.ts';
import { reviewService } from './review-service.ts';
import { chronologyService } from './chronology-service.ts';
import { requestService } from './request-service.ts';
import { returnService } from './return-service.ts';
import { eventService } from './event-service.ts';
import { episodeService } from './episode-service.ts';
import { learningService } from './learning-service.ts';
import { themeService } from './theme-service.ts';
import { actionService } from './action-service.ts';
import { practiceAuditService } from './practice-audit-service.ts';
import { progressService } from './progress-service.ts';
import { signalSettingsService } from './signal-settings-service.ts';
import { reviewSignalsService } from './review-signals-service.ts';
import { monitoringService } from './monitoring-service.ts';
import { briefingService } from './briefing-service.ts';
import { libraryService } from './library-service.ts';
import { resourceService } from './resource-service.ts';
import { auditChainService } from './audit-chain-service.ts';
import { recurrenceService } from './recurrence-service.ts';
import { dashboardService } from './dashboard-service.ts';
import { accessService } from './access-service.ts';
import { scopedToActors } from '../db/actor-scope.ts';
import { auditLogService } from './audit-log-service.ts';
import { secondFactorKeyMaterial, secondFactorService } from './sign-in/second-factor-service.ts';
import { accountService } from './sign-in/account-service.ts';
import { peopleService } from './sign-in/people-service.ts';
import { ssoService } from './sign-in/sso-service.ts';
import { retentionService } from './retention-service.ts';
import { subjectAccessService } from './subject-access-service.ts';
import { keptFormService } from './kept-form-service.ts';

/**
 * Every service, built once from the context in the composition root. Each use case run for a
 * person is scoped to them in the database (db/actor-scope.ts).
 * `actorScoped: false` only for the benchmark that measures what the scoping costs.
 */
export function createServices(ctx: ServiceContext, options: { actorScoped?: boolean } = {}) {
  const reviewSignals = reviewSignalsService(ctx);
  const services = {
    auth: authService(ctx),
    apiTokens: apiTokenService(ctx),
    reviews: reviewService(ctx),
    admin: adminService(ctx),
    requests: requestService(ctx),
    returns: returnService(ctx),
    chronology: chronologyService(ctx, { signalsFor: reviewSignals.signalsFor }),
    event: eventService(ctx),
    episodes: episodeService(ctx),
    learning: learningService(ctx),
    themes: themeService(ctx),
    actions: actionService(ctx),
    practiceAudits: practiceAuditService(ctx),
    progress: progressService(ctx),
    signalSettings: signalSettingsService(ctx),
    reviewSignals,
    monitoring: monitoringService(ctx),
    briefings: briefingService(ctx),
    library: libraryService(ctx),
    resources: resourceService(ctx),
    auditChain: auditChainService(ctx),
    recurrence: recurrenceService(ctx),
    dashboard: dashboardService(ctx),
    access: accessService(ctx),
    auditLog: auditLogService(ctx),
    secondFactor: secondFactorService(ctx, { keyMaterial: secondFactorKeyMaterial(ctx.system) }),
    account: accountService(ctx),
    people: peopleService(ctx),
    sso: ssoService(ctx),
    retention: retentionService(ctx),
    subjectAccess: subjectAccessService(ctx),
    keptForms: keptFormService(ctx, { keyMaterial: secondFactorKeyMaterial(ctx.system) }),
  };
  return options.actorScoped === false ? services : scopedToActors(services);
}

export type Services = ReturnType<typeof createServices>;
