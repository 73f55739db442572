import { findInText, type Checker } from '../anonymise/find.ts';
import type { FindingKind } from '../anonymise/types.ts';

/** What stands in a text where something identifying was: a word for what it was. */
export const STAND_INS: Record<FindingKind, string> = {
  person: '[name]',
  place: '[place]',
  address: '[address]',
  institution: '[setting]',
  date: '[date]',
  contact: '[contact detail]',
  'health-number': '[NHS number]',
};

/**
 * A text's anonymised form: everything the identifying-details check finds in it (the review's
 * own people, places, settings, dates of birth and NHS numbers, and the general patterns) replaced
 * by a word for what it was. The check's limits are this form's limits (docs/data-protection.md).
 */
export function anonymisedForm(checker: Checker, text: string): string {
  const found = findInText(checker, text);
  let out = '';
  let at = 0;
  for (const m of found) {
    out += text.slice(at, m.start) + STAND_INS[m.kind];
    at = m.end;
  }
  return out + text.slice(at);
}
