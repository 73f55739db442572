import { daysInMonth, type IsoDate } from '../calendar/iso-date.ts';

/**
 * The date a briefing gives itself ("Published: March 2023", "Date: 14/06/2021", "June 2022" in
 * its title), so the library files it under the year it was written rather than the year it was
 * imported. A date of an event in the story is not taken: only a labelled date, or one in the title.
 */

export interface DocumentDate {
  /** The date, or the first of its month or year when that is all the document says. */
  iso: IsoDate;
  precision: 'day' | 'month' | 'year';
  /** The words it was read from. */
  text: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const YEAR = String.raw`((?:19|20)\d{2})`;
const DATE_FORMS: { re: RegExp; read: (m: RegExpExecArray) => DocumentDate | null }[] = [
  {
    re: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH}\.?,?\s+${YEAR}\b`, 'i'),
    read: (m) => make(Number(m[3]), monthOf(m[2]!), Number(m[1]), 'day', m[0]),
  },
  {
    re: new RegExp(String.raw`\b${MONTH}\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+${YEAR}\b`, 'i'),
    read: (m) => make(Number(m[3]), monthOf(m[1]!), Number(m[2]), 'day', m[0]),
  },
  {
    re: new RegExp(String.raw`\b${MONTH}\.?,?\s+${YEAR}\b`, 'i'),
    read: (m) => make(Number(m[2]), monthOf(m[1]!), 1, 'month', m[0]),
  },
  {
    re: /\b(\d{4})-(\d{2})-(\d{2})\b/,
    read: (m) => make(Number(m[1]), Number(m[2]), Number(m[3]), 'day', m[0]),
  },
  {
    re: /\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})\b/,
    read: (m) => make(Number(m[3]), Number(m[2]), Number(m[1]), 'day', m[0]),
  },
  {
    re: /\b(\d{1,2})[/.]((?:19|20)\d{2})\b/,
    read: (m) => make(Number(m[2]), Number(m[1]), 1, 'month', m[0]),
  },
];
const YEAR_ONLY = new RegExp(String.raw`\b${YEAR}\b`);

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function make(
  year: number,
  month: number,
  day: number,
  precision: DocumentDate['precision'],
  text: string,
): DocumentDate | null {
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return null;
  const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { iso, precision, text: text.trim() };
}

/** The first date written in the text, in any of the forms above; a year alone only if `yearAlone`. */
export function readDate(text: string, yearAlone = false): DocumentDate | null {
  let best: { at: number; date: DocumentDate } | null = null;
  for (const form of DATE_FORMS) {
    const m = form.re.exec(text);
    if (!m) continue;
    const date = form.read(m);
    // The earliest match wins; at the same place, the fuller form (listed first) does.
    if (date && (!best || m.index < best.at)) best = { at: m.index, date };
  }
  if (best) return best.date;
  if (!yearAlone) return null;
  const y = YEAR_ONLY.exec(text);
  return y ? make(Number(y[1]), 1, 1, 'year', y[0]) : null;
}

// Labels that date the document itself, strongest first: "updated" dates a web page, not the briefing.
// A bare "date" only opens a line ("Date: June 2021"), never "to date, …".
const PUBLISHED =
  /(?:^\s*date\b|\b(?:published|publication date|date of publication|date published|issued|date issued|dated|produced|briefing date|date of briefing))\s*(?:on|in|:|-|–)?\s*/i;
const UPDATED =
  /\b(?:last updated|page last updated|updated|last reviewed|reviewed|revised)\b\s*(?:on|in|:|-|–)?\s*/i;

/** A whole line that only says when the document was published or updated: metadata, not content. */
export const DATE_LINE = new RegExp(
  String.raw`^(?:page )?(?:published|publication date|date of publication|date published|issued|date issued|dated|produced|briefing date|date of briefing|date|last updated|updated|last reviewed|reviewed|revised)(?: on| in)?\s*[:\-–]?\s*.{4,30}$`,
  'i',
);

function labelled(lines: readonly string[], label: RegExp): DocumentDate | null {
  for (const line of lines) {
    const m = label.exec(line);
    if (!m) continue;
    const date = readDate(line.slice(m.index + m[0].length, m.index + m[0].length + 40), true);
    if (date) return date;
  }
  return null;
}

/** The document's own date: labelled as published, else in its title, else labelled as updated. */
export function documentDate(lines: readonly string[], title: string): DocumentDate | null {
  return labelled(lines, PUBLISHED) ?? readDate(title) ?? labelled(lines, UPDATED);
}

/** Whether a line is only a date label and its date ("Published: March 2023"). */
export function isDateLine(line: string): boolean {
  const text = line.trim();
  if (!DATE_LINE.test(text)) return false;
  const rest = text.replace(PUBLISHED, '').replace(UPDATED, '');
  return (
    readDate(rest, true) !== null &&
    rest.replace(readDate(rest, true)!.text, '').replace(/[\s.,:–-]/g, '') === ''
  );
}
