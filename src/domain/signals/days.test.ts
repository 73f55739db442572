import { describe, expect, it } from 'vitest';
import * as calendar from '../calendar/iso-date.ts';
import * as working from '../calendar/working-days.ts';
import { addDays, addMonths, addWorkingDays, daysBetween, parseDay, workingDaysBetween } from './days.ts';

// Every day from 2018 to 2027, so bank holidays, leap days and year ends are all crossed.
const days: string[] = [];
for (let d = '2018-01-01'; d < '2028-01-01'; d = calendar.addDays(d, 1)) days.push(d);

describe('the cached calendar of the rules', () => {
  it('adds days, months and counts days as src/domain/calendar does', () => {
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

  it('counts and adds working days as src/domain/calendar does, across bank holidays and years', () => {
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
