import type { Gap } from '../../domain/chronology/merge.ts';
import type { TimelineData } from '../../services/chronology-service.ts';
import { densityTimeline, timeline, type TimelineEntry, type TimelineMarker } from './timeline.ts';

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
 * The timeline figure as HTML, rendered through `partials/timeline.njk` and kept per timeline data.
 * It changes only with the accepted chronology (whose outline hands every reader of one version
 * the same object, see src/services/chronology-service.ts) and with the other markers placed on it
 * (signals and their decisions, compared by value on every call). The data going out of use frees it.
 * A short chronology draws every entry, each marker linking to its row; a long one draws how many
 * entries each agency recorded per month or year, each band linking to the table filtered to them.
 */
const rendered = new WeakMap<
  TimelineData,
  { gaps: unknown; markers: string; linkBase: string; html: string }
>();

export async function timelineFigure(
  render: Render,
  data: TimelineData,
  options: {
    gaps?: readonly Gap[];
    markers?: readonly TimelineMarker[];
    /** The page an entry's marker links to (its date filtered, its row anchored), or none. */
    linkBase?: string;
    /** Where the signals' bands of a long chronology lead. */
    signalsHref?: string;
  } = {},
): Promise<string> {
  const markers = JSON.stringify(options.markers ?? []);
  const linkBase = options.linkBase ?? '';
  const held = rendered.get(data);
  if (held && held.gaps === options.gaps && held.markers === markers && held.linkBase === linkBase)
    return held.html;
  const picture =
    data.kind === 'entries'
      ? timeline(data.entries, {
          ...(options.gaps ? { gaps: options.gaps } : {}),
          ...(options.markers ? { markers: options.markers } : {}),
          ...(options.linkBase ? { entryHref: (e: TimelineEntry) => entryHref(linkBase, e) } : {}),
        })
      : densityTimeline(data, {
          ...(options.gaps ? { gaps: options.gaps } : {}),
          ...(options.markers ? { markers: options.markers } : {}),
          ...(options.signalsHref ? { signalsHref: options.signalsHref } : {}),
          ...(options.linkBase
            ? {
                periodHref: (agency: string, from: string, to: string) =>
                  periodHref(linkBase, agency, from, to),
              }
            : {}),
        });
  const html = await render('partials/timeline.njk', { timeline: picture });
  // The template's output is thousands of small strings joined lazily; a flat copy is joined once
  // here rather than again by every page that includes it.
  const flat = Buffer.from(html, 'utf8').toString('utf8');
  rendered.set(data, { gaps: options.gaps, markers, linkBase, html: flat });
  return flat;
}

/** Where a band of a long chronology's timeline leads: the table filtered to its agency and period. */
export function periodHref(base: string, agency: string, from: string, to: string): string {
  const query = `agency=${encodeURIComponent(agency)}&from=${from}&to=${to}`;
  return `${base}${base.includes('?') ? '&' : '?'}${query}#showing`;
}
