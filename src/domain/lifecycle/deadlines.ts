import { addWorkingDays, workingDaysBefore, workingDaysBetween } from '../calendar/working-days.ts';
import { addDays, addMonths, type IsoDate } from '../calendar/iso-date.ts';
import type { ReviewType, ScreeningOutcome, Stage } from './stages.ts';

export interface Deadline {
  /** What is due, in the users' words. */
  what: string;
  due: IsoDate;
  /** The rule it comes from, so the number is never a mystery. */
  basis: string;
}

export interface DeadlineFacts {
  stage: Stage;
  type: ReviewType;
  referredOn: IsoDate | null;
  screening: { outcome: ScreeningOutcome; decidedOn: IsoDate } | null;
  /** The earliest due date of the agency requests not yet accepted or withdrawn. */
  returnsDue?: IsoDate | null;
  /** When the briefing's newest version was sent for approval, while it waits for it. */
  approvalAskedOn?: IsoDate | null;
  /** The earliest due date of the open actions. */
  actionDue?: IsoDate | null;
  /** When the rapid review's outcome decided on a local child safeguarding practice review. */
  lcsprDecidedOn?: IsoDate | null;
  /** The partnership's own target for this type of review, in weeks from screening to the briefing. */
  targetWeeks?: number | null;
}

/** Partnership service levels; statutory ones carry their source (docs/domain.md §3). */
export const SERVICE_LEVELS = {
  screeningWorkingDays: 10,
  panelNotificationWorkingDays: 5,
  rapidReviewWorkingDays: 15,
  /** The chair's approval of a briefing sent for it. */
  briefingApprovalWorkingDays: 10,
  /** Working Together 2023: an LCSPR is published within six months of the decision to carry it out. */
  lcsprMonths: 6,
  /** Working Together 2023: the final report goes to the panel and the Secretary of State this many working days before publication. */
  lcsprReportWorkingDays: 7,
} as const;

/**
 * The bounds of a partnership's own target for Line of Sight and single-agency reviews, in whole
 * weeks from the screening decision to the published briefing; none when not set.
 */
export const TARGET_WEEKS = { min: 1, max: 52 } as const;

/** Until the briefing (or report) is published: the clocks that end with publication stop there. */
const BEFORE_PUBLICATION: readonly Stage[] = [
  'screening',
  'terms_of_reference',
  'information_gathering',
  'analysis',
  'event',
  'learning_and_actions',
  'briefing',
];

/** Red when passed, amber within 10 working days, green otherwise: as actions are rated. */
export type DeadlineRag = 'red' | 'amber' | 'green';
export function deadlineRag(deadline: Pick<Deadline, 'due'>, today: IsoDate): DeadlineRag {
  if (deadline.due < today) return 'red';
  return workingDaysBetween(today, deadline.due) <= 10 ? 'amber' : 'green';
}

const WITH_ACTIONS: readonly Stage[] = ['learning_and_actions', 'briefing', 'impact'];

/** The deadlines a review currently runs against, soonest first. */
export function currentDeadlines(f: DeadlineFacts): Deadline[] {
  const out: Deadline[] = [];
  if ((f.stage === 'referral' || f.stage === 'screening') && f.referredOn) {
    out.push({
      what: 'Screening decision',
      due: addWorkingDays(f.referredOn, SERVICE_LEVELS.screeningWorkingDays),
      basis: `Partnership service level: ${SERVICE_LEVELS.screeningWorkingDays} working days from the referral.`,
    });
  }
  if (f.type === 'rapid_review' && f.screening && f.stage !== 'closed') {
    const notify = addWorkingDays(f.screening.decidedOn, SERVICE_LEVELS.panelNotificationWorkingDays);
    if (f.stage === 'terms_of_reference' || f.stage === 'screening') {
      out.push({
        what: 'Notify the Child Safeguarding Practice Review Panel',
        due: notify,
        basis: 'Working Together: a serious incident notification within 5 working days of becoming aware.',
      });
    }
    out.push({
      what: 'Rapid review complete',
      due: addWorkingDays(notify, SERVICE_LEVELS.rapidReviewWorkingDays),
      basis: 'Working Together: a rapid review within 15 working days of the notification.',
    });
  }
  if (f.type === 'lcspr' && f.lcsprDecidedOn && BEFORE_PUBLICATION.includes(f.stage)) {
    const publish = addMonths(f.lcsprDecidedOn, SERVICE_LEVELS.lcsprMonths);
    out.push({
      what: 'Publish the local child safeguarding practice review',
      due: publish,
      basis: 'Working Together 2023: within six months of the decision to carry out the review.',
    });
    out.push({
      what: 'Send the final report to the national panel and the Secretary of State',
      due: workingDaysBefore(publish, SERVICE_LEVELS.lcsprReportWorkingDays),
      basis: 'Working Together 2023: at least 7 working days before the review is published.',
    });
  }
  if (
    (f.type === 'line_of_sight' || f.type === 'single_agency') &&
    f.targetWeeks &&
    f.screening &&
    BEFORE_PUBLICATION.includes(f.stage) &&
    f.stage !== 'screening'
  ) {
    out.push({
      what: 'Briefing published (partnership target)',
      due: addDays(f.screening.decidedOn, f.targetWeeks * 7),
      basis: `The partnership's target: ${f.targetWeeks} weeks from the screening decision to the published briefing.`,
    });
  }
  // What waits in the stage itself, so the next deadline is never "None" while something waits.
  if (f.stage === 'information_gathering' && f.returnsDue) {
    out.push({
      what: 'Agency returns',
      due: f.returnsDue,
      basis: 'The due date given with the agency requests (the earliest not yet accepted).',
    });
  }
  if (f.stage === 'briefing' && f.approvalAskedOn) {
    out.push({
      what: "The chair's approval of the briefing",
      due: addWorkingDays(f.approvalAskedOn, SERVICE_LEVELS.briefingApprovalWorkingDays),
      basis: `Partnership service level: ${SERVICE_LEVELS.briefingApprovalWorkingDays} working days from sending the briefing for approval.`,
    });
  }
  if (WITH_ACTIONS.includes(f.stage) && f.actionDue) {
    out.push({
      what: 'Next action',
      due: f.actionDue,
      basis: 'The due date of the earliest open action of the plan.',
    });
  }
  return out.sort((a, b) => a.due.localeCompare(b.due));
}
