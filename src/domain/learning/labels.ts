/** The words of the event, episode and learning pages, once. */
export const EVENT_FORMATS = ['in_person', 'online', 'hybrid'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];
export const EVENT_FORMAT_LABELS: Record<EventFormat, string> = {
  in_person: 'In person',
  online: 'Online',
  hybrid: 'Hybrid',
};

export const ATTENDEE_TIERS = ['practitioner', 'supervisor', 'senior_manager'] as const;
export type AttendeeTier = (typeof ATTENDEE_TIERS)[number];
export const ATTENDEE_TIER_LABELS: Record<AttendeeTier, string> = {
  practitioner: 'Practitioner',
  supervisor: 'Supervisor',
  senior_manager: 'Senior manager',
};

export const ATTENDANCE = ['invited', 'attended', 'apologies', 'did_not_attend'] as const;
export type Attendance = (typeof ATTENDANCE)[number];
export const ATTENDANCE_LABELS: Record<Attendance, string> = {
  invited: 'Invited',
  attended: 'Attended',
  apologies: 'Sent apologies',
  did_not_attend: 'Did not attend',
};

export const EPISODE_KINDS = ['good_practice', 'area_for_improvement'] as const;
export type EpisodeKind = (typeof EPISODE_KINDS)[number];
export const EPISODE_KIND_LABELS: Record<EpisodeKind, string> = {
  good_practice: 'Expected good practice',
  area_for_improvement: 'Area for improvement',
};
