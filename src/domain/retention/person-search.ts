import { formatDate } from '../calendar/format.ts';
import { isIsoDate } from '../calendar/iso-date.ts';

/**
 * Finding a child or a member of a child's household by what the partnership records of them, for
 * a subject access request or an erasure on request: their full name (any case or spacing), date
 * of birth, NHS number and postcode (a child's only: a household member's record holds a name, a
 * relationship and a date of birth). Every identifier given must match. The schema keeps no other
 * names (aliases), so none are searched.
 */
export interface PersonQuery {
  name?: string | undefined;
  /** YYYY-MM-DD. */
  dateOfBirth?: string | undefined;
  nhsNumber?: string | undefined;
  postcode?: string | undefined;
}

/** One record of a person: a review's child, or a member of its child's household. */
export interface PersonRecord {
  /** `child:REVIEW-ID` or `household:MEMBER-ID`: how a choice names the record. */
  key: string;
  reviewId: string;
  reference: string;
  householdId: string | null;
  relationship: string | null;
  fullName: string;
  dateOfBirth: string | null;
}

/** One person found: their records (the same name and date of birth), in one or more reviews. */
export interface PersonFound {
  /** The key of their first record: what a choice sends back. */
  key: string;
  fullName: string;
  dateOfBirth: string | null;
  records: PersonRecord[];
}

export const normaliseName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
export const normaliseNhsNumber = (value: string) => value.replace(/[\s-]/g, '');
export const normalisePostcode = (value: string) => value.replace(/\s+/g, '').toUpperCase();

const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/;

/** The query with blanks left out and each identifier in the form it is compared in. */
export function cleanQuery(query: PersonQuery): PersonQuery {
  const out: PersonQuery = {};
  if (query.name?.trim()) out.name = query.name.trim().replace(/\s+/g, ' ');
  if (query.dateOfBirth?.trim()) out.dateOfBirth = query.dateOfBirth.trim();
  if (query.nhsNumber?.trim()) out.nhsNumber = normaliseNhsNumber(query.nhsNumber);
  if (query.postcode?.trim()) out.postcode = normalisePostcode(query.postcode);
  return out;
}

/**
 * What is wrong with a search, by field: nothing to search by, an identifier that is not one, or
 * only a date of birth or a postcode (many people share each): a name or an NHS number is needed,
 * or a date of birth and a postcode together.
 */
export function personQueryProblems(query: PersonQuery): Record<string, string> {
  const q = cleanQuery(query);
  const errors: Record<string, string> = {};
  if (q.name !== undefined && q.name.length < 3) errors.name = "Enter the person's full name, as recorded.";
  if (q.dateOfBirth !== undefined && !isIsoDate(q.dateOfBirth))
    errors.dateOfBirth = 'Enter their date of birth as a real date';
  if (q.nhsNumber !== undefined && !/^\d{10}$/.test(q.nhsNumber))
    errors.nhsNumber = 'An NHS number is 10 digits.';
  if (q.postcode !== undefined && !UK_POSTCODE.test(q.postcode))
    errors.postcode = 'Enter a real postcode, like AA1 1AA.';
  if (Object.keys(errors).length) return errors;
  if (!q.name && !q.nhsNumber && !(q.dateOfBirth && q.postcode))
    errors.name =
      "Enter the person's full name or the child's NHS number; a date of birth or a postcode alone is not enough.";
  return errors;
}

/** Which identifiers a search used, in words, for its record (never the values). */
export function searchedBy(query: PersonQuery): string[] {
  const q = cleanQuery(query);
  return [
    q.name ? 'name' : null,
    q.dateOfBirth ? 'date of birth' : null,
    q.nhsNumber ? 'NHS number' : null,
    q.postcode ? 'postcode' : null,
  ].filter((s): s is string => s !== null);
}

/** Records grouped into people: the same name (any case or spacing) and the same date of birth. */
export function groupPeople(records: PersonRecord[]): PersonFound[] {
  const people = new Map<string, PersonFound>();
  for (const r of records) {
    const id = `${normaliseName(r.fullName)}|${r.dateOfBirth ?? ''}`;
    const found = people.get(id);
    if (found) found.records.push(r);
    else people.set(id, { key: r.key, fullName: r.fullName, dateOfBirth: r.dateOfBirth, records: [r] });
  }
  return [...people.values()];
}

/** One person found, in people's words: "Born 3 February 1996. Mother of the child in LOS-2021-002." */
export function personInWords(person: PersonFound): { name: string; description: string } {
  const roles = person.records.map((r) =>
    r.householdId
      ? `${r.relationship ?? 'A household member'} of the child in ${r.reference}`
      : `the child in ${r.reference}`,
  );
  const born = person.dateOfBirth ? `Born ${formatDate(person.dateOfBirth)}.` : 'No date of birth recorded.';
  const said = roles.join('; ');
  return { name: person.fullName, description: `${born} ${said.charAt(0).toUpperCase()}${said.slice(1)}.` };
}
