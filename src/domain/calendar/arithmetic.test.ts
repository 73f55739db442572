import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, parseDay } from './iso-date.ts';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days.ts';

/**
 * The calendar counts days as numbers, with caches and per-year tables of working days. These
 * are the plain Date-based definitions it must agree with, day by day.
 */
const calendar = {
  isIsoDate(value: string): boolean {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  },
  toUtcDate(iso: string): Date {
    if (!calendar.isIsoDate(iso)) throw new RangeError(`Not a calendar date: ${iso}`);
    return new Date(`${iso}T00:00:00Z`);
  },
  addDays(iso: string, days: number): string {
    const d = calendar.toUtcDate(iso);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  },
  daysBetween(from: string, to: string): number {
    return Math.round((calendar.toUtcDate(to).getTime() - calendar.toUtcDate(from).getTime()) / 86_400_000);
  },
  addMonths(iso: string, months: number): string {
    const d = calendar.toUtcDate(iso);
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
    return d.toISOString().slice(0, 10);
  },
};
const working = {
  addWorkingDays(start: string, n: number): string {
    let date = start;
    let left = n;
    while (left > 0) {
      date = calendar.addDays(date, 1);
      if (isWorkingDay(date)) left -= 1;
    }
    return date;
  },
  workingDaysBetween(from: string, to: string): number {
    if (to < from) return -working.workingDaysBetween(to, from);
    let count = 0;
    for (let d = calendar.addDays(from, 1); d <= to; d = calendar.addDays(d, 1))
      if (isWorkingDay(d)) count += 1;
    return count;
  },
};

// Every day from 2018 to 2027, so bank holidays, leap days and year ends are all crossed.
const days: string[] = [];
for (let d = '2018-01-01'; d < '2028-01-01'; d = calendar.addDays(d, 1)) days.push(d);

describe('the calendar against plain Date arithmetic', () => {
  it('adds days, months and counts days as Date does', () => {
    const ours: unknown[] = [];
    const theirs: unknown[] = [];
    for (const [i, d] of days.entries()) {
      for (const n of [-400, -31, -1, 0, 1, 28, 45, 183, 366]) {
        ours.push(addDays(d, n));
        theirs.push(calendar.addDays(d, n));
      }
      for (const m of [1, 3, 6, 12]) {
        ours.push(addMonths(d, m));
        theirs.push(calendar.addMonths(d, m));
      }
      const other = days[(i * 7919) % days.length] as string;
      ours.push(daysBetween(d, other));
      theirs.push(calendar.daysBetween(d, other));
    }
    expect(ours).toEqual(theirs);
  });

  it('counts and adds working days as a day-by-day count does, across bank holidays and years', () => {
    const ours: unknown[] = [];
    const theirs: unknown[] = [];
    for (let i = 0; i < days.length; i += 5) {
      const d = days[i] as string;
      for (const n of [0, 1, 5, 10, 45]) {
        ours.push(addWorkingDays(d, n));
        theirs.push(working.addWorkingDays(d, n));
      }
      for (const span of [0, 1, 3, 20, 70, 400]) {
        const later = days[Math.min(i + span, days.length - 1)] as string;
        ours.push(workingDaysBetween(d, later), workingDaysBetween(later, d));
        theirs.push(working.workingDaysBetween(d, later), working.workingDaysBetween(later, d));
      }
    }
    expect(ours).toEqual(theirs);
  });

  it('reads a date to the same day as Date does, and refuses what isIsoDate refuses', () => {
    const samples = [
      '1970-01-01',
      '1969-12-31',
      '2000-02-29',
      '1900-02-28',
      '2024-12-31',
      '0100-03-01',
      '9999-12-31',
      '1900-02-29',
      '2021-02-29',
      '2021-04-31',
      '2021-00-10',
      '2021-13-01',
      '2021-01-00',
      '0099-12-31',
      '2021-1-01',
      '2021/01/01',
      '20210101xx',
      '2021-01-0a',
      ' 2021-01-1',
      '２０２１-01-01',
      '2021-01-01T',
    ];
    for (let year = 100; year < 10_000; year += 37) {
      for (const [month, day] of [
        [1, 1],
        [2, 28],
        [2, 29],
        [3, 1],
        [12, 31],
      ] as const)
        samples.push(
          `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        );
    }
    for (const iso of samples) {
      const expected = calendar.isIsoDate(iso) ? calendar.toUtcDate(iso).getTime() / 86_400_000 : NaN;
      expect([iso, parseDay(iso)]).toEqual([iso, expected]);
    }
  });

  it('refuses what is not a date, as the calendar does', () => {
    expect(() => addDays('2021-02-30', 1)).toThrow(RangeError);
    expect(() => workingDaysBetween('2021-13-01', '2021-12-01')).toThrow(RangeError);
  });
});
