import { emptySection, isSectionEmpty, type Briefing } from './model.ts';
import { sectionFromForm, type SectionForm } from './section-form.ts';

/** As many as a briefing read from a document may hold (schemas/briefing.ts `briefingContent`). */
export const MAX_SECTIONS = 100;

/** The changed briefing, or why not; `field` names the form field a reason belongs to. */
export type SectionChange =
  { ok: true; briefing: Briefing } | { ok: false; reason: string; field?: 'text' | 'after' };

/**
 * A custom section from the add-section form (heading, text, points), placed after the section at
 * `after` (0-based), or at the end when `after` is null. Numbering follows from the order.
 */
export function addCustomSection(briefing: Briefing, form: SectionForm, after: number | null): SectionChange {
  if (briefing.sections.length >= MAX_SECTIONS)
    return { ok: false, reason: `A briefing can have at most ${MAX_SECTIONS} sections.` };
  // Only the heading, text and points: a custom section has no other lists.
  const section = sectionFromForm(emptySection('custom'), {
    ...form,
    goodPractice: '',
    areasForImprovement: '',
  });
  if (isSectionEmpty(section))
    return { ok: false, reason: 'Enter the text of the section, or at least one point', field: 'text' };
  const at = after === null ? briefing.sections.length : after + 1;
  if (!Number.isInteger(at) || at < 0 || at > briefing.sections.length)
    return { ok: false, reason: 'Choose where the section goes', field: 'after' };
  const sections = [...briefing.sections];
  sections.splice(at, 0, section);
  return { ok: true, briefing: { ...briefing, sections } };
}

/**
 * Takes out a section someone added. The standard sections stay: a briefing keeps the shape
 * readers know, and one that does not apply is left empty instead.
 */
export function removeCustomSection(briefing: Briefing, index: number): SectionChange {
  const section = briefing.sections[index];
  if (!section) return { ok: false, reason: 'There is no such section in this briefing.' };
  if (section.kind !== 'custom')
    return {
      ok: false,
      reason: `"${section.heading}" is one of the standard sections and cannot be removed: leave it empty if it does not apply.`,
    };
  return { ok: true, briefing: { ...briefing, sections: briefing.sections.filter((_, i) => i !== index) } };
}

/** Swaps a section with the one above or below it. */
export function moveSection(briefing: Briefing, index: number, direction: 'up' | 'down'): SectionChange {
  if (!briefing.sections[index]) return { ok: false, reason: 'There is no such section in this briefing.' };
  const to = direction === 'up' ? index - 1 : index + 1;
  if (to < 0) return { ok: false, reason: 'The first section cannot move up.' };
  if (to >= briefing.sections.length) return { ok: false, reason: 'The last section cannot move down.' };
  const sections = [...briefing.sections];
  [sections[index], sections[to]] = [sections[to]!, sections[index]!];
  return { ok: true, briefing: { ...briefing, sections } };
}
