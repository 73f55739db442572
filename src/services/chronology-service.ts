import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client.ts';
import {
  dateOfBirthForAges,
  mergedChronologyRepository,
  type MergedRow,
} from '../db/repositories/merged-chronology-repository.ts';
import { rowToEntry } from '../db/repositories/return-repository.ts';
import { reviewRepository, type ReviewRow } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import { longGaps, mergeChronology, type Gap, type MergedEntry } from '../domain/chronology/merge.ts';
import { mayManageReview, mayViewIdentifiable, type Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { chronologyQuery, linkEntriesInput, type ChronologyQuery } from '../schemas/chronology.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, ValidationError } from './errors.ts';
import { guard, loadReview } from './review-load.ts';
import { versionedCache } from './versioned-cache.ts';
import { reviewHubFacts } from './review-hub.ts';
import type { ReviewSignal } from './review-signals-service.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/** Gaps with no entry at all of at least this many days are shaded on the timeline. */
export const LONG_GAP_DAYS = 90;

export interface MergedItem extends MergedEntry {
  id: string;
  agencyName: string;
  submittedByName: string | null;
  sameEventKey: string | null;
}

/**
 * The merged multi-agency chronology of a review: accepted returns only, in date order, with the
 * child's age, the interval since the previous professional contact and possible duplicates.
 */
export function chronologyService(
  ctx: ServiceContext,
  deps: {
    /** The practice signals of a loaded review, in the caller's transaction (reviewSignals.signalsFor). */
    signalsFor: (tx: Executor, actor: Actor, handle: VisibleReview) => Promise<ReviewSignal[]>;
  },
) {
  // One merge per review and version of its accepted chronology, shared by every reader until an
  // acceptance, amendment or link changes it. Callers check access first (loadReview).
  const merges = versionedCache<{ all: MergedItem[]; gaps: Gap[] }>(32);

  async function build(tx: Executor, actor: Actor, handle: VisibleReview) {
    return merges.get(handle.id, handle.chronologyVersion, async () => {
      const rows = await mergedChronologyRepository(tx, actor).entries(handle);
      const dateOfBirth = await dateOfBirthForAges(tx, handle);
      const all = mergeItems(rows, dateOfBirth);
      const gaps = longGaps(
        all.filter((e) => e.eventType !== 'missed_appointment'),
        LONG_GAP_DAYS,
      );
      return { all, gaps };
    });
  }

  async function named(tx: Executor, actor: Actor, handle: VisibleReview, action: AuditAction) {
    if (!mayViewIdentifiable(actor, handle.isMember))
      throw new ForbiddenError(
        'You do not have access to the identifiable details of this review.',
        denial(actor, { action, reviewId: handle.id, reviewReference: handle.reference }),
      );
    const subject = await reviewRepository(tx, actor).subject(handle);
    return subject ? { fullName: subject.fullName, dateOfBirth: subject.dateOfBirth } : null;
  }

  /** The view of a loaded review, filtered and paged, with its audit row. */
  async function view(
    tx: Executor,
    actor: Actor,
    { handle, row }: { handle: VisibleReview; row: ReviewRow },
    q: ChronologyQuery,
    options: { named?: boolean },
  ) {
    const subject = options.named ? await named(tx, actor, handle, 'chronology.named.view') : null;
    const { all, gaps } = await build(tx, actor, handle);
    const filtered = all.filter(matches(q));
    await audit(tx, actor, {
      action: options.named ? 'chronology.named.view' : 'review.view',
      outcome: 'success',
      reviewId: handle.id,
      reviewReference: handle.reference,
      detail: { page: 'chronology', named: Boolean(options.named) },
    });
    return {
      review: row,
      query: q,
      all,
      items: filtered.slice(q.offset, q.offset + q.limit),
      total: filtered.length,
      gaps,
      subject,
      permissions: {
        viewIdentifiable: mayViewIdentifiable(actor, handle.isMember),
        link: mayManageReview(actor),
      },
    };
  }

  return {
    async merged(actor: Actor, reference: string, query: unknown, options: { named?: boolean } = {}) {
      const q = parseInput(chronologyQuery, query ?? {});
      return inTransaction(ctx, async (tx) =>
        view(tx, actor, await loadReview(tx, actor, reference), q, options),
      );
    },

    /**
     * The merged chronology tab in one read: the hub heading it, the view (as `merged`, audited the
     * same way) and the review's practice signals for the timeline, after one access check.
     */
    async page(actor: Actor, reference: string, query: unknown, options: { named?: boolean } = {}) {
      const q = parseInput(chronologyQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const found = await loadReview(tx, actor, reference);
        const hub = reviewHubFacts(found, ctx.now());
        const merged = await view(tx, actor, found, q, options);
        const signals = await deps.signalsFor(tx, actor, found.handle);
        return { ...merged, hub, signals };
      });
    },

    /** The merged chronology as rows for a file: anonymised, or named when asked and permitted. */
    async exportEntries(actor: Actor, reference: string, options: { named: boolean; format: string }) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const subject = options.named ? await named(tx, actor, handle, 'chronology.export') : null;
        const { all } = await build(tx, actor, handle);
        await audit(tx, actor, {
          action: 'chronology.export',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { named: options.named, format: options.format, entries: all.length },
        });
        const child = subject?.fullName ?? row.pseudonym;
        return all.map((e): ChronologyEntry => ({
          ...e,
          child,
          extra: {
            ...e.extra,
            ...(e.age ? { child_age: e.age } : {}),
            ...(subject?.dateOfBirth ? { child_date_of_birth: subject.dateOfBirth } : {}),
            ...(e.sameEventKey ? { same_event: e.sameEventKey } : {}),
          },
        }));
      });
    },

    /** Links accepted entries as one event, or unlinks them (`unlink`). Coordinator only. */
    async link(actor: Actor, reference: string, input: unknown, unlink = false) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        if (!mayManageReview(actor))
          throw new ForbiddenError('Only the review coordinator can link chronology entries.');
        guard(row, 'chronologyLinks');
        const { entries } = unlink
          ? { entries: parseInput(linkEntriesInput.partial(), input).entries ?? [] }
          : parseInput(linkEntriesInput, input);
        const changed = await mergedChronologyRepository(tx, actor).link(
          handle,
          entries,
          unlink ? null : `event-${randomUUID().slice(0, 8)}`,
        );
        // All or nothing: an entry not in this review's merged chronology must not leave the rest half-linked.
        if (changed === 0 || changed !== new Set(entries).size)
          throw new ValidationError({ entries: 'Select entries of the merged chronology' });
        await audit(tx, actor, {
          action: unlink ? 'chronology.unlink' : 'chronology.link',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { entries },
        });
        return { changed };
      });
    },
  };
}

/** Stored rows, merged by the domain: rows are keyed by position so ids survive the merge. */
export function mergeItems(rows: readonly MergedRow[], dateOfBirth: string | null): MergedItem[] {
  const entries = rows.map((r, i) => ({ ...rowToEntry(r.entry, r.agencyCode), row: i }));
  // Entries linked as one event keep the interval of its first record (rows[e.row] is the entry's row).
  const sameEventOf = (e: ChronologyEntry) => rows[e.row]?.entry.sameEventKey ?? null;
  return mergeChronology(entries, { ...(dateOfBirth ? { dateOfBirth } : {}), sameEventOf }).map((m) => {
    const source = rows[m.row]!;
    return {
      ...m,
      row: source.entry.sourceRow ?? 0,
      id: source.entry.id,
      agencyName: source.agencyName,
      submittedByName: source.submittedByName,
      sameEventKey: source.entry.sameEventKey,
    };
  });
}

function matches(q: ChronologyQuery) {
  return (e: MergedItem) =>
    (!q.agency || e.agency === q.agency) &&
    (!q.eventType || e.eventType === q.eventType) &&
    (!q.concern || e.concerns.includes(q.concern as never)) &&
    (!q.from || e.date.padEnd(10, '-31') >= q.from) &&
    (!q.to || e.date <= q.to) &&
    (!q.childSeen ||
      (q.childSeen === 'not_recorded'
        ? e.childSeen === null || e.childSeen === 'not_recorded'
        : e.childSeen === q.childSeen));
}

export type { Gap };
export type ChronologyService = ReturnType<typeof chronologyService>;
