import { and, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { inSequence } from '../sequential.ts';
import { auditEvents } from '../schema.ts';

export const AUDIT_OUTCOMES = ['success', 'denied', 'failure'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEvent {
  action: string;
  outcome: AuditOutcome;
  partnershipId?: string | null;
  userId?: string | null;
  userEmail?: string | null;
  requestId?: string | null;
  reviewId?: string | null;
  reviewReference?: string | null;
  subjectType?: string | null;
  subjectId?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditFilter {
  partnershipId: string;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  userEmail?: string | undefined;
  reviewReference?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** The append-only audit log (the database refuses updates and deletes of it). */
export function auditRepository(db: Executor) {
  return {
    async write(event: AuditEvent): Promise<void> {
      await db.insert(auditEvents).values(event);
    },

    async list(filter: AuditFilter) {
      const conditions: SQL[] = [eq(auditEvents.partnershipId, filter.partnershipId)];
      if (filter.action) conditions.push(sql`${auditEvents.action} like ${filter.action + '%'}`);
      if (filter.outcome) conditions.push(eq(auditEvents.outcome, filter.outcome));
      if (filter.userEmail)
        conditions.push(sql`lower(${auditEvents.userEmail}) = lower(${filter.userEmail})`);
      if (filter.reviewReference) conditions.push(eq(auditEvents.reviewReference, filter.reviewReference));
      if (filter.from) conditions.push(gte(auditEvents.at, new Date(`${filter.from}T00:00:00Z`)));
      if (filter.to) conditions.push(lte(auditEvents.at, new Date(`${filter.to}T23:59:59.999Z`)));
      const where = and(...conditions);
      const [items, [total]] = await inSequence(
        () =>
          db
            .select()
            .from(auditEvents)
            .where(where)
            .orderBy(desc(auditEvents.at), desc(auditEvents.id))
            .limit(filter.limit)
            .offset(filter.offset),
        () => db.select({ n: count() }).from(auditEvents).where(where),
      );
      return { items, total: total?.n ?? 0 };
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
