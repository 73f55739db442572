import { describe, expect, it } from 'vitest';
import { toBriefingJson, type BriefingSection } from './model.ts';
import { parseBriefing } from './parse.ts';

const kinds = (sections: BriefingSection[]) => sections.map((s) => s.kind);
const section = (sections: BriefingSection[], heading: string) => {
  const found = sections.find((s) => s.heading === heading);
  if (!found) throw new Error(`no section "${heading}" in ${sections.map((s) => s.heading).join(', ')}`);
  return found;
};

describe('parseBriefing: what the document lacks and what it adds', () => {
  const text = [
    'This briefing is for all practitioners in the partnership.',
    '',
    '## Learning',
    '- Be curious',
    '',
    '## Reflective questions',
    '- What are your key thoughts?',
    '- How will we embed the learning?',
  ].join('\n');
  const { briefing, warnings } = parseBriefing(text, { fileName: 'briefing.md' });

  it('keeps text before the first heading in an Introduction section', () => {
    expect(briefing.sections[0]).toMatchObject({
      kind: 'custom',
      heading: 'Introduction',
      paragraphs: ['This briefing is for all practitioners in the partnership.'],
    });
  });

  it('keeps an unknown section as a custom section, with its items', () => {
    expect(section(briefing.sections, 'Reflective questions')).toMatchObject({
      kind: 'custom',
      items: ['What are your key thoughts?', 'How will we embed the learning?'],
    });
  });

  it('invents nothing: missing sections are empty in the JSON and named in the warnings', () => {
    expect(kinds(briefing.sections)).toEqual(['custom', 'learning', 'custom']);
    const json = toBriefingJson(briefing, warnings);
    expect(json.sections.background).toBe('');
    expect(json.sections.linesOfEnquiry).toEqual([]);
    expect(json.sections.practiceEpisodes).toEqual({ goodPractice: [], areasForImprovement: [] });
    expect(json.customSections).toEqual([
      {
        heading: 'Introduction',
        text: 'This briefing is for all practitioners in the partnership.',
        items: [],
      },
      {
        heading: 'Reflective questions',
        text: '',
        items: ['What are your key thoughts?', 'How will we embed the learning?'],
      },
    ]);
    for (const missing of [
      'Background and Concerns',
      'Purpose of the Review',
      'Key Lines of Enquiry',
      'Key Practice Episodes',
      'Progress/Impact',
      'Further information',
    ]) {
      expect(warnings).toContain(`No "${missing}" section was found; it is left empty.`);
    }
    expect(warnings).not.toContain('No "Learning" section was found; it is left empty.');
    expect(warnings).toContain('Text before the first heading is kept in an "Introduction" section.');
    expect(warnings).toContain(
      '"Reflective questions" is not one of the seven briefing sections; it is kept as it is.',
    );
  });

  it('names an empty section', () => {
    const { warnings: w } = parseBriefing('Learning\n\nProgress/Impact\n- An audit was done\n');
    expect(w).toContain('The "Learning" section is empty.');
  });

  it('takes the title from the file name when the text has none', () => {
    expect(briefing.title).toBe('Briefing');
    expect(
      parseBriefing('Learning\n- x\n', { fileName: 'line-of-sight-briefing-child-2.txt' }).briefing.title,
    ).toBe('Child 2');
    expect(parseBriefing('Learning\n- x\n', { fileName: '/tmp/7MB_Baby_K_final.docx' }).briefing.title).toBe(
      'Baby K',
    );
  });

  it('warns when there is no title at all', () => {
    expect(parseBriefing('Learning\n- x\n').warnings).toContain('The briefing has no title.');
  });

  it('never throws, even on nothing', () => {
    expect(parseBriefing('').briefing.sections).toEqual([]);
    expect(parseBriefing('\r\n\r\n').briefing.sections).toEqual([]);
  });
});

describe('parseBriefing: headings', () => {
  it.each([
    ['What happened', 'background'],
    ['Why it matters', 'purpose'],
    ['KEY LINES OF ENQUIRY:', 'linesOfEnquiry'],
    ['Key Practice Episodes (expected good practice / areas for improvement)', 'practiceEpisodes'],
    ['Messages for practice', 'learning'],
    ['Key learning?', 'learning'],
    ['Progress & Impact', 'progressImpact'],
    ['What’s changed?', 'progressImpact'],
    ['Useful links', 'furtherInformation'],
    ['Resources', 'furtherInformation'],
  ])('recognises "%s"', (heading, kind) => {
    const { briefing } = parseBriefing(`${heading}\n\n- An item\n`);
    expect(kinds(briefing.sections)).toEqual([kind]);
  });

  it('reads "Good practice" and "What could have been better" as the practice-episode lists', () => {
    const { briefing } = parseBriefing(
      [
        'Good practice',
        '- Health visitor kept in touch',
        '',
        'What could have been better',
        '- Child not seen',
      ].join('\n'),
    );
    expect(briefing.sections).toEqual([
      {
        kind: 'practiceEpisodes',
        heading: 'Good practice',
        paragraphs: [],
        goodPractice: ['Health visitor kept in touch'],
        areasForImprovement: ['Child not seen'],
        items: [],
      },
    ]);
  });

  it('keeps the heading as written, without its number or colon', () => {
    const { briefing } = parseBriefing('Minute Three: Key Learning:\n- x\n\n4) Progress / impact\n- y\n');
    expect(briefing.sections.map((s) => s.heading)).toEqual(['Key Learning', 'Progress / impact']);
  });

  it('"Minute One" alone is a heading kept whole, as a custom section', () => {
    const { briefing } = parseBriefing('Minute One\nSomething to think about.\n\nMinute Two\nMore.\n');
    expect(briefing.sections.map((s) => [s.kind, s.heading, s.paragraphs])).toEqual([
      ['custom', 'Minute One', ['Something to think about.']],
      ['custom', 'Minute Two', ['More.']],
    ]);
  });

  it('does not take prose that starts with a label or a heading word for a heading', () => {
    const { briefing } = parseBriefing(
      [
        'Background',
        'Section 47 enquiries were made.',
        'Learning: the family moved often',
        'concerns',
        'were raised by the school.',
      ].join('\n'),
    );
    expect(briefing.sections).toHaveLength(1);
    expect(briefing.sections[0]?.paragraphs).toEqual([
      'Section 47 enquiries were made. Learning: the family moved often concerns were raised by the school.',
    ]);
  });

  it('reads Setext headings', () => {
    const { briefing } = parseBriefing('Child 9\n=======\n\nLearning\n--------\n- Be curious\n', {
      markdown: true,
    });
    expect(briefing.title).toBe('Child 9');
    expect(briefing.sections).toMatchObject([{ kind: 'learning', items: ['Be curious'] }]);
  });

  it('a "1." line is a heading only when its words are a heading', () => {
    const { briefing } = parseBriefing('1. Learning\n1. Be curious\n2. Think the unthinkable\n');
    expect(briefing.sections).toMatchObject([
      { kind: 'learning', items: ['Be curious', 'Think the unthinkable'] },
    ]);
  });
});

describe('parseBriefing: lists', () => {
  it('joins wrapped bullets and keeps a paragraph that follows after a blank line', () => {
    const { briefing } = parseBriefing(
      [
        'Learning',
        '- Professional curiosity is needed',
        'and to think the unthinkable',
        '',
        '   indented after a gap, still the same point',
        '• Share information',
        '',
        'These points were agreed at the event.',
      ].join('\n'),
    );
    expect(briefing.sections[0]).toMatchObject({
      items: [
        'Professional curiosity is needed and to think the unthinkable indented after a gap, still the same point',
        'Share information',
      ],
      paragraphs: ['These points were agreed at the event.'],
    });
  });

  it('reads a list that lost its bullet marks as one item per line', () => {
    const { briefing } = parseBriefing(
      [
        'Key Lines of Enquiry',
        'The review asked:',
        'Whether the child was seen',
        'Whether agencies shared',
        'information in time',
        '\\- Whether risk was understood',
      ].join('\n'),
      { markdown: true },
    );
    expect(briefing.sections[0]).toMatchObject({
      paragraphs: ['The review asked:'],
      items: [
        'Whether the child was seen',
        'Whether agencies shared information in time',
        'Whether risk was understood',
      ],
    });
  });

  it('keeps episodes that are not marked either way', () => {
    const { briefing, warnings } = parseBriefing('Key practice episodes\n- Police attended\n- HV visited\n');
    expect(briefing.sections[0]).toMatchObject({
      kind: 'practiceEpisodes',
      items: ['Police attended', 'HV visited'],
    });
    expect(warnings).toContain(
      '2 key practice episodes are not marked as good practice or an area for improvement.',
    );
    expect(toBriefingJson(briefing, warnings).unmarkedPracticeEpisodes).toEqual([
      'Police attended',
      'HV visited',
    ]);
  });

  it('reads further-information links in text and Markdown', () => {
    const { briefing } = parseBriefing(
      [
        '## Further information',
        '- [Threshold of Need](https://example.org/threshold)',
        '- Referral Process – https://example.org/referral.',
        '- Child Exploitation (https://example.org/ce)',
        '- https://example.org/training',
        '- SCP Policies & Procedures',
        '- See https://example.org/los for the process',
      ].join('\n'),
      { fileName: 'b.md' },
    );
    expect(briefing.sections[0]).toMatchObject({
      kind: 'furtherInformation',
      items: [
        { title: 'Threshold of Need', url: 'https://example.org/threshold' },
        { title: 'Referral Process', url: 'https://example.org/referral' },
        { title: 'Child Exploitation', url: 'https://example.org/ce' },
        { title: 'https://example.org/training', url: 'https://example.org/training' },
        { title: 'SCP Policies & Procedures' },
        { title: 'See https://example.org/los for the process' },
      ],
    });
  });
});

describe('parseBriefing: Markdown from Word (mammoth)', () => {
  // What mammoth's Markdown writer makes of a Word briefing: escaped punctuation, __bold__, bookmarks.
  const fromWord = [
    '<a id="_GoBack"></a>__Child 7 \\- Seven Minute Briefing__',
    '',
    '# 1\\. Background and concerns',
    '',
    'Child 7 \\(aged 2\\) lived with *her* mother\\. ![](data:image/png;base64,AAAA)',
    '',
    '# 5\\. Learning',
    '',
    '- Think the __unthinkable__',
    '- Use the Graded Care Profile 2 \\(GCP2\\)',
    '',
    '# 7\\. Further information',
    '',
    '- [Threshold of Need](https://example\\.org/threshold\\-of\\-need)',
  ].join('\n');
  const { briefing } = parseBriefing(fromWord, { fileName: 'child-7.docx' });

  it('removes the markup and escapes', () => {
    expect(briefing.title).toBe('Child 7 - Seven Minute Briefing');
    expect(briefing.sections).toMatchObject([
      {
        kind: 'background',
        heading: 'Background and concerns',
        paragraphs: ['Child 7 (aged 2) lived with her mother.'],
      },
      { kind: 'learning', items: ['Think the unthinkable', 'Use the Graded Care Profile 2 (GCP2)'] },
      {
        kind: 'furtherInformation',
        items: [{ title: 'Threshold of Need', url: 'https://example.org/threshold-of-need' }],
      },
    ]);
  });

  it('leaves asterisks alone in plain text', () => {
    const { briefing: plain } = parseBriefing('Learning\n- Use the 5*5*5 form **always**\n', {
      fileName: 'x.txt',
    });
    expect(plain.sections[0]).toMatchObject({ items: ['Use the 5*5*5 form **always**'] });
  });
});

describe('parseBriefing: separators', () => {
  it('a line of dashes after a paragraph separates; under a lone line it makes a heading', () => {
    const { briefing } = parseBriefing(
      [
        'Learning',
        '- Be curious',
        '',
        'The panel met twice',
        'and agreed this.',
        '-----',
        '',
        'Summary',
        '-------',
        'Done.',
      ].join('\n'),
    );
    expect(briefing.sections.map((s) => [s.kind, s.heading, s.paragraphs])).toEqual([
      ['learning', 'Learning', ['The panel met twice and agreed this.']],
      ['custom', 'Summary', ['Done.']],
    ]);
  });
});
