import type { ConcernTag, EventType } from '../chronology/entry.ts';
import { formatDate } from '../calendar/format.ts';
import type { DatedEntry } from './timeline.ts';

const EVENT_PHRASES: Record<EventType, string> = {
  referral: 'a referral',
  referral_decision: 'a referral decision',
  contact: 'a contact',
  home_visit: 'a home visit',
  office_visit: 'an office visit',
  police_incident: 'a police incident',
  arrest: 'an arrest',
  assessment_started: 'the start of an assessment',
  assessment_completed: 'a completed assessment',
  strategy_discussion: 'a strategy discussion',
  section_47_enquiry: 'a section 47 enquiry',
  initial_cp_conference: 'an initial child protection conference',
  review_cp_conference: 'a review child protection conference',
  cp_plan_start: 'the start of a child protection plan',
  cp_plan_end: 'the end of a child protection plan',
  cin_plan_start: 'the start of a child in need plan',
  cin_plan_end: 'the end of a child in need plan',
  early_help_start: 'the start of early help',
  early_help_end: 'the end of early help',
  looked_after: 'the child becoming looked after',
  court: 'a court hearing',
  health_appointment: 'a health appointment',
  missed_appointment: 'a missed appointment',
  developmental_check: 'a developmental check',
  allocation: 'an allocation',
  case_closed: 'the case closing',
  multi_agency_meeting: 'a multi-agency meeting',
  information_shared: 'information sharing',
  other: 'an entry',
};

export function eventPhrase(type: EventType): string {
  return EVENT_PHRASES[type];
}

export function concernLabel(tag: ConcernTag): string {
  return tag === 'missing' ? 'missing episodes' : tag.replace(/_/g, ' ');
}

/** "drugs", "drugs and domestic abuse", "drugs, neglect and domestic abuse". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a police incident (police, 2 March 2019)" — "March 2019" for a month-only date. */
export function describeEntry(e: DatedEntry): string {
  return `${eventPhrase(e.entry.eventType)} (${e.entry.agency}, ${formatDate(e.entry.date)})`;
}

/** " with drugs and domestic abuse recorded", or nothing. */
export function concernsClause(e: DatedEntry, only?: readonly ConcernTag[]): string {
  const tags = only ? e.entry.concerns.filter((t) => only.includes(t)) : e.entry.concerns;
  return tags.length ? ` with ${listInWords(tags.map(concernLabel))} recorded` : '';
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
