/**
 * One chronology entry as the chronology CSV in docs/interfaces.md describes it. The same shape
 * serves an agency's draft, a review's merged chronology and the monitoring dataset.
 */
export const EVENT_TYPES = [
  'referral',
  'referral_decision',
  'contact',
  'home_visit',
  'office_visit',
  'police_incident',
  'arrest',
  'assessment_started',
  'assessment_completed',
  'strategy_discussion',
  'section_47_enquiry',
  'initial_cp_conference',
  'review_cp_conference',
  'cp_plan_start',
  'cp_plan_end',
  'cin_plan_start',
  'cin_plan_end',
  'early_help_start',
  'early_help_end',
  'looked_after',
  'court',
  'health_appointment',
  'missed_appointment',
  'developmental_check',
  'allocation',
  'case_closed',
  'multi_agency_meeting',
  'information_shared',
  'other',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CONCERN_TAGS = [
  'drugs',
  'alcohol',
  'domestic_abuse',
  'exploitation',
  'organised_crime',
  'neglect',
  'developmental_delay',
  'mental_health',
  'housing',
  'physical_harm',
  'sexual_harm',
  'emotional_harm',
  'missing',
  'school_attendance',
] as const;
export type ConcernTag = (typeof CONCERN_TAGS)[number];

export const TRISTATE = ['yes', 'no', 'not_recorded'] as const;
export type Tristate = (typeof TRISTATE)[number];

/** `YYYY-MM-DD`, or `YYYY-MM` when only the month is known. */
export type ChronologyDate = string;

export interface ChronologyEntry {
  /** Pseudonymous child key (e.g. `C-000123`); null when a file holds one child and has no column. */
  child: string | null;
  date: ChronologyDate;
  time: string | null;
  /** Agency code, e.g. `police`, `csc`, `health-visiting`. */
  agency: string;
  /**
   * The agency's name where the partnership knows the code ("Northshire Children's Social Care"):
   * explanations and pages name agencies by it, never by code.
   */
  agencyName?: string;
  eventType: EventType;
  summary: string;
  childrenPresent: Tristate | null;
  childSeen: Tristate | null;
  childVoice: string | null;
  concerns: ConcernTag[];
  worker: string | null;
  practitionerRole: string | null;
  actionTaken: string | null;
  outcome: string | null;
  significance: string | null;
  sourceRef: string | null;
  /** Unknown columns, kept as they came. */
  extra: Record<string, string>;
  /** Spreadsheet row number in the source file (the header is row 1), for `row:N` evidence. */
  row: number;
}

/** How a signal or a person cites an entry: its `source_ref`, or `row:N` where it has none. */
export function entryCitation(entry: Pick<ChronologyEntry, 'sourceRef' | 'row'>): string {
  return entry.sourceRef ?? `row:${entry.row}`;
}

/** Sort key for month-only dates: a month sorts before every dated entry within it. */
export function chronologySortKey(entry: Pick<ChronologyEntry, 'date' | 'time'>): string {
  const day = entry.date.length === 7 ? `${entry.date}-00` : entry.date;
  return `${day}T${entry.time ?? '00:00'}`;
}
