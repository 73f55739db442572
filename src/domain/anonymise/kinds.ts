import type { FindingKind } from './types.ts';

/** Each kind of finding as a person reads it. */
export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  person: 'Person',
  place: 'Place',
  address: 'Address',
  institution: 'Institution',
  date: 'Date',
  contact: 'Contact detail',
  'health-number': 'Health number',
};

/**
 * What to do about each kind. Published briefings use roles, types of setting and ages (the
 * family-court anonymisation guidance, ../shared/docs/domain.md §8): never the detail itself.
 */
export const FINDING_ADVICE: Record<FindingKind, string> = {
  person: 'Use a role instead, such as "Mother", "Child 2" or "the health visitor".',
  place: 'Leave the place out, or describe it widely, such as "a town in the partnership\'s area".',
  address: 'Leave the address out: "the family home" or the kind of housing is enough.',
  institution:
    'Name the type of setting, not the setting itself: "a primary school", "the hospital", "the GP practice".',
  date: "Give the month and year, or the child's age, instead of the full date.",
  contact: 'Remove the phone number or e-mail address: a briefing never needs one.',
  'health-number': 'Remove the number: an NHS number identifies one person.',
};
