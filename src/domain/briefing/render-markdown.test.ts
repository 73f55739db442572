import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { briefingArb } from '../../../test/briefing/briefing-arbitrary.ts';
import { newBriefing, type Briefing } from './model.ts';
import { parseBriefing } from './parse.ts';
import { renderBriefingMarkdown } from './render-markdown.ts';

const example: Briefing = {
  title: 'Child 2',
  sections: [
    {
      kind: 'background',
      heading: 'Background and Concerns',
      paragraphs: ['Child 2 aged three.'],
      items: [],
    },
    {
      kind: 'practiceEpisodes',
      heading: 'Key Practice Episodes',
      paragraphs: [],
      goodPractice: ['Accessibility of health visitor for Mother'],
      areasForImprovement: ['The child was not recorded as being in the home'],
      items: [],
    },
    {
      kind: 'furtherInformation',
      heading: 'Further information',
      paragraphs: [],
      items: [
        { title: 'Threshold of Need', url: 'https://example.org/threshold' },
        { title: 'SCP Training' },
      ],
    },
  ],
};

describe('renderBriefingMarkdown', () => {
  it('numbers the headings and writes "- " bullets', () => {
    expect(renderBriefingMarkdown(example)).toBe(
      [
        '# Child 2',
        '',
        '## 1 Background and Concerns',
        '',
        'Child 2 aged three.',
        '',
        '## 2 Key Practice Episodes',
        '',
        '### Expected good practice',
        '',
        '- Accessibility of health visitor for Mother',
        '',
        '### Areas for improvement',
        '',
        '- The child was not recorded as being in the home',
        '',
        '## 3 Further information',
        '',
        '- [Threshold of Need](https://example.org/threshold)',
        '- SCP Training',
        '',
      ].join('\n'),
    );
  });

  it('escapes text that Markdown would read as markup', () => {
    const md = renderBriefingMarkdown({
      title: 'Child *A*',
      sections: [
        {
          kind: 'learning',
          heading: 'Learning',
          paragraphs: ['- not a bullet', '1. not a list', '# not a heading'],
          items: ['<script>alert(1)</script>', 'see [this](https://x.org)'],
        },
      ],
    });
    expect(md).toContain('# Child \\*A\\*');
    expect(md).toContain('\n\\- not a bullet\n');
    expect(md).toContain('\n1\\. not a list\n');
    expect(md).toContain('\n\\# not a heading\n');
    expect(md).toContain('- \\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('- see \\[this\\](https\\://x.org)');
  });

  it('reads back to the same structure: an example', () => {
    expect(parseBriefing(renderBriefingMarkdown(example), { fileName: 'b.md' }).briefing).toEqual(example);
  });

  it('reads back an empty new briefing, with every section named in the warnings as empty', () => {
    const empty = newBriefing('Child 5');
    const { briefing, warnings } = parseBriefing(renderBriefingMarkdown(empty), { fileName: 'b.md' });
    expect(briefing).toEqual(empty);
    expect(warnings).toHaveLength(7);
  });

  it('reads back to the same structure: generated briefings', () => {
    fc.assert(
      fc.property(briefingArb, (briefing) => {
        const md = renderBriefingMarkdown(briefing);
        expect(parseBriefing(md, { fileName: 'b.md' }).briefing).toEqual(briefing);
      }),
      { numRuns: 1500 },
    );
  });
});
