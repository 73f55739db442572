import { and, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { inSequence } from '../sequential.ts';
import { auditEvents, users } from '../schema.ts';
import { PERSONAL_DETAIL_KEYS, type AuditAction } from '../../domain/audit/catalogue.ts';

export const AUDIT_OUTCOMES = ['success', 'denied', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEvent {
  /** An event of the audit catalogue (src/domain/audit/catalogue.ts), or a refusal's capability. */
  action: AuditAction;
  outcome: AuditOutcome;
  partnershipId?: string | null;
  /** Who acted, by id: names and e-mail addresses are looked up when the log is read. */
  userId?: string | null;
  requestId?: string | null;
  reviewId?: string | null;
  reviewReference?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  detail?: Record<string, unknown> | null;
  /** Where the request came from (the client's address as the configured proxies report it). */
  sourceAddress?: string | null;
}

export interface AuditFilter {
  partnershipId: string;
  /** Events whose name starts with this (an event of the catalogue, or a family of them). */
  action?: string | undefined;
  /** Events of these names (a type of event, from the catalogue). */
  actions?: readonly AuditAction[] | undefined;
  outcome?: AuditOutcome | undefined;
  /** Events of these people (resolved from what was typed by `peopleMatching`). */
  userIds?: readonly string[] | undefined;
  reviewReference?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** A row of the log as it is read: who acted is looked up now, from their id. */
const listed = {
  id: auditEvents.id,
  at: auditEvents.at,
  action: auditEvents.action,
  outcome: auditEvents.outcome,
  userId: auditEvents.userId,
  userName: users.name,
  userEmail: sql<string | null>`coalesce(${users.email}, ${auditEvents.userEmail})`,
  reviewReference: auditEvents.reviewReference,
  subjectType: auditEvents.subjectType,
  subjectId: auditEvents.subjectId,
  requestId: auditEvents.requestId,
  sourceAddress: auditEvents.sourceAddress,
  detail: auditEvents.detail,
};

/** The append-only, hash-chained audit log (the database refuses updates, deletes and TRUNCATE). */
export function auditRepository(db: Executor) {
  const where = (filter: Omit<AuditFilter, 'limit' | 'offset'>) => {
    const conditions: SQL[] = [eq(auditEvents.partnershipId, filter.partnershipId)];
    if (filter.action) conditions.push(sql`${auditEvents.action} like ${filter.action + '%'}`);
    if (filter.actions) conditions.push(inArray(auditEvents.action, [...filter.actions]));
    if (filter.outcome) conditions.push(eq(auditEvents.outcome, filter.outcome));
    if (filter.userIds) conditions.push(inArray(auditEvents.userId, [...filter.userIds]));
    if (filter.reviewReference) conditions.push(eq(auditEvents.reviewReference, filter.reviewReference));
    if (filter.from) conditions.push(gte(auditEvents.at, new Date(`${filter.from}T00:00:00Z`)));
    if (filter.to) conditions.push(lte(auditEvents.at, new Date(`${filter.to}T23:59:59.999Z`)));
    return and(...conditions);
  };

  return {
    async write(event: AuditEvent): Promise<void> {
      const personal = Object.keys(event.detail ?? {}).filter((key) => PERSONAL_DETAIL_KEYS.has(key));
      // A programming error, caught by the tests: an audit row names people by id only.
      if (personal.length > 0)
        throw new Error(`An audit row of ${event.action} may not hold ${personal.join(', ')}: record an id.`);
      await db.insert(auditEvents).values(event);
    },

    async list(filter: AuditFilter) {
      const condition = where(filter);
      const [items, [total]] = await inSequence(
        () =>
          db
            .select(listed)
            .from(auditEvents)
            .leftJoin(users, eq(users.id, auditEvents.userId))
            .where(condition)
            .orderBy(desc(auditEvents.at), desc(auditEvents.id))
            .limit(filter.limit)
            .offset(filter.offset),
        () => db.select({ n: count() }).from(auditEvents).where(condition),
      );
      return { items, total: total?.n ?? 0 };
    },

    /** The partnership's people whose e-mail is what was typed, or whose name contains it. */
    async peopleMatching(partnershipId: string, typed: string) {
      const rows = await db
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            eq(users.partnershipId, partnershipId),
            typed.includes('@')
              ? sql`lower(${users.email}) = lower(${typed})`
              : sql`${users.name} ilike ${'%' + typed.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`,
          ),
        );
      return rows.map((r) => r.id);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
