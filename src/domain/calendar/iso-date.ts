/**
 * Calendar dates are ISO strings (`YYYY-MM-DD`) throughout the domain: a safeguarding
 * chronology speaks in days, and strings carry no time zone to go wrong.
 *
 * The arithmetic counts whole days since 1970-01-01 (UTC, so no clock changes) without building a
 * Date: a population scan asks the same few thousand dates millions of times, and building a Date,
 * checking it and formatting it back each time was most of its cost. Results are remembered; the
 * caches hold dates, not people's data, and are emptied if they ever grow large.
 */
export type IsoDate = string;

const MAX_CACHED = 100_000;
const DAY_MS = 86_400_000;

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

const ZERO = 48;
function digit(text: string, at: number): number {
  const d = text.charCodeAt(at) - ZERO;
  return d >= 0 && d <= 9 ? d : NaN;
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whole days since 1970-01-01 of a `YYYY-MM-DD` calendar date, or NaN for anything else (not years
 * before 100, which Date reads as 19xx), read without building a Date (Hinnant's days-from-civil).
 */
export function parseDay(iso: string): number {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return NaN;
  const year = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  const month = digit(iso, 5) * 10 + digit(iso, 6);
  const day = digit(iso, 8) * 10 + digit(iso, 9);
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function isIsoDate(value: string): boolean {
  return !Number.isNaN(parseDay(value));
}

/** Whole days since 1970-01-01; throws a RangeError on a string that is not a calendar date. */
export function dayNumber(iso: IsoDate): number {
  const day = parseDay(iso);
  if (Number.isNaN(day)) throw new RangeError(`Not a calendar date: ${iso}`);
  return day;
}

const isoDates = new Map<number, IsoDate>();

export function isoFromDayNumber(day: number): IsoDate {
  const cached = isoDates.get(day);
  if (cached !== undefined) return cached;
  return remember(isoDates, day, new Date(day * DAY_MS).toISOString().slice(0, 10));
}

export function toUtcDate(iso: IsoDate): Date {
  return new Date(dayNumber(iso) * DAY_MS);
}

export function fromUtcDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return isoFromDayNumber(dayNumber(iso) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

const monthsLater = new Map<string, IsoDate>();

/** The same day `months` later (or earlier), or the month's last day when it has no such day. */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const key = `${iso}|${months}`;
  const cached = monthsLater.get(key);
  if (cached !== undefined) return cached;
  const d = toUtcDate(iso);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(Math.min(day, daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1)));
  return remember(monthsLater, key, fromUtcDate(d));
}

/** Made once: building a DateTimeFormat costs far more than using one. */
const LONDON_ISO_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Europe/London for a given instant (the domain never reads the clock itself). */
export function londonDate(instant: Date): IsoDate {
  return LONDON_ISO_DATE.format(instant);
}

