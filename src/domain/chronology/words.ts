import type { ConcernTag, EventType, Tristate } from './entry.ts';

/**
 * The chronology's vocabulary in people's words, once: each event type as a label for a table
 * or a list ("Child in need plan started") and as a phrase inside a sentence ("the start of a
 * child in need plan"); each concern and each yes/no/not recorded answer. Every page, export and
 * signal explanation takes its words from here.
 */
const EVENT_TYPE_WORDS: Record<EventType, { label: string; phrase: string }> = {
  referral: { label: 'Referral', phrase: 'a referral' },
  referral_decision: { label: 'Referral decision', phrase: 'a referral decision' },
  contact: { label: 'Contact', phrase: 'a contact' },
  home_visit: { label: 'Home visit', phrase: 'a home visit' },
  office_visit: { label: 'Office visit', phrase: 'an office visit' },
  police_incident: { label: 'Police incident', phrase: 'a police incident' },
  arrest: { label: 'Arrest', phrase: 'an arrest' },
  assessment_started: { label: 'Assessment started', phrase: 'the start of an assessment' },
  assessment_completed: { label: 'Assessment completed', phrase: 'a completed assessment' },
  strategy_discussion: { label: 'Strategy discussion', phrase: 'a strategy discussion' },
  section_47_enquiry: { label: 'Section 47 enquiry', phrase: 'a section 47 enquiry' },
  initial_cp_conference: {
    label: 'Initial child protection conference',
    phrase: 'an initial child protection conference',
  },
  review_cp_conference: {
    label: 'Review child protection conference',
    phrase: 'a review child protection conference',
  },
  cp_plan_start: { label: 'Child protection plan started', phrase: 'the start of a child protection plan' },
  cp_plan_end: { label: 'Child protection plan ended', phrase: 'the end of a child protection plan' },
  cin_plan_start: { label: 'Child in need plan started', phrase: 'the start of a child in need plan' },
  cin_plan_end: { label: 'Child in need plan ended', phrase: 'the end of a child in need plan' },
  early_help_start: { label: 'Early help started', phrase: 'the start of early help' },
  early_help_end: { label: 'Early help ended', phrase: 'the end of early help' },
  looked_after: { label: 'Became looked after', phrase: 'the child becoming looked after' },
  court: { label: 'Court hearing', phrase: 'a court hearing' },
  health_appointment: { label: 'Health appointment', phrase: 'a health appointment' },
  missed_appointment: { label: 'Missed appointment', phrase: 'a missed appointment' },
  developmental_check: { label: 'Developmental check', phrase: 'a developmental check' },
  allocation: { label: 'Allocation of a worker', phrase: 'an allocation' },
  case_closed: { label: 'Case closed', phrase: 'the case closing' },
  multi_agency_meeting: { label: 'Multi-agency meeting', phrase: 'a multi-agency meeting' },
  information_shared: { label: 'Information shared', phrase: 'information sharing' },
  other: { label: 'Other', phrase: 'an entry' },
};

/** "Child in need plan started"; an unknown value (an old row) is shown as its words, never as a code. */
export function eventTypeLabel(type: string): string {
  return EVENT_TYPE_WORDS[type as EventType]?.label ?? sentenceCase(type);
}

/** "the start of a child in need plan", for a sentence. */
export function eventPhrase(type: EventType): string {
  return EVENT_TYPE_WORDS[type].phrase;
}

/** "domestic abuse", "missing episodes": lower case, for a list or a sentence. */
export function concernLabel(tag: ConcernTag | string): string {
  return tag === 'missing' ? 'missing episodes' : tag.replace(/_/g, ' ');
}

/** "Domestic abuse", "Missing episodes": a concern standing alone, as an option or a list item. */
export function concernItem(tag: ConcernTag | string): string {
  const text = concernLabel(tag);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const TRISTATE_WORDS: Record<Tristate, string> = { yes: 'Yes', no: 'No', not_recorded: 'Not recorded' };

export function tristateLabel(value: string): string {
  return TRISTATE_WORDS[value as Tristate] ?? sentenceCase(value);
}

function sentenceCase(code: string): string {
  const text = code.replace(/[_-]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
