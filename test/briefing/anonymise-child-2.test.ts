import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { briefingTexts } from '../../src/domain/anonymise/briefing-texts.ts';
import { findIdentifyingDetails } from '../../src/domain/anonymise/find.ts';
import { FINDING_ADVICE } from '../../src/domain/anonymise/kinds.ts';
import type { IdentifiableData } from '../../src/domain/anonymise/types.ts';
import { parseBriefing } from '../../src/domain/briefing/parse.ts';
import { CHILD_2_FILE } from './child-2.ts';

const seed = parseBriefing(readFileSync(CHILD_2_FILE, 'utf8'), {
  fileName: 'line-of-sight-briefing-child-2.txt',
}).briefing;

const review: IdentifiableData = {
  people: [
    { name: 'Kayla Testperson', role: 'child' },
    { name: 'Darren Testperson', role: 'household' },
    { name: 'Jo Practitioner-Sample', role: 'referrer' },
  ],
  datesOfBirth: ['2018-03-14'],
  addresses: ['1 Example Street, Sampletown, ZZ99 9ZZ'],
  postcodes: ['ZZ99 9ZZ'],
  nhsNumbers: ['9990000018'],
  institutions: ['Sampletown Primary School'],
};

describe('the identifying-details check on the published Child 2 briefing', () => {
  it('raises nothing: the briefing is already anonymised', () => {
    expect(findIdentifyingDetails(briefingTexts(seed), review)).toEqual([]);
  });

  it('checks every text of the briefing, each with where it lives', () => {
    const texts = briefingTexts(seed);
    expect(texts[0]).toEqual({ sectionKey: 'title', text: 'Child 2' });
    expect(texts.map((t) => t.sectionKey)).toEqual(
      expect.arrayContaining([
        'background.heading',
        'background.paragraphs',
        'linesOfEnquiry.items',
        'practiceEpisodes.goodPractice',
        'practiceEpisodes.areasForImprovement',
        'furtherInformation.items',
      ]),
    );
    // 1 title, 7 headings, 2 paragraphs and 29 items.
    expect(texts).toHaveLength(39);
  });

  it('finds a name slipped into it, where it is', () => {
    const edited = structuredClone(seed);
    const learning = edited.sections.find((s) => s.kind === 'learning');
    if (!learning || learning.kind !== 'learning') throw new Error('no learning section');
    learning.items[2] = 'Ensure Kayla is included in any police report';
    expect(findIdentifyingDetails(briefingTexts(edited), review)).toEqual([
      {
        sectionKey: 'learning.items',
        itemIndex: 2,
        start: 7,
        end: 12,
        text: 'Kayla',
        kind: 'person',
        source: 'review',
        reason: '"Kayla" is part of the name of the child, as recorded in the review',
        advice: FINDING_ADVICE.person,
      },
    ]);
  });
});
