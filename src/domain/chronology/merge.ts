import { addDays, addMonths, daysBetween, type IsoDate } from '../calendar/iso-date.ts';
import { chronologySortKey, type ChronologyEntry, type EventType } from './entry.ts';

/**
 * The multi-agency chronology: every agency's entries for one child in one date order, with
 * what a reviewer reads beside each entry — the child's age, how long since any agency was last
 * in contact, and entries two agencies may both have recorded.
 */
export interface MergedEntry extends ChronologyEntry {
  /** "6 months", "1 year 6 months", "unborn", "about 2 years"; null without a date of birth. */
  age: string | null;
  /** Days since the previous professional contact by any agency; null for the first. */
  daysSincePreviousContact: number | null;
  /** True when either date is month-only, so the day count is only roughly right. */
  daysApproximate: boolean;
  /** The key shared by entries that may record the same event (see duplicateKey); else null. */
  possibleDuplicateOf: string | null;
}

export interface MergeOptions {
  dateOfBirth?: IsoDate;
  /**
   * Entries of one event type from two or more agencies within this many days of the first may
   * record the same event (0: the same day only). Default DUPLICATE_WITHIN_DAYS.
   */
  duplicateWithinDays?: number;
  /**
   * The key of the event an entry was linked to ("as one event"), or null: an event's later
   * records keep the interval of its first, so a link does not make a contact of one day.
   */
  sameEventOf?: (entry: ChronologyEntry) => string | null;
}

/**
 * The referrer's and children's social care's records of one referral are often a day apart (the
 * same allowance as repeat-referral's `sameReferralWithinDays` uses for a day's lag). The default:
 * a partnership sets its own (`possible-duplicates.daysApart` of its signal settings).
 */
export const DUPLICATE_WITHIN_DAYS = 1;

/**
 * Entries that record no contact with the child or family: a missed appointment is the absence
 * of one, and allocation, closure and information sharing happen in the office.
 */
export const NOT_PROFESSIONAL_CONTACT: ReadonlySet<EventType> = new Set<EventType>([
  'missed_appointment',
  'allocation',
  'case_closed',
  'information_shared',
]);

export function isProfessionalContact(entry: Pick<ChronologyEntry, 'eventType'>): boolean {
  return !NOT_PROFESSIONAL_CONTACT.has(entry.eventType);
}

/** Date order (a month-only entry before the dated entries of its month); ties keep input order. */
export function sortChronology<T extends Pick<ChronologyEntry, 'date' | 'time'>>(entries: Iterable<T>): T[] {
  return [...entries]
    .map((entry, index) => ({ entry, index, key: chronologySortKey(entry) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .map((x) => x.entry);
}

export function mergeChronology(
  entries: Iterable<ChronologyEntry>,
  options: MergeOptions = {},
): MergedEntry[] {
  const sorted = sortChronology(entries);
  const groups = duplicateGroups(sorted, options.duplicateWithinDays ?? DUPLICATE_WITHIN_DAYS);
  // Per child, so a population file never measures one child's gap against another's contact.
  const lastContact = new Map<string | null, ChronologyEntry>();
  // Each linked event's first record's interval, which its later records repeat.
  const firstOfEvent = new Map<string, { days: number | null; approximate: boolean }>();
  return sorted.map((entry) => {
    const previous = lastContact.get(entry.child);
    if (isProfessionalContact(entry)) lastContact.set(entry.child, entry);
    let interval = {
      days: previous ? daysBetween(firstDay(previous.date), firstDay(entry.date)) : null,
      approximate: previous ? isMonthOnly(previous.date) || isMonthOnly(entry.date) : false,
    };
    const event = options.sameEventOf?.(entry) ?? null;
    if (event !== null) {
      const first = firstOfEvent.get(event);
      if (first) interval = first;
      else firstOfEvent.set(event, interval);
    }
    return {
      ...entry,
      age: options.dateOfBirth ? ageAt(entry.date, options.dateOfBirth) : null,
      daysSincePreviousContact: interval.days,
      daysApproximate: interval.approximate,
      possibleDuplicateOf: groups.get(entry) ?? null,
    };
  });
}

/**
 * Entries on the same day with the same event type share this key ("2019-03-02/police_incident",
 * prefixed with the child key when there is one). Month-only entries have no day, so no key.
 */
export function duplicateKey(entry: Pick<ChronologyEntry, 'child' | 'date' | 'eventType'>): string | null {
  if (isMonthOnly(entry.date)) return null;
  const key = `${entry.date}/${entry.eventType}`;
  return entry.child === null ? key : `${entry.child}/${key}`;
}

/**
 * Possible duplicates and the key each shares: an entry with an entry of the same child and event
 * type from another agency within `days` of it, either side (one agency's two visits are not a
 * duplicate). The key is that of the first entry of its run: entries of the child and type each
 * within `days` of the one before. Entries come in date order. (The merge in SQL works this out
 * the same way: src/db/repositories/merged-chronology-repository.ts.)
 */
function duplicateGroups(entries: readonly ChronologyEntry[], days: number): Map<ChronologyEntry, string> {
  const runs = new Map<string, { key: string; day: IsoDate; members: ChronologyEntry[] }[]>();
  for (const entry of entries) {
    const key = duplicateKey(entry);
    if (key === null) continue;
    const kind = `${entry.child ?? ''}/${entry.eventType}`;
    const list = runs.get(kind) ?? [];
    if (!runs.has(kind)) runs.set(kind, list);
    const run = list.at(-1);
    if (run && daysBetween(run.day, entry.date) <= days) run.members.push(entry);
    else list.push({ key, day: entry.date, members: [entry] });
    list.at(-1)!.day = entry.date;
  }
  const found = new Map<ChronologyEntry, string>();
  for (const list of runs.values())
    for (const { key, members } of list)
      members.forEach((entry, i) => {
        // Members are in date order: look either way while within `days`.
        for (const step of [-1, 1])
          for (let j = i + step; j >= 0 && j < members.length; j += step) {
            const other = members[j]!;
            if (Math.abs(daysBetween(entry.date, other.date)) > days) break;
            if (other.agency !== entry.agency) {
              found.set(entry, key);
              return;
            }
          }
      });
  return found;
}

// ---------------------------------------------------------------------------------------------
// Age

/**
 * The child's age on `date` in the words a reviewer uses. A month-only date is measured from the
 * month's first day and said "about"; the month of birth itself is "month of birth".
 */
export function ageAt(date: string, dateOfBirth: IsoDate): string {
  if (!isMonthOnly(date)) return date < dateOfBirth ? 'unborn' : exactAge(date, dateOfBirth);
  if (date === dateOfBirth.slice(0, 7)) return 'month of birth';
  const start = firstDay(date);
  return start < dateOfBirth ? 'unborn' : `about ${exactAge(start, dateOfBirth)}`;
}

function exactAge(date: IsoDate, dateOfBirth: IsoDate): string {
  let months = (Number(date.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))) * 12;
  months += Number(date.slice(5, 7)) - Number(dateOfBirth.slice(5, 7));
  if (addMonths(dateOfBirth, months) > date) months -= 1;
  if (months === 0) {
    const days = daysBetween(dateOfBirth, date);
    return days === 0 ? 'day of birth' : plural(days, 'day');
  }
  if (months < 12) return plural(months, 'month');
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return rest === 0 ? plural(years, 'year') : `${plural(years, 'year')} ${plural(rest, 'month')}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------
// Gaps

export interface Gap {
  /** The last day covered by an entry before the gap. */
  from: IsoDate;
  /** The first day covered by an entry after it. */
  to: IsoDate;
  days: number;
}

/**
 * Periods of at least `minDays` with no entry at all, for the timeline picture. A month-only
 * entry covers its whole month, so a gap is never drawn across a month something happened in.
 */
export function longGaps(entries: Iterable<Pick<ChronologyEntry, 'date' | 'time'>>, minDays: number): Gap[] {
  const gaps: Gap[] = [];
  let coveredTo: IsoDate | null = null;
  for (const entry of sortChronology(entries)) {
    const start = firstDay(entry.date);
    const end = lastDay(entry.date);
    if (coveredTo !== null && start > coveredTo) {
      const days = daysBetween(coveredTo, start);
      if (days >= Math.max(minDays, 1)) gaps.push({ from: coveredTo, to: start, days });
    }
    if (coveredTo === null || end > coveredTo) coveredTo = end;
  }
  return gaps;
}

function isMonthOnly(date: string): boolean {
  return date.length === 7;
}

function firstDay(date: string): IsoDate {
  return isMonthOnly(date) ? `${date}-01` : date;
}

function lastDay(date: string): IsoDate {
  return isMonthOnly(date) ? addDays(addMonths(`${date}-01`, 1), -1) : date;
}
