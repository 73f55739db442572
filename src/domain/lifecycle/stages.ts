/** The review lifecycle of docs/product.md, in order. */
export const STAGES = [
  'referral',
  'screening',
  'terms_of_reference',
  'information_gathering',
  'analysis',
  'event',
  'learning_and_actions',
  'briefing',
  'impact',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  referral: 'Referral',
  screening: 'Screening',
  terms_of_reference: 'Terms of reference',
  information_gathering: 'Information gathering',
  analysis: 'Analysis',
  event: 'Line of Sight event',
  learning_and_actions: 'Learning and actions',
  briefing: 'Briefing',
  impact: 'Impact',
  closed: 'Closed',
};

export const REVIEW_STATUSES = ['active', 'paused', 'stopped'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REVIEW_TYPES = ['line_of_sight', 'rapid_review', 'lcspr', 'single_agency'] as const;
export type ReviewType = (typeof REVIEW_TYPES)[number];

export const REVIEW_TYPE_LABELS: Record<ReviewType, string> = {
  line_of_sight: 'Line of Sight review',
  rapid_review: 'Rapid review',
  lcspr: 'Local child safeguarding practice review',
  single_agency: 'Single-agency review',
};

export const SCREENING_OUTCOMES = [
  'line_of_sight',
  'rapid_review',
  'single_agency',
  'no_further_action',
] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

export const SCREENING_OUTCOME_LABELS: Record<ScreeningOutcome, string> = {
  line_of_sight: 'Line of Sight review',
  rapid_review: 'Escalate to rapid review',
  single_agency: 'Single-agency review',
  no_further_action: 'No further action',
};

export function isStage(value: string): value is Stage {
  return (STAGES as readonly string[]).includes(value);
}

export function nextStage(stage: Stage): Stage | null {
  const i = STAGES.indexOf(stage);
  return STAGES[i + 1] ?? null;
}

export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

/** A rapid review's outcome: a local child safeguarding practice review follows, or none does. */
export const RAPID_REVIEW_OUTCOMES = ['lcspr', 'no_lcspr'] as const;
export type RapidReviewOutcome = (typeof RAPID_REVIEW_OUTCOMES)[number];
export const RAPID_REVIEW_OUTCOME_LABELS: Record<RapidReviewOutcome, string> = {
  lcspr: 'Carry out a local child safeguarding practice review',
  no_lcspr: 'No local child safeguarding practice review',
};

/** Who decided a rapid review's outcome. */
export const OUTCOME_DECIDERS = ['national_panel', 'partnership'] as const;
export type OutcomeDecider = (typeof OUTCOME_DECIDERS)[number];
export const OUTCOME_DECIDER_LABELS: Record<OutcomeDecider, string> = {
  national_panel: 'The Child Safeguarding Practice Review Panel',
  partnership: 'The safeguarding partnership',
};
