import * as oidc from 'openid-client';
import type { Executor } from '../../db/client.ts';
import { auditRepository } from '../../db/repositories/audit-repository.ts';
import { directoryRepository } from '../../db/repositories/directory-repository.ts';
import { identityProviderRepository, identityRepository } from '../../db/repositories/identity-repository.ts';
import { systemRepository } from '../../db/repositories/system-repository.ts';
import { isRole, mayAdminister, type Actor, type Role } from '../../domain/lifecycle/roles.ts';
import { amrIsTwoFactor } from '../../domain/sign-in/strength.ts';
import { normaliseEmail } from '../../domain/sign-in/throttle.ts';
import { identityProviderInput, secretVariable } from '../../schemas/identity-providers.ts';
import { parseInput } from '../../schemas/parse.ts';
import { nextFactor, sha256, type UserRow } from '../auth-service.ts';
import { audit, denial, inTransaction, type ServiceContext } from '../context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { siteUrl } from '../mail/request-emails.ts';
import type { AttemptRequest } from './attempts.ts';
import type { AuditAction } from '../../domain/audit/catalogue.ts';

/** A single sign-on must come back within this long. */
export const SSO_ROUND_TRIP_MS = 10 * 60_000;
/** Provider metadata (discovery) is fetched again after this long. */
const DISCOVERY_TTL_MS = 60 * 60_000;

/** What the browser keeps (in a signed cookie) between leaving for the provider and coming back. */
export interface SsoStart {
  key: string;
  state: string;
  nonce: string;
  verifier: string;
  at: number;
  reauthenticate: boolean;
}

export type SsoRefusal =
  | 'not-started'
  | 'too-slow'
  | 'state-mismatch'
  | 'state-replayed'
  | 'provider-error'
  | 'code-refused'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'wrong-nonce'
  | 'token-invalid'
  | 'provider-unavailable'
  | 'no-email'
  | 'email-not-verified'
  | 'unknown-person'
  | 'other-partnership'
  | 'account-disabled';

type ProviderRow = NonNullable<Awaited<ReturnType<ReturnType<typeof identityProviderRepository>['byKey']>>>;
type Mapping = { group: string; value: string };

const loopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
export const callbackUrl = () => `${siteUrl()}/sign-in/sso/callback`;

/**
 * Single sign-on with OpenID Connect (authorisation code flow with PKCE, state and nonce, through
 * openid-client). One or more identity providers per partnership, set up by its administrator; the
 * client secret comes from the environment. The ID token's issuer, audience, signature, expiry and
 * nonce are checked by the library; the state is checked against the browser's signed cookie and
 * taken once in the database, so an answer replayed is refused on any instance. A person is found
 * by their account at the provider, else linked by e-mail at their first sign-in, else refused
 * unless the administrator lets the provider add people with a default role. Every sign-in, link,
 * refusal and change is audited.
 */
export function ssoService(ctx: ServiceContext, options: { env?: NodeJS.ProcessEnv } = {}) {
  const env = options.env ?? process.env;
  const providers = () => identityProviderRepository(ctx.system);
  const discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  const secretOf = (provider: Pick<ProviderRow, 'key'>) => env[secretVariable(provider.key)] || undefined;

  /** The provider's metadata and keys, fetched once an hour (and again after a failure). */
  async function configuration(provider: ProviderRow): Promise<oidc.Configuration> {
    const secret = secretOf(provider);
    const cacheKey = `${provider.issuer}|${provider.clientId}|${secret ? sha256(secret) : ''}`;
    const cached = discovered.get(cacheKey);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
    const issuer = new URL(provider.issuer);
    const config = oidc.discovery(
      issuer,
      provider.clientId,
      secret ? { client_secret: secret } : undefined,
      secret ? oidc.ClientSecretPost(secret) : oidc.None(),
      // Plain HTTP only to a provider on this machine (tests, a developer's own provider).
      loopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    discovered.set(cacheKey, { at: Date.now(), config });
    config.catch(() => discovered.delete(cacheKey));
    return config;
  }

  async function refuse(
    reason: SsoRefusal,
    provider: ProviderRow | null,
    request: AttemptRequest,
    detail: object = {},
    userId: string | null = null,
  ) {
    await auditRepository(ctx.system).write({
      action: 'user.sign-in',
      outcome: 'failure',
      partnershipId: provider?.partnershipId ?? null,
      userId,
      requestId: request.requestId,
      sourceAddress: request.address,
      detail: { method: 'sso', provider: provider?.key ?? null, reason, ...detail },
    });
    return { outcome: 'refused' as const, reason };
  }

  /** Why openid-client refused the provider's answer, in the audit log's words. */
  function reasonOf(error: unknown): SsoRefusal {
    const e = error as {
      code?: string;
      error?: string;
      cause?: { claim?: string; message?: string; cause?: { claim?: string } };
      message?: string;
    };
    if (e.error === 'invalid_grant') return 'code-refused';
    if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
      // openid-client wraps oauth4webapi's error, whose cause names the claim.
      const claim =
        e.cause?.claim ?? e.cause?.cause?.claim ?? /"(\w+)"/.exec(e.cause?.message ?? e.message ?? '')?.[1];
      if (claim === 'iss') return 'wrong-issuer';
      if (claim === 'aud') return 'wrong-audience';
      if (claim === 'nonce') return 'wrong-nonce';
    }
    if (/nonce/i.test(e.message ?? '')) return 'wrong-nonce';
    if (/\baud\b|audience/i.test(e.message ?? '')) return 'wrong-audience';
    if (/\biss\b|issuer/i.test(e.message ?? '')) return 'wrong-issuer';
    if (e.code === 'OAUTH_RESPONSE_BODY_ERROR' || e.error) return 'code-refused';
    if (e.code === 'ECONNREFUSED' || /fetch failed/i.test(e.message ?? '')) return 'provider-unavailable';
    return 'token-invalid';
  }

  function groupsIn(claims: Record<string, unknown>, claim: string): string[] {
    const value = claims[claim];
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
  }

  /** Roles and agency the token's groups give, by the provider's mappings. */
  async function mapped(tx: Executor, provider: ProviderRow, groups: string[]) {
    const roles = [
      ...new Set(
        (provider.roleMappings as Mapping[]).filter((m) => groups.includes(m.group)).map((m) => m.value),
      ),
    ].filter(isRole);
    const agencyMapping = (provider.agencyMappings as Mapping[]).find((m) => groups.includes(m.group));
    const agency = agencyMapping
      ? await directoryRepository(tx, { partnershipId: provider.partnershipId } as Actor).agencyByCode(
          agencyMapping.value,
        )
      : null;
    return { roles, agency };
  }

  return {
    /** The sign-in page's buttons: every enabled provider. */
    async buttons() {
      return providers().enabled();
    },

    /** Where to send the browser to sign in at the provider, and what to keep until it comes back. */
    async start(key: string, options: { reauthenticate: boolean; now: Date }) {
      const provider = await providers().byKey(key);
      if (!provider || !provider.enabled) throw new NotFoundError('There is no such way to sign in.');
      let config: oidc.Configuration;
      try {
        config = await configuration(provider);
      } catch {
        throw new ValidationError({
          _: `${provider.name} cannot be reached just now. Try again in a few minutes, or sign in with your e-mail address and password.`,
        });
      }
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: callbackUrl(),
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        // Re-authentication: the provider asks again rather than answering from its own session.
        ...(options.reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
      });
      const started: SsoStart = {
        key: provider.key,
        state,
        nonce,
        verifier,
        at: options.now.getTime(),
        reauthenticate: options.reauthenticate,
      };
      return { url: url.href, started };
    },

    /**
     * The provider's answer. Refused, on record, and changing nothing when: no sign-in was started
     * from this browser; the state is not the one sent, or was taken before; the provider refused
     * the code (used already, or not bound to this sign-in's PKCE verifier); the ID token is from
     * another issuer or for another audience, or carries another nonce; or the person is unknown.
     */
    async complete(started: SsoStart | null, query: Record<string, string>, request: AttemptRequest) {
      const now = ctx.now();
      const provider = started ? await providers().byKey(started.key) : null;
      if (!started || !provider || !provider.enabled) return refuse('not-started', provider, request);
      if (now.getTime() - started.at > SSO_ROUND_TRIP_MS) return refuse('too-slow', provider, request);
      if (typeof query.state !== 'string' || query.state !== started.state)
        return refuse('state-mismatch', provider, request);
      const fresh = await identityRepository(ctx.system).takeSsoState(
        sha256(started.state),
        now,
        new Date(started.at + SSO_ROUND_TRIP_MS),
      );
      if (!fresh) return refuse('state-replayed', provider, request);
      if (query.error)
        return refuse('provider-error', provider, request, { error: String(query.error).slice(0, 100) });

      let claims: Record<string, unknown>;
      let idToken: string | undefined;
      try {
        const config = await configuration(provider);
        const current = new URL(callbackUrl());
        for (const [k, v] of Object.entries(query)) current.searchParams.set(k, v);
        const tokens = await oidc.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: started.verifier,
          expectedState: started.state,
          expectedNonce: started.nonce,
          idTokenExpected: true,
          ...(started.reauthenticate ? { maxAge: 0 } : {}),
        });
        claims = (tokens.claims() ?? {}) as Record<string, unknown>;
        idToken = tokens.id_token;
      } catch (error) {
        return refuse(reasonOf(error), provider, request, {
          error: String((error as { code?: unknown }).code ?? (error as Error).name).slice(0, 80),
        });
      }

      const subject = String(claims.sub ?? '');
      const emailValue = claims[provider.emailClaim];
      const email = typeof emailValue === 'string' ? normaliseEmail(emailValue) : '';
      const amr = Array.isArray(claims.amr)
        ? claims.amr.filter((m): m is string => typeof m === 'string')
        : [];
      const groups = groupsIn(claims, provider.groupsClaim);
      if (!email || !email.includes('@'))
        return refuse('no-email', provider, request, { claim: provider.emailClaim });
      if (claims.email_verified === false) return refuse('email-not-verified', provider, request);

      const outcome = await ctx.system.transaction(async (tx) => {
        const links = identityProviderRepository(tx);
        const system = systemRepository(tx);
        let user: UserRow | null = await links.userBySubject(provider.id, subject);
        let linked = false;
        let created = false;
        if (!user) {
          const byEmail = await system.userByEmail(email);
          if (byEmail && byEmail.partnershipId !== provider.partnershipId)
            return { refused: 'other-partnership' as const };
          if (byEmail) {
            user = byEmail;
            linked = true;
          } else {
            if (!provider.createUnknown || !provider.defaultRole)
              return { refused: 'unknown-person' as const };
            const { roles, agency } = await mapped(tx, provider, groups);
            const name =
              typeof claims.name === 'string' && claims.name.trim()
                ? claims.name.trim().slice(0, 200)
                : email;
            user = await system.insertUser({
              partnershipId: provider.partnershipId,
              email,
              name,
              roles: roles.length ? roles : [provider.defaultRole as Role],
              agencyId: agency?.id ?? null,
              passwordHash: null,
            });
            created = true;
            linked = true;
          }
          await links.link(provider.id, subject, user.id, now);
        } else await links.touch(provider.id, subject, now);
        if (user.disabledAt) return { refused: 'account-disabled' as const, user };

        const write = (action: AuditAction, detail: object) =>
          auditRepository(tx).write({
            action,
            outcome: 'success',
            partnershipId: user!.partnershipId,
            userId: user!.id,
            requestId: request.requestId,
            sourceAddress: request.address,
            subjectType: 'user',
            subjectId: user!.id,
            detail: { provider: provider.key, ...detail },
          });
        if (created) await write('user.add', { via: 'sso', roles: user.roles });
        if (linked) await write('user.sso.link', {});
        // The provider's groups, where they map to something, decide the person's roles and agency.
        const { roles, agency } = await mapped(tx, provider, groups);
        if (!created && (roles.length || agency)) {
          const nextRoles = roles.length ? roles : user.roles;
          const nextAgency = agency ? agency.id : user.agencyId;
          const changed =
            nextAgency !== user.agencyId || [...nextRoles].sort().join() !== [...user.roles].sort().join();
          if (changed) {
            await links.setRolesAndAgency(user.id, nextRoles, nextAgency);
            await write('user.roles.change', {
              via: 'sso',
              before: { roles: user.roles, agencyId: user.agencyId },
              after: { roles: nextRoles, agencyId: nextAgency },
            });
            user = { ...user, roles: nextRoles, agencyId: nextAgency };
          }
        }
        const next = await nextFactor(tx, user, now, amrIsTwoFactor(amr));
        if (next === 'none') await system.markSignedIn(user.id, now);
        await write('user.sign-in', {
          method: 'sso',
          amr,
          // Asked for by a page that needs a recent sign-in (the demand is on record as user.reauthenticate).
          ...(started.reauthenticate ? { reauthenticate: true } : {}),
          ...(next === 'none'
            ? {}
            : {
                step: 'single sign-on',
                next: next === 'code' ? 'authenticator code' : 'set up an authenticator',
              }),
        });
        return { refused: null, user, next };
      });
      // The person by id when they have an account; an unknown e-mail is not kept.
      if (outcome.refused)
        return refuse(
          outcome.refused,
          provider,
          request,
          {},
          'user' in outcome && outcome.user ? outcome.user.id : null,
        );
      return {
        outcome: 'signed-in' as const,
        user: outcome.user,
        next: outcome.next,
        amr,
        idToken,
        provider: { id: provider.id, key: provider.key, name: provider.name },
        reauthenticate: started.reauthenticate,
      };
    },

    /** The provider's sign-out address (RP-initiated logout), when it offers one. */
    async logoutUrl(providerId: string, idToken: string | undefined): Promise<string | null> {
      const provider = await providers().byId(providerId);
      if (!provider) return null;
      try {
        const config = await configuration(provider);
        if (!config.serverMetadata().end_session_endpoint) return null;
        return oidc.buildEndSessionUrl(config, {
          ...(idToken ? { id_token_hint: idToken } : {}),
          client_id: provider.clientId,
          post_logout_redirect_uri: `${siteUrl()}/sign-in`,
        }).href;
      } catch {
        return null;
      }
    },

    // The administrator's pages ---------------------------------------------------------------------
    async list(actor: Actor) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor))
          throw new ForbiddenError(
            'Only a partnership administrator can do this.',
            denial(actor, { action: 'identity-provider.list' }),
          );
        const rows = await identityProviderRepository(tx).ofPartnership(actor.partnershipId);
        return rows.map((p) => ({
          ...p,
          secretVariable: secretVariable(p.key),
          secretSet: Boolean(secretOf(p)),
        }));
      });
    },

    async get(actor: Actor, id: string) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor))
          throw new ForbiddenError(
            'Only a partnership administrator can do this.',
            denial(actor, {
              action: 'identity-provider.view',
              subjectType: 'identity_provider',
              subjectId: id.slice(0, 100),
            }),
          );
        const row = /^[0-9a-f-]{36}$/i.test(id) ? await identityProviderRepository(tx).byId(id) : null;
        if (!row || row.partnershipId !== actor.partnershipId)
          throw new NotFoundError('There is no such identity provider.');
        return { ...row, secretVariable: secretVariable(row.key), secretSet: Boolean(secretOf(row)) };
      });
    },

    /** Adds (id null) or changes a provider of the administrator's partnership. */
    async save(actor: Actor, id: string | null, input: unknown) {
      const action = id ? 'identity-provider.change' : 'identity-provider.add';
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor))
          throw new ForbiddenError(
            'Only a partnership administrator can do this.',
            denial(actor, { action }),
          );
        const data = parseInput(identityProviderInput, input);
        const repo = identityProviderRepository(tx);
        const existing = id ? (/^[0-9a-f-]{36}$/i.test(id) ? await repo.byId(id) : null) : null;
        if (id && (!existing || existing.partnershipId !== actor.partnershipId))
          throw new NotFoundError('There is no such identity provider.');
        const sameKey = await repo.byKey(data.key);
        if (sameKey && sameKey.id !== id)
          throw new ValidationError({ key: 'Another identity provider has this key' });
        const directory = directoryRepository(tx, actor);
        const unknown = [];
        for (const m of data.agencyMappings)
          if (!(await directory.agencyByCode(m.value))) unknown.push(m.value);
        if (unknown.length)
          throw new ValidationError({
            agencyMappings: `${unknown.map((u) => `“${u}”`).join(', ')} ${unknown.length === 1 ? 'is not the code of an agency' : 'are not codes of agencies'} of this partnership`,
          });
        const values = {
          name: data.name,
          key: data.key,
          issuer: data.issuer,
          clientId: data.clientId,
          emailClaim: data.emailClaim,
          groupsClaim: data.groupsClaim,
          roleMappings: data.roleMappings,
          agencyMappings: data.agencyMappings,
          createUnknown: data.createUnknown,
          defaultRole: data.createUnknown ? data.defaultRole : null,
          enabled: data.enabled,
          updatedAt: ctx.now(),
        };
        const saved = existing
          ? (await repo.update(existing.id, actor.partnershipId, values), { ...existing, ...values })
          : await repo.insert({ ...values, partnershipId: actor.partnershipId });
        discovered.clear();
        await audit(tx, actor, {
          action,
          outcome: 'success',
          subjectType: 'identity_provider',
          subjectId: saved.id,
          detail: { ...values, updatedAt: undefined },
        });
        return saved;
      });
    },
  };
}

export type SsoService = ReturnType<typeof ssoService>;
