import type { ChronologyEntry, ConcernTag } from '../domain/chronology/entry.ts';
import { addDays, addMonths, type IsoDate } from '../domain/calendar/iso-date.ts';
import { addWorkingDays } from '../domain/calendar/working-days.ts';
import { fillCadence, type Casework, type Window } from './cadence.ts';
import { runSegment, type Segment, type SegmentContext } from './segments.ts';
import type { Story } from './story.ts';
import { concernWords, REFERRERS } from './text.ts';

/** The late timescales an episode can carry (and one that is late but known only by its month). */
export type TimescaleMiss =
  'decision' | 'assessment' | 'assessment-month-only' | 'icpc' | 'first-review' | 'later-review';

export type EpisodeKind = 'nfa' | 'early-help' | 'cin' | 'cp';

export interface EpisodePlan {
  kind: EpisodeKind;
  segments: Segment[];
  timescale: TimescaleMiss | null;
  /**
   * A hard negative: 'exploitation', a child protection episode for exploitation (the risk is
   * recorded at every step and visit of the plan); 'incident', a serious incident with a child
   * present, referred the same day and closed with no further action.
   */
  variant?: 'exploitation' | 'incident' | undefined;
}

export interface EpisodeResult {
  end: IsoDate;
  /** The first record of the referral that opened the episode (null for early help). */
  referral: ChronologyEntry | null;
  cscWorker: string | null;
}

const CSC_TAGS: readonly (readonly ConcernTag[])[] = [
  ['neglect'],
  ['neglect', 'housing'],
  ['domestic_abuse', 'emotional_harm'],
  ['drugs', 'neglect'],
  ['alcohol', 'neglect'],
  ['physical_harm'],
];
const EARLY_HELP_TAGS: readonly (readonly ConcernTag[])[] = [
  ['school_attendance'],
  ['housing'],
  ['neglect'],
  ['alcohol', 'housing'],
];

export function runEpisode(
  story: Story,
  start: IsoDate,
  plan: EpisodePlan,
  cscWorker: string | null,
): EpisodeResult {
  switch (plan.kind) {
    case 'nfa':
      return nfa(story, start, plan, cscWorker);
    case 'early-help':
      return earlyHelp(story, start, plan, cscWorker);
    case 'cin':
      return cin(story, start, plan, cscWorker);
    case 'cp':
      return cp(story, start, plan, cscWorker);
  }
}

interface Referral {
  first: ChronologyEntry;
  last: ChronologyEntry;
}

/** A referral to children's social care: the referrer's record, and often CSC's own record of it. */
function refer(
  story: Story,
  at: IsoDate,
  tags: readonly ConcernTag[],
  referrer = story.rng.pick(REFERRERS),
): Referral {
  const { rng } = story;
  const first = story.add(at, 'referral', referrer.agency, {
    summary: `Referral to children's social care (MASH) ${referrer.why}: ${concernWords(tags)}.`,
    concerns: tags,
    practitionerRole: referrer.role,
    time: rng.chance(0.5)
      ? `${String(rng.int(8, 13)).padStart(2, '0')}:${rng.pick(['00', '10', '35', '50'])}`
      : null,
  });
  if (!rng.chance(0.5)) return { first, last: first };
  // Same day (later in the day) or the next: the same referral, not a repeat.
  const nextDay = rng.chance(0.5);
  const last = story.add(nextDay ? addDays(at, 1) : at, 'referral', 'csc', {
    summary: `Referral received at the front door from ${referrer.agency}, "worried about ${concernWords(tags)}".`,
    concerns: tags,
    practitionerRole: 'MASH social worker',
    time: nextDay ? null : `${rng.int(14, 16)}:${rng.pick(['05', '30', '55'])}`,
  });
  return { first, last };
}

function decide(story: Story, referral: Referral, outcome: string, late: boolean): ChronologyEntry {
  const { rng } = story;
  const on = addWorkingDays(referral.last.date, late ? rng.int(2, 5) : rng.int(0, 1));
  const decision = story.add(on, 'referral_decision', 'csc', {
    summary: 'Referral screened by the MASH team manager.',
    outcome,
    practitionerRole: 'team manager',
  });
  if (late) story.expect('timescale-missed', [referral.last, decision], 'referral decided late');
  return decision;
}

function nfa(story: Story, start: IsoDate, plan: EpisodePlan, cscWorker: string | null): EpisodeResult {
  const { rng } = story;
  if (plan.variant === 'incident') return nfaAfterIncident(story, start, plan, cscWorker);
  const referral = refer(story, start, rng.pick(CSC_TAGS));
  const outcome = rng.pick([
    'No further action: advice given to Mother, signposted to universal services.',
    'NFA - threshold for social care not met; early help offered and declined.',
    'No further action, "parents working with school".',
  ]);
  const decision = decide(story, referral, outcome, plan.timescale === 'decision');
  return { end: decision.date, referral: referral.first, cscWorker };
}

/**
 * A hard negative: domestic abuse with a child present, referred by the police the same day,
 * screened and closed with no further action, and not re-referred. The referral is the response
 * (no risk-not-assessed), and nothing is open afterwards (no gap, no child unseen).
 */
function nfaAfterIncident(
  story: Story,
  start: IsoDate,
  plan: EpisodePlan,
  cscWorker: string | null,
): EpisodeResult {
  const { rng } = story;
  const tags = rng.pick([['domestic_abuse'], ['domestic_abuse', 'alcohol']] as const);
  const incident = story.add(start, 'police_incident', 'police', {
    summary: `Police called to a verbal argument: ${concernWords(tags)}; child present and seen, asleep upstairs.`,
    childrenPresent: 'yes',
    childSeen: 'yes',
    concerns: tags,
    practitionerRole: 'police officer',
    time: `${rng.int(18, 22)}:${rng.pick(['05', '20', '45'])}`,
  });
  const referral = refer(story, start, tags, REFERRERS[0]);
  const decision = decide(
    story,
    referral,
    'No further action: single incident, no previous history; advice given and Operation Encompass notification to school.',
    plan.timescale === 'decision',
  );
  story.mustNotFire(
    ['risk-not-assessed', 'service-gap', 'child-not-seen', 'repeat-referral', 'child-not-recorded'],
    [incident, referral.first, decision],
    'serious incident referred the same day, closed with no further action and not re-referred',
  );
  return { end: decision.date, referral: referral.first, cscWorker };
}

/** Segments one after another from `from`, with ordinary casework between; returns where they end. */
function segmentsFrom(ctx: SegmentContext, from: IsoDate, segments: readonly Segment[]): IsoDate {
  let at = addDays(from, ctx.cw.story.rng.int(20, 40));
  for (const segment of segments) {
    at = addDays(at, runSegment(ctx, segment, at));
    at = addDays(at, ctx.cw.story.rng.int(20, 60));
  }
  return addDays(at, ctx.cw.story.rng.int(10, 60));
}

function earlyHelp(story: Story, start: IsoDate, plan: EpisodePlan, cscWorker: string | null): EpisodeResult {
  const { rng } = story;
  const cw: Casework = {
    story,
    agency: 'early-help',
    role: 'early help practitioner',
    tags: rng.pick(EARLY_HELP_TAGS),
    worker: story.newWorker('EH'),
  };
  const allocation = story.add(start, 'allocation', 'early-help', {
    summary: 'Early help practitioner allocated as lead professional.',
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  story.add(start, 'early_help_start', 'early-help', {
    summary: `Early help assessment agreed with Mother and school: ${concernWords(cw.tags)}.`,
    childSeen: 'yes',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  const windows: Window[] = [];
  const end = segmentsFrom({ cw, windows, allocation }, start, plan.segments);
  fillCadence(cw, start, end, windows);
  story.add(end, 'early_help_end', 'early-help', {
    summary: 'Early help plan closed: outcomes met, "family feel more confident". No new concerns.',
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  return { end, referral: null, cscWorker };
}

/** The social worker for a new CSC episode: churn needs the last worker to pick the case back up. */
function allocate(
  story: Story,
  on: IsoDate,
  plan: EpisodePlan,
  cscWorker: string | null,
  cw: Casework,
): ChronologyEntry {
  cw.worker = plan.segments.includes('churn') && cscWorker ? cscWorker : story.newWorker('SW');
  return story.add(on, 'allocation', 'csc', {
    summary: 'Allocated to a social worker in the assessment team.',
    worker: cw.worker,
    practitionerRole: 'social worker',
  });
}

/** Completes the assessment (in time, or late as planned) and returns the day it completed. */
function assessmentDue(
  story: Story,
  referral: Referral,
  plan: EpisodePlan,
  inTime: [number, number],
): IsoDate {
  const { rng } = story;
  const late = plan.timescale === 'assessment' || plan.timescale === 'assessment-month-only';
  const on = addWorkingDays(referral.last.date, late ? rng.int(46, 70) : rng.int(...inTime));
  const completed = story.add(on, 'assessment_completed', 'csc', {
    summary: 'Child and family assessment completed and shared with Mother; needs identified.',
    childSeen: 'yes',
    practitionerRole: 'social worker',
    monthOnly: plan.timescale === 'assessment-month-only',
  });
  if (plan.timescale === 'assessment')
    story.expect('timescale-missed', [referral.last, completed], 'assessment completed late');
  return on;
}

function close(story: Story, cw: Casework, on: IsoDate): IsoDate {
  story.add(on, 'cin_plan_end', 'csc', {
    summary: 'Child in need plan ended at review: progress sustained, no new concerns.',
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  const closed = addDays(on, story.rng.int(0, 14));
  story.add(closed, 'case_closed', 'csc', {
    summary: "Case closed to children's social care; step-down to universal services.",
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  return closed;
}

function cin(story: Story, start: IsoDate, plan: EpisodePlan, cscWorker: string | null): EpisodeResult {
  const { rng } = story;
  const cw: Casework = { story, agency: 'csc', role: 'social worker', tags: rng.pick(CSC_TAGS), worker: '' };
  const referral = refer(story, start, cw.tags);
  const decision = decide(
    story,
    referral,
    'Progress to a child and family assessment.',
    plan.timescale === 'decision',
  );
  const allocation = allocate(story, addDays(decision.date, rng.int(0, 1)), plan, cscWorker, cw);
  story.add(addDays(decision.date, rng.int(1, 5)), 'assessment_started', 'csc', {
    summary: 'Child and family assessment started.',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  const planStart = addDays(assessmentDue(story, referral, plan, [20, 40]), rng.int(1, 10));
  story.add(planStart, 'cin_plan_start', 'csc', {
    summary: `Child in need plan agreed: ${concernWords(cw.tags)}.`,
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  const windows: Window[] = [];
  const planEnd = segmentsFrom({ cw, windows, allocation }, planStart, plan.segments);
  fillCadence(cw, decision.date, planEnd, windows);
  return { end: close(story, cw, planEnd), referral: referral.first, cscWorker: cw.worker };
}

function cp(story: Story, start: IsoDate, plan: EpisodePlan, cscWorker: string | null): EpisodeResult {
  const { rng } = story;
  const exploited = plan.variant === 'exploitation';
  const risk = rng.pick([['domestic_abuse'], ['drugs'], ['domestic_abuse', 'alcohol']] as const);
  const cw: Casework = {
    story,
    agency: 'csc',
    role: 'social worker',
    tags: exploited ? ['exploitation', 'missing'] : [...risk, 'neglect'],
    worker: '',
  };
  story.add(start, 'police_incident', 'police', {
    summary: exploited
      ? 'Child found by police at 2am in a car with older males, miles from home, with a new phone and cash.'
      : `Police called to the home: ${concernWords(risk)}; child present, "hiding behind the sofa".`,
    childrenPresent: 'yes',
    childSeen: exploited ? 'yes' : null,
    concerns: exploited ? cw.tags : risk,
    practitionerRole: 'police officer',
    time: `${rng.int(19, 23)}:${rng.pick(['10', '25', '48'])}`,
  });
  const police = REFERRERS[0];
  const referral = refer(story, addDays(start, rng.int(0, 1)), cw.tags, police);
  const decision = decide(
    story,
    referral,
    'Strategy discussion to be convened today.',
    plan.timescale === 'decision',
  );
  const allocation = allocate(story, decision.date, plan, cscWorker, cw);
  const discuss = (on: IsoDate) =>
    story.add(on, 'strategy_discussion', 'csc', {
      summary: 'Strategy discussion (police, health, CSC): section 47 enquiry agreed.',
      concerns: cw.tags,
      worker: cw.worker,
      practitionerRole: cw.role,
    });
  let lastStrategy = discuss(addDays(decision.date, rng.int(0, 1)));
  // Sometimes a second discussion a day or two later: the conference is timed from the last one.
  if (rng.chance(0.25)) lastStrategy = discuss(addDays(lastStrategy.date, rng.int(1, 3)));
  const strategy = lastStrategy.date;
  const enquiry = addDays(strategy, rng.int(0, 2));
  story.add(enquiry, 'section_47_enquiry', 'csc', {
    summary: 'Section 47 enquiry: child seen and spoken to at school, body map completed.',
    childSeen: 'yes',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  story.add(enquiry, 'assessment_started', 'csc', {
    summary: 'Assessment started alongside the enquiry.',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  assessmentDue(story, referral, plan, [25, 40]);

  const icpcDate = addWorkingDays(strategy, plan.timescale === 'icpc' ? rng.int(16, 25) : rng.int(8, 14));
  const icpc = story.add(icpcDate, 'initial_cp_conference', 'csc', {
    summary: `Initial child protection conference: child made subject to a plan under the category of ${exploited ? 'emotional harm (exploitation)' : 'neglect'}.`,
    concerns: cw.tags,
    practitionerRole: 'conference chair',
  });
  if (plan.timescale === 'icpc')
    story.expect('timescale-missed', [lastStrategy, icpc], 'initial conference late');
  const planStart = story.add(icpcDate, 'cp_plan_start', 'csc', {
    summary: 'Child protection plan started.',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  if (exploited || plan.timescale === null) planWorking(story, cw, icpc, planStart, exploited);

  const review = (after: ChronologyEntry, months: number, late: boolean) => {
    const due = addMonths(after.date, months);
    const on = late ? addDays(due, rng.int(3, 40)) : addDays(due, -rng.int(3, 20));
    const entry = story.add(on, 'review_cp_conference', 'csc', {
      summary: 'Review child protection conference: plan reviewed with the family and agencies.',
      concerns: cw.tags,
      practitionerRole: 'conference chair',
    });
    if (late)
      story.expect(
        'timescale-missed',
        [after, entry],
        months === 3 ? 'first review late' : 'later review late',
      );
    return entry;
  };
  let last = review(icpc, 3, plan.timescale === 'first-review');
  if (plan.timescale === 'later-review' || rng.chance(0.4))
    last = review(last, 6, plan.timescale === 'later-review');
  // Step down: the plan ends and a child in need plan starts the same day, so the concern stays open.
  story.add(last.date, 'cp_plan_end', 'csc', {
    summary: 'Child protection plan ended; step-down to child in need.',
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  story.add(last.date, 'cin_plan_start', 'csc', {
    summary: 'Child in need plan agreed at the review.',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });

  const windows: Window[] = [];
  const planEnd = segmentsFrom({ cw, windows, allocation }, last.date, plan.segments);
  fillCadence(cw, decision.date, planEnd, windows);
  return { end: close(story, cw, planEnd), referral: referral.first, cscWorker: cw.worker };
}

/**
 * Hard negatives: the plan at work in its first weeks. The statutory visit within 10 working days
 * sees the child with the risk the plan is about still recorded, and the police are called once
 * more about the same risk with the child present (for exploitation, a missing episode). The plan
 * is the assessment of that risk: neither is a risk not assessed, and the conference and the
 * plan's start, which record it too, are the process itself.
 */
function planWorking(
  story: Story,
  cw: Casework,
  icpc: ChronologyEntry,
  planStart: ChronologyEntry,
  exploited: boolean,
): void {
  const { rng } = story;
  const visit = story.add(addWorkingDays(icpc.date, rng.int(3, 9)), 'home_visit', 'csc', {
    summary: exploited
      ? 'Statutory visit: child seen alone in their room, spoke about the older males, "they are my mates"; safety plan reviewed.'
      : "Statutory visit: child seen with Mother, home conditions improved; the plan's safety agreement reviewed.",
    childrenPresent: 'yes',
    childSeen: 'yes',
    concerns: cw.tags,
    worker: cw.worker,
    practitionerRole: cw.role,
  });
  const riskTags = cw.tags.filter((t) => t !== 'neglect');
  const incident = story.add(addDays(visit.date, rng.int(15, 40)), 'police_incident', 'police', {
    summary: exploited
      ? 'Child reported missing overnight, found by police the next morning and returned home; return interview requested.'
      : `Police called again: ${concernWords(riskTags)}; child present and seen, the plan's contingency followed.`,
    childrenPresent: 'yes',
    childSeen: 'yes',
    concerns: riskTags,
    practitionerRole: 'police officer',
    time: `${rng.int(8, 23)}:${rng.pick(['00', '30'])}`,
  });
  story.mustNotFire(
    ['risk-not-assessed'],
    [icpc, planStart, visit, incident],
    exploited ? 'exploitation managed under a plan' : 'child protection plan running to timescale',
  );
}

/**
 * Referrals that come back: one or two ending in no further action, then the episode planned,
 * each within 12 months of the one before.
 */
export function repeatReferrals(
  story: Story,
  start: IsoDate,
  count: number,
  last: EpisodePlan,
  cscWorker: string | null,
  quiet: (from: IsoDate, to: IsoDate) => void,
): EpisodeResult {
  const { rng } = story;
  let previous = nfa(story, start, { kind: 'nfa', segments: [], timescale: null }, cscWorker);
  for (let k = 1; k < count; k += 1) {
    const next = addDays(previous.end, rng.int(60, 250));
    quiet(addDays(previous.end, 1), next);
    const result =
      k === count - 1
        ? runEpisode(story, next, last, cscWorker)
        : nfa(story, next, { kind: 'nfa', segments: [], timescale: null }, cscWorker);
    if (previous.referral && result.referral)
      story.expect(
        'repeat-referral',
        [previous.referral, result.referral],
        `referral ${k + 1} within 12 months`,
      );
    previous = result;
  }
  return previous;
}
