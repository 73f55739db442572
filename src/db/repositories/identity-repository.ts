import { and, asc, desc, eq, gt, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  identityProviders,
  userIdentities,
  passwordResets,
  recoveryCodes,
  sessions,
  signInSettings,
  ssoStatesUsed,
  totpEnrolments,
  users,
} from '../schema.ts';

/**
 * A person's means of proving who they are: their authenticator, recovery codes, password reset
 * links and sessions. Privileged like `systemRepository` (sign-in runs before anyone is signed
 * in); services say whose rows they touch, and the administrator's work goes through
 * `peopleRepository`, which keeps to the administrator's partnership.
 */
export function identityRepository(db: Executor) {
  return {
    // The authenticator app ----------------------------------------------------------------------
    async totp(userId: string, options: { lock?: boolean } = {}) {
      const query = db.select().from(totpEnrolments).where(eq(totpEnrolments.userId, userId));
      const [row] = options.lock ? await query.for('update') : await query;
      return row ?? null;
    },

    async saveTotp(userId: string, secret: string, at: Date, step: number | null) {
      const values = { secret, confirmedAt: at, lastUsedStep: step, createdAt: at };
      await db
        .insert(totpEnrolments)
        .values({ userId, ...values })
        .onConflictDoUpdate({ target: totpEnrolments.userId, set: values });
    },

    /** Every authenticator of a partnership's people, locked for re-sealing under a new key. */
    async totpOfPartnership(partnershipId: string) {
      return db
        .select({ userId: totpEnrolments.userId, secret: totpEnrolments.secret })
        .from(totpEnrolments)
        .innerJoin(users, eq(users.id, totpEnrolments.userId))
        .where(eq(users.partnershipId, partnershipId))
        .orderBy(totpEnrolments.userId)
        .for('update', { of: totpEnrolments });
    },

    /** The partnerships whose people have an authenticator. */
    async partnershipsWithTotp(): Promise<string[]> {
      const rows = await db
        .selectDistinct({ id: users.partnershipId })
        .from(totpEnrolments)
        .innerJoin(users, eq(users.id, totpEnrolments.userId));
      return rows.map((r) => r.id).sort();
    },

    async resealTotp(userId: string, secret: string) {
      await db.update(totpEnrolments).set({ secret }).where(eq(totpEnrolments.userId, userId));
    },

    async markTotpStep(userId: string, step: number) {
      await db.update(totpEnrolments).set({ lastUsedStep: step }).where(eq(totpEnrolments.userId, userId));
    },

    async removeTotp(userId: string): Promise<boolean> {
      const removed = await db
        .delete(totpEnrolments)
        .where(eq(totpEnrolments.userId, userId))
        .returning({ userId: totpEnrolments.userId });
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      return removed.length > 0;
    },

    // Recovery codes ---------------------------------------------------------------------------
    async replaceRecoveryCodes(userId: string, hashes: string[], at: Date) {
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash, createdAt: at })));
    },

    async recoveryCodes(userId: string) {
      return db
        .select({ id: recoveryCodes.id, codeHash: recoveryCodes.codeHash, usedAt: recoveryCodes.usedAt })
        .from(recoveryCodes)
        .where(eq(recoveryCodes.userId, userId))
        .orderBy(asc(recoveryCodes.createdAt), asc(recoveryCodes.id));
    },

    /** Marks a code used; false when it was used already (by a request at the same moment, say). */
    async useRecoveryCode(id: string, at: Date): Promise<boolean> {
      const rows = await db
        .update(recoveryCodes)
        .set({ usedAt: at })
        .where(and(eq(recoveryCodes.id, id), isNull(recoveryCodes.usedAt)))
        .returning({ id: recoveryCodes.id });
      return rows.length > 0;
    },

    async recoveryCodesLeft(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
      return row?.n ?? 0;
    },

    // Passwords ----------------------------------------------------------------------------------
    async setPassword(userId: string, passwordHash: string) {
      await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
    },

    async insertReset(values: { userId: string; tokenHash: string; expiresAt: Date; createdAt: Date }) {
      await db.insert(passwordResets).values(values);
    },

    async resetsSince(userId: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(passwordResets)
        .where(and(eq(passwordResets.userId, userId), gt(passwordResets.createdAt, since)));
      return row?.n ?? 0;
    },

    async resetByHash(tokenHash: string) {
      const [row] = await db
        .select({ reset: passwordResets, user: users })
        .from(passwordResets)
        .innerJoin(users, eq(users.id, passwordResets.userId))
        .where(eq(passwordResets.tokenHash, tokenHash));
      return row ?? null;
    },

    /** Takes the link: true only for the one request that finds it unused and in date. */
    async useReset(id: string, at: Date): Promise<boolean> {
      const rows = await db
        .update(passwordResets)
        .set({ usedAt: at })
        .where(
          and(eq(passwordResets.id, id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, at)),
        )
        .returning({ id: passwordResets.id });
      return rows.length > 0;
    },

    /** Every other link of the person stops working (a password changed makes them moot). */
    async cancelResets(userId: string, at: Date) {
      await db
        .update(passwordResets)
        .set({ usedAt: at })
        .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
    },

    async purgeResets(before: Date) {
      await db.delete(passwordResets).where(lt(passwordResets.expiresAt, before));
    },

    // Sessions -----------------------------------------------------------------------------------
    async sessionsOf(userId: string, now: Date) {
      return db
        .select({
          idHash: sessions.idHash,
          data: sessions.data,
          createdAt: sessions.createdAt,
          expiresAt: sessions.expiresAt,
        })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.createdAt));
    },

    async endSession(userId: string, idHash: string): Promise<boolean> {
      const rows = await db
        .delete(sessions)
        .where(and(eq(sessions.userId, userId), eq(sessions.idHash, idHash)))
        .returning({ idHash: sessions.idHash });
      return rows.length > 0;
    },

    /** Ends every session of the person, but the one kept (the session asking, when given). */
    async endSessions(userId: string, keep?: string): Promise<number> {
      const rows = await db
        .delete(sessions)
        .where(and(eq(sessions.userId, userId), keep ? ne(sessions.idHash, keep) : undefined))
        .returning({ idHash: sessions.idHash });
      return rows.length;
    },

    // Single sign-on answers already taken ---------------------------------------------------------
    /** Records a state as taken; false when it was taken before (a replayed answer). */
    async takeSsoState(stateHash: string, at: Date, expiresAt: Date): Promise<boolean> {
      const rows = await db
        .insert(ssoStatesUsed)
        .values({ stateHash, usedAt: at, expiresAt })
        .onConflictDoNothing()
        .returning({ stateHash: ssoStatesUsed.stateHash });
      return rows.length > 0;
    },

    async purgeSsoStates(now: Date) {
      await db.delete(ssoStatesUsed).where(lt(ssoStatesUsed.expiresAt, now));
    },

    // The partnership's rules --------------------------------------------------------------------
    async secondFactorRoles(partnershipId: string): Promise<string[] | null> {
      const [row] = await db
        .select({ roles: signInSettings.secondFactorRoles })
        .from(signInSettings)
        .where(eq(signInSettings.partnershipId, partnershipId));
      return row?.roles ?? null;
    },

    async setSecondFactorRoles(partnershipId: string, roles: string[], by: string, at: Date) {
      const values = { secondFactorRoles: roles, updatedBy: by, updatedAt: at };
      await db
        .insert(signInSettings)
        .values({ partnershipId, ...values })
        .onConflictDoUpdate({ target: signInSettings.partnershipId, set: values });
    },

    /** Who among these people has an authenticator (for the administrator's list). */
    async enrolledAmong(userIds: string[]): Promise<Set<string>> {
      if (!userIds.length) return new Set();
      const rows = await db
        .select({ userId: totpEnrolments.userId })
        .from(totpEnrolments)
        .where(
          and(
            isNotNull(totpEnrolments.confirmedAt),
            sql`${totpEnrolments.userId} = any(${sql.param(userIds)}::uuid[])`,
          ),
        );
      return new Set(rows.map((r) => r.userId));
    },
  };
}

export type IdentityRepository = ReturnType<typeof identityRepository>;

/** A partnership's identity providers and the accounts linked to them. */
export function identityProviderRepository(db: Executor) {
  return {
    async enabled() {
      return db
        .select({ key: identityProviders.key, name: identityProviders.name })
        .from(identityProviders)
        .where(eq(identityProviders.enabled, true))
        .orderBy(asc(identityProviders.name));
    },

    async byKey(key: string) {
      const [row] = await db.select().from(identityProviders).where(eq(identityProviders.key, key));
      return row ?? null;
    },

    async byId(id: string) {
      const [row] = await db.select().from(identityProviders).where(eq(identityProviders.id, id));
      return row ?? null;
    },

    async ofPartnership(partnershipId: string) {
      return db
        .select()
        .from(identityProviders)
        .where(eq(identityProviders.partnershipId, partnershipId))
        .orderBy(asc(identityProviders.name));
    },

    async insert(values: typeof identityProviders.$inferInsert) {
      const [row] = await db.insert(identityProviders).values(values).returning();
      return row!;
    },

    async update(id: string, partnershipId: string, values: Partial<typeof identityProviders.$inferInsert>) {
      await db
        .update(identityProviders)
        .set(values)
        .where(and(eq(identityProviders.id, id), eq(identityProviders.partnershipId, partnershipId)));
    },

    async userBySubject(providerId: string, subject: string) {
      const [row] = await db
        .select({ user: users })
        .from(userIdentities)
        .innerJoin(users, eq(users.id, userIdentities.userId))
        .where(and(eq(userIdentities.providerId, providerId), eq(userIdentities.subject, subject)));
      return row?.user ?? null;
    },

    async link(providerId: string, subject: string, userId: string, at: Date) {
      await db.insert(userIdentities).values({ providerId, subject, userId, linkedAt: at, lastUsedAt: at });
    },

    async touch(providerId: string, subject: string, at: Date) {
      await db
        .update(userIdentities)
        .set({ lastUsedAt: at })
        .where(and(eq(userIdentities.providerId, providerId), eq(userIdentities.subject, subject)));
    },

    async identitiesOf(userId: string) {
      return db
        .select({
          name: identityProviders.name,
          linkedAt: userIdentities.linkedAt,
          lastUsedAt: userIdentities.lastUsedAt,
        })
        .from(userIdentities)
        .innerJoin(identityProviders, eq(identityProviders.id, userIdentities.providerId))
        .where(eq(userIdentities.userId, userId));
    },

    async setRolesAndAgency(userId: string, roles: string[], agencyId: string | null) {
      await db.update(users).set({ roles, agencyId }).where(eq(users.id, userId));
    },
  };
}
