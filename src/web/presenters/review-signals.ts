import { formatDate } from '../../domain/calendar/format.ts';
import { entryCitation, type ChronologyEntry } from '../../domain/chronology/entry.ts';
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

const EVENT_WORDS = (eventType: string) => eventType.replace(/_/g, ' ');

/** The signals tab: one group per rule that fired (in the rules' order), a card per signal. */
export function signalGroups(
  ref: string,
  signals: readonly ReviewSignal[],
  cited: ReadonlyMap<string, ChronologyEntry>,
) {
  return RULES.map((rule) => ({
    rule: rule.id,
    title: rule.title,
    describe: rule.describe,
    cards: signals
      .filter((s) => s.rule === rule.id)
      .map((s) => ({
        key: s.key,
        id: `signal-${s.key}`,
        title: `${rule.title}, ${signalPeriod(s.from, s.to)}`,
        severity: SEVERITY_TAGS[s.severity],
        explanation: s.explanation,
        period: signalPeriod(s.from, s.to),
        evidence: s.evidence.map((citation) => {
          const entry = cited.get(citation);
          return entry
            ? {
                text: `${citation}: ${signalDate(entry.date)}, ${entry.agency}, ${EVENT_WORDS(entry.eventType)}`,
                href: evidenceHref(ref, entry),
              }
            : { text: citation, href: null };
        }),
        decision: s.decision ? DECISION_TAGS[s.decision] : null,
        reason: s.reason,
        decidedBy: s.decidedBy,
        lineOfEnquiry: s.lineOfEnquiry
          ? `KLOE ${s.lineOfEnquiry.position}: ${s.lineOfEnquiry.question}`
          : null,
        lineOfEnquiryId: s.lineOfEnquiry?.id ?? '',
        decisionAction: paths.reviews.signalDecision({ ref, key: s.key }),
        kloeAction: paths.reviews.signalKloe({ ref, key: s.key }),
      })),
  })).filter((g) => g.cards.length > 0);
}

/** One timeline marker per signal, at its start, linking to its card on the signals tab. */
export function signalMarkers(ref: string, signals: readonly ReviewSignal[]): TimelineMarker[] {
  const title = new Map(RULES.map((r) => [r.id, r.title]));
  return signals.map((s) => ({
    date: s.from,
    label: `${title.get(s.rule) ?? s.rule}${s.decision === 'dismissed' ? ' (dismissed)' : s.decision === 'confirmed' ? ' (confirmed)' : ''}`,
    href: `${paths.reviews.signals({ ref })}#signal-${s.key}`,
  }));
}
