import { CONCERN_TAGS, EVENT_TYPES } from '../../domain/chronology/entry.ts';
import { concernItem, eventTypeLabel, tristateLabel } from '../../domain/chronology/words.ts';
import type { ChronologyQuery } from '../../schemas/chronology.ts';
import type { MergedItem } from '../../services/chronology-service.ts';
import { chronologyDate } from './timeline.ts';

/** "191 days" since the previous contact ("about" when a month-only date is involved). */
export function intervalText(item: Pick<MergedItem, 'daysSincePreviousContact' | 'daysApproximate'>): string {
  if (item.daysSincePreviousContact === null) return 'First entry';
  const n = item.daysSincePreviousContact;
  return `${item.daysApproximate ? 'about ' : ''}${n} ${n === 1 ? 'day' : 'days'}`;
}

/** The table rows of the merged chronology. */
export function mergedRows(items: readonly MergedItem[]) {
  // Signals link to `#entry-<source ref>`; an id must be unique, so a repeated reference anchors once.
  const anchored = new Set<string>();
  const anchorOf = (ref: string | null) => {
    if (!ref || anchored.has(ref)) return null;
    anchored.add(ref);
    return `entry-${ref}`;
  };
  return items.map((e) => ({
    id: e.id,
    anchor: anchorOf(e.sourceRef),
    date: chronologyDate(e.date) + (e.time ? `, ${e.time}` : ''),
    agency: e.agencyName,
    eventType: eventTypeLabel(e.eventType),
    summary: e.summary,
    sourceRef: e.sourceRef ?? '',
    submittedBy: e.submittedByName ?? '',
    age: e.age ?? 'Not known',
    interval: intervalText(e),
    longInterval: (e.daysSincePreviousContact ?? 0) >= 90,
    childSeen: tristateLabel(e.childSeen ?? 'not_recorded'),
    childrenPresent: e.childrenPresent ? tristateLabel(e.childrenPresent) : null,
    concerns: e.concerns.map(concernItem).join(', '),
    possibleDuplicate: Boolean(e.possibleDuplicateOf) && !e.sameEventKey,
    sameEvent: e.sameEventKey,
  }));
}

/** Filter form options and the query string of each page link (filters kept). */
export function chronologyFilters(
  query: ChronologyQuery,
  agencies: { code: string; name: string }[],
  total: number,
  base: string,
) {
  const option = (value: string, text: string, selected: string | undefined) => ({
    value,
    text,
    selected: value === (selected ?? ''),
  });
  const keep = (offset: number) => {
    const params = new URLSearchParams();
    for (const key of ['agency', 'eventType', 'concern', 'from', 'to', 'childSeen'] as const) {
      const v = query[key];
      if (v) params.set(key, v);
    }
    if (offset) params.set('offset', String(offset));
    if (query.limit !== 100) params.set('limit', String(query.limit));
    const s = params.toString();
    return s ? `${base}?${s}` : base;
  };
  const n = (x: number) => x.toLocaleString('en-GB');
  const pages = Math.max(1, Math.ceil(total / query.limit));
  const current = Math.floor(query.offset / query.limit) + 1;
  return {
    agencyItems: [
      option('', 'All agencies', query.agency),
      ...agencies.map((a) => option(a.code, a.name, query.agency)),
    ],
    eventTypeItems: [
      option('', 'All event types', query.eventType),
      ...EVENT_TYPES.map((t) => option(t, eventTypeLabel(t), query.eventType)),
    ],
    concernItems: [
      option('', 'Any concern', query.concern),
      ...CONCERN_TAGS.map((t) => option(t, concernItem(t), query.concern)),
    ],
    childSeenItems: [
      option('', 'Any', query.childSeen),
      option('yes', 'Seen', query.childSeen),
      option('no', 'Not seen', query.childSeen),
      option('not_recorded', 'Not recorded', query.childSeen),
    ],
    pagination:
      pages > 1
        ? {
            previous: current > 1 ? { href: keep((current - 2) * query.limit) } : null,
            next: current < pages ? { href: keep(current * query.limit) } : null,
            // The first and last pages, the current one and its neighbours, ellipses between (as
            // presenters/pagination.ts): a chronology of hundreds of pages is a short row of links.
            items: [...new Set([1, current - 1, current, current + 1, pages])]
              .filter((n) => n >= 1 && n <= pages)
              .sort((a, b) => a - b)
              .flatMap((n, i, shown) => [
                ...(i > 0 && n - shown[i - 1]! > 1 ? [{ ellipsis: true as const }] : []),
                { number: n, href: keep((n - 1) * query.limit), current: n === current },
              ]),
          }
        : null,
    showing: total
      ? `Showing ${n(query.offset + 1)} to ${n(Math.min(query.offset + query.limit, total))} of ${n(total)} entries`
      : 'No entries match',
  };
}
