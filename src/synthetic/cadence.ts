import type { ConcernTag } from '../domain/chronology/entry.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/calendar/iso-date.ts';
import type { Story } from './story.ts';
import { homeVisitSeen, OFFICE_WORK, UNIVERSAL, voice } from './text.ts';

/** The casework an episode runs: who does it, and what they are worried about. */
export interface Casework {
  readonly story: Story;
  readonly agency: 'csc' | 'early-help';
  readonly role: string;
  readonly tags: readonly ConcernTag[];
  worker: string;
}

/**
 * A stretch of an episode where the usual visiting is held back on purpose: `silent` has no
 * entries at all (a gap in service), `unseen` has contact but none that sees the child.
 */
export interface Window {
  from: IsoDate;
  to: IsoDate;
  kind: 'silent' | 'unseen';
}

/**
 * The regular visiting and meetings of open casework, from `from` to `to`. Contact never lapses
 * for more than 28 days, the child is seen at least every 30 + 28 days and the concern is
 * mentioned at least as often, so no rule fires on the cadence itself — only on what is injected.
 */
export function fillCadence(cw: Casework, from: IsoDate, to: IsoDate, windows: readonly Window[]): void {
  const { story } = cw;
  const { rng } = story;
  let lastSeen: IsoDate | null = null;
  let lastTagged = from;
  let d = addDays(from, rng.int(2, 10));
  while (d < to) {
    // A window's bounding visits are placed by the injection: keep a day clear either side of them.
    const w = windows.find((x) => d >= addDays(x.from, -1) && d <= addDays(x.to, 1));
    if (w && (w.kind === 'silent' || d >= addDays(w.to, -1))) {
      d = addDays(w.to, rng.int(7, 20));
      lastSeen = lastTagged = w.to;
      continue;
    }
    if (w && d <= addDays(w.from, 1)) {
      d = addDays(w.from, rng.int(7, 28));
      continue;
    }
    if (w) {
      unseenContact(cw, d);
      lastTagged = d;
    } else {
      const mustSee = lastSeen === null || daysBetween(lastSeen, d) > 30;
      const mustTag = daysBetween(lastTagged, d) > 30;
      if (!mustTag && rng.chance(0.2)) {
        otherAgencySighting(cw, d);
        lastSeen = d;
      } else if (!mustSee && rng.chance(0.3)) {
        unseenContact(cw, d);
        lastTagged = d;
      } else {
        seenVisit(cw, d);
        lastSeen = lastTagged = d;
      }
    }
    d = addDays(d, rng.int(7, 28));
  }
}

export function seenVisit(cw: Casework, date: IsoDate, monthOnly = false) {
  const { story } = cw;
  return story.add(date, 'home_visit', cw.agency, {
    summary: homeVisitSeen(story.rng, cw.tags),
    childSeen: 'yes',
    childVoice: voice(story.rng),
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
    monthOnly,
  });
}

function unseenContact(cw: Casework, date: IsoDate): void {
  const { story } = cw;
  const type = story.rng.pick([
    'office_visit',
    'contact',
    'multi_agency_meeting',
    'information_shared',
  ] as const);
  story.add(date, type, cw.agency, {
    summary: story.rng.pick(OFFICE_WORK),
    childSeen: type === 'office_visit' ? story.rng.pick([null, 'no'] as const) : null,
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
}

function otherAgencySighting(cw: Casework, date: IsoDate): void {
  const { story } = cw;
  const young = daysBetween(story.birth, date) < 4 * 365;
  story.add(date, young ? 'home_visit' : 'contact', young ? 'health-visiting' : 'school', {
    summary: story.rng.pick(young ? UNIVERSAL.hvVisit : UNIVERSAL.school),
    childSeen: 'yes',
    practitionerRole: young ? 'health visitor' : 'designated safeguarding lead',
  });
}
