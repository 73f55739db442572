import { auditRepository } from '../db/repositories/audit-repository.ts';
import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { mayAdminister, type Actor } from '../domain/lifecycle/roles.ts';
import { agencyInput, auditQuery, userInput } from '../schemas/admin.ts';
import { parseInput } from '../schemas/parse.ts';
import { hashPassword } from './auth-service.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, ValidationError } from './errors.ts';

/** The administrator's work: agencies, people and roles, and the audit log. */
export function adminService(ctx: ServiceContext) {
  const requireAdmin = (actor: Actor, action: string) => {
    if (!mayAdminister(actor))
      throw new ForbiddenError('Only a partnership administrator can do this.', denial(actor, { action }));
  };

  return {
    async auditLog(actor: Actor, query: unknown) {
      requireAdmin(actor, 'audit.view');
      const q = parseInput(auditQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const page = await auditRepository(tx).list({
          partnershipId: actor.partnershipId,
          action: q.action,
          outcome: q.outcome,
          userEmail: q.user,
          reviewReference: q.review,
          from: q.from,
          to: q.to,
          limit: q.limit,
          offset: q.offset,
        });
        await audit(tx, actor, { action: 'audit.view', outcome: 'success', detail: { filter: q } });
        return { ...page, query: q };
      });
    },

    /** Agencies of the actor's partnership: everyone signed in may read the list. */
    async agencies(actor: Actor) {
      return inTransaction(ctx, (tx) => directoryRepository(tx, actor).agencies());
    },

    async addAgency(actor: Actor, input: unknown) {
      requireAdmin(actor, 'agency.add');
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

    async users(actor: Actor) {
      requireAdmin(actor, 'user.list');
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        return { users: await directory.users(), agencies: await directory.agencies() };
      });
    },

    async addUser(actor: Actor, input: unknown) {
      requireAdmin(actor, 'user.add');
      const data = parseInput(userInput, input);
      const passwordHash = await hashPassword(data.password);
      return inTransaction(ctx, async (tx) => {
        const directory = directoryRepository(tx, actor);
        if (await directory.emailTaken(data.email))
          throw new ValidationError({ email: 'Someone already signs in with this e-mail address' });
        const agency = data.agency ? await directory.agencyByCode(data.agency) : null;
        if (data.agency && !agency)
          throw new ValidationError({ agency: 'Select an agency of this partnership' });
        if (data.roles.includes('agency_lead') && !agency)
          throw new ValidationError({ agency: 'An agency safeguarding lead needs their agency' });
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
          detail: { email: data.email, roles: data.roles, agency: data.agency },
        });
        return user;
      });
    },
  };
}

export type AdminService = ReturnType<typeof adminService>;
