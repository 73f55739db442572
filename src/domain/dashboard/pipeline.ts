import { daysBetween, type IsoDate } from '../calendar/iso-date.ts';
import { currentDeadlines, type Deadline } from '../lifecycle/deadlines.ts';
import { STAGES, type ReviewType, type ScreeningOutcome, type Stage } from '../lifecycle/stages.ts';

/** A review in progress as the dashboard's pipeline reads it. */
export interface PipelineReview {
  reference: string;
  type: ReviewType;
  stage: Stage;
  paused: boolean;
  /** The London date the review entered its stage. */
  stageEnteredOn: IsoDate;
  referredOn: IsoDate | null;
  screening: { outcome: ScreeningOutcome; decidedOn: IsoDate } | null;
  /** When the rapid review's outcome decided on a local child safeguarding practice review. */
  lcsprDecidedOn?: IsoDate | null;
  /** The partnership's own target for this type of review, in weeks. */
  targetWeeks?: number | null;
}

export interface StageRow {
  stage: Stage;
  reviews: number;
  medianDaysInStage: number | null;
  longestDaysInStage: number | null;
  /** Reviews in this stage past a deadline of the statutory or partnership clock. */
  pastDeadline: number;
}

export interface LateReview {
  reference: string;
  stage: Stage;
  daysInStage: number;
  deadline: Deadline;
  daysLate: number;
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/**
 * Reviews by stage, with the days they have spent in it and the clock they run against: the
 * statutory ones (a rapid review's national panel notification and the review itself; a local child
 * safeguarding practice review's publication six months from its decision and its final report
 * before that) and the partnership's (screening; its own target from screening to the published
 * briefing) (src/domain/lifecycle/deadlines.ts). Every stage but closed is listed, in lifecycle
 * order, even when empty.
 */
export function pipeline(
  reviews: readonly PipelineReview[],
  today: IsoDate,
): { stages: StageRow[]; late: LateReview[] } {
  const late: LateReview[] = [];
  const stages = STAGES.filter((s) => s !== 'closed').map((stage) => {
    const here = reviews.filter((r) => r.stage === stage);
    const days = here.map((r) => Math.max(0, daysBetween(r.stageEnteredOn, today)));
    let pastDeadline = 0;
    here.forEach((r, i) => {
      const missed = currentDeadlines({
        stage: r.stage,
        type: r.type,
        referredOn: r.referredOn,
        screening: r.screening,
        lcsprDecidedOn: r.lcsprDecidedOn ?? null,
        targetWeeks: r.targetWeeks ?? null,
      }).find((d) => d.due < today);
      if (!missed) return;
      pastDeadline++;
      late.push({
        reference: r.reference,
        stage,
        daysInStage: days[i]!,
        deadline: missed,
        daysLate: daysBetween(missed.due, today),
      });
    });
    return {
      stage,
      reviews: here.length,
      medianDaysInStage: median(days),
      longestDaysInStage: days.length ? Math.max(...days) : null,
      pastDeadline,
    };
  });
  late.sort((a, b) => b.daysLate - a.daysLate || a.reference.localeCompare(b.reference));
  return { stages, late };
}
