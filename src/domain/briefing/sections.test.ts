import { describe, expect, it } from 'vitest';
import { newBriefing, type Briefing } from './model.ts';
import { addCustomSection, MAX_SECTIONS, moveSection, removeCustomSection } from './sections.ts';

const form = (heading: string, text: string, items = '') => ({
  heading,
  text,
  items,
  goodPractice: '',
  areasForImprovement: '',
});
const headings = (b: Briefing) => b.sections.map((s) => s.heading);
const ok = (change: ReturnType<typeof addCustomSection>) => {
  if (!change.ok) throw new Error(change.reason);
  return change.briefing;
};

describe('custom sections', () => {
  const seven = newBriefing('Child 9');

  it('adds a custom section at the end, or after a chosen section, from the edit form', () => {
    const added = ok(
      addCustomSection(seven, form(' Message from the chair ', 'First.\n\nSecond.', '- a\n\nb'), null),
    );
    expect(added.sections).toHaveLength(8);
    expect(added.sections[7]).toEqual({
      kind: 'custom',
      heading: 'Message from the chair',
      paragraphs: ['First.', 'Second.'],
      items: ['- a', 'b'],
    });
    const second = ok(addCustomSection(seven, form('Response', 'Text'), 1));
    expect(headings(second).slice(0, 3)).toEqual([
      'Background and Concerns',
      'Purpose of the Review',
      'Response',
    ]);
    const first = ok(addCustomSection(seven, form('Foreword', 'Text'), -1));
    expect(headings(first)[0]).toBe('Foreword');
    expect(seven.sections).toHaveLength(7);
  });

  it('refuses a section with nothing in it, a place that is not there, and more than the limit', () => {
    expect(addCustomSection(seven, form('Empty', ' \n '), null)).toEqual({
      ok: false,
      reason: 'Enter the text of the section, or at least one point',
      field: 'text',
    });
    expect(addCustomSection(seven, form('Far', 'x'), 9)).toMatchObject({ ok: false, field: 'after' });
    const full: Briefing = {
      title: 'Full',
      sections: Array.from({ length: MAX_SECTIONS }, () => seven.sections[0]!),
    };
    expect(addCustomSection(full, form('One more', 'x'), null)).toMatchObject({ ok: false });
  });

  it('removes only custom sections', () => {
    const added = ok(addCustomSection(seven, form('Response', 'Text'), 2));
    expect(headings(ok(removeCustomSection(added, 3)))).toEqual(headings(seven));
    const refused = removeCustomSection(added, 0);
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.reason).toContain(
      '"Background and Concerns" is one of the standard sections',
    );
    expect(removeCustomSection(added, 8)).toMatchObject({
      ok: false,
      reason: 'There is no such section in this briefing.',
    });
  });

  it('moves a section up or down, not past either end', () => {
    const down = ok(moveSection(seven, 0, 'down'));
    expect(headings(down).slice(0, 2)).toEqual(['Purpose of the Review', 'Background and Concerns']);
    expect(headings(ok(moveSection(down, 1, 'up')))).toEqual(headings(seven));
    expect(moveSection(seven, 0, 'up')).toMatchObject({
      ok: false,
      reason: 'The first section cannot move up.',
    });
    expect(moveSection(seven, 6, 'down')).toMatchObject({
      ok: false,
      reason: 'The last section cannot move down.',
    });
    expect(moveSection(seven, 7, 'up')).toMatchObject({ ok: false });
  });
});
