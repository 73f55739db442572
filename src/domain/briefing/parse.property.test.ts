import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isMarkdownStyle,
  marksUnknownHeadings,
  writeDocument,
  type DocumentSection,
  type DocumentStyle,
} from '../../../test/briefing/write-document.ts';
import type { BriefingSection, SectionKind } from './model.ts';
import { parseBriefing } from './parse.ts';

// Heading variants a partnership might use, per kind (a sample of what the parser should know).
const HEADINGS: Record<SectionKind, string[]> = {
  background: ['Background and Concerns', 'Background', 'What happened', 'The incident', 'Case summary'],
  purpose: ['Purpose of the Review', 'Why it matters', 'Purpose', 'Aims of the review'],
  linesOfEnquiry: ['Key Lines of Enquiry', 'Lines of enquiry', 'KLOEs', 'Key questions'],
  practiceEpisodes: ['Key Practice Episodes', 'Practice episodes', 'Key episodes'],
  learning: ['Learning', 'Key learning', 'Messages for practice', 'Lessons learned', 'Key messages'],
  progressImpact: ['Progress/Impact', 'Progress and impact', 'What has changed', 'Impact'],
  furtherInformation: ['Further information', 'Resources', 'Useful links', 'Further reading'],
  custom: ['Reflective questions', 'Delivery', 'Timing', 'Legal framework', 'Team discussion'],
};
const GOOD = ['Expected good practice', 'Good practice', 'What went well'];
const IMPROVE = ['Areas for improvement', 'What could have been better', 'Areas for development'];

// Words from real briefings, with the punctuation they carry; none starts a bullet or names a section.
const WORDS = [
  'child',
  "child's",
  'agencies',
  'risk',
  'mother',
  'police',
  'visit',
  'assessment',
  'recorded',
  'not',
  'seen',
  'health',
  'referral',
  'drugs/alcohol',
  'neglect',
  'plan',
  'home',
  '(CIN)',
  'GP',
  'MASH',
  're-referral',
  '&',
  '50%',
  '£20',
  'why?',
  'yes,',
  'shared:',
  'Front',
  'door',
  'household',
  'timely',
  'audit',
];

const phrase = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 9 })
  .map((words) => words.join(' '));

const kindsArb = fc
  .subarray(
    [
      'background',
      'purpose',
      'linesOfEnquiry',
      'practiceEpisodes',
      'learning',
      'progressImpact',
      'furtherInformation',
    ] as SectionKind[],
    { minLength: 1 },
  )
  .chain((kinds) =>
    fc
      .shuffledSubarray([...kinds, 'custom', 'custom'] as SectionKind[], {
        minLength: kinds.length,
        maxLength: kinds.length + 2,
      })
      .filter((picked) => kinds.every((k) => picked.includes(k))),
  );

const styleArb: fc.Arbitrary<DocumentStyle> = fc.record({
  numbering: fc.constantFrom('none', 'digit', 'dot', 'paren', 'section', 'minute', 'minuteWord'),
  heading: fc.constantFrom('plain', 'upper', 'lower', 'colon', 'question', 'md1', 'md2', 'md3', 'bold'),
  bullet: fc.constantFrom('-', '•', '*', '–', '1)', '1.', 'a)', '\uf0b7'),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  spacious: fc.boolean(),
  wrap: fc.constantFrom('none', 'flush', 'indent'),
});

interface Generated {
  style: DocumentStyle;
  kinds: SectionKind[];
  sections: DocumentSection[];
  bullets: string[];
  paragraphs: string[];
  title: string | undefined;
}

const documentArb: fc.Arbitrary<Generated> = fc
  .record({
    style: styleArb,
    kinds: kindsArb,
    title: fc.option(fc.constantFrom('Child 2', 'Baby K – 7 Minute Briefing', 'Sibling group review'), {
      nil: undefined,
    }),
    seeds: fc.array(fc.tuple(phrase, fc.nat(4), fc.nat(5), fc.nat(5), fc.nat(2)), {
      minLength: 60,
      maxLength: 60,
    }),
  })
  .map(({ style, kinds, title, seeds }) => {
    // Custom sections survive only in styles that mark unknown headings as headings.
    const used = marksUnknownHeadings(style) ? kinds : kinds.filter((k) => k !== 'custom');
    let next = 0;
    const bullets: string[] = [];
    const paragraphs: string[] = [];
    // Each text ends with a unique token, so "exactly once" can be checked.
    const text = () => {
      const [words] = seeds[next % seeds.length] ?? ['child'];
      const t = `${words.charAt(0).toUpperCase()}${words.slice(1)} k${next++}`;
      return t;
    };
    const list = (n: number) =>
      Array.from({ length: n }, () => {
        const b = text();
        bullets.push(b);
        return b;
      });
    const sections = used.map((kind, i): DocumentSection => {
      const [, variant = 0, nItems = 1, nOther = 1, nParas = 0] = seeds[i] ?? [];
      const names = HEADINGS[kind];
      const heading = names[variant % names.length] ?? names[0] ?? 'Learning';
      if (kind === 'background' || kind === 'purpose' || kind === 'custom') {
        const paras = Array.from({ length: nParas + 1 }, () => {
          const p = `${text()}.`;
          paragraphs.push(p);
          return p;
        });
        return { heading, paragraphs: paras, items: kind === 'custom' ? list(nItems) : [] };
      }
      if (kind === 'practiceEpisodes') {
        return {
          heading,
          goodPractice: { heading: GOOD[variant % GOOD.length] ?? 'Good practice', items: list(nItems + 1) },
          areasForImprovement: {
            heading: IMPROVE[variant % IMPROVE.length] ?? 'Areas for improvement',
            items: list(nOther + 1),
          },
        };
      }
      return { heading, items: list(nItems + 1) };
    });
    return { style, kinds: used, sections, bullets, paragraphs, title };
  });

function outputItems(sections: BriefingSection[]): string[] {
  return sections.flatMap((s) => {
    if (s.kind === 'practiceEpisodes') return [...s.items, ...s.goodPractice, ...s.areasForImprovement];
    if (s.kind === 'furtherInformation') return s.items.map((i) => i.title);
    return s.items;
  });
}

describe('parseBriefing over generated documents', () => {
  it('finds every section, in order, and every bullet exactly once, inventing none', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const text = writeDocument(doc.title, doc.sections, doc.style);
        const fileName = isMarkdownStyle(doc.style) || doc.style.heading === 'bold' ? 'b.md' : 'b.txt';
        const { briefing } = parseBriefing(text, { fileName });
        expect(briefing.sections.map((s) => s.kind)).toEqual(doc.kinds);
        const items = outputItems(briefing.sections);
        for (const bullet of doc.bullets) expect(items.filter((i) => i === bullet)).toHaveLength(1);
        expect(items).toHaveLength(doc.bullets.length);
        const paragraphs = briefing.sections.flatMap((s) => s.paragraphs);
        expect(paragraphs).toEqual(doc.paragraphs);
        if (doc.title !== undefined) expect(briefing.title).toBe(doc.title);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary text, and every item it returns has text', () => {
    const pieces = fc.constantFrom(
      '\n',
      '\r\n',
      '\r',
      ' ',
      '  ',
      '- ',
      '• ',
      '* ',
      '1. ',
      'a) ',
      '# ',
      '### ',
      '**',
      '__',
      '\\',
      '[',
      '](',
      ')',
      'https://x.org/a',
      '---',
      '===',
      'Learning',
      'Minute One',
      'Section 2 –',
      'Good practice',
      ':',
      '?',
      'text',
      '\uf0b7',
      '\u00a0',
      '\t',
      '\ufeff',
    );
    const junk = fc.oneof(
      fc.array(pieces, { maxLength: 80 }).map((p) => p.join('')),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
    );
    fc.assert(
      fc.property(junk, fc.boolean(), (text, markdown) => {
        const { briefing, warnings } = parseBriefing(text, { markdown });
        for (const item of outputItems(briefing.sections)) expect(item.trim()).not.toBe('');
        expect(Array.isArray(warnings)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseBriefing on hostile input', () => {
  // Patterns that make naive Markdown handling quadratic (or overflow the stack) on a large file.
  it.each([
    ['unclosed emphasis', '**x '],
    ['unclosed links', '[a]('],
    ['escapes', '\\*'],
    ['one-character lines', '\r\n-'],
    ['bullets', '- item text here\n'],
    ['asterisks', '*'],
  ])('stays fast on 2 MB of %s', (_, unit) => {
    const text = unit.repeat(Math.ceil(2_000_000 / unit.length));
    const started = performance.now();
    expect(() => parseBriefing(text, { markdown: true })).not.toThrow();
    // Generous for a loaded machine: the quadratic behaviour this guards against takes minutes.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
