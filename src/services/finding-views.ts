import { FINDING_ADVICE, FINDING_KIND_LABELS } from '../domain/anonymise/kinds.ts';
import type { Finding } from '../domain/anonymise/types.ts';
import {
  findingFingerprint,
  findingId,
  findingLocation,
  findingSectionIndex,
} from '../domain/briefing/finding-location.ts';
import type { Briefing } from '../domain/briefing/model.ts';
import { ConflictError, NotFoundError } from './errors.ts';

/** A finding as pages, the API and the command line show it: where, what kind, and whether accepted. */
export interface FindingView extends Finding {
  id: string;
  fingerprint: string;
  /** "Section 5 (Learning), point 2", or "The title". */
  location: string;
  /** The section it is in (0-based), or null for the title. */
  sectionIndex: number | null;
  kindLabel: string;
  accepted: { reason: string } | null;
}

export function findingViews(
  content: Briefing,
  findings: readonly Finding[] | null,
  acceptances: readonly { fingerprint: string; reason: string }[],
): FindingView[] {
  const accepted = new Map(acceptances.map((a) => [a.fingerprint, a]));
  return (findings ?? []).map((f) => {
    const fingerprint = findingFingerprint(f);
    const a = accepted.get(fingerprint);
    return {
      ...f,
      id: findingId(f),
      fingerprint,
      location: findingLocation(content, f),
      sectionIndex: findingSectionIndex(content, f.sectionKey),
      kindLabel: FINDING_KIND_LABELS[f.kind] ?? f.kind,
      // A check stored before findings carried advice (drizzle/0013) gets its kind's advice.
      advice: f.advice || (FINDING_ADVICE[f.kind] ?? ''),
      accepted: a ? { reason: a.reason } : null,
    };
  });
}

/** One line per finding, for a refusal and the command line. */
export const findingLine = (f: FindingView) =>
  `${f.location}: "${f.text}" (${f.kindLabel.toLowerCase()}): ${f.reason}. ${f.advice}`;

/** Refuses approval or publication while any finding is neither fixed nor accepted. */
export function requireNoOpenFindings(views: FindingView[], what: string): void {
  const open = views.filter((f) => !f.accepted);
  if (open.length === 0) return;
  const message = `${what}: ${open.length} identifying detail${open.length === 1 ? '' : 's'} must be fixed or accepted with a reason.`;
  throw new ConflictError(message, [message, ...open.map(findingLine)]);
}

/** The finding an id names in the last check, or a plain refusal. */
export function findingById(views: FindingView[], id: string): FindingView {
  const found = views.find((f) => f.id === id);
  if (!found) throw new NotFoundError('That finding is not in the last check of this briefing.');
  return found;
}
