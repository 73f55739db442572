import type { ChronologyEntry } from '../chronology/entry.ts';
import type { IsoDate } from '../calendar/iso-date.ts';
import { childNotRecorded } from './child-not-recorded.ts';
import { childNotSeen } from './child-not-seen.ts';
import { concernNotFollowedUp } from './concern-not-followed-up.ts';
import { concernPeriods, openAfterEach } from './concern-open.ts';
import { DEFAULT_SIGNAL_CONFIG, type SignalConfig } from './config.ts';
import { reactivePattern } from './reactive-pattern.ts';
import { repeatReferral } from './repeat-referral.ts';
import { riskNotAssessed } from './risk-not-assessed.ts';
import type { ChildTimeline } from './rule.ts';
import { serviceGap } from './service-gap.ts';
import { placeOnTimeline, type DatedEntry } from './timeline.ts';
import { profileOfTimeline, type ChildProfile } from './profile.ts';
import { timescaleMissed } from './timescale-missed.ts';
import { workerChurn } from './worker-churn.ts';
import { RULE_IDS, type RuleId, type Signal } from './types.ts';

export type { RuleId, Severity, Signal } from './types.ts';
export { RULE_IDS } from './types.ts';
export {
  DEFAULT_SIGNAL_CONFIG,
  parseSignalConfig,
  SETTING_GROUPS,
  SignalConfigError,
  type SettingGroup,
  type SignalConfig,
} from './config.ts';

/** The rules in the order signals are listed, with the words the screens and docs use. */
export const RULES: readonly { id: RuleId; title: string; describe: string }[] = [
  {
    id: 'service-gap',
    title: 'Gap in service',
    describe: 'No professional contact by any agency for a long period while a concern was open.',
  },
  {
    id: 'repeat-referral',
    title: 'Repeat referral',
    describe: "A referral to children's social care within 12 months of an earlier one.",
  },
  {
    id: 'reactive-pattern',
    title: 'Reactive pattern',
    describe:
      'Repeated police incidents that were never followed by a referral, assessment or strategy discussion.',
  },
  {
    id: 'child-not-recorded',
    title: 'Child not recorded',
    describe: 'A police incident that does not record whether children were present.',
  },
  {
    id: 'child-not-seen',
    title: 'Child not seen',
    describe:
      'A visit, assessment or enquiry that did not see the child, or a long open concern with the child unseen.',
  },
  {
    id: 'concern-not-followed-up',
    title: 'Concern not followed up',
    describe: 'A concern such as developmental delay recorded and then not mentioned or acted on.',
  },
  {
    id: 'worker-churn',
    title: 'Changes of worker',
    describe: 'Several changes of allocated worker within a year.',
  },
  {
    id: 'timescale-missed',
    title: 'Timescale missed',
    describe:
      'A referral decision, assessment or child protection conference later than its statutory timescale.',
  },
  {
    id: 'risk-not-assessed',
    title: 'Risk not assessed',
    describe:
      'Drugs, domestic abuse, organised crime or exploitation recorded around the child with no referral or assessment soon after.',
  },
];

export interface DetectOptions {
  /**
   * The day the chronology is complete to (e.g. today for a live case). Defaults to the last
   * entry's date: rules waiting N days for a follow-up judge only what the chronology can show.
   */
  asOf?: IsoDate;
}

/**
 * The practice signals in one child's chronology entries (any order). Entries of several children
 * are grouped by child first; the signals come child by child (in order of first appearance),
 * each child's ordered by from date, then rule, then to date, then evidence.
 */
export function detectSignals(
  entries: readonly ChronologyEntry[],
  config: SignalConfig = DEFAULT_SIGNAL_CONFIG,
  options: DetectOptions = {},
): Signal[] {
  const byChild = new Map<string | null, ChronologyEntry[]>();
  for (const entry of entries) {
    const list = byChild.get(entry.child);
    if (list) list.push(entry);
    else byChild.set(entry.child, [entry]);
  }
  return [...byChild].flatMap(([child, own]) => detectForChild(child, own, config, options));
}

/**
 * One child's signals and the profile the front door lists show, placing the entries on the
 * timeline once (the population scan): the same answers as detectSignals and childProfile.
 */
export function scanChild(
  child: string | null,
  entries: readonly ChronologyEntry[],
  config: SignalConfig = DEFAULT_SIGNAL_CONFIG,
  options: DetectOptions = {},
): { signals: Signal[]; profile: ChildProfile } {
  const timeline = placeOnTimeline(entries);
  const periods = concernPeriods(timeline);
  const signals = detectOnTimeline(child, timeline, periods, config, options);
  return { signals, profile: profileOfTimeline(entries.length, timeline, periods, signals) };
}

function detectForChild(
  child: string | null,
  entries: readonly ChronologyEntry[],
  config: SignalConfig,
  options: DetectOptions,
): Signal[] {
  const timeline = placeOnTimeline(entries);
  return detectOnTimeline(child, timeline, concernPeriods(timeline), config, options);
}

function detectOnTimeline(
  child: string | null,
  timeline: DatedEntry[],
  periods: ReturnType<typeof concernPeriods>,
  config: SignalConfig,
  options: DetectOptions,
): Signal[] {
  const last = timeline[timeline.length - 1];
  if (!last) return [];
  const t: ChildTimeline = {
    child,
    entries: timeline,
    periods,
    openAfter: openAfterEach(timeline, periods),
    asOf: options.asOf ?? timeline.reduce((latest, e) => (e.first > latest ? e.first : latest), last.first),
  };
  const signals: Signal[] = [];
  const run = <K extends RuleId>(rule: K, detect: (c: SignalConfig[K]) => Signal[]) => {
    if (config[rule].enabled) signals.push(...detect(config[rule]));
  };
  run('service-gap', (c) => serviceGap(t, c));
  run('repeat-referral', (c) => repeatReferral(t, c));
  run('reactive-pattern', (c) => reactivePattern(t, c));
  run('child-not-recorded', (c) => childNotRecorded(t, c, config['risk-not-assessed'].concerns));
  run('child-not-seen', (c) => childNotSeen(t, c));
  run('concern-not-followed-up', (c) => concernNotFollowedUp(t, c));
  run('worker-churn', (c) => workerChurn(t, c));
  run('timescale-missed', (c) => timescaleMissed(t, c));
  run('risk-not-assessed', (c) => riskNotAssessed(t, c));
  return signals.sort(compareSignals);
}

/** Month-only dates sort before the days of their month, as chronology entries do. */
function dateKey(date: string): string {
  return date.length === 7 ? `${date}-00` : date;
}

export function compareSignals(a: Signal, b: Signal): number {
  const by = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    by(dateKey(a.from), dateKey(b.from)) ||
    RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule) ||
    by(dateKey(a.to), dateKey(b.to)) ||
    by(a.evidence.join('\u0000'), b.evidence.join('\u0000'))
  );
}
