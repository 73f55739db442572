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

/**
 * How many entries one agency recorded in one period (`YYYY-MM`, or `YYYY`): entries linked as one
 * event count once, in the agency and period of their first record.
 */
export interface TimelineCell {
  agency: string;
  period: string;
  entries: number;
}

export interface DensityData {
  period: 'month' | 'year';
  agencies: readonly { agency: string; agencyName: string; entries: number; events: number }[];
  cells: readonly TimelineCell[];
}

const LEVELS = 4;

function periodBounds(period: string): { from: string; to: string } {
  if (period.length === 4) return { from: `${period}-01-01`, to: `${period}-12-31` };
  const [y, m] = period.split('-').map(Number) as [number, number];
  return {
    from: `${period}-01`,
    to: `${period}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`,
  };
}

function periodText(period: string): string {
  return period.length === 4 ? period : chronologyDate(period);
}

function entriesText(n: number): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? 'entry' : 'entries'}`;
}

/**
 * The picture of a long chronology, drawn from aggregates: one lane per agency, and in it one band
 * per month (or year) shaded by how many entries the agency recorded then, each a link to those
 * entries (`periodHref`). Signals are counted per period the same way. Long gaps are shaded as in
 * `timeline`. The page stays the same size however many entries there are.
 */
export function densityTimeline(
  data: DensityData,
  options: {
    gaps?: readonly Gap[];
    markers?: readonly TimelineMarker[];
    title?: string;
    /** Where a band leads: the table filtered to the agency and the period. */
    periodHref?: (agency: string, from: string, to: string) => string;
    /** Where the signals' bands lead. */
    signalsHref?: string;
  } = {},
) {
  const title = options.title ?? 'Timeline of agency involvement';
  const periods = [...new Set(data.cells.map((c) => c.period))].sort();
  if (!periods.length)
    return { empty: true as const, title, summary: 'No accepted entries yet, so there is nothing to draw.' };
  const start = periodBounds(periods[0]!).from;
  const endDay = periodBounds(periods.at(-1)!).to;
  const span = Math.max(daysBetween(start, endDay) + 1, 1);
  const x = (iso: string) => round(LEFT + ((WIDTH - LEFT - RIGHT) * daysBetween(start, iso)) / span);
  const xEnd = (iso: string) => round(LEFT + ((WIDTH - LEFT - RIGHT) * (daysBetween(start, iso) + 1)) / span);
  const inPeriod = (date: string) => (data.period === 'year' ? date.slice(0, 4) : date.slice(0, 7));

  const signalCounts = new Map<string, number>();
  for (const m of options.markers ?? []) {
    const p = inPeriod(firstDay(m.date));
    if (p >= periods[0]! && p <= periods.at(-1)!) signalCounts.set(p, (signalCounts.get(p) ?? 0) + 1);
  }
  const hasMarkers = signalCounts.size > 0;
  const agencies = data.agencies.toSorted((a, b) => a.agencyName.localeCompare(b.agencyName));
  const laneY = new Map(agencies.map((a, i) => [a.agency, TOP + i * LANE + LANE / 2]));
  const plotBottom = TOP + agencies.length * LANE + (hasMarkers ? LANE : 0);
  const extraY = hasMarkers ? TOP + agencies.length * LANE + LANE / 2 : null;
  const most = Math.max(...data.cells.map((c) => c.entries), 1);
  const level = (n: number) => Math.min(LEVELS, Math.max(1, Math.ceil((n * LEVELS) / most)));
  const unit = data.period === 'year' ? 'a year' : 'a month';
  const name = new Map(agencies.map((a) => [a.agency, a.agencyName]));

  const band = (p: string, y: number) => {
    const { from, to } = periodBounds(p);
    return { x: x(from), width: round(Math.max(xEnd(to) - x(from) - 1, 1)), y: y - 11, height: 22, from, to };
  };
  const cells = data.cells.map((c) => {
    const b = band(c.period, laneY.get(c.agency)!);
    return {
      ...b,
      level: level(c.entries),
      label: `${periodText(c.period)}: ${name.get(c.agency)}, ${entriesText(c.entries)}`,
      href: options.periodHref?.(c.agency, b.from, b.to) ?? null,
    };
  });
  const signalLevel = Math.max(...signalCounts.values(), 1);
  const signalCells = [...signalCounts.entries()].sort().map(([p, n]) => ({
    ...band(p, extraY ?? 0),
    level: Math.min(LEVELS, Math.max(1, Math.ceil((n * LEVELS) / signalLevel))),
    label: `${periodText(p)}: ${n} practice ${n === 1 ? 'signal' : 'signals'}`,
    href: options.signalsHref ?? null,
  }));
  const gaps = (options.gaps ?? []).map((g) => ({
    x: x(g.from),
    width: round(Math.max(x(g.to) - x(g.from), 1)),
    y: TOP,
    height: plotBottom - TOP,
    label: `No agency contact for ${g.days} days, ${formatDate(g.from)} to ${formatDate(g.to)}`,
  }));
  const entries = agencies.reduce((n, a) => n + a.entries, 0);
  const events = agencies.reduce((n, a) => n + a.events, 0);
  const byAgency = agencies.map((a) => `${a.agencyName}: ${entriesText(a.entries)}`).join('; ');
  const gapText = gaps.length
    ? ` Periods with no agency contact for 90 days or more: ${(options.gaps ?? [])
        .map((g) => `${formatDate(g.from)} to ${formatDate(g.to)} (${g.days} days)`)
        .join('; ')}.`
    : ' No period of 90 days or more without any agency contact.';
  const eventText =
    events < entries
      ? ` recording ${events.toLocaleString('en-GB')} ${events === 1 ? 'event' : 'events'} (entries linked as one event counted once)`
      : '';
  const legend = Array.from({ length: LEVELS }, (_, i) => {
    const lo = Math.floor((most * i) / LEVELS) + 1;
    const hi = Math.floor((most * (i + 1)) / LEVELS);
    return {
      level: i + 1,
      text: lo >= hi ? `${entriesText(hi)} ${unit}` : `${lo} to ${entriesText(hi)} ${unit}`,
    };
  }).filter((l, i, all) => all.findIndex((m) => m.text === l.text) === i && l.text !== `0 entries ${unit}`);
  return {
    empty: false as const,
    density: true as const,
    title,
    width: WIDTH,
    height: plotBottom + AXIS,
    labelX: LEFT - 10,
    plotLeft: LEFT,
    plotRight: WIDTH - RIGHT,
    plotBottom,
    axisY: plotBottom + 18,
    lanes: agencies.map((a) => ({ label: a.agencyName, y: laneY.get(a.agency)!, count: a.entries })),
    cells,
    signalCells,
    extraY,
    gaps,
    ticks: yearTicks(start, endDay).map((iso) => ({ x: x(iso), label: iso.slice(0, 4) })),
    legend,
    summary:
      `${entriesText(entries)}${eventText} from ${periodText(periods[0]!)} to ${periodText(periods.at(-1)!)}, ` +
      `by agency: ${byAgency}. Each band is the entries one agency recorded in ${data.period === 'year' ? 'a year' : 'a month'}, ` +
      `darker for more; follow one to list them.${gapText}`,
  };
}
