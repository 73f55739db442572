import { z } from 'zod';
import { furtherInformationText, type BriefingSection } from '../domain/briefing/model.ts';
import type { FindingView } from '../services/finding-views.ts';

/** A finding of the identifying-details check as the API gives it. */
export function findingJson(f: FindingView) {
  return {
    id: f.id,
    /** The section's number (1-based), or null for the title. */
    section: f.sectionIndex === null ? null : f.sectionIndex + 1,
    /** The paragraph or point within the section (1-based), or null for a heading or the title. */
    item: f.itemIndex === undefined ? null : f.itemIndex + 1,
    location: f.location,
    text: f.text,
    kind: f.kind,
    kindLabel: f.kindLabel,
    reason: f.reason,
    advice: f.advice,
    accepted: f.accepted !== null,
    acceptedReason: f.accepted?.reason ?? null,
  };
}

export const findingsJson = (findings: FindingView[]) => ({
  items: findings.map(findingJson),
  total: findings.length,
});

/** A section as the API reads and writes it: its text, and its lists one string per item. */
export function sectionJson(section: BriefingSection, index: number) {
  return {
    number: index + 1,
    kind: section.kind,
    heading: section.heading,
    text: section.paragraphs.join('\n\n'),
    items:
      section.kind === 'furtherInformation' ? section.items.map(furtherInformationText) : [...section.items],
    ...(section.kind === 'practiceEpisodes'
      ? { goodPractice: [...section.goodPractice], areasForImprovement: [...section.areasForImprovement] }
      : {}),
  };
}

const list = z
  .union([z.array(z.string().max(5_000)).max(500), z.string().max(20_000)])
  .optional()
  .describe('One string per item (or one item per line)');

/** PUT …/briefing/sections/{n}: the section's new heading, text and lists. */
export const sectionBody = z.object({
  heading: z.string().max(200).describe('The heading of the section'),
  text: z.string().max(20_000).optional().describe('Prose; paragraphs separated by a blank line'),
  items: list,
  goodPractice: list,
  areasForImprovement: list,
});

/** The body as the section form takes it: lists one item per line. */
export function sectionForm(body: z.infer<typeof sectionBody>) {
  const lines = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('\n') : (v ?? ''));
  return {
    heading: body.heading,
    text: body.text ?? '',
    items: lines(body.items),
    goodPractice: lines(body.goodPractice),
    areasForImprovement: lines(body.areasForImprovement),
  };
}
