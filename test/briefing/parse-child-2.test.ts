import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBriefingJson } from '../../src/domain/briefing/model.ts';
import { parseBriefing } from '../../src/domain/briefing/parse.ts';
import { CHILD_2, CHILD_2_FILE, CHILD_2_HEADINGS } from './child-2.ts';
import { writeDocument, type DocumentSection, type DocumentStyle } from './write-document.ts';

const seedText = readFileSync(CHILD_2_FILE, 'utf8');
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the published Child 2 briefing', () => {
  const { briefing, warnings } = parseBriefing(seedText, { fileName: 'line-of-sight-briefing-child-2.txt' });
  const json = toBriefingJson(briefing, warnings);

  it('imports to exactly its content', () => {
    expect(json).toEqual({
      title: 'Child 2',
      sections: {
        background: CHILD_2.background,
        purpose: CHILD_2.purpose,
        linesOfEnquiry: CHILD_2.linesOfEnquiry,
        practiceEpisodes: {
          goodPractice: CHILD_2.goodPractice,
          areasForImprovement: CHILD_2.areasForImprovement,
        },
        learning: CHILD_2.learning,
        progressImpact: CHILD_2.progressImpact,
        furtherInformation: CHILD_2.furtherInformation,
      },
      warnings: [],
    });
  });

  it('has the counts the document has', () => {
    const s = json.sections;
    expect([
      s.linesOfEnquiry.length,
      s.practiceEpisodes.goodPractice.length,
      s.practiceEpisodes.areasForImprovement.length,
      s.learning.length,
      s.progressImpact.length,
      s.furtherInformation.length,
    ]).toEqual([5, 2, 5, 5, 5, 7]);
  });

  it('keeps the background and purpose paragraphs verbatim', () => {
    // Sliced from the file by its own headings, independently of the parser.
    const between = (from: string, to: string) =>
      squash(seedText.slice(seedText.indexOf(from) + from.length, seedText.indexOf(to)));
    expect(json.sections.background).toBe(between('1 Background and Concerns', '2 Purpose of the Review?'));
    expect(json.sections.purpose).toBe(between('2 Purpose of the Review?', '3 Key Lines of Enquiry'));
  });

  it('keeps the sections in the order the document gives them, with their own headings', () => {
    expect(briefing.sections.map((s) => s.heading)).toEqual(CHILD_2_HEADINGS);
    expect(briefing.sections.map((s) => s.kind)).toEqual([
      'background',
      'purpose',
      'linesOfEnquiry',
      'furtherInformation',
      'progressImpact',
      'practiceEpisodes',
      'learning',
    ]);
  });

  it('takes a title from the first line when there is one', () => {
    expect(parseBriefing(`Child 2: seven-minute briefing\n\n${seedText}`).briefing.title).toBe(
      'Child 2: seven-minute briefing',
    );
  });
});

// The seed's content written in other partnerships' styles must import to the same JSON.
const seedSections = (
  good = 'Expected good practice',
  improve = 'Areas for improvement',
): DocumentSection[] => [
  { heading: 'Learning', items: [...CHILD_2.learning] },
  {
    heading: 'Key Practice Episodes',
    goodPractice: { heading: good, items: [...CHILD_2.goodPractice] },
    areasForImprovement: { heading: improve, items: [...CHILD_2.areasForImprovement] },
  },
  { heading: 'Purpose of the review', paragraphs: [CHILD_2.purpose] },
  { heading: 'Further information', items: [...CHILD_2.furtherInformation] },
  { heading: 'Background and concerns', paragraphs: [CHILD_2.background] },
  { heading: 'Progress and impact', items: [...CHILD_2.progressImpact] },
  { heading: 'Key lines of enquiry', items: [...CHILD_2.linesOfEnquiry] },
];

const expectSeedContent = (text: string, fileName = 'child-2.txt') => {
  const { briefing, warnings } = parseBriefing(text, { fileName });
  const json = toBriefingJson(briefing, warnings);
  expect(json.sections).toEqual({
    background: CHILD_2.background,
    purpose: CHILD_2.purpose,
    linesOfEnquiry: CHILD_2.linesOfEnquiry,
    practiceEpisodes: {
      goodPractice: CHILD_2.goodPractice,
      areasForImprovement: CHILD_2.areasForImprovement,
    },
    learning: CHILD_2.learning,
    progressImpact: CHILD_2.progressImpact,
    furtherInformation: CHILD_2.furtherInformation,
  });
  expect(json.customSections).toBeUndefined();
  expect(warnings).toEqual([]);
  return briefing;
};

const base: DocumentStyle = {
  numbering: 'digit',
  heading: 'plain',
  bullet: '-',
  eol: '\n',
  spacious: true,
  wrap: 'none',
};

describe('the same content in other styles', () => {
  const styles: [string, Partial<DocumentStyle>, string?][] = [
    ['"1." numbering, • bullets, CRLF', { numbering: 'dot', bullet: '•', eol: '\r\n' }],
    ['"1)" numbering, numbered points, CR only', { numbering: 'paren', bullet: '1)', eol: '\r' }],
    ['"Section 1 –" numbering, lettered points', { numbering: 'section', bullet: 'a)' }],
    ['"Minute One –" headings, en-dash bullets', { numbering: 'minuteWord', bullet: '–' }],
    ['"Minute 1:" headings, "1." points, compact', { numbering: 'minute', bullet: '1.', spacious: false }],
    [
      'no numbering, upper-case headings, Word bullets',
      { numbering: 'none', heading: 'upper', bullet: '\uf0b7' },
    ],
    ['lower-case headings with colons', { heading: 'lower' }],
    ['headings ending in "?"', { heading: 'question', bullet: '*' }],
    ['headings ending in ":"', { heading: 'colon', wrap: 'flush' }],
    ['Markdown ## headings, wrapped bullets', { heading: 'md2', wrap: 'indent' }, 'child-2.md'],
    ['Markdown # headings without numbers', { heading: 'md1', numbering: 'none' }, 'child-2.md'],
    ['Markdown #### sub-headings', { heading: 'md3' }, 'child-2.md'],
    ['bold headings', { heading: 'bold', numbering: 'none', bullet: '*' }, 'child-2.md'],
  ];
  for (const [name, style, fileName] of styles) {
    it(name, () => {
      expectSeedContent(writeDocument(undefined, seedSections(), { ...base, ...style }), fileName);
    });
  }

  it('other names for the practice-episode lists', () => {
    expectSeedContent(
      writeDocument(undefined, seedSections('Good practice', 'What could have been better?'), base),
    );
  });

  it('a title line and Markdown title', () => {
    const md = writeDocument('Child 2 – 7 Minute Briefing', seedSections(), { ...base, heading: 'md2' });
    expect(expectSeedContent(md, 'x.md').title).toBe('Child 2 – 7 Minute Briefing');
    const txt = writeDocument('Child 2 – 7 Minute Briefing', seedSections(), base);
    expect(expectSeedContent(txt).title).toBe('Child 2 – 7 Minute Briefing');
  });
});
