import { DATA_CLASSES, type DataClassKey } from './register.ts';

/**
 * What an erasure on request did (or, on a dry run, would do), in people's words: the same lines
 * on the command line (`retention erase`) and on the administrator's page (Admin → Retention →
 * Erase on request), so the preview reads as the command does.
 */

const className = (key: string) => DATA_CLASSES[key as DataClassKey]?.name ?? key;
const count = (n: number) => n.toLocaleString('en-GB');
const records = (n: number) => `${count(n)} ${n === 1 ? 'record' : 'records'}`;

export interface PersonErasure {
  results: {
    reviewReference: string;
    as: 'child' | 'household member';
    held: boolean;
    erased: { dataClass: string; records: number }[];
  }[];
}

export function personErasureLines(result: PersonErasure, dryRun: boolean): string[] {
  if (!result.results.length) return ['No child or household member is recorded with those details.'];
  return result.results.map((r) => {
    if (r.held) return `${r.reviewReference}: recorded as a ${r.as}; kept by a legal hold, nothing erased.`;
    const what = r.erased.map((e) => `${className(e.dataClass)} (${records(e.records)})`).join('; ');
    return `${r.reviewReference}: recorded as a ${r.as}; ${dryRun ? 'would erase' : 'erased'}: ${what || 'nothing is left to erase'}.`;
  });
}

export type StaffErasure =
  | { found: false }
  | { found: true; dryRun: boolean; held: string[]; reviews: string[]; records: Record<string, number> };

export function staffErasureLines(staff: StaffErasure): string[] {
  if (!staff.found) return ['No member of staff has that e-mail address.'];
  if (staff.held.length)
    return [
      `Kept by a legal hold on ${staff.held.join(', ')}: nothing of this person's is erased while it stands.`,
    ];
  const what = Object.entries(staff.records)
    .map(([kind, n]) => `${kind} (${count(n)})`)
    .join('; ');
  const lines = [`A member of staff; ${staff.dryRun ? 'would erase' : 'erased'}: ${what}.`];
  if (staff.reviews.length)
    lines.push(
      `The texts of ${staff.reviews.join(', ')} ${staff.dryRun ? 'would be' : 'were'} cleared of their name.`,
    );
  return lines;
}

/** What an erasure on request keeps, as the preview says before anything goes. */
export const KEPT_FOR_A_CHILD_OR_HOUSEHOLD_MEMBER = [
  'Each review keeps its reference, pseudonym, stages and history, its chronology entries (dates, agencies, event types and concerns, the texts anonymised), its learning, actions, progress and published briefing.',
  'The record of the erasure (what class, which review, when, how many records) and the audit log: neither holds the data.',
];
export const KEPT_FOR_STAFF = [
  'Their account keeps its id, shown as "Former member of staff", disabled for good: every record of what they did (stage changes, actions they lead, returns, audit rows) still points at it.',
  'The record of the erasure and the audit log, which hold no personal data.',
];
