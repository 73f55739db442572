import Holidays from 'date-holidays';
import { dayNumber, isoFromDayNumber, toUtcDate, type IsoDate } from './iso-date.ts';

/**
 * England's working days: Monday to Friday, less the bank holidays of England and Wales
 * (date-holidays keeps the list, including substitute days and one-off holidays).
 */
const england = new Holidays('GB', 'ENG');
const bankHolidayCache = new Map<number, Set<IsoDate>>();

function bankHolidays(year: number): Set<IsoDate> {
  let set = bankHolidayCache.get(year);
  if (!set) {
    set = new Set(
      england
        .getHolidays(year)
        .filter((h) => h.type === 'public' || h.type === 'bank')
        .map((h) => h.date.slice(0, 10)),
    );
    bankHolidayCache.set(year, set);
  }
  return set;
}

export function isBankHoliday(iso: IsoDate): boolean {
  return bankHolidays(Number(iso.slice(0, 4))).has(iso);
}

export function isWorkingDay(iso: IsoDate): boolean {
  const weekday = toUtcDate(iso).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(iso);
}

/** A year's working days: `upTo[i]` counts them from 1 January to day i of the year inclusive. */
interface WorkingYear {
  readonly firstDay: number;
  readonly upTo: Int32Array;
  readonly working: Uint8Array;
}
const years = new Map<number, WorkingYear>();
const DAY_MS = 86_400_000;

/** Worked out once per year and kept: the deadlines and rules count working days all the time. */
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

/**
 * Working days after `from` up to and including `to`: 0 on the same day, 1 for the next working
 * day. Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return -workingDaysBetween(to, from);
  const a = workingUpTo(dayNumber(from));
  const b = workingUpTo(dayNumber(to));
  let count = b.count - a.count;
  for (let year = a.year; year < b.year; year += 1) count += workingYear(year).upTo.at(-1) as number;
  return count;
}

/** The date `n` working days before `end` (the last working day from which `end` is `n` away). */
export function workingDaysBefore(end: IsoDate, n: number): IsoDate {
  if (n < 0) throw new RangeError('workingDaysBefore takes n ≥ 0');
  let day = dayNumber(end);
  let left = n;
  while (left > 0) {
    day -= 1;
    if (isWorkingDay(isoFromDayNumber(day))) left -= 1;
  }
  return isoFromDayNumber(day);
}
