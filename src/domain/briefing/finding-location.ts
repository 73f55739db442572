import { createHash } from 'node:crypto';
import type { Finding } from '../anonymise/types.ts';
import { AREAS_FOR_IMPROVEMENT_HEADING, GOOD_PRACTICE_HEADING, type Briefing } from './model.ts';

/**
 * The section a finding's key (from briefingTexts: "learning.items", "custom-2.paragraphs") points
 * at, by the same numbering rule, so the page can say "Section 5, Learning, point 2".
 */
export function findingSectionIndex(briefing: Briefing, sectionKey: string): number | null {
  const key = sectionKey.split('.')[0] ?? '';
  if (key === 'title') return null;
  const seen = new Map<string, number>();
  for (const [index, section] of briefing.sections.entries()) {
    const n = (seen.get(section.kind) ?? 0) + 1;
    seen.set(section.kind, n);
    const k = section.kind === 'custom' || n > 1 ? `${section.kind}-${n}` : section.kind;
    if (k === key) return index;
  }
  return null;
}

const PARTS: Record<string, string> = {
  heading: 'heading',
  paragraphs: 'paragraph',
  items: 'point',
  goodPractice: `${GOOD_PRACTICE_HEADING.toLowerCase()}, point`,
  areasForImprovement: `${AREAS_FOR_IMPROVEMENT_HEADING.toLowerCase()}, point`,
};

/** Where a finding is, in words: "Section 5 (Learning), point 2" or "The title". */
export function findingLocation(
  briefing: Briefing,
  finding: Pick<Finding, 'sectionKey' | 'itemIndex'>,
): string {
  const index = findingSectionIndex(briefing, finding.sectionKey);
  if (index === null) return 'The title';
  const section = briefing.sections[index];
  const part = PARTS[finding.sectionKey.split('.')[1] ?? ''] ?? 'text';
  const position = finding.itemIndex !== undefined ? ` ${finding.itemIndex + 1}` : '';
  return `Section ${index + 1} (${section?.heading ?? ''}), ${part}${position}`;
}

/** A finding's identity across checks: where it is and what it found, so an acceptance sticks to it. */
export function findingFingerprint(
  finding: Pick<Finding, 'sectionKey' | 'itemIndex' | 'kind' | 'text'>,
): string {
  return [finding.sectionKey, finding.itemIndex ?? '', finding.kind, finding.text].join('|');
}

/**
 * A short, stable id for a finding, for addresses and forms ("/findings/{id}/accept"), that carries
 * none of the text found: the first 16 hex digits of the SHA-256 of its fingerprint.
 */
export function findingId(finding: Pick<Finding, 'sectionKey' | 'itemIndex' | 'kind' | 'text'>): string {
  return createHash('sha256').update(findingFingerprint(finding)).digest('hex').slice(0, 16);
}
