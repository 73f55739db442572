import { and, eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { agencies, users } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';

/**
 * The people of the actor's partnership, as their administrator changes them: roles, agency,
 * disabled or not. Never anyone of another partnership: every statement is kept to the actor's.
 */
export function peopleRepository(db: Executor, actor: Pick<Actor, 'partnershipId'>) {
  const ours = (id: string) => and(eq(users.id, id), eq(users.partnershipId, actor.partnershipId));
  return {
    async person(id: string, options: { lock?: boolean } = {}) {
      const query = db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          roles: users.roles,
          agencyId: users.agencyId,
          agencyCode: agencies.code,
          agencyName: agencies.name,
          jobTitle: users.jobTitle,
          disabledAt: users.disabledAt,
          lastSignedInAt: users.lastSignedInAt,
          hasPassword: users.passwordHash,
        })
        .from(users)
        .leftJoin(agencies, eq(agencies.id, users.agencyId))
        .where(ours(id));
      const [row] = options.lock ? await query.for('update', { of: users }) : await query;
      return row ? { ...row, hasPassword: row.hasPassword !== null } : null;
    },

    async setRolesAndAgency(id: string, roles: string[], agencyId: string | null) {
      await db.update(users).set({ roles, agencyId }).where(ours(id));
    },

    async setDisabled(id: string, at: Date | null) {
      await db.update(users).set({ disabledAt: at }).where(ours(id));
    },
  };
}
