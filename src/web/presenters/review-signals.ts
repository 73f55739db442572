import { formatDate } from '../../domain/calendar/format.ts';
import { entryCitation, type ChronologyEntry } from '../../domain/chronology/entry.ts';
import { eventTypeLabel } from '../../domain/chronology/words.ts';
import { RULES } from '../../domain/signals/index.ts';
import type { ReviewSignal } from '../../services/review-signals-service.ts';
import { paths } from '../paths.ts';
import type { TimelineMarker } from './timeline.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "4 June 2025", or "June 2025" for a month-only date. */
export function signalDate(date: string): string {
  if (date.length === 7) return `${MONTHS[Number(date.slice(5, 7)) - 1] ?? ''} ${date.slice(0, 4)}`;
  return formatDate(date);
}

export function signalPeriod(from: string, to: string): string {
  return from === to ? signalDate(from) : `${signalDate(from)} to ${signalDate(to)}`;
}

const SEVERITY_TAGS = {
  high: { text: 'High', classes: 'govuk-tag--red' },
  medium: { text: 'Medium', classes: 'govuk-tag--orange' },
  low: { text: 'Low', classes: 'govuk-tag--grey' },
} as const;

const DECISION_TAGS = {
  confirmed: { text: 'Confirmed', classes: 'govuk-tag--green' },
  dismissed: { text: 'Dismissed', classes: 'govuk-tag--grey' },
} as const;

/** The last day of a month-only date, so the chronology filter shows the whole month. */
function lastDay(date: string): string {
  if (date.length !== 7) return date;
  const [y, m] = date.split('-').map(Number) as [number, number];
  return `${date}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/**
 * Where an evidence entry is in the merged chronology: filtered to its date (so it is on the
 * page whatever the paging) and anchored at its row, `#entry-<source_ref>`.
 */
export function evidenceHref(
  ref: string,
  entry: Pick<ChronologyEntry, 'date' | 'sourceRef' | 'row'>,
): string {
  const first = entry.date.length === 7 ? `${entry.date}-01` : entry.date;
  const query = new URLSearchParams({ from: first, to: lastDay(entry.date) });
  return `${paths.reviews.chronology({ ref })}?${query.toString()}#entry-${encodeURIComponent(entryCitation(entry))}`;
}

/** The filters of the signals tab, as the query gives them: anything unknown is no filter. */
export interface SignalFilters {
  rule: string;
  severity: string;
  decision: string;
}

const DECISION_FILTERS = [
  { value: 'undecided', text: 'Not decided yet' },
  { value: 'confirmed', text: 'Confirmed' },
  { value: 'dismissed', text: 'Dismissed' },
];

export function signalFilters(query: unknown): SignalFilters {
  const q = (query ?? {}) as Record<string, unknown>;
  const one = (name: string, allowed: readonly string[]) => {
    const value = typeof q[name] === 'string' ? (q[name] as string) : '';
    return allowed.includes(value) ? value : '';
  };
  return {
    rule: one(
      'rule',
      RULES.map((r) => r.id),
    ),
    severity: one('severity', Object.keys(SEVERITY_TAGS)),
    decision: one(
      'decision',
      DECISION_FILTERS.map((d) => d.value),
    ),
  };
}

/** The first sentence of an explanation: the line a list shows. */
export function firstLine(text: string): string {
  const end = text.search(/[.;:](\s|$)/);
  return end === -1 ? text : text.slice(0, end + 1).replace(/[;:]$/, '.');
}

/**
 * The signals tab: the filter form (rule, severity, decision, each with how many there are) and
 * one row per signal in date order: its date, its rule, one line of what was found, its severity
 * and its decision, linked to the signal's own page.
 */
export function signalList(ref: string, signals: readonly ReviewSignal[], filters: SignalFilters) {
  const title = new Map(RULES.map((r) => [r.id, r.title]));
  const shown = signals
    .filter((s) => !filters.rule || s.rule === filters.rule)
    .filter((s) => !filters.severity || s.severity === filters.severity)
    .filter(
      (s) =>
        !filters.decision ||
        (filters.decision === 'undecided' ? s.decision === null : s.decision === filters.decision),
    )
    .toSorted((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const option = (value: string, text: string, count: number, chosen: string) => ({
    value,
    text: `${text} (${count})`,
    selected: value === chosen,
  });
  return {
    total: signals.length,
    filtered: Boolean(filters.rule || filters.severity || filters.decision),
    ruleItems: [
      { value: '', text: 'All rules', selected: !filters.rule },
      ...RULES.filter((r) => signals.some((s) => s.rule === r.id)).map((r) =>
        option(r.id, r.title, signals.filter((s) => s.rule === r.id).length, filters.rule),
      ),
    ],
    severityItems: [
      { value: '', text: 'All severities', selected: !filters.severity },
      ...(Object.keys(SEVERITY_TAGS) as (keyof typeof SEVERITY_TAGS)[]).map((k) =>
        option(k, SEVERITY_TAGS[k].text, signals.filter((s) => s.severity === k).length, filters.severity),
      ),
    ],
    decisionItems: [
      { value: '', text: 'All decisions', selected: !filters.decision },
      ...DECISION_FILTERS.map((d) =>
        option(
          d.value,
          d.text,
          signals.filter((s) => (d.value === 'undecided' ? s.decision === null : s.decision === d.value))
            .length,
          filters.decision,
        ),
      ),
    ],
    rows: shown.map((s) => ({
      key: s.key,
      date: signalDate(s.from),
      rule: title.get(s.rule) ?? 'Practice signal',
      line: firstLine(s.explanation),
      severity: SEVERITY_TAGS[s.severity],
      decision: s.decision
        ? DECISION_TAGS[s.decision]
        : { text: 'Not decided yet', classes: 'govuk-tag--blue' },
      href: paths.reviews.signal({ ref, key: s.key }),
    })),
  };
}

/** One signal's own page: what was found, its period and evidence, its key line of enquiry and decision. */
export function signalDetail(ref: string, s: ReviewSignal, cited: ReadonlyMap<string, ChronologyEntry>) {
  const rule = RULES.find((r) => r.id === s.rule);
  return {
    key: s.key,
    rule: rule?.title ?? 'Practice signal',
    describe: rule?.describe ?? '',
    title: `${rule?.title ?? 'Practice signal'}, ${signalPeriod(s.from, s.to)}`,
    severity: SEVERITY_TAGS[s.severity],
    explanation: s.explanation,
    period: signalPeriod(s.from, s.to),
    evidence: s.evidence.map((citation) => {
      const entry = cited.get(citation);
      return entry
        ? {
            text: `${citation}: ${signalDate(entry.date)}, ${entry.agencyName ?? 'an agency'}, ${eventTypeLabel(entry.eventType).toLowerCase()}`,
            href: evidenceHref(ref, entry),
          }
        : { text: citation, href: null };
    }),
    decision: s.decision ? DECISION_TAGS[s.decision] : null,
    savedDecision: s.decision ?? '',
    reason: s.reason,
    decidedBy: s.decidedBy,
    decidedOn: s.decidedAt ? formatDate(s.decidedAt.toISOString().slice(0, 10)) : null,
    lineOfEnquiry: s.lineOfEnquiry ? `KLOE ${s.lineOfEnquiry.position}: ${s.lineOfEnquiry.question}` : null,
    lineOfEnquiryId: s.lineOfEnquiry?.id ?? '',
    decisionAction: paths.reviews.signalDecision({ ref, key: s.key }),
    kloeAction: paths.reviews.signalKloe({ ref, key: s.key }),
  };
}

/** One timeline marker per signal, at its start, linking to the signal's own page. */
export function signalMarkers(ref: string, signals: readonly ReviewSignal[]): TimelineMarker[] {
  const title = new Map(RULES.map((r) => [r.id, r.title]));
  return signals.map((s) => ({
    date: s.from,
    label: `${signalDate(s.from)}: ${title.get(s.rule) ?? 'Practice signal'}${s.decision === 'dismissed' ? ' (dismissed)' : s.decision === 'confirmed' ? ' (confirmed)' : ''}`,
    href: paths.reviews.signal({ ref, key: s.key }),
  }));
}
