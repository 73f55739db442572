import { auditRepository, type AuditFilter } from '../db/repositories/audit-repository.ts';
import { can, whoMay } from '../domain/access/policy.ts';
import { auditActionsOfKind, IDENTIFIABLE_VIEWS } from '../domain/audit/catalogue.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { auditQuery, identifiableViewsQuery, type AuditQuery } from '../schemas/admin.ts';
import { parseInput } from '../schemas/parse.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError } from './errors.ts';

/** The most rows one export of the log holds: narrow the filters for more. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

/**
 * The audit log read by the partnership's administrator (and data protection officer): filtered by
 * person, review, type of event and outcome; exported; and one question with one answer, "who has
 * seen this child's identifiable details?". Reading it, exporting it and asking are on record too;
 * what a reader typed to find a person is recorded as the people it found, by id.
 */
export function auditLogService(ctx: ServiceContext) {
  const requireReader = (actor: Actor, action: 'audit.view' | 'audit.export') => {
    if (can(actor, 'audit-log.read').allowed) return;
    throw new ForbiddenError(whoMay('audit-log.read'), denial(actor, { action }));
  };

  async function filterOf(
    db: Parameters<typeof auditRepository>[0],
    actor: Actor,
    q: AuditQuery,
  ): Promise<Omit<AuditFilter, 'limit' | 'offset'>> {
    const repo = auditRepository(db);
    return {
      partnershipId: actor.partnershipId,
      action: q.action,
      actions: q.type ? auditActionsOfKind(q.type) : undefined,
      outcome: q.outcome,
      userIds: q.user ? await repo.peopleMatching(actor.partnershipId, q.user) : undefined,
      reviewReference: q.review,
      from: q.from,
      to: q.to,
    };
  }

  /** What a reading of the log records of its filters: the people found by id, never what was typed. */
  const recordedFilter = (q: AuditQuery, filter: Omit<AuditFilter, 'limit' | 'offset'>) => ({
    type: q.type ?? null,
    action: q.action ?? null,
    outcome: q.outcome ?? null,
    people: filter.userIds ?? null,
    review: q.review ?? null,
    from: q.from ?? null,
    to: q.to ?? null,
  });

  return {
    /** A page of the log, newest first. */
    async page(actor: Actor, query: unknown) {
      requireReader(actor, 'audit.view');
      const q = parseInput(auditQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const filter = await filterOf(tx, actor, q);
        const page = await auditRepository(tx).list({ ...filter, limit: q.limit, offset: q.offset });
        await audit(tx, actor, {
          action: 'audit.view',
          outcome: 'success',
          detail: { filter: recordedFilter(q, filter) },
        });
        return { ...page, query: q };
      });
    },

    /** Every row the filters find (at most AUDIT_EXPORT_MAX_ROWS, newest first), for a CSV file. */
    async export(actor: Actor, query: unknown) {
      requireReader(actor, 'audit.export');
      const q = parseInput(auditQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const filter = await filterOf(tx, actor, q);
        const page = await auditRepository(tx).list({ ...filter, limit: AUDIT_EXPORT_MAX_ROWS, offset: 0 });
        await audit(tx, actor, {
          action: 'audit.export',
          outcome: 'success',
          detail: { filter: recordedFilter(q, filter), rows: page.items.length, total: page.total },
        });
        return { ...page, query: q, truncated: page.total > page.items.length };
      });
    },

    /**
     * Who has seen this child's identifiable details: every opening of the review's identifiable
     * details or named chronology, oldest first, with who and when, and each person's count.
     */
    async identifiableViews(actor: Actor, query: unknown) {
      requireReader(actor, 'audit.view');
      const q = parseInput(identifiableViewsQuery, query ?? {});
      if (!q.review) return { review: null, views: [], people: [] };
      return inTransaction(ctx, async (tx) => {
        const page = await auditRepository(tx).list({
          partnershipId: actor.partnershipId,
          actions: IDENTIFIABLE_VIEWS,
          outcome: 'success',
          reviewReference: q.review,
          limit: AUDIT_EXPORT_MAX_ROWS,
          offset: 0,
        });
        const views = [...page.items].reverse();
        const people = new Map<
          string,
          {
            userId: string | null;
            name: string | null;
            email: string | null;
            views: number;
            first: Date;
            last: Date;
          }
        >();
        for (const view of views) {
          const key = view.userId ?? 'unknown';
          const seen = people.get(key);
          if (seen) {
            seen.views += 1;
            seen.last = view.at;
          } else
            people.set(key, {
              userId: view.userId,
              name: view.userName,
              email: view.userEmail,
              views: 1,
              first: view.at,
              last: view.at,
            });
        }
        await audit(tx, actor, {
          action: 'audit.view',
          outcome: 'success',
          reviewReference: q.review,
          detail: { question: 'who has seen the identifiable details', views: views.length },
        });
        return { review: q.review, views, people: [...people.values()] };
      });
    },
  };
}

export type AuditLogService = ReturnType<typeof auditLogService>;
