import { isIsoDate, type IsoDate } from '../calendar/iso-date.ts';

const MONTHS = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may', 'may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sept?'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
] as const;

const ANY_MONTH = `(?:${MONTHS.map(([full, short]) => `${full}|${short}\\.?`).join('|')})`;
const ORDINAL = '(?:st|nd|rd|th)?';
const EDGE_BEFORE = '(?<![\\p{L}\\p{N}])';
const EDGE_AFTER = '(?![\\p{L}\\p{N}]|[/.-]\\d)';

/** The month (1–12) a written month names ("Mar", "march", "Sept."). */
function monthNumber(text: string): number | undefined {
  const word = text.toLowerCase().replace(/\.$/, '');
  const index = MONTHS.findIndex(([full, short]) => word === full || new RegExp(`^${short}$`).test(word));
  return index < 0 ? undefined : index + 1;
}

/**
 * A pattern for one date in the ways people write it: 14/03/2018, 14.3.18, 2018-03-14,
 * 14 March 2018, 14th Mar 2018, 14th of March, 2018, March 14, 2018 (and 03/14/2018).
 */
export function datePattern(iso: IsoDate): RegExp | undefined {
  if (!isIsoDate(iso)) return undefined;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const [full, short] = MONTHS[m - 1] ?? MONTHS[0];
  const month = `(?:${full}|${short}\\.?)`;
  const day = `0?${d}`;
  const mon = `0?${m}`;
  const year = `(?:${y}|'?${String(y).slice(2)})`;
  const sep = '[/.\\-]';
  const forms = [
    `${day}${sep}${mon}${sep}${year}`,
    `${mon}${sep}${day}${sep}${year}`,
    `${y}${sep}${mon}${sep}${day}`,
    `${day}${ORDINAL}(?:\\s+of)?[\\s-]+${month}[\\s,-]+${year}`,
    `${month}[\\s-]+${day}${ORDINAL},?[\\s-]+${year}`,
  ];
  return new RegExp(`${EDGE_BEFORE}(?:${forms.join('|')})${EDGE_AFTER}`, 'giu');
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const fullYear = (text: string): number => {
  const y = Number(text.replace("'", ''));
  return text.replace("'", '').length === 2 ? 2000 + y : y;
};

// Any full date: day, month and year. A month and year ("March 2021") is not one.
const NUMERIC = /(?<![\p{L}\p{N}/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\p{L}\p{N}]|[/.-]\d)/gu;
const ISO = /(?<![\p{L}\p{N}/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\p{L}\p{N}]|[/.-]\d)/gu;
const DAY_FIRST = new RegExp(
  `${EDGE_BEFORE}(\\d{1,2})${ORDINAL}(?:\\s+of)?[\\s-]+(${ANY_MONTH})[\\s,-]+(\\d{4})${EDGE_AFTER}`,
  'giu',
);
const MONTH_FIRST = new RegExp(
  `${EDGE_BEFORE}(${ANY_MONTH})[\\s-]+(\\d{1,2})${ORDINAL},?[\\s-]+(\\d{4})${EDGE_AFTER}`,
  'giu',
);

export interface FoundDate {
  start: number;
  end: number;
}

/** Every full calendar date written in the text, in any of the forms above. */
export function findFullDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  const add = (m: RegExpMatchArray, ok: boolean) => {
    if (ok && m.index !== undefined) found.push({ start: m.index, end: m.index + m[0].length });
  };
  for (const m of text.matchAll(NUMERIC)) {
    const [a, b, y] = [Number(m[1]), Number(m[3]), fullYear(m[4] ?? '')];
    add(m, isCalendarDate(y, b, a) || isCalendarDate(y, a, b));
  }
  for (const m of text.matchAll(ISO)) add(m, isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])));
  for (const m of text.matchAll(DAY_FIRST)) {
    add(m, isCalendarDate(Number(m[3]), monthNumber(m[2] ?? '') ?? 0, Number(m[1])));
  }
  for (const m of text.matchAll(MONTH_FIRST)) {
    add(m, isCalendarDate(Number(m[3]), monthNumber(m[1] ?? '') ?? 0, Number(m[2])));
  }
  return found;
}
