import { describe, expect, it } from 'vitest';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days.ts';
import { addMonths, isIsoDate, londonDate } from './iso-date.ts';
import { describeDeadline, formatDate, formatDateTime } from './format.ts';

describe('England working days', () => {
  it('skips weekends', () => {
    // Friday 6 March 2026 + 1 working day is Monday 9 March.
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09');
    expect(isWorkingDay('2026-03-07')).toBe(false);
  });

  it('skips the Christmas and Boxing Day bank holidays, and their substitutes', () => {
    // 25 and 26 December 2026 fall on Friday and Saturday; Monday 28 December is the substitute.
    expect(isWorkingDay('2026-12-25')).toBe(false);
    expect(isWorkingDay('2026-12-28')).toBe(false);
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
  });

  it('skips Easter Monday and the early May bank holiday', () => {
    expect(isWorkingDay('2026-04-06')).toBe(false); // Easter Monday 2026
    expect(isWorkingDay('2026-05-04')).toBe(false); // early May bank holiday 2026
    expect(addWorkingDays('2026-04-02', 1)).toBe('2026-04-07'); // over Good Friday and Easter Monday
  });

  it('counts the working days between two dates, both ways', () => {
    expect(workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1);
    expect(workingDaysBetween('2026-03-09', '2026-03-09')).toBe(0);
    expect(workingDaysBetween('2026-03-09', '2026-03-06')).toBe(-1);
    expect(workingDaysBetween('2026-03-02', addWorkingDays('2026-03-02', 45))).toBe(45);
  });
});

describe('dates', () => {
  it('knows a real calendar date', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
  });

  it('adds months, keeping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-15', 12)).toBe('2027-03-15');
  });

  it("takes today's date in London, not UTC", () => {
    // 23:30 UTC on 30 June is already 1 July in British Summer Time.
    expect(londonDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(londonDate(new Date('2026-01-31T23:30:00Z'))).toBe('2026-01-31');
  });

  it('formats in GOV.UK style', () => {
    expect(formatDate('2025-06-04')).toBe('4 June 2025');
    expect(formatDate('2019-03')).toBe('March 2019');
    expect(formatDate(null)).toBe('');
    expect(formatDateTime(new Date('2026-06-30T13:05:00Z'))).toBe('30 June 2026 at 2:05pm');
  });

  it('spells out working-day deadlines', () => {
    expect(describeDeadline('2026-03-06', '2026-03-06')).toBe('due today');
    expect(describeDeadline('2026-03-06', '2026-03-09')).toBe('due in 1 working day');
    expect(describeDeadline('2026-03-06', '2026-03-12')).toBe('due in 4 working days');
    expect(describeDeadline('2026-03-12', '2026-03-06')).toBe('4 working days overdue');
  });
});
