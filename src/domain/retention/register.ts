/**
 * The retention register: every class of data Line of Sight holds, how long it is kept by default,
 * the bounds within which a partnership may set its own period, and what happens when the period
 * runs out. No statute sets these periods for review records (../shared/docs/domain.md §8): the
 * defaults are a starting point for a partnership's DPO, not advice. docs/data-protection.md shows
 * this table, generated (`npm run docs:retention`).
 */

export type Unit = 'years' | 'days';

/** What starts a class's clock. */
export type Clock = 'review-ended' | 'sent' | 'replaced' | 'none';

export interface DataClass {
  /** In people's words: what the class is. */
  name: string;
  /** What it covers, in people's words. */
  covers: string;
  /** What the retention run does when the period has run out. */
  erasure: string;
  clock: Clock;
  unit: Unit;
  /** Null: kept, never erased by the retention run. */
  defaultAmount: number | null;
  /** The shortest and longest a partnership may choose; null when the class is not configurable. */
  bounds: { min: number; max: number } | null;
}

export const DATA_CLASSES = {
  'identifiable-details': {
    name: "The child's and household's identifiable details",
    covers:
      'Full names, dates of birth, address, postcode, NHS number and school or nursery of the child and the household members (the named view)',
    erasure:
      'Removed. The review keeps its pseudonym; the merged chronology no longer shows ages, and the named view says the details were erased.',
    clock: 'review-ended',
    unit: 'years',
    defaultAmount: 3,
    bounds: { min: 1, max: 25 },
  },
  'case-narratives': {
    name: 'Chronology entries and the referral',
    covers:
      "Every agency's chronology entries (what happened, the child's voice, action taken, outcome, significance, the worker, the source reference, extra columns), their amendment history and the referral's account",
    erasure:
      'Each text replaced by its anonymised form (names, addresses, settings, dates of birth, NHS numbers, contact details and whole dates replaced by a word for what they were); the worker, source reference, extra columns and the before-and-after of amendments removed. Dates, agencies, event types and concerns stay, so the merged chronology, its signals and the episodes linked to entries stay whole.',
    clock: 'review-ended',
    unit: 'years',
    defaultAmount: 3,
    bounds: { min: 1, max: 25 },
  },
  'agency-returns': {
    name: "Agencies' self-analyses and queries",
    covers:
      "Each agency's self-analysis against the key lines of enquiry (what went well, what could have been better, why) and the coordinator's queries on returns",
    erasure: 'Each text replaced by its anonymised form, so the traceability of each line of enquiry stays.',
    clock: 'review-ended',
    unit: 'years',
    defaultAmount: 6,
    bounds: { min: 1, max: 25 },
  },
  'evidence-files': {
    name: 'Evidence files of actions',
    covers: 'Files attached to action updates as evidence (the note, status and any link stay)',
    erasure: 'The file removed; the update says a file was attached and erased.',
    clock: 'review-ended',
    unit: 'years',
    defaultAmount: 6,
    bounds: { min: 1, max: 25 },
  },
  'email-outbox': {
    name: 'E-mail sent',
    covers:
      'Messages the service sent (recipient, subject and text: a reference and a link, never case detail)',
    erasure: 'Removed, once sent and the period has passed since.',
    clock: 'sent',
    unit: 'days',
    defaultAmount: 90,
    bounds: { min: 7, max: 730 },
  },
  'monitoring-data': {
    name: 'Replaced monitoring datasets',
    covers:
      "The front door's monitoring datasets that a newer load replaced, and loads that failed (pseudonymous child keys, their chronologies and signals)",
    erasure: 'Removed with everything staged or scanned from them; the dataset in use is never touched.',
    clock: 'replaced',
    unit: 'days',
    defaultAmount: 30,
    bounds: { min: 0, max: 365 },
  },
  sessions: {
    name: 'Sign-in sessions',
    covers:
      'Sessions of people signed in (who, when, from where), and forms sent after a session ended, kept sealed for their person',
    erasure:
      'Emptied within the hour after they end (after an hour idle or 12 hours: SESSION_IDLE_MINUTES, SESSION_MAX_HOURS), by the session-purge job; the bare row saying whose session it was goes 24 hours after it ended, and a kept form 24 hours after it was kept, or when its person sends or discards it.',
    clock: 'none',
    unit: 'days',
    defaultAmount: 0,
    bounds: null,
  },
  'staff-accounts': {
    name: 'Staff accounts',
    covers:
      "Each member of staff's name, e-mail address, job title, roles and agency, their password (hashed), authenticator, recovery codes, sessions, API tokens and single sign-on links, e-mail sent to them, and their name where a review recorded it (the referrer, an invitation to a learning event, a chronology entry's worker)",
    erasure:
      "Kept while the account exists: a disabled account stays as the record of who did what. Erased on the person's request (retention erase --email): the account keeps its id as a former member of staff, disabled for good; their name, e-mail address, job title, secrets, sessions, tokens, sign-on links and e-mail go, and their name is taken out of the reviews' texts.",
    clock: 'none',
    unit: 'years',
    defaultAmount: null,
    bounds: null,
  },
  'audit-rows': {
    name: 'The audit log',
    covers:
      'Who did what and when: the person and their e-mail, the address the request came from, the review reference and ids, counts and filters (never case narratives or identifiable details)',
    erasure:
      'Kept: the log is append-only and chained, so an erasure is itself recorded as a new row and no row is rewritten.',
    clock: 'none',
    unit: 'years',
    defaultAmount: null,
    bounds: null,
  },
  learning: {
    name: 'Learning',
    covers:
      "The review's pseudonym, type, stages, terms of reference, key lines of enquiry, episodes, learning statements and themes, actions, audits and the progress statement",
    erasure: 'Kept: it is the point of the review and identifies no one.',
    clock: 'none',
    unit: 'years',
    defaultAmount: null,
    bounds: null,
  },
  briefings: {
    name: 'Published briefings',
    covers: 'Published 7-minute briefings, their versions, reads and team deliveries',
    erasure: 'Kept: published only after the identifying-details check.',
    clock: 'none',
    unit: 'years',
    defaultAmount: null,
    bounds: null,
  },
} as const satisfies Record<string, DataClass>;

export type DataClassKey = keyof typeof DATA_CLASSES;

export const DATA_CLASS_KEYS = Object.keys(DATA_CLASSES) as DataClassKey[];

/** The classes the retention run erases, in the order it erases them (narratives before the names they are anonymised against). */
export const ERASABLE_CLASSES = [
  'case-narratives',
  'agency-returns',
  'evidence-files',
  'identifiable-details',
  'email-outbox',
  'monitoring-data',
] as const satisfies readonly DataClassKey[];
export type ErasableClass = (typeof ERASABLE_CLASSES)[number];

/** The classes whose clock is a review's end. */
export const REVIEW_CLASSES = ERASABLE_CLASSES.filter(
  (k) => DATA_CLASSES[k].clock === 'review-ended',
) as ErasableClass[];

export const isErasableClass = (key: string): key is ErasableClass =>
  (ERASABLE_CLASSES as readonly string[]).includes(key);

/** "3 years", "1 day". */
export function periodInWords(amount: number, unit: Unit): string {
  const word = unit === 'years' ? 'year' : 'day';
  return `${amount} ${word}${amount === 1 ? '' : 's'}`;
}

/** Why a partnership's period for a class is refused, or null when it is within the bounds. */
export function periodProblem(key: DataClassKey, amount: number): string | null {
  const c: DataClass = DATA_CLASSES[key];
  if (!c.bounds) return `${c.name}: the period cannot be changed.`;
  if (!Number.isInteger(amount) || amount < c.bounds.min || amount > c.bounds.max)
    return `${c.name}: the period must be a whole number of ${c.unit} from ${c.bounds.min} to ${c.bounds.max}.`;
  return null;
}

/** The moment a period that started at `from` runs out. */
export function periodEnds(from: Date, amount: number, unit: Unit): Date {
  const end = new Date(from.getTime());
  if (unit === 'years') end.setUTCFullYear(end.getUTCFullYear() + amount);
  else end.setUTCDate(end.getUTCDate() + amount);
  return end;
}

/** The periods in force: the partnership's own where set, the default otherwise. */
export function periodsInForce(own: ReadonlyMap<string, number>): Record<ErasableClass, number> {
  const out = {} as Record<ErasableClass, number>;
  for (const key of ERASABLE_CLASSES) out[key] = own.get(key) ?? (DATA_CLASSES[key].defaultAmount as number);
  return out;
}

const CLOCK_WORDS: Record<Clock, string> = {
  'review-ended': 'after the review closes or is stopped',
  sent: 'after it is sent',
  replaced: 'after a newer dataset replaces it (or the load fails)',
  none: '',
};

/** The register as a Markdown table, for docs/data-protection.md (`npm run docs:retention`). */
export function retentionTable(): string {
  const rows = DATA_CLASS_KEYS.map((key) => {
    const c: DataClass = DATA_CLASSES[key];
    const period =
      c.defaultAmount === null
        ? 'kept'
        : c.bounds
          ? `${periodInWords(c.defaultAmount, c.unit)} ${CLOCK_WORDS[c.clock]}`
          : 'until it ends';
    const bounds = c.bounds ? `${c.bounds.min} to ${c.bounds.max} ${c.unit}` : 'not changeable';
    return `| ${c.name} | ${c.covers} | ${period} | ${bounds} | ${c.erasure} |`;
  });
  return [
    '| data | what it covers | kept by default | a partnership may choose | when the period ends |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
