import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client.ts';
import {
  dateOfBirthForAges,
  mergedChronologyRepository,
  type MergedRow,
  type MergedSqlOptions,
  type SqlMerged,
} from '../db/repositories/merged-chronology-repository.ts';
import { rowToEntry } from '../db/repositories/return-repository.ts';
import { reviewRepository, type ReviewRow } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import type { ChronologyEntry, EventType } from '../domain/chronology/entry.ts';
import {
  ageAt,
  DUPLICATE_WITHIN_DAYS,
  mergeChronology,
  type Gap,
  type MergedEntry,
} from '../domain/chronology/merge.ts';
import { mayViewIdentifiable, type Actor } from '../domain/lifecycle/roles.ts';
import { granted, whoMay } from '../domain/access/policy.ts';
import { parseInput } from '../schemas/parse.ts';
import { chronologyQuery, linkEntriesInput, type ChronologyQuery } from '../schemas/chronology.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, ValidationError } from './errors.ts';
import { guard, loadReview } from './review-load.ts';
import { deepFreeze, versionedCache } from './versioned-cache.ts';
import { mergeOptionsOf, partnershipSignalConfig } from './signal-settings-service.ts';
import { reviewHubFacts } from './review-hub.ts';
import type { ReviewSignal } from './review-signals-service.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

/** Gaps with no entry at all of at least this many days are shaded on the timeline. */
export const LONG_GAP_DAYS = 90;

/**
 * Up to this many accepted entries the timeline draws each one; beyond it, how many each agency
 * recorded in each month (or year), so that a long chronology's page stays small.
 */
export const TIMELINE_DETAIL_LIMIT = 500;

/** What the timeline is drawn from: every entry, or entries per agency and period. */
export type TimelineData =
  | {
      kind: 'entries';
      entries: readonly {
        date: string;
        agency: string;
        agencyName: string;
        eventType: EventType;
        sameEventKey?: string | null;
        sourceRef?: string | null;
      }[];
    }
  | {
      kind: 'density';
      period: 'month' | 'year';
      agencies: readonly {
        agency: string;
        agencyName: string;
        entries: number;
        events: number;
        first: string;
        last: string;
      }[];
      cells: readonly { agency: string; period: string; entries: number }[];
    };

interface ChronologyOutline {
  dateOfBirth: string | null;
  gaps: Gap[];
  entries: number;
  agencies: { code: string; name: string }[];
  timeline: TimelineData;
}

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
  // The merge is data: worked out in SQL by the first reader of each version of a review's accepted
  // chronology and kept in merged_chronology, then filtered and paged there, so only a page's rows
  // reach this process. What a page shows of the whole chronology — its agencies, long gaps, the
  // timeline's aggregates and the date of birth for ages — is small and kept here per review and
  // version, until an acceptance, amendment or link changes it. Callers check access first.
  const outlines = versionedCache<ChronologyOutline>(64);
  // The partnership's day window of possible duplicates: a change to its settings gives each of its
  // reviews a new version (drizzle/0010), so it is read once per version, not on every view.
  const mergeOptions = versionedCache<MergedSqlOptions>(64);

  /** Brings merged_chronology up to this version, then the outline (kept per version). */
  async function outline(tx: Executor, actor: Actor, handle: VisibleReview) {
    const options = await mergeOptions.get(handle.id, handle.chronologyVersion, async () =>
      mergeOptionsOf(await partnershipSignalConfig(tx, handle.partnershipId)),
    );
    await mergedChronologyRepository(tx, actor).refresh(handle, options);
    return outlines.get(handle.id, handle.chronologyVersion, async () => {
      const repo = mergedChronologyRepository(tx, actor);
      const dateOfBirth = await dateOfBirthForAges(tx, handle);
      const gaps = await repo.gaps(handle, LONG_GAP_DAYS, ['missed_appointment']);
      const byPeriod = await repo.timeline(handle, 'month');
      const entries = byPeriod.agencies.reduce((n, a) => n + a.entries, 0);
      const first = byPeriod.agencies.map((a) => a.first).sort()[0] ?? null;
      const last =
        byPeriod.agencies
          .map((a) => a.last)
          .sort()
          .at(-1) ?? null;
      // Years when months would be too many to draw apart.
      const long =
        first !== null && last !== null && Number(last.slice(0, 4)) - Number(first.slice(0, 4)) >= 10;
      const timeline: TimelineData =
        entries <= TIMELINE_DETAIL_LIMIT
          ? { kind: 'entries', entries: await repo.timelineEntries(handle) }
          : {
              kind: 'density',
              period: long ? 'year' : 'month',
              agencies: byPeriod.agencies,
              cells: long ? (await repo.timeline(handle, 'year')).cells : byPeriod.cells,
            };
      return deepFreeze({
        dateOfBirth,
        gaps,
        entries,
        agencies: byPeriod.agencies.map((a) => ({ code: a.agency, name: a.agencyName })),
        timeline,
      });
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
    const kept = await outline(tx, actor, handle);
    const { limit, offset, ...filter } = q;
    const found = await mergedChronologyRepository(tx, actor).page(
      handle,
      filter,
      { limit, offset },
      kept.entries,
    );
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
      items: found.rows.map((r) => withAge(r, kept.dateOfBirth)),
      total: found.total,
      /** Accepted entries in the whole chronology, whatever the filters. */
      entries: kept.entries,
      agencies: kept.agencies,
      gaps: kept.gaps,
      timeline: kept.timeline,
      /** Changes whenever the chronology does: what is drawn from it may be kept under this key. */
      version: `${handle.id}:${handle.chronologyVersion}`,
      subject,
      permissions: {
        viewIdentifiable: mayViewIdentifiable(actor, handle.isMember),
        link: granted(actor, 'review.chronology.link', { isMember: handle.isMember }),
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
        const { dateOfBirth } = await outline(tx, actor, handle);
        const all = (await mergedChronologyRepository(tx, actor).all(handle)).map((r) =>
          withAge(r, dateOfBirth),
        );
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

    /** Links accepted entries as one event, or unlinks them (`unlink`): the coordinator or the chair. */
    async link(actor: Actor, reference: string, input: unknown, unlink = false) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        // The policy's grant (the coordinator, and the review's chair), not a role of its own.
        if (!granted(actor, 'review.chronology.link', { isMember: handle.isMember }))
          throw new ForbiddenError(whoMay('review.chronology.link'));
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

/**
 * Stored rows, merged by the domain in this process: the reference the SQL merge is tested against
 * (test/chronology/sql-merge.test.ts). Rows are keyed by position so ids survive the merge.
 */
export function mergeItems(
  rows: readonly MergedRow[],
  dateOfBirth: string | null,
  duplicateWithinDays = DUPLICATE_WITHIN_DAYS,
): MergedItem[] {
  const entries = rows.map((r, i) => ({ ...rowToEntry(r.entry, r.agencyCode), row: i }));
  // Entries linked as one event keep the interval of its first record (rows[e.row] is the entry's row).
  const sameEventOf = (e: ChronologyEntry) => rows[e.row]?.entry.sameEventKey ?? null;
  const options = { ...(dateOfBirth ? { dateOfBirth } : {}), sameEventOf, duplicateWithinDays };
  return mergeChronology(entries, options).map((m) => {
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

/** A row of the SQL merge with the child's age at it (worked out here: the date of birth stays here). */
function withAge(row: SqlMerged, dateOfBirth: string | null): MergedItem {
  return { ...row, child: null, age: dateOfBirth ? ageAt(row.date, dateOfBirth) : null };
}

export type { Gap };
export type ChronologyService = ReturnType<typeof chronologyService>;
