import { describe, expect, it } from 'vitest';
import { DEFAULT_HEADINGS, newBriefing, toBriefingJson, type Briefing } from './model.ts';

describe('the briefing model', () => {
  it('starts a new briefing with the seven sections under the seed briefing’s headings', () => {
    expect(newBriefing('Child 3').sections.map((s) => s.heading)).toEqual([
      'Background and Concerns',
      'Purpose of the Review',
      'Key Lines of Enquiry',
      'Key Practice Episodes',
      'Learning',
      'Progress/Impact',
      'Further information',
    ]);
    expect(Object.keys(DEFAULT_HEADINGS)).toHaveLength(7);
  });
});

describe('toBriefingJson', () => {
  it('gives exactly the documented keys when there is nothing extra', () => {
    const json = toBriefingJson(newBriefing('Child 3'), ['a warning']);
    expect(json).toEqual({
      title: 'Child 3',
      sections: {
        background: '',
        purpose: '',
        linesOfEnquiry: [],
        practiceEpisodes: { goodPractice: [], areasForImprovement: [] },
        learning: [],
        progressImpact: [],
        furtherInformation: [],
      },
      warnings: ['a warning'],
    });
    expect(Object.keys(json)).toEqual(['title', 'sections', 'warnings']);
  });

  it('merges repeated sections, keeps bullets in prose sections, and shows what the lists cannot hold', () => {
    const briefing: Briefing = {
      title: 'Child 4',
      sections: [
        {
          kind: 'background',
          heading: 'What happened',
          paragraphs: ['First.', 'Second.'],
          items: ['A bullet'],
        },
        { kind: 'learning', heading: 'Learning', paragraphs: ['The event agreed:'], items: ['Be curious'] },
        { kind: 'learning', heading: 'Key messages', paragraphs: [], items: ['See the child'] },
        {
          kind: 'practiceEpisodes',
          heading: 'Key Practice Episodes',
          paragraphs: [],
          goodPractice: ['G'],
          areasForImprovement: ['A'],
          items: ['Unmarked'],
        },
        {
          kind: 'furtherInformation',
          heading: 'Useful links',
          paragraphs: [],
          items: [{ title: 'Threshold of Need', url: 'https://example.org/t' }, { title: 'SCP Training' }],
        },
        { kind: 'custom', heading: 'Reflective questions', paragraphs: ['Think.'], items: ['Q1'] },
      ],
    };
    expect(toBriefingJson(briefing, [])).toEqual({
      title: 'Child 4',
      sections: {
        background: 'First.\n\nSecond.\n\n- A bullet',
        purpose: '',
        linesOfEnquiry: [],
        practiceEpisodes: { goodPractice: ['G'], areasForImprovement: ['A'] },
        learning: ['Be curious', 'See the child'],
        progressImpact: [],
        furtherInformation: ['Threshold of Need (https://example.org/t)', 'SCP Training'],
      },
      customSections: [{ heading: 'Reflective questions', text: 'Think.', items: ['Q1'] }],
      introductions: { learning: 'The event agreed:' },
      unmarkedPracticeEpisodes: ['Unmarked'],
      warnings: [],
    });
  });
});
