import { formatDate } from '../calendar/format.ts';
import { isIsoDate } from '../calendar/iso-date.ts';
import {
  CONCERN_TAGS,
  EVENT_TYPES,
  TRISTATE,
  type ChronologyEntry,
  type ConcernTag,
  type EventType,
  type Tristate,
} from './entry.ts';

/**
 * Checks one row of an agency's chronology against the CSV contract in docs/interfaces.md and
 * turns it into a ChronologyEntry. Messages are written for an agency safeguarding lead fixing a
 * spreadsheet, not for a developer.
 */

/** A problem in one cell or row. `row` is the spreadsheet row (the header is row 1). */
export interface RowProblem {
  row: number;
  column: string | null;
  message: string;
}

export type ValidationResult = { ok: true; entry: ChronologyEntry } | { ok: false; problems: RowProblem[] };

/** The contract's columns, in the order of docs/interfaces.md (the writer keeps this order). */
export const CHRONOLOGY_COLUMNS = [
  'child',
  'date',
  'time',
  'agency',
  'event_type',
  'summary',
  'children_present',
  'child_seen',
  'child_voice',
  'concerns',
  'worker',
  'practitioner_role',
  'action_taken',
  'outcome',
  'significance',
  'source_ref',
] as const;
export type ChronologyColumn = (typeof CHRONOLOGY_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly ChronologyColumn[] = ['date', 'agency', 'event_type', 'summary'];

/** Each contract column's place in CHRONOLOGY_COLUMNS: a row's cells are held in that order. */
const COLUMN_AT: ReadonlyMap<string, number> = new Map(CHRONOLOGY_COLUMNS.map((name, i) => [name, i]));

/** "Event Type " and "event-type" both name `event_type`: people retype headers by hand. */
export function normaliseColumnName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** "Row 14, column "date": ..." — how a problem reads on its own, outside any file. */
export function formatRowProblem(p: RowProblem): string {
  return p.column === null
    ? `Row ${p.row}: ${p.message}`
    : `Row ${p.row}, column "${p.column}": ${p.message}`;
}

// ---------------------------------------------------------------------------------------------
// Header

/**
 * Problems with the header row: a missing required column, or a column named twice. `child` is
 * required only when the caller knows the file holds several children.
 */
export function checkHeader(
  columns: readonly string[],
  options: { requireChild?: boolean } = {},
): RowProblem[] {
  const problems: RowProblem[] = [];
  const firstSeen = new Map<string, number>();
  columns.forEach((raw, index) => {
    const name = normaliseColumnName(raw);
    if (name === '') return;
    const earlier = firstSeen.get(name);
    if (earlier === undefined) {
      firstSeen.set(name, index);
      return;
    }
    problems.push({
      row: 1,
      column: raw.trim(),
      message: `the column "${name}" appears twice (columns ${earlier + 1} and ${index + 1}). Remove or rename one of them.`,
    });
  });
  const required = options.requireChild ? ['child', ...REQUIRED_COLUMNS] : REQUIRED_COLUMNS;
  for (const name of required) {
    if (firstSeen.has(name)) continue;
    problems.push({
      row: 1,
      column: null,
      message:
        name === 'child'
          ? 'there is no "child" column. A file with several children needs a child key on every row.'
          : `there is no "${name}" column. The first row must name the columns; every chronology needs date, agency, event_type and summary.`,
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Rows

/** Validates a record keyed by header names (as written in the file). */
export function validateRecord(record: Readonly<Record<string, string>>, row: number): ValidationResult {
  const columns = Object.keys(record);
  return recordValidator(columns)(
    columns.map((c) => record[c] ?? ''),
    row,
  );
}

/**
 * A validator for rows laid out like `columns`, with the header worked out once: the readers
 * call it for every row of a file that may hold a million.
 */
export function recordValidator(
  columns: readonly string[],
): (values: readonly string[], row: number) => ValidationResult {
  // Where each contract column's value is in a row (the last of the same name, as a later key
  // overwrites an earlier one), and the other named columns.
  const known = new Array<number>(CHRONOLOGY_COLUMNS.length).fill(-1);
  const extraAt: number[] = [];
  const extraNames: string[] = [];
  columns.forEach((raw, i) => {
    const name = normaliseColumnName(raw);
    if (name === '') return;
    const at = COLUMN_AT.get(name);
    if (at !== undefined) known[at] = i;
    else {
      extraAt.push(i);
      extraNames.push(raw.trim());
    }
  });
  return (values, row) => {
    const cells = new Array<string>(known.length);
    for (let k = 0; k < known.length; k++) {
      const i = known[k]!;
      cells[k] = i < 0 ? '' : normaliseLineBreaks(values[i] ?? '');
    }
    const extra: Record<string, string> = {};
    for (let k = 0; k < extraAt.length; k++) {
      const value = normaliseLineBreaks(values[extraAt[k]!] ?? '');
      // Unknown columns are kept as they came (an empty cell is simply absent).
      if (value !== '') extra[extraNames[k]!] = value;
    }
    return validateFields(cells, extra, row);
  };
}

/** CSV and XLSX disagree on line breaks inside a cell; a chronology keeps plain `\n`. */
function normaliseLineBreaks(value: string): string {
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

/** A row's cells in the order of CHRONOLOGY_COLUMNS ('' for a column the file does not have). */
type Cells = readonly string[];

/** A cell's trimmed text, or null when empty. */
function textOf(cells: Cells, column: ChronologyColumn): string | null {
  const value = cells[COLUMN_AT.get(column)!]!.trim();
  return value ? value : null;
}

function validateFields(
  fields: Cells,
  extra: Record<string, string>,
  row: number,
): ValidationResult {
  const problems: RowProblem[] = [];

  const date = textOf(fields, 'date');
  const dateMessage = date === null ? `the date is missing. ${DATE_HELP}` : dateProblem(date);
  if (dateMessage) problems.push({ row, column: 'date', message: dateMessage });

  const rawTime = textOf(fields, 'time');
  const time = rawTime === null ? null : parseTime(rawTime);
  if (rawTime !== null && time === null)
    problems.push({
      row,
      column: 'time',
      message: `"${rawTime}" is not a time. Use HH:MM on the 24-hour clock, from 00:00 to 23:59.`,
    });

  const rawAgency = textOf(fields, 'agency');
  const agency = rawAgency === null ? null : normaliseAgency(rawAgency);
  if (rawAgency === null)
    problems.push({
      row,
      column: 'agency',
      message: 'the agency is missing. Give the agency name or code, for example police or csc.',
    });
  else if (agency === '')
    problems.push({
      row,
      column: 'agency',
      message: `"${rawAgency}" is not an agency name. Use a name or code such as police, csc or gp.`,
    });

  const rawEventType = textOf(fields, 'event_type');
  const eventType = rawEventType === null ? null : parseEventType(rawEventType);
  if (eventType === null)
    problems.push({
      row,
      column: 'event_type',
      message:
        rawEventType === null
          ? `the event type is missing. Use one of: ${EVENT_TYPES.join(', ')}.`
          : unknownEventTypeMessage(rawEventType),
    });

  const summary = textOf(fields, 'summary');
  if (summary === null)
    problems.push({ row, column: 'summary', message: 'the summary is missing. Say briefly what happened.' });

  const childrenPresent = tristateOf(fields, 'children_present', row, problems);
  const childSeen = tristateOf(fields, 'child_seen', row, problems);

  const rawConcerns = textOf(fields, 'concerns');
  const concerns = rawConcerns === null ? [] : concernsOf(rawConcerns, row, problems);

  if (problems.length > 0 || date === null || agency === null || eventType === null || summary === null)
    return { ok: false, problems };
  return {
    ok: true,
    entry: {
      child: textOf(fields, 'child'),
      date,
      time,
      agency,
      eventType,
      summary,
      childrenPresent,
      childSeen,
      childVoice: textOf(fields, 'child_voice'),
      concerns,
      worker: textOf(fields, 'worker'),
      practitionerRole: textOf(fields, 'practitioner_role'),
      actionTaken: textOf(fields, 'action_taken'),
      outcome: textOf(fields, 'outcome'),
      significance: textOf(fields, 'significance'),
      sourceRef: textOf(fields, 'source_ref'),
      extra,
      row,
    },
  };
}

/** The tags of a concerns cell, each once; the problems of any tag that is not one. */
function concernsOf(raw: string, row: number, problems: RowProblem[]): ConcernTag[] {
  // A file repeats a few combinations of tags: those that read cleanly are remembered.
  const known = concernLists.get(raw);
  if (known) return [...known];
  const concerns: ConcernTag[] = [];
  let clean = true;
  for (const part of raw.split(';')) {
    const tag = normaliseTag(part);
    if (tag === '') continue;
    if (!isConcernTag(tag)) {
      problems.push({ row, column: 'concerns', message: unknownConcernMessage(part.trim()) });
      clean = false;
    } else if (!concerns.includes(tag)) concerns.push(tag);
  }
  if (clean) remember(concernLists, raw, concerns);
  return [...concerns];
}

function tristateOf(
  fields: Cells,
  column: 'children_present' | 'child_seen',
  row: number,
  problems: RowProblem[],
): Tristate | null {
  const raw = textOf(fields, column);
  if (raw === null) return null;
  const value = parseTristate(raw);
  if (value === null)
    problems.push({
      row,
      column,
      message: `"${raw}" is not an answer this column accepts. Use yes, no or not_recorded, or leave it empty.`,
    });
  return value;
}

// ---------------------------------------------------------------------------------------------
// Dates and times

const DATE_HELP = 'Use YYYY-MM-DD, or YYYY-MM when only the month is known.';

/** Null when `value` is a real calendar date (`YYYY-MM-DD`) or month (`YYYY-MM`). */
export function dateProblem(value: string): string | null {
  if (isIsoDate(value)) return null;
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month && Number(month[1]) >= 1000 && Number(month[2]) >= 1 && Number(month[2]) <= 12) return null;
  // British spreadsheets write 02/03/2019 for 2 March 2019: say what we think it means.
  const british = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(value);
  if (british) {
    const iso = `${british[3]}-${british[2]!.padStart(2, '0')}-${british[1]!.padStart(2, '0')}`;
    if (isIsoDate(iso))
      return `"${value}" is not in the form YYYY-MM-DD: if it means ${formatDate(iso)}, write ${iso}.`;
  }
  // A date cell Excel lost its format for arrives as its serial number (43526 is 2 March 2019).
  if (/^\d{5}$/.test(value))
    return `"${value}" is not a date: it looks like a date Excel has stored as a number. Format the column as text in the form YYYY-MM-DD.`;
  return `"${value}" is not a date. ${DATE_HELP}`;
}

/** `HH:MM` (also `H:MM` and `HH:MM:SS`, as spreadsheets write them) → `HH:MM`, else null. */
export function parseTime(value: string): string | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

// ---------------------------------------------------------------------------------------------
// Coded values

function parseTristate(value: string): Tristate | null {
  let answer = tristates.get(value);
  if (answer === undefined) {
    const v = normaliseTag(value);
    answer = v === 'y' ? 'yes' : v === 'n' ? 'no' : TRISTATE_SET.has(v) ? (v as Tristate) : null;
    remember(tristates, value, answer);
  }
  return answer;
}

/** Lower case, with spaces and hyphens as underscores: "Home visit" reads as `home_visit`. */
function normaliseTag(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function parseEventType(value: string): EventType | null {
  let type = eventTypes.get(value);
  if (type === undefined) {
    const v = normaliseTag(value);
    type = EVENT_TYPE_SET.has(v) ? (v as EventType) : null;
    remember(eventTypes, value, type);
  }
  return type;
}

function isConcernTag(value: string): value is ConcernTag {
  return CONCERN_TAG_SET.has(value);
}

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);
const CONCERN_TAG_SET: ReadonlySet<string> = new Set(CONCERN_TAGS);
const TRISTATE_SET: ReadonlySet<string> = new Set(TRISTATE);

// A file writes the same few coded values a hundred thousand times over: each is read once, as
// written, and remembered (the caches are emptied if they ever grow large).
const eventTypes = new Map<string, EventType | null>();
const tristates = new Map<string, Tristate | null>();
const concernLists = new Map<string, readonly ConcernTag[]>();
const agencyCache = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= 10_000) cache.clear();
  cache.set(key, value);
}

/** Words people use for an event type: suggestions only, never accepted silently. */
const EVENT_TYPE_HINTS: Record<string, EventType[]> = {
  s47: ['section_47_enquiry'],
  section_47: ['section_47_enquiry'],
  strategy_meeting: ['strategy_discussion'],
  icpc: ['initial_cp_conference'],
  rcpc: ['review_cp_conference'],
  dna: ['missed_appointment'],
  did_not_attend: ['missed_appointment'],
  was_not_brought: ['missed_appointment'],
  wnb: ['missed_appointment'],
  no_access_visit: ['missed_appointment'],
  phone_call: ['contact'],
  telephone_call: ['contact'],
  incident: ['police_incident'],
  domestic_incident: ['police_incident'],
  core_group: ['multi_agency_meeting'],
  core_group_meeting: ['multi_agency_meeting'],
  lac: ['looked_after'],
  child_looked_after: ['looked_after'],
  closure: ['case_closed'],
  case_closure: ['case_closed'],
  assessment: ['assessment_started', 'assessment_completed'],
  single_assessment: ['assessment_started', 'assessment_completed'],
  development_check: ['developmental_check'],
  two_year_check: ['developmental_check'],
  appointment: ['health_appointment'],
  early_help: ['early_help_start', 'early_help_end'],
  cp_plan: ['cp_plan_start', 'cp_plan_end'],
  cin_plan: ['cin_plan_start', 'cin_plan_end'],
};

const CONCERN_HINTS: Record<string, ConcernTag> = {
  drug: 'drugs',
  substance_misuse: 'drugs',
  da: 'domestic_abuse',
  dv: 'domestic_abuse',
  domestic_violence: 'domestic_abuse',
  cce: 'exploitation',
  cse: 'exploitation',
  ocg: 'organised_crime',
  mh: 'mental_health',
  physical_abuse: 'physical_harm',
  sexual_abuse: 'sexual_harm',
  emotional_abuse: 'emotional_harm',
  missing_from_home: 'missing',
  attendance: 'school_attendance',
};

function unknownEventTypeMessage(raw: string): string {
  const suggestions = suggest(normaliseTag(raw), EVENT_TYPES, EVENT_TYPE_HINTS);
  const start = `"${raw}" is not one of the event types.`;
  if (suggestions.length > 0)
    return `${start} Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
  return `${start} Use one of: ${EVENT_TYPES.join(', ')}.`;
}

function unknownConcernMessage(raw: string): string {
  if (raw.includes(','))
    return `"${raw}" is not a concern tag. Separate tags with semicolons, for example drugs;neglect.`;
  const hint = CONCERN_HINTS[normaliseTag(raw)];
  const suggestions = hint ? [hint] : suggest(normaliseTag(raw), CONCERN_TAGS, {});
  const start = `"${raw}" is not a concern tag.`;
  if (suggestions.length > 0)
    return `${start} Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
  return `${start} Use ${CONCERN_TAGS.join(', ')}, separated by semicolons.`;
}

/** Up to two likely meant values: a known alias, a unique-ish prefix, or a near spelling. */
function suggest<T extends string>(value: string, vocabulary: readonly T[], hints: Record<string, T[]>): T[] {
  const hinted = hints[value];
  if (hinted) return hinted;
  if (value.length >= 4) {
    const prefixed = vocabulary.filter((v) => v.startsWith(value));
    if (prefixed.length > 0 && prefixed.length <= 2) return prefixed;
  }
  const limit = value.length >= 6 ? 2 : 1;
  let best: { word: T; distance: number } | null = null;
  for (const word of vocabulary) {
    const distance = editDistance(value, word);
    if (distance <= limit && (best === null || distance < best.distance)) best = { word, distance };
  }
  return best ? [best.word] : [];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

// ---------------------------------------------------------------------------------------------
// Agencies

/** The agency codes the partnership's own agencies use; other agencies keep their own slug. */
export const AGENCY_CODES = [
  'police',
  'csc',
  'health-visiting',
  'gp',
  'school',
  'hospital',
  'drug-alcohol-service',
  'probation',
  'housing',
  'midwifery',
  'school-nursing',
  'camhs',
  'adult-mental-health',
  'adult-social-care',
  'early-help',
  'youth-justice',
  'ambulance',
  'other',
] as const;

/** Names and spellings seen in agency returns, as slugs, → the agency code. */
const AGENCY_ALIASES: Record<string, string> = {
  'childrens-social-care': 'csc',
  'childrens-social-services': 'csc',
  'childrens-services': 'csc',
  'social-care': 'csc',
  'social-services': 'csc',
  'children-and-families': 'csc',
  'health-visitor': 'health-visiting',
  'health-visitors': 'health-visiting',
  'health-visiting-service': 'health-visiting',
  hv: 'health-visiting',
  'general-practice': 'gp',
  'general-practitioner': 'gp',
  'gp-surgery': 'gp',
  'gp-practice': 'gp',
  'primary-care': 'gp',
  'school-nursery': 'school',
  'school-and-nursery': 'school',
  'school-or-nursery': 'school',
  nursery: 'school',
  education: 'school',
  'primary-school': 'school',
  'secondary-school': 'school',
  'emergency-department': 'hospital',
  'a-and-e': 'hospital',
  'drug-and-alcohol-service': 'drug-alcohol-service',
  'drug-and-alcohol-services': 'drug-alcohol-service',
  'drugs-and-alcohol-service': 'drug-alcohol-service',
  'drug-and-alcohol': 'drug-alcohol-service',
  'substance-misuse-service': 'drug-alcohol-service',
  'probation-service': 'probation',
  'housing-provider': 'housing',
  'housing-association': 'housing',
  'housing-services': 'housing',
  midwife: 'midwifery',
  maternity: 'midwifery',
  'school-nurse': 'school-nursing',
  'youth-offending-team': 'youth-justice',
  yot: 'youth-justice',
  'youth-justice-service': 'youth-justice',
};
for (const code of AGENCY_CODES) AGENCY_ALIASES[code] = code;

/**
 * An agency as written ("Children's Social Care", "School/Nursery") → its code (`csc`, `school`).
 * An agency we do not know keeps a lower-case hyphenated slug of its name. Idempotent.
 */
export function normaliseAgency(value: string): string {
  let code = agencyCache.get(value);
  if (code === undefined) {
    code = slugToAgency(value);
    remember(agencyCache, value, code);
  }
  return code;
}

function slugToAgency(value: string): string {
  const slug = value
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return AGENCY_ALIASES[slug] ?? slug;
}
