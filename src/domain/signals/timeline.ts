import type { ChronologyEntry, EventType } from '../chronology/entry.ts';
import { isIsoDate, isoFromDayNumber, parseDay, type IsoDate } from '../calendar/iso-date.ts';

/**
 * A chronology entry placed on the child's timeline. A month-only date (`YYYY-MM`) could be any
 * day of its month, so every entry carries the earliest and latest day it could be: rules fire
 * only when their condition holds for every possible day (no false positives from vague dates).
 */
export interface DatedEntry {
  readonly entry: ChronologyEntry;
  /** Position on the sorted timeline. */
  readonly index: number;
  readonly first: IsoDate;
  readonly last: IsoDate;
  /** `first` and `last` as whole days since 1970-01-01, for the rules' arithmetic. */
  readonly firstDay: number;
  readonly lastDay: number;
  /** False for a month-only date. */
  readonly exact: boolean;
}

// Within a day, entries are put in the order the work happens, whatever their times or the file's
// row order (agencies' returns are pasted one after another; times are often missing).
const SAME_DAY_ORDER: readonly EventType[] = [
  'police_incident',
  'arrest',
  'contact',
  'information_shared',
  'referral',
  'referral_decision',
  'allocation',
  'strategy_discussion',
  'section_47_enquiry',
  'assessment_started',
  'home_visit',
  'office_visit',
  'health_appointment',
  'developmental_check',
  'missed_appointment',
  'multi_agency_meeting',
  'court',
  'looked_after',
  'other',
  'assessment_completed',
  'initial_cp_conference',
  'review_cp_conference',
  'cp_plan_end',
  'cin_plan_end',
  'early_help_end',
  'cp_plan_start',
  'cin_plan_start',
  'early_help_start',
  'case_closed',
];
const SAME_DAY_STEP = new Map<string, number>(SAME_DAY_ORDER.map((type, i) => [type, i]));

export function isMonthOnly(date: string): boolean {
  return /^\d{4}-\d{2}$/.test(date);
}

type Span = { readonly first: IsoDate; readonly last: IsoDate } | null;
// A population scan meets the same few thousand dates again and again (emptied if it grows large).
const spans = new Map<string, Span>();

/** Earliest and latest day a chronology date can mean; null when it is not a date at all. */
export function dateSpan(date: string): Span {
  let span = spans.get(date);
  if (span === undefined) {
    if (spans.size >= 100_000) spans.clear();
    span = computeSpan(date);
    spans.set(date, span);
  }
  return span;
}

function computeSpan(date: string): Span {
  if (isMonthOnly(date)) {
    const first = `${date}-01`;
    if (!isIsoDate(first)) return null;
    const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
    const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { first, last: `${date}-${String(lastDay).padStart(2, '0')}` };
  }
  return isIsoDate(date) ? { first: date, last: date } : null;
}

/**
 * Sorts one child's entries into timeline order; entries whose date is not a date are left out.
 * By day (a month-only date before the days of its month), then within a day in the order the
 * work happens, then by time, then by row: a total order, so any input order gives one answer.
 */
export function placeOnTimeline(entries: readonly ChronologyEntry[]): DatedEntry[] {
  // One object per entry, sorted then numbered; `order` puts a month before the days within it.
  const placed: (DatedEntry & { index: number; order: number; step: number })[] = [];
  for (const entry of entries) {
    const { date } = entry;
    let first = date;
    let last = date;
    let firstDay = parseDay(date);
    let lastDay = firstDay;
    const exact = !Number.isNaN(firstDay);
    if (!exact) {
      const span = dateSpan(date);
      if (!span) continue;
      ({ first, last } = span);
      firstDay = parseDay(first);
      lastDay = parseDay(last);
    }
    const step = SAME_DAY_STEP.get(entry.eventType) ?? -1;
    const order = exact ? firstDay : firstDay - 0.5;
    placed.push({ entry, index: 0, first, last, firstDay, lastDay, exact, order, step });
  }
  placed.sort(
    (a, b) =>
      a.order - b.order ||
      a.step - b.step ||
      compare(a.entry.time ?? '', b.entry.time ?? '') ||
      a.entry.row - b.entry.row,
  );
  for (let i = 0; i < placed.length; i += 1) (placed[i] as { index: number }).index = i;
  return placed;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The fewest days that can lie between two entries (b after a). */
export function minDaysBetween(a: DatedEntry, b: DatedEntry): number {
  return b.firstDay - a.lastDay;
}

/** The most days that can lie between two entries (b after a). */
export function maxDaysBetween(a: DatedEntry, b: DatedEntry): number {
  return b.lastDay - a.firstDay;
}

/** Whether an entry could fall on a day from `from` to `to` inclusive. */
export function couldFallWithin(e: DatedEntry, from: IsoDate, to: IsoDate): boolean {
  return e.last >= from && e.first <= to;
}

export function windowEnd(e: DatedEntry, days: number): IsoDate {
  return isoFromDayNumber(e.lastDay + days);
}

/**
 * A referral to children's social care: recorded by CSC (or its front door), or a referral whose
 * text says it went there. A GP's referral to paediatrics is not one.
 */
const CSC_AGENCY = /^(csc|children'?s[ -]social[ -]care|social[ -]care|mash|front[ -]door|ifd)$/i;
const CSC_TEXT = /children'?s social care|\bsocial care\b|\bCSC\b|\bMASH\b|front door/i;

export function isCscAgency(agency: string): boolean {
  return CSC_AGENCY.test(agency.trim());
}

export function isReferralToCsc(entry: ChronologyEntry): boolean {
  if (entry.eventType !== 'referral') return false;
  if (isCscAgency(entry.agency)) return true;
  return [entry.summary, entry.actionTaken, entry.outcome].some(
    (text) => text != null && CSC_TEXT.test(text),
  );
}

/** A referral decision ending in no further action ("no further action", "NFA") in its outcome or summary. */
export function isNoFurtherAction(entry: ChronologyEntry): boolean {
  if (entry.eventType !== 'referral_decision') return false;
  return [entry.outcome, entry.summary].some(
    (text) => text != null && /\bno further action\b|\bNFA\b/i.test(text),
  );
}
