import { isIsoDate } from '../calendar/iso-date.ts';
import { datePattern } from './dates.ts';
import type { Matcher } from './matcher.ts';
import { peopleMatchers } from './people.ts';
import { placeMatchers } from './places.ts';
import type { IdentifiableData } from './types.ts';

const NONE: ReadonlySet<string> = new Set();

/** Matchers for everything the review records: people, places, settings, dates of birth, NHS numbers. */
export function reviewMatchers(data: IdentifiableData, ordinary: ReadonlySet<string>): Matcher[] {
  // The partnership's own words ("Northshire", "St Mary's" of an agency) never hide a person's
  // name; they do stop a place in the partnership's name (its county) being reported.
  const matchers: Matcher[] = [...peopleMatchers(data.people, NONE), ...placeMatchers(data, ordinary)];
  for (const dob of data.datesOfBirth.filter(isIsoDate)) {
    const pattern = datePattern(dob);
    if (pattern)
      matchers.push({
        kind: 'date',
        pattern,
        reason: (found) => `"${found}" is a date of birth recorded in the review`,
      });
  }
  const nhs = data.nhsNumbers
    .map((n) => n.replace(/\D/g, ''))
    .filter((n) => n.length === 10)
    .map((n) => `${n.slice(0, 3)}[\\s-]?${n.slice(3, 6)}[\\s-]?${n.slice(6)}`);
  if (nhs.length > 0)
    matchers.push({
      kind: 'health-number',
      pattern: new RegExp(`(?<![\\p{N}])(?:${nhs.join('|')})(?![\\p{N}])`, 'gu'),
      reason: (found) => `"${found}" is an NHS number recorded in the review`,
    });
  return matchers;
}
