import type { ConcernTag, EventType } from '../chronology/entry.ts';
import type { ConcernPeriod } from './concern-open.ts';
import type { DatedEntry } from './timeline.ts';

/**
 * The steps of the child protection and child in need process that look at a risk: a strategy
 * discussion, a section 47 enquiry, an assessment, a conference or a plan. Once one of them has
 * looked at a risk, the risk is being assessed until the episode closes (docs/signals.md,
 * "The protection process").
 */
const PROCESS_STEPS: ReadonlySet<EventType> = new Set<EventType>([
  'strategy_discussion',
  'section_47_enquiry',
  'assessment_started',
  'assessment_completed',
  'initial_cp_conference',
  'review_cp_conference',
  'cp_plan_start',
  'cin_plan_start',
]);

export function isProtectionStep(e: DatedEntry): boolean {
  return PROCESS_STEPS.has(e.entry.eventType);
}

const NONE: ReadonlySet<ConcernTag> = new Set();

/**
 * For each timeline position, the concerns a step of the protection process has already looked at
 * in the episode (concern period) the entry falls in, before that entry. A step covers the
 * concerns it records; a step that records none covers every concern recorded earlier in its
 * episode (it was convened about them). The episode's closing entry still belongs to it; after it,
 * nothing is covered until a new step. Entries share one set until a step adds to it.
 */
export function coveredBefore(
  timeline: readonly DatedEntry[],
  periods: readonly ConcernPeriod[],
): readonly ReadonlySet<ConcernTag>[] {
  const covered: ReadonlySet<ConcernTag>[] = timeline.map(() => NONE);
  for (const period of periods) {
    const end = period.closed ? period.closed.index : timeline.length - 1;
    let current: ReadonlySet<ConcernTag> = NONE;
    const seen = new Set<ConcernTag>();
    for (let i = period.opened.index; i <= end; i += 1) {
      const e = timeline[i] as DatedEntry;
      covered[i] = current;
      const { concerns } = e.entry;
      for (const tag of concerns) seen.add(tag);
      if (!isProtectionStep(e)) continue;
      const looked = concerns.length > 0 ? concerns : [...seen];
      if (looked.some((tag) => !current.has(tag))) current = new Set([...current, ...looked]);
    }
  }
  return covered;
}
