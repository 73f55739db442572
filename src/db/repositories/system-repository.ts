import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { agencies, apiTokens, appSettings, partnerships, reviews, sessions, users } from '../schema.ts';

/**
 * Privileged work that runs before or outside a signed-in actor: sign-in, sessions, tokens,
 * settings, existence checks for "no access" pages, and loading the demonstration partnership.
 * Named apart so that privilege is visible wherever it is used.
 */
export function systemRepository(db: Executor) {
  return {
    async userByEmail(email: string) {
      const [row] = await db
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = lower(${email})`);
      return row ?? null;
    },

    async userById(id: string) {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row ?? null;
    },

    async markSignedIn(userId: string, at: Date) {
      await db.update(users).set({ lastSignedInAt: at }).where(eq(users.id, userId));
    },

    async reviewExists(partnershipId: string, reference: string): Promise<{ id: string } | null> {
      const [row] = await db
        .select({ id: reviews.id })
        .from(reviews)
        .where(and(eq(reviews.partnershipId, partnershipId), eq(reviews.reference, reference)));
      return row ?? null;
    },

    // Sessions ------------------------------------------------------------------------------
    async sessionGet(idHash: string, now: Date) {
      const [row] = await db
        .select({ data: sessions.data, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now)));
      return row ?? null;
    },

    async sessionSet(idHash: string, data: unknown, userId: string | null, expiresAt: Date) {
      await db
        .insert(sessions)
        .values({ idHash, data, userId, expiresAt })
        .onConflictDoUpdate({ target: sessions.idHash, set: { data, userId, expiresAt } });
    },

    async sessionDestroy(idHash: string) {
      await db.delete(sessions).where(eq(sessions.idHash, idHash));
    },

    /**
     * Ends sessions past their idle time (the row's expiry) and signed-in sessions past their
     * absolute lifetime: signed in before `signedInBefore`, or kept from before sessions had a
     * sign-in time. An ended session is emptied at once (nothing of the sign-in is left) and its
     * bare row, saying whose session it was, is removed `heldMs` after it ended: until then a form
     * sent from it can be kept for that person (kept-form-service.ts). Signing out, or being signed
     * out by an administrator, removes the row outright.
     */
    async sessionsPurgeExpired(now: Date, signedInBefore: Date, heldMs = 0) {
      await db
        .update(sessions)
        .set({ data: {}, expiresAt: sql`least(${sessions.expiresAt}, ${now.toISOString()}::timestamptz)` })
        .where(
          sql`${sessions.data} <> '{}'::jsonb and (${lt(sessions.expiresAt, now)} or (${sessions.userId} is not null and coalesce((${sessions.data} ->> 'signedInAt')::double precision, 0) < ${signedInBefore.getTime()}))`,
        );
      await db
        .delete(sessions)
        .where(
          sql`${lt(sessions.expiresAt, new Date(now.getTime() - heldMs))} or (${sessions.userId} is null and ${lt(sessions.expiresAt, now)})`,
        );
    },

    async sessionsDestroyForUser(userId: string) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },

    // API tokens ----------------------------------------------------------------------------
    async insertApiToken(values: {
      userId: string;
      name: string;
      tokenHash: string;
      expiresAt: Date;
      createdAt: Date;
    }) {
      const [row] = await db.insert(apiTokens).values(values).returning({ id: apiTokens.id });
      return row!;
    },

    async activeApiTokenCount(userId: string, now: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(apiTokens)
        .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
      return row?.n ?? 0;
    },

    /**
     * The token presented to the API with its owner, whatever its state (the caller refuses an
     * expired or revoked one); its last use is recorded only when it still works.
     */
    async apiTokenByHash(tokenHash: string, now: Date) {
      const [row] = await db
        .select({
          user: users,
          token: { id: apiTokens.id, expiresAt: apiTokens.expiresAt, revokedAt: apiTokens.revokedAt },
        })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.tokenHash, tokenHash));
      if (!row) return null;
      if (!row.token.revokedAt && row.token.expiresAt > now)
        await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
      return row;
    },

    /** Whether a token exists at all, and whose: for recording a refusal to someone else. */
    async apiTokenOwner(id: string) {
      const [row] = await db
        .select({ userId: apiTokens.userId, partnershipId: users.partnershipId })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(eq(apiTokens.id, id));
      return row ?? null;
    },

    // Settings and set-up ---------------------------------------------------------------------
    async setting(key: string) {
      const [row] = await db.select().from(appSettings).where(eq(appSettings.key, key));
      return row?.value ?? null;
    },

    /** Stores the value unless one is there already; returns whichever is kept. */
    async settingInit(key: string, value: string) {
      await db.insert(appSettings).values({ key, value }).onConflictDoNothing();
      return (await this.setting(key))!;
    },

    async partnershipCount(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(partnerships);
      return row?.n ?? 0;
    },

    async insertPartnership(name: string, referencePrefix = 'LOS') {
      const [row] = await db.insert(partnerships).values({ name, referencePrefix }).returning();
      return row!;
    },

    async partnershipByName(name: string) {
      const [row] = await db.select().from(partnerships).where(eq(partnerships.name, name));
      return row ?? null;
    },

    async insertAgency(partnershipId: string, values: { code: string; name: string; type: string }) {
      const [row] = await db
        .insert(agencies)
        .values({ ...values, partnershipId })
        .returning();
      return row!;
    },

    async insertUser(values: typeof users.$inferInsert) {
      const [row] = await db.insert(users).values(values).returning();
      return row!;
    },
  };
}

export type SystemRepository = ReturnType<typeof systemRepository>;
