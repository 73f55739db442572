import { z } from 'zod';
import { isErasedStaffEmail } from '../../domain/retention/staff-erasure.ts';
import { directoryRepository } from '../../db/repositories/directory-repository.ts';
import { identityRepository } from '../../db/repositories/identity-repository.ts';
import { peopleRepository } from '../../db/repositories/people-repository.ts';
import { rolesActingForAnAgency } from '../../domain/access/policy.ts';
import { ROLES, ROLE_LABELS, mayAdminister, type Actor } from '../../domain/lifecycle/roles.ts';
import { DEFAULT_SECOND_FACTOR_ROLES } from '../../domain/sign-in/strength.ts';
import { parseInput } from '../../schemas/parse.ts';
import { secondFactorRoles } from '../auth-service.ts';
import { audit, denial, inTransaction, type ServiceContext } from '../context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { AuditAction } from '../../domain/audit/catalogue.ts';

const accessInput = z.object({
  roles: z.array(z.enum(ROLES, { error: 'Select a role from the list' })).min(1, 'Select at least one role'),
  agency: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => v || null),
});

const settingsInput = z.object({
  secondFactorRoles: z.array(z.enum(ROLES, { error: 'Select a role from the list' })),
});

/**
 * The administrator's work on people's sign-in: roles and agency, disabling someone (and ending
 * their sessions), ending all of someone's sessions, and which roles must use a second factor.
 * Every change is audited, every refusal too; only people of the administrator's partnership.
 */
export function peopleService(ctx: ServiceContext) {
  const refuse = (actor: Actor, action: AuditAction, subjectId?: string) =>
    new ForbiddenError(
      'Only a partnership administrator can do this.',
      denial(actor, {
        action,
        ...(subjectId ? { subjectType: 'user', subjectId: subjectId.slice(0, 100) } : {}),
      }),
    );
  const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

  return {
    /** A person of the partnership with what the administrator needs to see of their sign-in. */
    async person(actor: Actor, userId: string) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor)) throw refuse(actor, 'user.view', userId);
        const person = isId(userId) ? await peopleRepository(tx, actor).person(userId) : null;
        if (!person) throw new NotFoundError('There is no such person in your partnership.');
        const identity = identityRepository(tx);
        const enrolment = await identity.totp(person.id);
        const sessions = await identity.sessionsOf(person.id, ctx.now());
        return {
          person,
          enrolled: Boolean(enrolment?.confirmedAt),
          recoveryCodesLeft: await identity.recoveryCodesLeft(person.id),
          sessions: sessions.filter((s) => (s.data as { userId?: unknown }).userId === person.id).length,
          agencies: await directoryRepository(tx, actor).agencies(),
          requiredRoles: await secondFactorRoles(tx, actor.partnershipId),
        };
      });
    },

    /** Changes someone's roles and agency; an administrator cannot take their own administration away. */
    async changeAccess(actor: Actor, userId: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor)) throw refuse(actor, 'user.roles.change', userId);
        const people = peopleRepository(tx, actor);
        const person = isId(userId) ? await people.person(userId, { lock: true }) : null;
        if (!person) throw new NotFoundError('There is no such person in your partnership.');
        const data = parseInput(accessInput, input);
        const agency = data.agency ? await directoryRepository(tx, actor).agencyByCode(data.agency) : null;
        if (data.agency && !agency)
          throw new ValidationError({ agency: 'Select an agency of this partnership' });
        const forAgency = data.roles.find((r) => rolesActingForAnAgency().includes(r));
        if (forAgency && !agency)
          throw new ValidationError({
            agency: `An ${ROLE_LABELS[forAgency].toLowerCase()} needs their agency`,
          });
        if (person.id === actor.userId && !mayAdminister({ roles: data.roles }))
          throw new ValidationError({
            roles: 'You cannot take away your own administrator role: ask another administrator',
          });
        await people.setRolesAndAgency(person.id, data.roles, agency?.id ?? null);
        await audit(tx, actor, {
          action: 'user.roles.change',
          outcome: 'success',
          subjectType: 'user',
          subjectId: person.id,
          detail: {
            before: { roles: person.roles, agency: person.agencyCode },
            after: { roles: data.roles, agency: agency?.code ?? null },
          },
        });
        return person;
      });
    },

    /** Disables someone: they cannot sign in or use their tokens, and every session of theirs ends. */
    async disable(actor: Actor, userId: string) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor)) throw refuse(actor, 'user.disable', userId);
        const people = peopleRepository(tx, actor);
        const person = isId(userId) ? await people.person(userId, { lock: true }) : null;
        if (!person) throw new NotFoundError('There is no such person in your partnership.');
        if (person.id === actor.userId)
          throw new ValidationError({ _: 'You cannot disable yourself: ask another administrator' });
        if (person.disabledAt) throw new ValidationError({ _: `${person.name} is disabled already` });
        await people.setDisabled(person.id, ctx.now());
        const sessionsEnded = await identityRepository(tx).endSessions(person.id);
        await audit(tx, actor, {
          action: 'user.disable',
          outcome: 'success',
          subjectType: 'user',
          subjectId: person.id,
          detail: { sessionsEnded },
        });
        return person;
      });
    },

    async enable(actor: Actor, userId: string) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor)) throw refuse(actor, 'user.enable', userId);
        const people = peopleRepository(tx, actor);
        const person = isId(userId) ? await people.person(userId, { lock: true }) : null;
        if (!person) throw new NotFoundError('There is no such person in your partnership.');
        if (!person.disabledAt) throw new ValidationError({ _: `${person.name} can sign in already` });
        if (isErasedStaffEmail(person.email))
          throw new ValidationError({ _: 'This account was erased on request: it cannot be used again' });
        await people.setDisabled(person.id, null);
        await audit(tx, actor, {
          action: 'user.enable',
          outcome: 'success',
          subjectType: 'user',
          subjectId: person.id,
        });
        return person;
      });
    },

    /** Ends every session of someone (a lost laptop): they must sign in again everywhere. */
    async endSessions(actor: Actor, userId: string) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor)) throw refuse(actor, 'user.session.end-all', userId);
        const person = isId(userId) ? await peopleRepository(tx, actor).person(userId) : null;
        if (!person) throw new NotFoundError('There is no such person in your partnership.');
        const sessionsEnded = await identityRepository(tx).endSessions(person.id);
        await audit(tx, actor, {
          action: 'user.session.end-all',
          outcome: 'success',
          subjectType: 'user',
          subjectId: person.id,
          detail: { sessionsEnded },
        });
        return { person, sessionsEnded };
      });
    },

    /** The partnership's sign-in rules: which roles must use a second factor. */
    async signInSettings(actor: Actor) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor)) throw refuse(actor, 'sign-in.settings.view');
        return {
          secondFactorRoles: await secondFactorRoles(tx, actor.partnershipId),
          defaults: DEFAULT_SECOND_FACTOR_ROLES,
        };
      });
    },

    async setSecondFactorRoles(actor: Actor, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        if (!mayAdminister(actor)) throw refuse(actor, 'sign-in.settings.change');
        const data = parseInput(settingsInput, input);
        const before = await secondFactorRoles(tx, actor.partnershipId);
        const after = ROLES.filter((r) => data.secondFactorRoles.includes(r));
        await identityRepository(tx).setSecondFactorRoles(
          actor.partnershipId,
          after,
          actor.userId,
          ctx.now(),
        );
        await audit(tx, actor, {
          action: 'sign-in.settings.change',
          outcome: 'success',
          subjectType: 'partnership',
          subjectId: actor.partnershipId,
          detail: { secondFactorRoles: { before, after } },
        });
        return after;
      });
    },
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
