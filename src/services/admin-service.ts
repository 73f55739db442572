import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { partnershipLogoRepository } from '../db/repositories/partnership-logo-repository.ts';
import { reviewTargetsRepository } from '../db/repositories/review-targets-repository.ts';
import { checkLogo, LogoError } from '../files/briefing-logo.ts';
import { mayAdminister, type Actor } from '../domain/lifecycle/roles.ts';
import { agencyInput, reviewTargetsInput, userInput } from '../schemas/admin.ts';
import { parseInput } from '../schemas/parse.ts';
import { hashPassword } from './auth-service.ts';
import { commonPasswords } from './sign-in/common-passwords.ts';
import { newPasswordProblem } from '../domain/sign-in/password-rules.ts';
import { audit, denial, inTransaction, recordRefusal, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError, ValidationError } from './errors.ts';
import { rolesActingForAnAgency } from '../domain/access/policy.ts';
import { ROLE_LABELS } from '../domain/access/roles.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/**
 * The administrator's work: agencies, people and roles, the partnership's logo and review targets,
 * and the audit log.
 */
export function adminService(ctx: ServiceContext) {
  /**
   * Refuses anyone but an administrator, with the refusal on record. It runs before any
   * transaction is open, so the refusal is written straight away.
   */
  const requireAdmin = async (actor: Actor, action: AuditAction) => {
    if (mayAdminister(actor)) return;
    const error = new ForbiddenError(
      'Only a partnership administrator can do this.',
      denial(actor, { action }),
    );
    await recordRefusal(ctx, error);
    throw error;
  };

  return {
    /** Agencies of the actor's partnership: everyone signed in may read the list. */
    async agencies(actor: Actor) {
      return inTransaction(ctx, (tx) => directoryRepository(tx, actor).agencies());
    },

    async addAgency(actor: Actor, input: unknown) {
      await requireAdmin(actor, 'agency.add');
      const data = parseInput(agencyInput, input);
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        if (await directory.agencyByCode(data.code))
          throw new ValidationError({ code: 'An agency already has this code' });
        const agency = await directory.insertAgency(data);
        await audit(tx, actor, {
          action: 'agency.add',
          outcome: 'success',
          subjectType: 'agency',
          subjectId: agency.id,
          detail: data,
        });
        return agency;
      });
    },

    /** The logo's type, size and date for the administrator's page; null when there is none. */
    async logoInfo(actor: Actor) {
      await requireAdmin(actor, 'partnership.logo.view');
      return inTransaction(ctx, (tx) => partnershipLogoRepository(tx, actor).info());
    },

    /** The logo itself: every signed-in person of the partnership sees it on its briefings. */
    async logo(actor: Actor) {
      return inTransaction(ctx, (tx) => partnershipLogoRepository(tx, actor).logo());
    },

    /**
     * Sets or replaces the partnership's logo, checked by its content (PNG or JPEG, under 512 KB,
     * readable). A refused file changes nothing; the change and its audit row commit together.
     */
    async setLogo(actor: Actor, upload: { fileName: string; bytes: Buffer } | null) {
      await requireAdmin(actor, 'partnership.logo.set');
      if (!upload) throw new ValidationError({ logo: 'Select a PNG or JPEG file' });
      let checked;
      try {
        checked = checkLogo(upload.bytes);
      } catch (error) {
        if (error instanceof LogoError) throw new ValidationError({ logo: error.message });
        throw error;
      }
      return inTransaction(ctx, async (tx) => {
        const logos = partnershipLogoRepository(tx, actor);
        const before = await logos.info();
        await logos.set(upload.bytes, checked.mediaType, ctx.now());
        await audit(tx, actor, {
          action: 'partnership.logo.set',
          outcome: 'success',
          subjectType: 'partnership',
          subjectId: actor.partnershipId,
          detail: {
            fileName: upload.fileName,
            mediaType: checked.mediaType,
            bytes: upload.bytes.length,
            width: checked.width,
            height: checked.height,
            replaced: before !== null,
          },
        });
        return checked;
      });
    },

    async removeLogo(actor: Actor) {
      await requireAdmin(actor, 'partnership.logo.remove');
      return inTransaction(ctx, async (tx) => {
        if (!(await partnershipLogoRepository(tx, actor).remove()))
          throw new ConflictError('The partnership has no logo to remove.');
        await audit(tx, actor, {
          action: 'partnership.logo.remove',
          outcome: 'success',
          subjectType: 'partnership',
          subjectId: actor.partnershipId,
        });
      });
    },

    /** The partnership's own review targets: every signed-in person of the partnership may read them. */
    async reviewTargets(actor: Actor) {
      return inTransaction(ctx, (tx) => reviewTargetsRepository(tx, actor).get());
    },

    /** The administrator's page of the review targets. */
    async reviewTargetsForAdmin(actor: Actor) {
      await requireAdmin(actor, 'partnership.review-targets.view');
      return inTransaction(ctx, (tx) => reviewTargetsRepository(tx, actor).get());
    },

    /**
     * Sets both targets (a whole number of weeks within TARGET_WEEKS, or none). Bad input changes
     * nothing; the change and its audit row commit together.
     */
    async setReviewTargets(actor: Actor, input: unknown) {
      await requireAdmin(actor, 'partnership.review-targets.change');
      const after = parseInput(reviewTargetsInput, input);
      return inTransaction(ctx, async (tx) => {
        const targets = reviewTargetsRepository(tx, actor);
        const before = await targets.get();
        await targets.set(after);
        await audit(tx, actor, {
          action: 'partnership.review-targets.change',
          outcome: 'success',
          subjectType: 'partnership',
          subjectId: actor.partnershipId,
          detail: { before, after },
        });
        return after;
      });
    },

    async users(actor: Actor) {
      await requireAdmin(actor, 'user.list');
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        return { users: await directory.users(), agencies: await directory.agencies() };
      });
    },

    async addUser(actor: Actor, input: unknown) {
      await requireAdmin(actor, 'user.add');
      const data = parseInput(userInput, input);
      // The first password follows the same rules as one the person chooses later.
      const weak = newPasswordProblem(data.password, { email: data.email, common: commonPasswords() });
      if (weak) throw new ValidationError({ password: weak });
      const passwordHash = await hashPassword(data.password);
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        if (await directory.emailTaken(data.email))
          throw new ValidationError({ email: 'Someone already signs in with this e-mail address' });
        const agency = data.agency ? await directory.agencyByCode(data.agency) : null;
        if (data.agency && !agency)
          throw new ValidationError({ agency: 'Select an agency of this partnership' });
        const forAgency = data.roles.find((r) => rolesActingForAnAgency().includes(r));
        if (forAgency && !agency)
          throw new ValidationError({
            agency: `An ${ROLE_LABELS[forAgency].toLowerCase()} needs their agency`,
          });
        const user = await directory.insertUser({
          email: data.email,
          name: data.name,
          roles: data.roles,
          agencyId: agency?.id ?? null,
          jobTitle: data.jobTitle,
          passwordHash,
        });
        await audit(tx, actor, {
          action: 'user.add',
          outcome: 'success',
          subjectType: 'user',
          subjectId: user.id,
          detail: { roles: data.roles, agency: data.agency },
        });
        return user;
      });
    },
  };
}

export type AdminService = ReturnType<typeof adminService>;
