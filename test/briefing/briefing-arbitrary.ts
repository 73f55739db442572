import fc from 'fast-check';
import {
  isLabelledHeading,
  recogniseHeading,
  stripHeadingNumber,
} from '../../src/domain/briefing/headings.ts';
import {
  DEFAULT_HEADINGS,
  STANDARD_SECTION_KINDS,
  type Briefing,
  type BriefingSection,
  type FurtherInformationItem,
} from '../../src/domain/briefing/model.ts';

/**
 * Briefings as an editor could build them, for round-trip properties. Texts mix ordinary words with
 * the characters Markdown and HTML care about. Two limits of any Markdown round trip are kept out:
 * a paragraph that reads as a heading, and a standard section renamed to words that no longer say
 * what it is (both would come back as something else).
 */
const WORDS = [
  'child',
  "child's",
  'Mother',
  'police',
  'visit',
  'CSC',
  'risk',
  '5*5*5',
  '**not**',
  '_seen_',
  'a\\b',
  '[link]',
  '(CIN)',
  '<b>',
  '&amp;',
  '#tag',
  '`code`',
  'https://example.org/x',
  '1.',
  '-',
  '•',
  'x:',
  'why?',
  '£20',
  '50%',
  '"quoted"',
  'é',
  '—',
];

// Prose that does not read as a heading, however it is numbered.
export const textArb = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 })
  .map((words) => words.join(' '))
  .filter((text) => !recogniseHeading(stripHeadingNumber(text).text) && !isLabelledHeading(text));

// A heading survives "## 3 …" numbering and keeps its last character (a trailing ":" is dropped).
const headingTextArb = textArb.filter(
  (text) => stripHeadingNumber(`3 ${text}`).text === text && !text.endsWith(':'),
);
const titleArb = headingTextArb.filter((text) => !stripHeadingNumber(text).numbered);

const listArb = (min = 0) => fc.array(textArb, { minLength: min, maxLength: 4 });
// A list section's prose introduces its list: without items it would read back as items.
const paragraphsFor = (items: unknown[]): fc.Arbitrary<string[]> =>
  items.length > 0 ? fc.array(textArb, { maxLength: 2 }) : fc.constant([]);

const standardHeading = (kind: (typeof STANDARD_SECTION_KINDS)[number]) =>
  fc.constantFrom(
    DEFAULT_HEADINGS[kind],
    ...{
      background: ['What happened', 'Background'],
      purpose: ['Why it matters', 'Purpose of the Review?'],
      linesOfEnquiry: ['KLOEs', 'Key questions'],
      practiceEpisodes: ['Practice episodes', 'Key episodes'],
      learning: ['Messages for practice', 'Key learning'],
      progressImpact: ['What has changed', 'Progress and impact'],
      furtherInformation: ['Useful links', 'Resources'],
    }[kind],
  );

const urlArb = fc.constantFrom(
  'https://example.org/threshold',
  'https://example.org/a?b=1&c=2',
  'http://example.org/x_y',
);

const furtherArb: fc.Arbitrary<FurtherInformationItem> = fc
  .tuple(textArb, fc.option(urlArb, { nil: undefined }))
  .map(([title, url]) => (url === undefined ? { title } : { title, url }));

const customHeadingArb = fc
  .constantFrom('Reflective questions', 'Delivery', 'Minute One', 'Timing', '2020 review', 'Team discussion')
  .chain((h) => fc.oneof(fc.constant(h), headingTextArb));

export const sectionArb: fc.Arbitrary<BriefingSection> = fc.oneof(
  ...(['background', 'purpose'] as const).map((kind) =>
    fc.record({
      kind: fc.constant(kind),
      heading: standardHeading(kind),
      paragraphs: fc.array(textArb, { maxLength: 3 }),
      items: listArb(),
    }),
  ),
  ...(['linesOfEnquiry', 'learning', 'progressImpact'] as const).map((kind) =>
    listArb().chain((items) =>
      fc.record({
        kind: fc.constant(kind),
        heading: standardHeading(kind),
        paragraphs: paragraphsFor(items),
        items: fc.constant(items),
      }),
    ),
  ),
  fc.record({
    kind: fc.constant('practiceEpisodes' as const),
    heading: standardHeading('practiceEpisodes'),
    paragraphs: fc.array(textArb, { maxLength: 2 }),
    goodPractice: listArb(),
    areasForImprovement: listArb(),
    items: listArb(),
  }),
  fc.array(furtherArb, { maxLength: 4 }).chain((items) =>
    fc.record({
      kind: fc.constant('furtherInformation' as const),
      heading: standardHeading('furtherInformation'),
      paragraphs: paragraphsFor(items),
      items: fc.constant(items),
    }),
  ),
  fc.record({
    kind: fc.constant('custom' as const),
    heading: customHeadingArb,
    paragraphs: fc.array(textArb, { maxLength: 2 }),
    items: listArb(),
  }),
);

export const briefingArb: fc.Arbitrary<Briefing> = fc.record({
  title: titleArb,
  sections: fc.array(sectionArb, { maxLength: 9 }),
});
