import { addDays, daysBetween, type IsoDate } from '../domain/calendar/iso-date.ts';
import { addWorkingDays } from '../domain/calendar/working-days.ts';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import { seenVisit, type Casework, type Window } from './cadence.ts';
import { NOT_RECORDED_VISIT, NOT_SEEN_VISIT } from './text.ts';

/**
 * Practice patterns injected into an episode's open casework, one after another. Each returns the
 * days it takes, adds its entries and windows, and records the signals it must produce.
 */
export type Segment = 'gap' | 'vague-gap' | 'unseen' | 'visit' | 'drop' | 'risk' | 'churn' | 'handover';

export interface SegmentContext {
  cw: Casework;
  windows: Window[];
  /** The allocation the episode's current worker came with. */
  allocation: ChronologyEntry;
}

export function runSegment(ctx: SegmentContext, segment: Segment, s: IsoDate): number {
  switch (segment) {
    case 'gap':
      return gap(ctx, s);
    case 'vague-gap':
      return vagueGap(ctx, s);
    case 'unseen':
      return unseenPeriod(ctx, s);
    case 'visit':
      return unseenVisit(ctx, s);
    case 'drop':
      return droppedConcern(ctx, s);
    case 'risk':
      return riskNotAssessed(ctx, s);
    case 'churn':
      return churn(ctx, s);
    case 'handover':
      return handover(ctx, s);
  }
}

function gap({ cw, windows }: SegmentContext, s: IsoDate): number {
  const { story } = cw;
  const days = story.rng.int(100, 220);
  const before = seenVisit(cw, s);
  const after = seenVisit(cw, addDays(s, days));
  if (story.rng.chance(0.5)) {
    // A missed appointment is not contact: the gap stays open.
    story.add(addDays(s, story.rng.int(20, days - 20)), 'missed_appointment', 'gp', {
      summary: 'Was not brought to the GP appointment, "will re-book". No follow-up recorded.',
    });
  }
  // After so long a silence the concern is raised afresh at the next visit: keep it followed up.
  story.add(addDays(s, days + story.rng.int(3, 10)), 'office_visit', cw.agency, {
    summary: 'Mother attended the office to review the plan after the gap in visits.',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  windows.push({ from: s, to: addDays(s, days), kind: 'silent' });
  story.expect('service-gap', [before, after], `no contact for ${days} days`);
  story.expect('child-not-seen', [before, after], `child not seen for ${days} days (service gap)`);
  return days + 12;
}

/** A gap over 90 days from a month-only visit, but not surely: nothing must fire. */
function vagueGap({ cw, windows }: SegmentContext, s: IsoDate): number {
  const { story } = cw;
  let at = addDays(s, 15);
  while (Number(at.slice(8)) > 12) at = addDays(at, 1);
  const monthStart = `${at.slice(0, 8)}01`;
  const days = story.rng.int(92, 96);
  seenVisit(cw, at, true);
  seenVisit(cw, addDays(at, days));
  windows.push({ from: addDays(monthStart, -1), to: addDays(at, days), kind: 'silent' });
  return 15 + 12 + days + 5;
}

function unseenPeriod({ cw, windows }: SegmentContext, s: IsoDate): number {
  const { story } = cw;
  const days = story.rng.int(100, 170);
  const before = seenVisit(cw, s);
  const after = seenVisit(cw, addDays(s, days));
  windows.push({ from: s, to: addDays(s, days), kind: 'unseen' });
  story.expect('child-not-seen', [before, after], `contact but child not seen for ${days} days`);
  return days + 5;
}

function unseenVisit({ cw }: SegmentContext, s: IsoDate): number {
  const { story } = cw;
  const seen = story.rng.pick(['no', 'not_recorded'] as const);
  const visit = story.add(addDays(s, 2), 'home_visit', cw.agency, {
    summary: story.rng.pick(seen === 'no' ? NOT_SEEN_VISIT : NOT_RECORDED_VISIT),
    childSeen: seen,
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  story.expect('child-not-seen', [visit], `home visit, child seen: ${seen}`);
  return 10;
}

function droppedConcern({ cw }: SegmentContext, s: IsoDate): number {
  const { story } = cw;
  const { rng } = story;
  const delay = rng.chance(0.6);
  const raisedOn = addDays(s, 3);
  const raised = delay
    ? story.add(raisedOn, 'developmental_check', 'health-visiting', {
        summary: 'Review: few words, not yet walking steadily; "a bit behind", to review.',
        childSeen: 'yes',
        concerns: ['developmental_delay'],
        practitionerRole: 'health visitor',
      })
    : story.add(raisedOn, 'health_appointment', 'gp', {
        summary: 'Mother seen, tearful, low mood and poor sleep, "struggling with the children".',
        concerns: ['mental_health'],
        practitionerRole: 'GP',
      });
  const outcome = rng.next();
  if (outcome < 0.6) {
    story.expect(
      'concern-not-followed-up',
      [raised],
      delay ? 'developmental delay dropped' : 'mental health dropped',
    );
  } else {
    // Followed up in time, sometimes by an entry known only by its month that could be in time.
    const monthOnly = outcome > 0.85;
    const on = addDays(raisedOn, monthOnly ? rng.int(85, 90) : rng.int(10, 60));
    if (delay)
      story.add(on, 'developmental_check', 'health-visiting', {
        summary: 'Follow-up review of speech and movement; referred to speech and language therapy.',
        childSeen: 'yes',
        practitionerRole: 'health visitor',
        monthOnly,
      });
    else
      story.add(on, 'health_appointment', 'gp', {
        summary: 'Review of Mother\'s mood, "a bit better", medication started.',
        concerns: ['mental_health'],
        practitionerRole: 'GP',
        monthOnly,
      });
  }
  return 130;
}

function riskNotAssessed({ cw }: SegmentContext, s: IsoDate): number {
  const { story } = cw;
  const { rng } = story;
  const at = addDays(s, 3);
  // On a plan for exploitation, exploitation is not a new risk: the new one is the police's.
  const risk =
    rng.chance(0.75) || cw.tags.includes('exploitation')
      ? story.add(at, 'police_incident', 'police', {
          summary: rng.pick([
            'Domestic incident: Mother assaulted by partner, child in the next room "crying". Partner arrested.',
            'Drugs warrant executed at the address, cannabis and cash found, child present with Mother.',
          ]),
          childrenPresent: 'yes',
          // A risk the episode's own assessment and plan have not looked at: the same risk again
          // during an open plan is being assessed (docs/signals.md, "The protection process").
          concerns: rng.pick(
            (
              [
                ['domestic_abuse'],
                ['domestic_abuse', 'alcohol'],
                ['drugs'],
                ['drugs', 'organised_crime'],
              ] as const
            ).filter((tags) => cw.agency !== 'csc' || !tags.some((t) => cw.tags.includes(t))),
          ),
          practitionerRole: 'police officer',
          time: `${rng.int(10, 23)}:${rng.pick(['00', '15', '40'])}`,
        })
      : story.add(at, 'contact', 'school', {
          summary:
            'Child seen getting into a car with older males after school, new phone and trainers; "my cousins".',
          concerns: rng.pick([['exploitation'], ['exploitation', 'missing']] as const),
          childSeen: 'yes',
          practitionerRole: 'designated safeguarding lead',
        });
  const response = rng.next();
  if (response < 0.75)
    story.expect(
      'risk-not-assessed',
      [risk],
      `risk with child present, ${response < 0.5 ? 'no response' : 'late response'}`,
    );
  if (response >= 0.5) {
    const days = response < 0.75 ? rng.int(12, 18) : rng.int(1, 8);
    story.add(addWorkingDays(at, days), 'strategy_discussion', 'csc', {
      summary: 'Strategy discussion with police and health; agreed to continue under the current plan.',
      concerns: cw.tags,
      worker: cw.worker,
      practitionerRole: 'social worker',
    });
  }
  return 35;
}

function churn(ctx: SegmentContext, s: IsoDate): number {
  const { cw } = ctx;
  const { story } = cw;
  const changes = story.rng.chance(0.3) ? 4 : 3;
  const allocations = [ctx.allocation];
  let d = s;
  for (let k = 0; k < changes; k += 1) {
    d = addDays(d, story.rng.int(30, 75));
    cw.worker = story.newWorker('SW');
    ctx.allocation = story.add(d, 'allocation', 'csc', {
      summary: story.rng.pick([
        'Case transferred to a new social worker, previous worker left the authority.',
        'Reallocated: agency social worker contract ended.',
        'Case moved to the long-term team; new worker allocated.',
      ]),
      worker: cw.worker,
      practitionerRole: 'social worker',
    });
    allocations.push(ctx.allocation);
  }
  story.expect('worker-churn', allocations, `${changes} changes of social worker`);
  return daysBetween(s, d) + 5;
}

function handover(ctx: SegmentContext, s: IsoDate): number {
  const { cw } = ctx;
  cw.worker = cw.story.newWorker(cw.agency === 'csc' ? 'SW' : 'EH');
  ctx.allocation = cw.story.add(addDays(s, 3), 'allocation', cw.agency, {
    summary: 'Worker on long-term leave; case reallocated.',
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  return 10;
}
