import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { agencies, partnerships, users } from '../schema.ts';
import type { Actor, Role } from '../../domain/lifecycle/roles.ts';

/** The actor's partnership: its agencies and people. Never another partnership's. */
export function directoryRepository(db: Executor, actor: Actor) {
  return {
    /** Without the logo's bytes, which only the logo's own reads need. */
    async partnership() {
      const { logo: _logo, ...columns } = getTableColumns(partnerships);
      const [row] = await db
        .select(columns)
        .from(partnerships)
        .where(eq(partnerships.id, actor.partnershipId));
      return row!;
    },

    async agencies(options: { includeRetired?: boolean } = {}) {
      const conditions = [eq(agencies.partnershipId, actor.partnershipId)];
      if (!options.includeRetired) conditions.push(isNull(agencies.retiredAt));
      return db
        .select()
        .from(agencies)
        .where(and(...conditions))
        .orderBy(asc(agencies.name));
    },

    async agencyByCode(code: string) {
      const [row] = await db
        .select()
        .from(agencies)
        .where(and(eq(agencies.partnershipId, actor.partnershipId), eq(agencies.code, code)));
      return row ?? null;
    },

    async insertAgency(values: { code: string; name: string; type: string }) {
      const [row] = await db
        .insert(agencies)
        .values({ ...values, partnershipId: actor.partnershipId })
        .returning();
      return row!;
    },

    async users() {
      return db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          roles: users.roles,
          agencyId: users.agencyId,
          agencyName: agencies.name,
          jobTitle: users.jobTitle,
          disabledAt: users.disabledAt,
          lastSignedInAt: users.lastSignedInAt,
        })
        .from(users)
        .leftJoin(agencies, eq(agencies.id, users.agencyId))
        .where(eq(users.partnershipId, actor.partnershipId))
        .orderBy(asc(users.name));
    },

    async usersByIds(ids: string[]) {
      if (!ids.length) return [];
      return db
        .select({ id: users.id, name: users.name, roles: users.roles, agencyId: users.agencyId })
        .from(users)
        .where(
          and(
            eq(users.partnershipId, actor.partnershipId),
            sql`${users.id} = any(${sql.param(ids)}::uuid[])`,
          ),
        );
    },

    async emailTaken(email: string): Promise<boolean> {
      const [row] = await db
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = lower(${email})`);
      return Boolean(row);
    },

    async insertUser(values: {
      email: string;
      name: string;
      roles: Role[];
      agencyId: string | null;
      jobTitle: string | null;
      passwordHash: string | null;
    }) {
      const [row] = await db
        .insert(users)
        .values({ ...values, partnershipId: actor.partnershipId })
        .returning({ id: users.id, email: users.email, name: users.name });
      return row!;
    },
  };
}

export type DirectoryRepository = ReturnType<typeof directoryRepository>;
