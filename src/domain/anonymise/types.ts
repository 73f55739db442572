import type { IsoDate } from '../calendar/iso-date.ts';

/** The review's identifiable data, as recorded at referral (restricted; never published). */
export interface IdentifiableData {
  /** Child and family members, as written: "Kayla Testperson". */
  names: string[];
  datesOfBirth: IsoDate[];
  /** Whole addresses: "1 Example Street, Sampletown, ZZ99 9ZZ". */
  addresses: string[];
  postcodes: string[];
  nhsNumbers: string[];
  schools: string[];
  /** Named professionals: anonymised in published briefings too (jigsaw identification). */
  practitioners: string[];
}

/** One piece of briefing text to check: a section's prose, or one item of a list. */
export interface CheckedText {
  /** Where the text lives, e.g. "title", "background", "practiceEpisodes.goodPractice". */
  sectionKey: string;
  itemIndex?: number;
  text: string;
}

export type FindingKind =
  | 'name'
  | 'date-of-birth'
  | 'address'
  | 'postcode'
  | 'nhs-number'
  | 'school'
  | 'practitioner'
  | 'phone'
  | 'email'
  | 'possible-birth-date'
  | 'possible-full-name';

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
  message: string;
}

/** A possible finding inside one text, before overlaps are settled. */
export interface Match {
  start: number;
  end: number;
  kind: FindingKind;
  source: 'review' | 'pattern';
  message: string;
}
