import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import { addDays, daysBetween, type IsoDate } from '../domain/calendar/iso-date.ts';
import { isBankHoliday } from '../domain/calendar/working-days.ts';
import {
  repeatReferrals,
  runEpisode,
  type EpisodeKind,
  type EpisodePlan,
  type TimescaleMiss,
} from './episodes.ts';
import { Rng } from './prng.ts';
import type { Segment } from './segments.ts';
import { Story, type ExpectedSignal, type HardNegative } from './story.ts';
import { quietBlock, type QuietEvent } from './universal.ts';

export interface GeneratedChild {
  child: string;
  entries: ChronologyEntry[];
  expected: ExpectedSignal[];
  negatives: HardNegative[];
}

const LAST_DAY = '2025-12-31';
/** Quiet time after an episode: more than 12 months, so episodes never make each other's signals. */
const MIN_QUIET = 420;
const HARD_NEGATIVE_STREAM = 1_000_003;

/**
 * One child's multi-agency chronology from before birth: quiet stretches of universal services,
 * broken by episodes of early help or social care, with practice patterns injected on purpose.
 * Rows are numbered from `firstRow`, as they will be in the file.
 */
export function generateChild(seed: number, index: number, firstRow: number): GeneratedChild {
  const rng = Rng.forChild(seed, index);
  // Which episodes are hard negatives is drawn from a stream of its own, so adding them leaves the
  // draws of the rest of the story as they were.
  const hard = Rng.forChild(seed + HARD_NEGATIVE_STREAM, index);
  const child = `C-${String(index + 1).padStart(6, '0')}`;
  const birth = addDays('2012-01-02', rng.int(0, 8 * 365));
  const end = [addDays(birth, rng.int(6 * 365, 10 * 365)), LAST_DAY].sort()[0] as IsoDate;
  const story = new Story(child, rng, birth);
  prelude(story);

  let cursor = addDays(birth, 20);
  for (;;) {
    const plan = planEpisode(rng, hard);
    const room = daysBetween(cursor, end) - MIN_QUIET - plan.longest - MIN_QUIET;
    if (room < 0) break;
    const quietDays = MIN_QUIET + rng.int(0, Math.min(room, 400));
    quietBlock(story, cursor, addDays(cursor, quietDays), quietEvent(rng));
    let start = addDays(cursor, quietDays);
    if (rng.chance(0.15)) start = beforeBankHoliday(start);
    const result = plan.repeat
      ? repeatReferrals(story, start, plan.repeat, plan.episode, story.cscWorker, (f, t) =>
          quietBlock(story, f, t, 'none'),
        )
      : runEpisode(story, start, plan.episode, story.cscWorker);
    story.cscWorker = result.cscWorker;
    cursor = addDays(result.end, 1);
  }
  quietBlock(
    story,
    cursor,
    end < addDays(cursor, MIN_QUIET) ? addDays(cursor, MIN_QUIET) : end,
    quietEvent(rng),
  );
  const { entries, expected, negatives } = story.finish(firstRow);
  return { child, entries, expected, negatives };
}

function prelude(story: Story): void {
  const { rng, birth } = story;
  story.add(addDays(birth, -rng.int(60, 150)), 'contact', 'midwifery', {
    summary: 'Antenatal booking appointment, first pregnancy at this address; no concerns raised.',
    practitionerRole: 'midwife',
  });
  if (rng.chance(0.15)) {
    // Before birth nobody knows a child lives there: an empty field here is no recording failure.
    story.add(addDays(birth, -rng.int(20, 50)), 'police_incident', 'police', {
      summary: 'Report of a disturbance; Mother is pregnant, partner had left before police arrived.',
      practitionerRole: 'police officer',
    });
  }
  story.add(addDays(birth, 7), 'allocation', 'health-visiting', {
    summary: 'Health visitor allocated after the birth notification.',
    worker: story.newWorker('HV'),
    practitionerRole: 'health visitor',
  });
  story.add(addDays(birth, rng.int(10, 14)), 'home_visit', 'health-visiting', {
    summary: 'New birth visit: baby seen, feeding well, "settled"; safe sleep advice given.',
    childSeen: 'yes',
    practitionerRole: 'health visitor',
  });
}

/** The day before the next bank holiday within two months, to exercise working days. */
function beforeBankHoliday(start: IsoDate): IsoDate {
  for (let d = start; daysBetween(start, d) < 60; d = addDays(d, 1))
    if (isBankHoliday(addDays(d, 1))) return d;
  return start;
}

function quietEvent(rng: Rng): QuietEvent {
  return rng.pick<QuietEvent>([
    'none',
    'none',
    'none',
    'police-incident',
    'child-not-recorded',
    'reactive-pattern',
    'reactive-pattern',
    'health-visitor-change',
  ]);
}

interface Plan {
  episode: EpisodePlan;
  /** Referrals in a run of repeat referrals (0: none). */
  repeat: number;
  /** The most days the episode can take, so it always fits before the final quiet stretch. */
  longest: number;
}

const SEGMENT_DAYS: Record<Segment, number> = {
  gap: 225,
  'vague-gap': 130,
  unseen: 175,
  visit: 10,
  drop: 130,
  risk: 35,
  churn: 305,
  handover: 10,
};

function planEpisode(rng: Rng, hard: Rng): Plan {
  const roll = rng.next();
  const repeat = roll < 0.18 ? (rng.chance(0.35) ? 3 : 2) : 0;
  const kind: EpisodeKind = repeat
    ? rng.pick(['nfa', 'cin', 'cin', 'cp'])
    : rng.pick(['nfa', 'early-help', 'early-help', 'cin', 'cin', 'cin', 'cp', 'cp']);
  const segments: Segment[] = [];
  if (kind !== 'nfa') {
    const candidates: [Segment, number][] = [
      ['gap', 0.25],
      ['vague-gap', 0.08],
      ['unseen', 0.2],
      ['visit', 0.3],
      ['drop', 0.35],
      ['risk', 0.35],
      kind === 'early-help' ? ['handover', 0.3] : rng.chance(0.5) ? ['churn', 0.6] : ['handover', 0.4],
    ];
    for (const [segment, p] of candidates) if (rng.chance(p)) segments.push(segment);
    while (segments.length > 3) segments.splice(rng.int(0, segments.length - 1), 1);
    rng.shuffle(segments);
  }
  const misses: Record<EpisodeKind, TimescaleMiss[]> = {
    nfa: ['decision'],
    'early-help': [],
    cin: ['decision', 'assessment', 'assessment-month-only'],
    cp: ['decision', 'assessment', 'icpc', 'first-review', 'later-review'],
  };
  const timescale = misses[kind].length && rng.chance(0.35) ? rng.pick(misses[kind]) : null;
  // Hard negatives: exploitation managed under a plan; a serious incident referred the same day
  // and closed with no further action (a repeat run's first referrals stay as they were).
  const variant =
    kind === 'cp' && hard.chance(0.4)
      ? ('exploitation' as const)
      : kind === 'nfa' && !repeat && hard.chance(0.5)
        ? ('incident' as const)
        : undefined;
  const longest =
    (kind === 'cp' ? 480 : kind === 'nfa' ? 10 : 220) +
    segments.reduce((sum, s) => sum + SEGMENT_DAYS[s] + 60, 0) +
    (repeat ? (repeat - 1) * 260 : 0) +
    180;
  return { episode: { kind, segments, timescale, variant }, repeat, longest };
}
