import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBriefing, type ParsedBriefing } from '../../src/domain/briefing/parse.ts';
import type { BriefingSection } from '../../src/domain/briefing/model.ts';
import { isOtherHeading, recogniseHeading } from '../../src/domain/briefing/headings.ts';

/**
 * Briefings laid out as real ones are (test/fixtures/briefings/layouts: numbered, question
 * headings, one point a line without bullets, a web page's boilerplate around it, "Minute 1…7",
 * Devon's learning briefings, capitals, bold lines from Word, headings of a partnership's own):
 * every point lands under the heading it was written under.
 */
const read = (name: string): ParsedBriefing =>
  parseBriefing(readFileSync(new URL(`../fixtures/briefings/layouts/${name}`, import.meta.url), 'utf8'), {
    fileName: name,
  });

/** Each section as heading → its points (items, or the good-practice and improvement lists) and paragraphs. */
const outline = (sections: BriefingSection[]) =>
  sections.map((s) => ({
    kind: s.kind,
    heading: s.heading,
    paragraphs: s.paragraphs,
    items: s.kind === 'furtherInformation' ? s.items.map((i) => i.title) : s.items,
    ...(s.kind === 'practiceEpisodes' ? { good: s.goodPractice, improve: s.areasForImprovement } : {}),
  }));

describe('reading real briefings layouts', () => {
  it('numbered sections, with practice-episode sub-headings', () => {
    const { briefing, report } = read('01-numbered.txt');
    expect(briefing.title).toBe('7 Minute Briefing: Child K');
    expect(outline(briefing.sections).map((s) => s.kind)).toEqual([
      'background',
      'purpose',
      'linesOfEnquiry',
      'practiceEpisodes',
      'learning',
      'progressImpact',
      'furtherInformation',
    ]);
    const episodes = outline(briefing.sections)[3]!;
    expect(episodes.good).toEqual(['The school recorded every concern it saw.']);
    expect(episodes.improve).toEqual(["Home visits did not see the children's bedrooms."]);
    expect(report.sections.filter((s) => s.style === 'numbered')).toHaveLength(7);
    expect(report.sections.filter((s) => s.how === 'part').map((s) => s.heading)).toEqual([
      'Expected good practice',
      'Areas for improvement',
    ]);
  });

  it('headings written as questions, one point a line, and a section of its own', () => {
    const { briefing, report } = read('02-question-headings.txt');
    expect(outline(briefing.sections)).toEqual([
      {
        kind: 'background',
        heading: 'What happened?',
        paragraphs: [
          'Child M, aged 13, was going missing from home and was found in another town twice.',
          'Police and the school each held part of the picture.',
        ],
        items: [],
      },
      {
        kind: 'purpose',
        heading: 'Why does it matter?',
        paragraphs: [
          'Children who go missing are at risk of exploitation, and each missing episode is a chance to ask why.',
        ],
        items: [],
      },
      {
        kind: 'learning',
        heading: 'What did we learn?',
        paragraphs: [],
        items: [
          'Return home interviews were offered but not completed',
          'Information about missing episodes did not reach the school',
          'Nobody asked who the child was with',
        ],
      },
      {
        kind: 'learning',
        heading: 'What should practitioners do?',
        paragraphs: [],
        items: [
          'Always complete a return home interview within 72 hours',
          'Tell the school about every missing episode',
        ],
      },
      {
        kind: 'custom',
        heading: 'Reflective questions',
        paragraphs: [],
        items: [
          'How do you record missing episodes in your team?',
          'Who would you tell if a child went missing twice in a month?',
        ],
      },
      {
        kind: 'furtherInformation',
        heading: 'Where can I find out more?',
        paragraphs: [],
        items: ['Missing children protocol'],
      },
    ]);
    expect(report.sections.map((s) => s.how)).toEqual([
      'synonym',
      'synonym',
      'synonym',
      'synonym',
      'own',
      'synonym',
    ]);
    expect(report.sections[0]!.synonym).toBe('what happened');
  });

  it('a layout without bullets: "Key findings" is the learning, each line a point', () => {
    const { briefing, report } = read('03-no-bullets.txt');
    const sections = outline(briefing.sections);
    expect(sections.map((s) => [s.kind, s.heading])).toEqual([
      ['background', 'Background'],
      ['learning', 'Key findings'],
      ['learning', 'Key messages for practice'],
      ['progressImpact', 'What has changed'],
    ]);
    expect(sections[1]!.items).toEqual([
      'Pre-birth assessment did not follow the family when they moved',
      "The father's history was not known to health visitors",
      'Bruising in a non-mobile baby was not escalated the first time',
    ]);
    expect(sections[3]!.items).toHaveLength(2);
    expect(report.splitLines).toBeGreaterThanOrEqual(6);
  });

  it("a web page: the menus, cookie notice, picture text and footer are gone, the title is the briefing's", () => {
    const { briefing, report } = read('04-web-page.txt');
    expect(briefing.title).toBe('7 Minute Briefing: Child R');
    expect(report.title.from).toBe('document');
    expect(report.documentDate).toEqual({ iso: '2023-03-01', precision: 'month', text: 'March 2023' });
    const text = JSON.stringify(briefing);
    for (const gone of [
      'Skip to',
      'cookies',
      'Menu',
      'About us',
      'Home >',
      'clock logo',
      'Print this',
      'Back to top',
      '©',
    ])
      expect(text).not.toContain(gone);
    expect(report.removed).toContain('Skip to main content');
    expect(report.removed).toContain('Image: 7 minute briefing clock logo');
    expect(report.removed).toContain('© 2024 Eastmoor Safeguarding Children Partnership');
    expect(outline(briefing.sections)).toEqual([
      {
        kind: 'background',
        heading: 'Background',
        paragraphs: [
          'Child R was 15 and had been excluded from school. Police stopped Child R three times carrying large sums of cash.',
        ],
        items: [],
      },
      {
        kind: 'purpose',
        heading: 'Why it matters',
        paragraphs: ['Excluded children are at greater risk of criminal exploitation.'],
        items: [],
      },
      {
        kind: 'learning',
        heading: 'Learning',
        paragraphs: [],
        items: [
          'Exclusion should trigger a multi-agency discussion about exploitation risk.',
          'Finding cash on a child is a safeguarding concern, not only a crime.',
        ],
      },
      {
        kind: 'furtherInformation',
        heading: 'Further information',
        paragraphs: [],
        items: ['Child exploitation pathway'],
      },
    ]);
  });

  it('"Minute 1" to "Minute 7", each read by its words', () => {
    const { briefing, report } = read('05-minutes.md');
    const sections = outline(briefing.sections);
    expect(sections.map((s) => s.kind)).toEqual([
      'background',
      'purpose',
      'linesOfEnquiry',
      'practiceEpisodes',
      'practiceEpisodes',
      'learning',
      'furtherInformation',
    ]);
    expect(sections[3]!.good).toEqual(['The emergency department made a referral the same day.']);
    expect(sections[4]!.improve).toEqual(['The health visitor was not told about the attendance.']);
    expect(report.documentDate?.iso).toBe('2022-06-01');
  });

  it("Devon's learning briefing: the incident, good practice, what else we found, messages", () => {
    const sections = outline(read('06-devon-style.txt').briefing.sections);
    expect(sections.map((s) => [s.kind, s.heading])).toEqual([
      ['background', 'The Incident'],
      ['practiceEpisodes', 'Good Practice'],
      ['learning', 'Messages for Practitioners'],
    ]);
    expect(sections[1]!.good).toEqual([
      'The paramedics recorded what each parent said.',
      'The hospital held a strategy discussion within a day.',
    ]);
    expect(sections[1]!.improve).toEqual([
      "Information about the father's previous convictions was held by probation but not shared.",
      'The health visitor had not met the father.',
    ]);
  });

  it("a learning summary: the partnership's name at its head is not a section, findings are learning", () => {
    const { briefing, report } = read('07-markdown-findings.md');
    expect(report.partnership).toBe('Northshire Safeguarding Children Partnership');
    expect(outline(briefing.sections).map((s) => [s.kind, s.heading, s.items.length])).toEqual([
      ['background', 'Summary of the case', 0],
      ['learning', 'Key findings', 2],
      ['learning', 'Recommendations', 2],
      ['custom', 'Questions for reflection', 2],
      ['custom', 'Contact', 0],
    ]);
  });

  it('headings in capitals, known or not, each with its own points', () => {
    const sections = outline(read('08-capitals.txt').briefing.sections);
    expect(sections.map((s) => [s.kind, s.heading, s.items])).toEqual([
      ['background', 'BACKGROUND', []],
      ['purpose', 'WHY IT MATTERS', []],
      [
        'learning',
        'WHAT DID WE LEARN?',
        ['Each referral was judged on its own', 'Nobody looked at the history'],
      ],
      [
        'custom',
        'WHAT NEXT?',
        [
          'The front door now checks the history of every re-referral',
          'Team managers review any third referral in a year',
        ],
      ],
      ['furtherInformation', 'FURTHER INFORMATION', ['Thresholds guidance']],
    ]);
  });

  it('bold lines from a Word document are headings', () => {
    const { briefing, report } = read('09-bold-docx-style.md');
    expect(briefing.title).toBe('7 Minute Briefing – Child W');
    expect(outline(briefing.sections).map((s) => [s.kind, s.heading])).toEqual([
      ['background', 'Background'],
      ['purpose', 'Purpose of the review'],
      ['linesOfEnquiry', 'Key lines of enquiry'],
      ['learning', 'Learning'],
      ['progressImpact', 'Impact'],
      ['custom', 'Reflective questions for teams'],
    ]);
    expect(report.sections.every((s) => s.style === 'bold')).toBe(true);
  });

  it('headings it does not know are kept as sections of their own, never merged into the one before', () => {
    const { briefing, report, warnings } = read('10-plain-sections-unknown.txt');
    expect(outline(briefing.sections)).toEqual([
      {
        kind: 'background',
        heading: 'Background',
        paragraphs: ['Child X was 11 and a young carer for a parent with multiple sclerosis.'],
        items: [],
      },
      {
        kind: 'learning',
        heading: 'Learning for practice',
        paragraphs: [],
        items: [
          'Young carers can be hidden in plain sight.',
          'Ask every child about caring responsibilities.',
        ],
      },
      {
        kind: 'custom',
        heading: 'Voice of the child',
        paragraphs: [],
        items: [
          'Child X said they were tired all the time and worried about their mother.',
          'Nobody asked what a normal day looked like.',
        ],
      },
      {
        kind: 'custom',
        heading: 'Next steps for the partnership',
        paragraphs: [],
        items: ['Launch the young carers assessment pathway.', 'Audit school attendance of young carers.'],
      },
      { kind: 'custom', heading: 'Contact us', paragraphs: ['The partnership business unit.'], items: [] },
    ]);
    expect(report.sections.find((s) => s.heading === 'Next steps for the partnership')).toMatchObject({
      how: 'own',
      style: 'short line',
    });
    expect(warnings).toContain(
      '"Voice of the child" is not one of the seven briefing sections; it is kept as it is.',
    );
  });

  it('recognises the standard sections of every layout it was given', () => {
    const files = [
      '01-numbered.txt',
      '02-question-headings.txt',
      '03-no-bullets.txt',
      '04-web-page.txt',
      '05-minutes.md',
      '06-devon-style.txt',
      '07-markdown-findings.md',
      '08-capitals.txt',
      '09-bold-docx-style.md',
      '10-plain-sections-unknown.txt',
    ];
    for (const file of files) {
      const { briefing } = read(file);
      // No section swallowed a heading: no item or paragraph is itself a heading the vocabulary knows.
      for (const s of briefing.sections)
        for (const text of [...s.paragraphs, ...(s.kind === 'furtherInformation' ? [] : s.items)])
          expect((recogniseHeading(text) ?? isOtherHeading(text)) ? text : null, file).toBeNull();
      expect(
        briefing.sections.some((s) => s.kind === 'background'),
        file,
      ).toBe(true);
      expect(
        briefing.sections.some((s) => s.kind === 'learning' || s.kind === 'practiceEpisodes'),
        file,
      ).toBe(true);
    }
  });
});

describe('the document date', () => {
  it('reads a labelled date, and not a date in the story', () => {
    const { report } = parseBriefing(
      'Child Q\n\nBackground\nIn March 2019 the police attended.\n\nDate: 14/06/2021\n',
      {
        fileName: 'q.txt',
      },
    );
    expect(report.documentDate).toEqual({ iso: '2021-06-14', precision: 'day', text: '14/06/2021' });
  });

  it('has none when the document does not say', () => {
    const { report } = parseBriefing('Child Q\n\nBackground\nIn March 2019 the police attended.\n', {
      fileName: 'q.txt',
    });
    expect(report.documentDate).toBeNull();
  });
});
