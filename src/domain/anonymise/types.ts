import type { IsoDate } from '../calendar/iso-date.ts';

/** Who a recorded name belongs to, in the words a finding uses ("the child", "a household member"). */
export type PersonRole =
  'child' | 'household' | 'referrer' | 'member' | 'agency-lead' | 'event' | 'chronology-worker';

export interface KnownPerson {
  /** As recorded: "Testchild Two Example", "Pat Police-Lead (demo)". */
  name: string;
  role: PersonRole;
}

/** Everything a review knows that could identify someone (restricted; never published). */
export interface IdentifiableData {
  /** The child first, then the household, then everyone else the review names. */
  people: KnownPerson[];
  datesOfBirth: IsoDate[];
  /** Whole addresses as recorded: "1 Example Street, Sampletown" (a postcode in it is found too). */
  addresses: string[];
  postcodes: string[];
  nhsNumbers: string[];
  /** Schools, nurseries, GP practices, hospitals and other settings recorded: "Example Lane Nursery". */
  institutions: string[];
}

/** One piece of briefing text to check: a section's prose, or one item of a list. */
export interface CheckedText {
  /** Where the text lives, e.g. "title", "background.paragraphs", "practiceEpisodes.goodPractice". */
  sectionKey: string;
  itemIndex?: number;
  text: string;
}

/** What a finding is, in the words a person reads: each kind has its own advice. */
export const FINDING_KINDS = [
  'person',
  'place',
  'address',
  'institution',
  'date',
  'contact',
  'health-number',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  sectionKey: string;
  itemIndex?: number;
  /** UTF-16 offsets into the checked text: text.slice(start, end) is what was found. */
  start: number;
  end: number;
  text: string;
  kind: FindingKind;
  /** 'review': it matches the review's own identifiable data; 'pattern': it looks identifying. */
  source: 'review' | 'pattern';
  /** Why it was found: "is the name of a household member recorded in the review". */
  reason: string;
  /** What to do about it, fitting its kind. */
  advice: string;
}

/** A possible finding inside one text, before overlaps are settled. */
export interface Match {
  start: number;
  end: number;
  kind: FindingKind;
  source: 'review' | 'pattern';
  reason: string;
}
