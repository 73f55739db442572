import type { IsoDate } from '../calendar/iso-date.ts';

export interface AuditRound {
  roundDate: IsoDate;
  sampled: number;
  compliant: number;
}

/** Whole-number percentage, e.g. 48 of 50 → 96. */
export function percentage(round: Pick<AuditRound, 'sampled' | 'compliant'>): number {
  return round.sampled > 0 ? Math.round((round.compliant / round.sampled) * 100) : 0;
}

export type Trend = 'improving' | 'worsening' | 'unchanged' | 'first round' | 'no rounds';

/** The direction from the previous round to the latest (by date). */
export function trend(rounds: readonly AuditRound[]): Trend {
  const sorted = [...rounds].sort((a, b) => a.roundDate.localeCompare(b.roundDate));
  const last = sorted.at(-1);
  const before = sorted.at(-2);
  if (!last) return 'no rounds';
  if (!before) return 'first round';
  const d = percentage(last) - percentage(before);
  return d > 0 ? 'improving' : d < 0 ? 'worsening' : 'unchanged';
}

/**
 * The finding of an audit's latest round in the words of a briefing: "An audit of police crime
 * reports found 48 of 50 recorded the children in the household".
 */
export function auditFinding(
  audit: { sampleDescription: string; compliantMeans: string | null },
  rounds: readonly AuditRound[],
): string | null {
  const last = [...rounds].sort((a, b) => a.roundDate.localeCompare(b.roundDate)).at(-1);
  if (!last) return null;
  const what = audit.compliantMeans?.trim() || `were compliant (${percentage(last)}%)`;
  return `An audit of ${audit.sampleDescription.trim()} found ${last.compliant} of ${last.sampled} ${what}`;
}
