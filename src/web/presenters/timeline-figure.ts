import type { Gap } from '../../domain/chronology/merge.ts';
import { timeline, type TimelineEntry, type TimelineMarker } from './timeline.ts';

/**
 * Where a marker leads: the chronology filtered to the entry's date (so it is on the page whatever
 * the paging), at its row when it has a source reference (the rows' anchors, merged-chronology.ts).
 * `base` may carry a query already (the named view's `?confirmed=yes`).
 */
export function entryHref(base: string, e: Pick<TimelineEntry, 'date' | 'sourceRef'>): string {
  const from = e.date.length === 7 ? `${e.date}-01` : e.date;
  const to = e.date.length === 7 ? lastDayOfMonth(e.date) : e.date;
  const query = `from=${from}&to=${to}`;
  const anchor = e.sourceRef ? `#entry-${encodeURIComponent(e.sourceRef)}` : '';
  return `${base}${base.includes('?') ? '&' : '?'}${query}${anchor}`;
}

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

type Render = (template: string, data: object) => Promise<string>;

/**
 * The timeline figure as HTML, rendered through `partials/timeline.njk` and kept per entries array.
 * Thousands of markers make it the costliest part of the chronology page, yet it changes only with
 * the accepted chronology (whose merge hands every reader of one version the same arrays, see
 * src/services/versioned-cache.ts) and with the other markers placed on it (signals and their
 * decisions, compared by value on every call). The entries array going out of use frees it.
 */
const rendered = new WeakMap<
  readonly TimelineEntry[],
  { gaps: unknown; markers: string; linkBase: string; html: string }
>();

export async function timelineFigure(
  render: Render,
  entries: readonly TimelineEntry[],
  options: {
    gaps?: readonly Gap[];
    markers?: readonly TimelineMarker[];
    /** The page an entry's marker links to (its date filtered, its row anchored), or none. */
    linkBase?: string;
  } = {},
): Promise<string> {
  const markers = JSON.stringify(options.markers ?? []);
  const linkBase = options.linkBase ?? '';
  const held = rendered.get(entries);
  if (held && held.gaps === options.gaps && held.markers === markers && held.linkBase === linkBase)
    return held.html;
  const html = await render('partials/timeline.njk', {
    timeline: timeline(entries, {
      ...options,
      ...(options.linkBase ? { entryHref: (e: TimelineEntry) => entryHref(linkBase, e) } : {}),
    }),
  });
  // The template's output is thousands of small strings joined lazily; a flat copy is joined once
  // here rather than again by every page that includes it.
  const flat = Buffer.from(html, 'utf8').toString('utf8');
  rendered.set(entries, { gaps: options.gaps, markers, linkBase, html: flat });
  return flat;
}
