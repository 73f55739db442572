import {
  ATTENDANCE,
  ATTENDANCE_LABELS,
  ATTENDEE_TIER_LABELS,
  EPISODE_KIND_LABELS,
  EVENT_FORMAT_LABELS,
  type Attendance,
  type AttendeeTier,
  type EpisodeKind,
  type EventFormat,
} from '../../domain/learning/labels.ts';
import type { Gap } from '../../domain/learning/traceability.ts';

interface Attendee {
  id: string;
  name: string;
  tier: string;
  jobTitle: string | null;
  email: string | null;
  attendance: string;
  invitationQueuedAt: Date | null;
  agencyName: string;
}

/** The invitees in a table per agency, with counts of who came. */
export function attendeesByAgency(attendees: Attendee[]) {
  const groups = new Map<string, Attendee[]>();
  for (const a of attendees) groups.set(a.agencyName, [...(groups.get(a.agencyName) ?? []), a]);
  return [...groups].map(([agencyName, people]) => ({
    agencyName,
    attended: people.filter((p) => p.attendance === 'attended').length,
    people: people.map((p) => ({
      ...p,
      tierLabel: ATTENDEE_TIER_LABELS[p.tier as AttendeeTier] ?? p.tier,
      attendanceLabel: ATTENDANCE_LABELS[p.attendance as Attendance] ?? p.attendance,
      attendanceItems: ATTENDANCE.map((value) => ({
        value,
        text: ATTENDANCE_LABELS[value],
        selected: value === p.attendance,
      })),
    })),
  }));
}

export function eventFormatLabel(format: string | null | undefined): string | null {
  return format ? (EVENT_FORMAT_LABELS[format as EventFormat] ?? format) : null;
}

export const episodeKindLabel = (kind: string) => EPISODE_KIND_LABELS[kind as EpisodeKind] ?? kind;

/** Episodes as the briefing shows them: expected good practice first, then areas for improvement. */
export function episodesByKind<T extends { kind: string }>(episodes: T[]) {
  return (['good_practice', 'area_for_improvement'] as const).map((kind) => ({
    kind,
    label: EPISODE_KIND_LABELS[kind],
    episodes: episodes.filter((e) => e.kind === kind),
  }));
}

/** "1 March 2021 to 4 April 2021", "From 1 March 2021", or null. */
export function periodText(
  from: string | null,
  to: string | null,
  format: (iso: string) => string,
): string | null {
  if (from && to) return from === to ? format(from) : `${format(from)} to ${format(to)}`;
  if (from) return `From ${format(from)}`;
  if (to) return `Until ${format(to)}`;
  return null;
}

/** The gaps of a traceability page, in words, each pointing at its row. */
export function gapMessages(
  gaps: Gap[],
  names: {
    kloe: (id: string) => string;
    learning: (id: string) => string;
    action: (id: string) => string;
  },
): { text: string; href: string }[] {
  return gaps.map((g) => {
    if (g.kind === 'kloe-without-evidence')
      return { text: `${names.kloe(g.lineOfEnquiryId)} has no evidence`, href: `#kloe-${g.lineOfEnquiryId}` };
    if (g.kind === 'learning-without-action')
      return {
        text: `Learning “${names.learning(g.learningId)}” has no action`,
        href: `#learning-${g.learningId}`,
      };
    return {
      text: `Action ${names.action(g.actionId)} has no success measure`,
      href: `#action-${g.actionId}`,
    };
  });
}
