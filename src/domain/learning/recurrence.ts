import type { IsoDate } from '../calendar/iso-date.ts';

/**
 * Recurrence of learning themes across a partnership's reviews and library briefings (issue 16,
 * docs/learning.md). Pure: the repository gathers the rows, this decides what they mean.
 *
 * - A review carries a theme when one of its learning statements is tagged with it; it counts
 *   from the date it was referred (its reference's year).
 * - A library briefing (one imported, not a review's own) carries the themes confirmed for it;
 *   it counts from the document's own date.
 * - A repeat after action: a review carrying the theme was referred after an action answering
 *   learning under that theme, in another review, was completed or assured. A case referred
 *   before the action was done could not show that the action failed, so it is no repeat.
 */

export interface ThemeOfTaxonomy {
  id: string;
  key: string;
  name: string;
  retired: boolean;
}

export interface ReviewOccurrence {
  themeId: string;
  reviewId: string;
  reference: string;
  /** The date the review was referred. */
  date: IsoDate;
}

export interface BriefingOccurrence {
  themeId: string;
  briefingId: string;
  title: string;
  date: IsoDate;
}

/** An action answering learning under a theme that was completed or assured, and when. */
export interface DoneAction {
  themeId: string;
  actionId: string;
  reviewId: string;
  reference: string;
  number: number;
  what: string;
  status: 'completed' | 'assured';
  doneOn: IsoDate;
}

export interface Repeat {
  reference: string;
  date: IsoDate;
  /** The actions of earlier reviews done before this review was referred. */
  after: DoneAction[];
}

export interface ThemeRecurrence {
  theme: ThemeOfTaxonomy;
  reviews: ReviewOccurrence[];
  briefings: BriefingOccurrence[];
  count: number;
  first: IsoDate | null;
  last: IsoDate | null;
  repeats: Repeat[];
  repeatAfterAction: boolean;
}

/** ISO dates and references compare as they sort: by code unit, quicker than by locale. */
const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byDate = <T extends { date: IsoDate }>(a: T, b: T) => ordinal(a.date, b.date);

const byDone = (a: DoneAction, b: DoneAction) =>
  a.doneOn < b.doneOn
    ? -1
    : a.doneOn > b.doneOn
      ? 1
      : a.reference < b.reference
        ? -1
        : a.reference > b.reference
          ? 1
          : a.number - b.number;

/** How many of `sorted` (by the day done) were done before `date`. */
function countBefore(sorted: readonly DoneAction[], date: IsoDate): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.doneOn < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The actions done before `date` in reviews other than `reviewId`, in the order they were done. */
export function actionsDoneBefore(
  actions: readonly DoneAction[],
  reviewId: string,
  date: IsoDate,
): DoneAction[] {
  return actions.filter((a) => a.reviewId !== reviewId && a.doneOn < date).sort(byDone);
}

/**
 * Every theme with the reviews and briefings carrying it (dated on or after `since`, if given),
 * most frequent first. Repeats are judged against every done action, whenever it was done.
 * Retired themes appear only when something carries them.
 */
export function recurrence(input: {
  themes: readonly ThemeOfTaxonomy[];
  reviews: readonly ReviewOccurrence[];
  briefings: readonly BriefingOccurrence[];
  actions: readonly DoneAction[];
  since?: IsoDate | undefined;
}): ThemeRecurrence[] {
  const since = input.since ?? '';
  const group = <T extends { themeId: string }>(rows: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const row of rows) {
      const list = map.get(row.themeId);
      if (list) list.push(row);
      else map.set(row.themeId, [row]);
    }
    return map;
  };
  const reviews = group(input.reviews.filter((r) => r.date >= since));
  const briefings = group(input.briefings.filter((b) => b.date >= since));
  const actions = group(input.actions);

  const items: ThemeRecurrence[] = [];
  for (const theme of input.themes) {
    const r = [...(reviews.get(theme.id) ?? [])].sort(
      (a, b) => byDate(a, b) || ordinal(a.reference, b.reference),
    );
    const b = [...(briefings.get(theme.id) ?? [])].sort(
      (x, y) => byDate(x, y) || x.title.localeCompare(y.title),
    );
    if (theme.retired && r.length + b.length === 0) continue;
    // The theme's done actions in the order they were done, once: each review's earlier actions
    // are then a prefix of it (found by halving), less the review's own.
    const done = [...(actions.get(theme.id) ?? [])].sort(byDone);
    const repeats = r.flatMap((occ) => {
      const before = done.slice(0, countBefore(done, occ.date));
      const after = before.some((a) => a.reviewId === occ.reviewId)
        ? before.filter((a) => a.reviewId !== occ.reviewId)
        : before;
      return after.length ? [{ reference: occ.reference, date: occ.date, after }] : [];
    });
    const dates = [...r.map((x) => x.date), ...b.map((x) => x.date)].sort();
    items.push({
      theme,
      reviews: r,
      briefings: b,
      count: r.length + b.length,
      first: dates[0] ?? null,
      last: dates.at(-1) ?? null,
      repeats,
      repeatAfterAction: repeats.length > 0,
    });
  }
  return items.sort((a, b) => b.count - a.count || a.theme.name.localeCompare(b.theme.name));
}

/** Reviews carrying each theme, by year, with how many of them were repeats after action. */
export function themesByYear(items: readonly ThemeRecurrence[]): {
  years: number[];
  rows: { theme: ThemeOfTaxonomy; counts: number[]; repeats: number[]; total: number }[];
} {
  const yearOf = (d: IsoDate) => Number(d.slice(0, 4));
  const all = items.flatMap((i) => i.reviews.map((r) => yearOf(r.date)));
  if (all.length === 0) return { years: [], rows: [] };
  const min = Math.min(...all);
  const max = Math.max(...all);
  const years = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const rows = items
    .filter((i) => i.reviews.length > 0)
    .map((i) => {
      const repeated = new Set(i.repeats.map((r) => r.reference));
      const counts = years.map((y) => i.reviews.filter((r) => yearOf(r.date) === y).length);
      const repeats = years.map(
        (y) => i.reviews.filter((r) => yearOf(r.date) === y && repeated.has(r.reference)).length,
      );
      return { theme: i.theme, counts, repeats, total: i.reviews.length };
    });
  return { years, rows };
}

/**
 * The same table as themesByYear, from counts per theme and year (the dashboard counts them in
 * SQL): every year from the first to the last, themes with most reviews first.
 */
export function themesByYearFromCounts(
  counts: readonly { key: string; name: string; year: number; reviews: number; repeats: number }[],
): {
  years: number[];
  rows: { key: string; name: string; counts: number[]; repeats: number[]; total: number }[];
} {
  if (counts.length === 0) return { years: [], rows: [] };
  const first = Math.min(...counts.map((c) => c.year));
  const last = Math.max(...counts.map((c) => c.year));
  const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const byTheme = new Map<
    string,
    { key: string; name: string; counts: number[]; repeats: number[]; total: number }
  >();
  for (const c of counts) {
    const row = byTheme.get(c.key) ?? {
      key: c.key,
      name: c.name,
      counts: years.map(() => 0),
      repeats: years.map(() => 0),
      total: 0,
    };
    row.counts[c.year - first] = c.reviews;
    row.repeats[c.year - first] = c.repeats;
    row.total += c.reviews;
    byTheme.set(c.key, row);
  }
  return {
    years,
    rows: [...byTheme.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name)),
  };
}
