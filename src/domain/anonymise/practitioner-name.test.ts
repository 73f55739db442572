import { describe, expect, it } from 'vitest';
import { findIdentifyingDetails } from './find.ts';
import { practitionerName } from './practitioner-name.ts';

describe('practitionerName', () => {
  it.each([
    ['Pat Police-Lead (demo)', 'Pat'],
    ['Harper Health-Visiting-Lead (demo)', 'Harper'],
    ['Jo Practitioner-Sample', 'Jo Sample'],
    ['Sam  Social-Care-Lead', 'Sam'],
    ['Amara Okafor (locum)', 'Amara Okafor'],
  ])('keeps the name in "%s" as "%s"', (name, kept) => {
    expect(practitionerName(name)).toBe(kept);
  });

  it('leaves nothing of a name made only of briefing words', () => {
    expect(practitionerName('Police Lead (demo)')).toBe('');
  });

  it('lets the check find the practitioner but not the words of their job title', () => {
    const data = {
      names: [],
      datesOfBirth: [],
      addresses: [],
      postcodes: [],
      nhsNumbers: [],
      schools: [],
      practitioners: [practitionerName('Pat Police-Lead (demo)')],
    };
    const find = (text: string) =>
      findIdentifyingDetails([{ sectionKey: 'learning.items', itemIndex: 0, text }], data).map((f) => [
        f.kind,
        f.text,
      ]);
    expect(find('The police lead attended the event.')).toEqual([]);
    expect(find('Pat attended the event.')).toEqual([['practitioner', 'Pat']]);
  });
});
