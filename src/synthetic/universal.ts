import { addDays, daysBetween, type IsoDate } from '../domain/calendar/iso-date.ts';
import type { Story } from './story.ts';
import { UNIVERSAL } from './text.ts';

/** What may happen in the middle of a quiet stretch, well away from any casework. */
export type QuietEvent =
  'none' | 'police-incident' | 'child-not-recorded' | 'reactive-pattern' | 'health-visitor-change';

/** Days kept clear at each end of a quiet block, so a quiet event never meets an episode's rules. */
export const QUIET_MARGIN = 200;

/**
 * Universal services while no concern is open: health visitor, GP and school entries with no
 * concern tags, so they open no concern and leave every rule quiet. A month-only entry is kept
 * well inside the block so that, sorted to the 1st of its month, it stays there.
 */
export function quietBlock(story: Story, from: IsoDate, to: IsoDate, event: QuietEvent): void {
  const { rng } = story;
  for (let d = addDays(from, rng.int(10, 40)); daysBetween(d, to) > 10; d = addDays(d, rng.int(25, 60))) {
    const ageDays = daysBetween(story.birth, d);
    const inside = daysBetween(from, d) >= 35 && daysBetween(d, to) >= 35;
    const monthOnly = inside && rng.chance(0.06);
    const roll = rng.next();
    if (roll < 0.08) {
      story.add(d, 'missed_appointment', 'gp', { summary: rng.pick(UNIVERSAL.missed), monthOnly });
    } else if (roll < 0.35) {
      story.add(d, 'health_appointment', 'gp', {
        summary: rng.pick(UNIVERSAL.gp),
        childSeen: 'yes',
        practitionerRole: 'GP',
        monthOnly,
      });
    } else if (ageDays < 4 * 365) {
      const check = rng.chance(0.3);
      story.add(
        d,
        check ? 'developmental_check' : rng.pick(['home_visit', 'contact'] as const),
        'health-visiting',
        {
          summary: rng.pick(check ? UNIVERSAL.devCheck : UNIVERSAL.hvVisit),
          childSeen: 'yes',
          practitionerRole: 'health visitor',
          monthOnly,
        },
      );
    } else {
      story.add(d, 'contact', 'school', {
        summary: rng.pick(UNIVERSAL.school),
        childSeen: 'yes',
        practitionerRole: 'class teacher',
        monthOnly,
      });
    }
  }
  if (event !== 'none' && daysBetween(from, to) >= 2 * QUIET_MARGIN)
    quietEvent(story, addDays(from, QUIET_MARGIN), addDays(to, -QUIET_MARGIN), event);
}

function quietEvent(story: Story, from: IsoDate, to: IsoDate, event: QuietEvent): void {
  const { rng } = story;
  const room = daysBetween(from, to);
  const at = addDays(from, rng.int(0, room));
  switch (event) {
    case 'police-incident':
      story.add(at, 'police_incident', 'police', {
        summary:
          'Neighbour reported a loud argument, officers attended; "all calm" on arrival, advice given.',
        childrenPresent: rng.pick(['yes', 'no'] as const),
        practitionerRole: 'police officer',
        time: `${rng.int(18, 23)}:${rng.pick(['05', '20', '45'])}`,
      });
      break;
    case 'child-not-recorded': {
      const empty = rng.chance(0.4);
      const incident = story.add(at, 'police_incident', 'police', {
        summary: 'Report of a disturbance at the address, adults spoken to, "no offences disclosed".',
        childrenPresent: empty ? null : 'not_recorded',
        practitionerRole: 'police officer',
        monthOnly: rng.chance(0.15),
      });
      story.expect(
        'child-not-recorded',
        [incident],
        empty
          ? 'police incident, children present left empty'
          : 'police incident, children present not recorded',
      );
      break;
    }
    case 'reactive-pattern': {
      if (room < 180) return;
      const count = rng.chance(0.3) ? rng.int(4, 5) : 3;
      const start = addDays(from, rng.int(0, room - 180));
      const incidents = [];
      for (let k = 0, d = start; k < count; k += 1, d = addDays(d, rng.int(20, Math.floor(175 / count)))) {
        incidents.push(
          story.add(d, 'police_incident', 'police', {
            summary: rng.pick([
              'Call from Mother, argument with partner over money, "he has left now". Words of advice.',
              'Concern for welfare call, shouting heard; adults intoxicated, no offences.',
              'Third-party report of a fight in the street outside, family known; no further action by police.',
            ]),
            childrenPresent: 'yes',
            practitionerRole: 'police officer',
            actionTaken: 'Words of advice given',
          }),
        );
      }
      story.expect('reactive-pattern', incidents, `${count} police incidents, none followed up`);
      break;
    }
    case 'health-visitor-change':
      story.add(at, 'allocation', 'health-visiting', {
        summary: 'Health visitor changed: caseload moved to a new team.',
        worker: story.newWorker('HV'),
        practitionerRole: 'health visitor',
      });
      break;
    default:
      break;
  }
}
