import { formatDate } from '../../domain/calendar/format.ts';
import { daysBetween } from '../../domain/calendar/iso-date.ts';
import type { EventType } from '../../domain/chronology/entry.ts';
import type { Gap } from '../../domain/chronology/merge.ts';
import { eventTypeLabel } from '../../domain/chronology/words.ts';

/**
 * The picture of a child's journey: one lane per agency over time, a marker per entry shaped by
 * its kind of event, long gaps with no contact shaded. Coordinates are worked out here (tested);
 * the template only draws them. Every picture has a text alternative: `summary` and the table.
 */

export interface TimelineEntry {
  date: string;
  agency: string;
  agencyName: string;
  eventType: EventType;
  /** Entries the coordinator linked as one event share this key: the summary counts them once. */
  sameEventKey?: string | null;
  sourceRef?: string | null;
}

/** Markers other areas put on the timeline (e.g. practice signals), each with a link. */
export interface TimelineMarker {
  date: string;
  label: string;
  href: string;
}

export type MarkerKind = 'referral' | 'incident' | 'contact' | 'assessment' | 'plan' | 'missed' | 'other';

export const MARKER_KINDS: Record<MarkerKind, string> = {
  referral: 'Referral or decision',
  incident: 'Police incident or arrest',
  contact: 'Visit, contact or appointment',
  assessment: 'Assessment, enquiry or meeting',
  plan: 'Plan, conference, court or care',
  missed: 'Missed appointment',
  other: 'Other',
};

const KIND_OF: Partial<Record<EventType, MarkerKind>> = {
  referral: 'referral',
  referral_decision: 'referral',
  police_incident: 'incident',
  arrest: 'incident',
  contact: 'contact',
  home_visit: 'contact',
  office_visit: 'contact',
  health_appointment: 'contact',
  developmental_check: 'contact',
  assessment_started: 'assessment',
  assessment_completed: 'assessment',
  strategy_discussion: 'assessment',
  section_47_enquiry: 'assessment',
  multi_agency_meeting: 'assessment',
  initial_cp_conference: 'plan',
  review_cp_conference: 'plan',
  cp_plan_start: 'plan',
  cp_plan_end: 'plan',
  cin_plan_start: 'plan',
  cin_plan_end: 'plan',
  early_help_start: 'plan',
  early_help_end: 'plan',
  looked_after: 'plan',
  court: 'plan',
  missed_appointment: 'missed',
};

export function markerKind(eventType: EventType): MarkerKind {
  return KIND_OF[eventType] ?? 'other';
}

const WIDTH = 960;
const LEFT = 170;
const RIGHT = 20;
const TOP = 30;
const LANE = 36;
const AXIS = 34;
const R = 6;

/** The outline of a marker of each kind around (x, y): shape, not colour alone, tells them apart. */
export function markerShape(kind: MarkerKind, x: number, y: number): { circle: boolean; points: string } {
  const p = (pairs: [number, number][]) => pairs.map(([a, b]) => `${round(x + a)},${round(y + b)}`).join(' ');
  switch (kind) {
    case 'referral':
      return {
        circle: false,
        points: p([
          [0, -R - 1],
          [R + 1, 0],
          [0, R + 1],
          [-R - 1, 0],
        ]),
      };
    case 'incident':
      return {
        circle: false,
        points: p([
          [0, -R - 1],
          [R + 1, R],
          [-R - 1, R],
        ]),
      };
    case 'assessment':
      return {
        circle: false,
        points: p([
          [-R, -R],
          [R, -R],
          [R, R],
          [-R, R],
        ]),
      };
    case 'plan':
      return {
        circle: false,
        points: p([
          [-R, -R],
          [R, -R],
          [0, R + 1],
        ]),
      };
    case 'missed':
      return {
        circle: false,
        points: p([
          [-R, -2],
          [-2, -2],
          [-2, -R],
          [2, -R],
          [2, -2],
          [R, -2],
          [R, 2],
          [2, 2],
          [2, R],
          [-2, R],
          [-2, 2],
          [-R, 2],
        ]),
      };
    default:
      return { circle: true, points: '' };
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function firstDay(date: string): string {
  return date.length === 7 ? `${date}-01` : date;
}

/** "March 2019" for a month-only date, "2 March 2019" otherwise. */
export function chronologyDate(date: string): string {
  if (date.length === 7) return formatDate(`${date}-01`).replace(/^1 /, '');
  return formatDate(date);
}

export function timeline(
  entries: readonly TimelineEntry[],
  options: {
    gaps?: readonly Gap[];
    markers?: readonly TimelineMarker[];
    title?: string;
    /** Where each entry's marker leads: its row in the table below. */
    entryHref?: (entry: TimelineEntry) => string;
  } = {},
) {
  const title = options.title ?? 'Timeline of agency involvement';
  if (!entries.length)
    return { empty: true as const, title, summary: 'No accepted entries yet, so there is nothing to draw.' };
  const { x, start, end, extraY, ...picture } = draw(
    entries,
    options.gaps ?? [],
    Boolean(options.markers?.length),
    options.entryHref,
  );
  const extra = (options.markers ?? [])
    .filter((m) => firstDay(m.date) >= start && firstDay(m.date) <= end)
    .toSorted((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((m) => ({ x: x(firstDay(m.date)), y: extraY ?? 0, label: m.label, href: m.href }));
  return { empty: false as const, title, ...picture, extra, extraY };
}

function draw(
  entries: readonly TimelineEntry[],
  gapList: readonly Gap[],
  hasMarkers: boolean,
  entryHref?: (entry: TimelineEntry) => string,
) {
  const dates = entries.map((e) => firstDay(e.date)).sort();
  const start = dates[0]!;
  const end = dates.at(-1)!;
  const span = Math.max(daysBetween(start, end), 1);
  const x = (iso: string) => round(LEFT + ((WIDTH - LEFT - RIGHT) * daysBetween(start, iso)) / span);

  const agencies = [...new Map(entries.map((e) => [e.agency, e.agencyName])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1]),
  );
  const laneY = new Map(agencies.map(([code], i) => [code, TOP + i * LANE + LANE / 2]));
  const height = TOP + agencies.length * LANE + (hasMarkers ? LANE : 0) + AXIS;
  const plotBottom = TOP + agencies.length * LANE + (hasMarkers ? LANE : 0);

  const lanes = agencies.map(([code, name]) => ({
    label: name,
    y: laneY.get(code)!,
    count: entries.filter((e) => e.agency === code).length,
  }));
  const markers = entries.map((e) => {
    const kind = markerKind(e.eventType);
    const cx = x(firstDay(e.date));
    const cy = laneY.get(e.agency)!;
    return {
      kind,
      cx,
      cy,
      r: R,
      ...markerShape(kind, cx, cy),
      label: `${chronologyDate(e.date)}: ${e.agencyName}, ${eventTypeLabel(e.eventType).toLowerCase()}`,
      href: entryHref?.(e) ?? null,
    };
  });
  const gaps = gapList.map((g) => ({
    x: x(g.from),
    width: round(Math.max(x(g.to) - x(g.from), 1)),
    y: TOP,
    height: plotBottom - TOP,
    label: `No agency contact for ${g.days} days, ${formatDate(g.from)} to ${formatDate(g.to)}`,
  }));
  const ticks = yearTicks(start, end).map((iso) => ({ x: x(iso), label: iso.slice(0, 4) }));

  const byAgency = lanes
    .map((l) => `${l.label}: ${l.count} ${l.count === 1 ? 'entry' : 'entries'}`)
    .join('; ');
  const gapText = gaps.length
    ? ` Periods with no agency contact for 90 days or more: ${gapList
        .map((g) => `${formatDate(g.from)} to ${formatDate(g.to)} (${g.days} days)`)
        .join('; ')}.`
    : ' No period of 90 days or more without any agency contact.';
  return {
    x,
    start,
    end,
    width: WIDTH,
    height,
    labelX: LEFT - 10,
    plotLeft: LEFT,
    plotRight: WIDTH - RIGHT,
    plotBottom,
    axisY: plotBottom + 18,
    lanes,
    markers,
    gaps,
    extraY: hasMarkers ? TOP + agencies.length * LANE + LANE / 2 : null,
    ticks,
    legend: (Object.keys(MARKER_KINDS) as MarkerKind[])
      .filter((k) => markers.some((m) => m.kind === k))
      .map((k) => ({ kind: k, text: MARKER_KINDS[k], ...markerShape(k, 8, 8) })),
    summary: `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}${eventsText(entries)} from ${chronologyDate(
      start,
    )} to ${chronologyDate(end)}, by agency: ${byAgency}.${gapText}`,
  };
}

export type Timeline = ReturnType<typeof timeline>;

/** " recording 30 events (entries linked as one event counted once)" when some are linked. */
function eventsText(entries: readonly TimelineEntry[]): string {
  const events = new Set(entries.map((e, i) => e.sameEventKey ?? i)).size;
  return events < entries.length
    ? ` recording ${events} ${events === 1 ? 'event' : 'events'} (entries linked as one event counted once)`
    : '';
}

function yearTicks(start: string, end: string): string[] {
  const ticks: string[] = [];
  for (let y = Number(start.slice(0, 4)) + 1; y <= Number(end.slice(0, 4)); y++) ticks.push(`${y}-01-01`);
  return ticks;
}
