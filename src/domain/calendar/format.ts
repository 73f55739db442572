import { toUtcDate, type IsoDate } from './iso-date.ts';
import { workingDaysBetween } from './working-days.ts';

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

/** GOV.UK style: "4 June 2025"; a month-only date ("2019-03") as "March 2019". */
export function formatDate(iso: IsoDate | null | undefined): string {
  if (!iso) return '';
  if (/^\d{4}-\d{2}$/.test(iso)) return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
  const d = toUtcDate(iso.slice(0, 10));
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

// Made once: building a DateTimeFormat costs far more than using one (about 1 ms of every page
// that lists times, when it was made on each call).
const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "4 June 2025 at 2:05pm", Europe/London. */
export function formatDateTime(instant: Date): string {
  const parts = LONDON_DATE_TIME.formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase()}`;
}

/** "due in 3 working days", "due today", "2 working days overdue". */
export function describeDeadline(today: IsoDate, due: IsoDate): string {
  if (due === today) return 'due today';
  if (due > today) {
    const n = workingDaysBetween(today, due);
    return `due in ${n} working day${n === 1 ? '' : 's'}`;
  }
  const n = workingDaysBetween(due, today);
  return n === 0 ? 'overdue' : `${n} working day${n === 1 ? '' : 's'} overdue`;
}
