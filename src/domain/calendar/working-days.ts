import Holidays from 'date-holidays';
import { addDays, toUtcDate, type IsoDate } from './iso-date.ts';

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

/** The date `n` working days after `start` (n ≥ 0; day 0 is `start` itself). */
export function addWorkingDays(start: IsoDate, n: number): IsoDate {
  if (n < 0) throw new RangeError('addWorkingDays takes n ≥ 0');
  let date = start;
  let left = n;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date)) left -= 1;
  }
  return date;
}

/**
 * Working days after `from` up to and including `to`: 0 on the same day, 1 for the next working
 * day. Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return -workingDaysBetween(to, from);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count += 1;
  return count;
}
