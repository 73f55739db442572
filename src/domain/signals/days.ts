import { addMonths as calendarAddMonths, type IsoDate } from '../calendar/iso-date.ts';
import { isWorkingDay } from '../calendar/working-days.ts';

/**
 * The calendar arithmetic the rules do, with the same answers as src/domain/calendar but cached:
 * a population scan asks the same few thousand dates millions of times, and building a Date,
 * checking it and formatting it back each time was most of the scan's cost. Days are counted as
 * whole days since 1970-01-01 (UTC, so no clock changes). The caches hold dates, not people's
 * data, and are emptied if they ever grow large.
 */
const MAX_CACHED = 100_000;
const DAY_MS = 86_400_000;

const isoDates = new Map<number, IsoDate>();

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
 * Whole days since 1970-01-01 of a `YYYY-MM-DD` calendar date, or NaN for anything else: the
 * dates isIsoDate accepts (so not years before 100, which Date reads as 19xx), read without
 * building a Date (Hinnant's days-from-civil).
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

/** Whole days since 1970-01-01; throws on a string that is not a calendar date, as toUtcDate does. */
export function dayNumber(iso: IsoDate): number {
  const day = parseDay(iso);
  if (Number.isNaN(day)) throw new RangeError(`Not a calendar date: ${iso}`);
  return day;
}

export function isoFromDayNumber(day: number): IsoDate {
  const cached = isoDates.get(day);
  if (cached !== undefined) return cached;
  return remember(isoDates, day, new Date(day * DAY_MS).toISOString().slice(0, 10));
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return isoFromDayNumber(dayNumber(iso) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

const monthsLater = new Map<string, IsoDate>();

export function addMonths(iso: IsoDate, months: number): IsoDate {
  const key = `${iso}|${months}`;
  const cached = monthsLater.get(key);
  if (cached !== undefined) return cached;
  return remember(monthsLater, key, calendarAddMonths(iso, months));
}

/** A year's working days: `upTo[i]` counts them from 1 January to day i of the year inclusive. */
interface WorkingYear {
  readonly firstDay: number;
  readonly upTo: Int32Array;
  readonly working: Uint8Array;
}
const years = new Map<number, WorkingYear>();

function workingYear(year: number): WorkingYear {
  let y = years.get(year);
  if (y) return y;
  const firstDay = Date.UTC(year, 0, 1) / DAY_MS;
  const length = Date.UTC(year + 1, 0, 1) / DAY_MS - firstDay;
  const upTo = new Int32Array(length);
  const working = new Uint8Array(length);
  let count = 0;
  for (let i = 0; i < length; i += 1) {
    if (isWorkingDay(isoFromDayNumber(firstDay + i))) {
      working[i] = 1;
      count += 1;
    }
    upTo[i] = count;
  }
  y = { firstDay, upTo, working };
  years.set(year, y);
  return y;
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Working days from 1 January of the day's year up to and including the day. */
function workingUpTo(day: number): { year: number; count: number } {
  const year = yearOf(day);
  const y = workingYear(year);
  return { year, count: y.upTo[day - y.firstDay] as number };
}

/**
 * Working days after `from` up to and including `to` (as workingDaysBetween in
 * src/domain/calendar/working-days.ts): 0 on the same day, negative when `to` is before `from`.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return -workingDaysBetween(to, from);
  const a = workingUpTo(dayNumber(from));
  const b = workingUpTo(dayNumber(to));
  let count = b.count - a.count;
  for (let year = a.year; year < b.year; year += 1) count += workingYear(year).upTo.at(-1) as number;
  return count;
}

/** The date `n` working days after `start` (n ≥ 0; day 0 is `start` itself). */
export function addWorkingDays(start: IsoDate, n: number): IsoDate {
  if (n < 0) throw new RangeError('addWorkingDays takes n ≥ 0');
  let day = dayNumber(start);
  let left = n;
  let y = workingYear(yearOf(day));
  while (left > 0) {
    day += 1;
    let i = day - y.firstDay;
    if (i >= y.working.length) {
      y = workingYear(yearOf(day));
      i = day - y.firstDay;
    }
    if (y.working[i]) left -= 1;
  }
  return isoFromDayNumber(day);
}
