import { describe, expect, it } from 'vitest';
import { findIdentifyingDetails } from './find.ts';
import { nhsCheckDigit } from './nhs-number.ts';
import type { Finding, IdentifiableData } from './types.ts';

/** A fictional NHS number with a valid check digit, computed rather than copied from anywhere. */
function fictionalNhsNumber(firstNine: string): string {
  const check = nhsCheckDigit(firstNine);
  if (check === undefined) throw new Error(`${firstNine} has no valid check digit`);
  return `${firstNine}${check}`;
}

const KAYLA_NHS = fictionalNhsNumber('999000001');
const OTHER_NHS = fictionalNhsNumber('999000012');

// Obviously fictional: ZZ99 is a pseudo-postcode, 01632 960 and 07700 900 are Ofcom's drama numbers.
const review: IdentifiableData = {
  names: ['Kayla Testperson', 'Darren Testperson', 'Grace Exampleton'],
  datesOfBirth: ['2018-03-14'],
  addresses: ['1 Example Street, Sampletown, ZZ99 9ZZ'],
  postcodes: ['ZZ99 9ZZ'],
  nhsNumbers: [`${KAYLA_NHS.slice(0, 3)} ${KAYLA_NHS.slice(3, 6)} ${KAYLA_NHS.slice(6)}`],
  schools: ['Sampletown Primary School'],
  practitioners: ['Jo Practitioner-Sample'],
};

const none: IdentifiableData = {
  names: [],
  datesOfBirth: [],
  addresses: [],
  postcodes: [],
  nhsNumbers: [],
  schools: [],
  practitioners: [],
};

const find = (text: string, data = review): Finding[] =>
  findIdentifyingDetails([{ sectionKey: 'background', text }], data);
const found = (text: string, data = review) => find(text, data).map((f) => [f.kind, f.text, f.source]);

describe('findIdentifyingDetails: the review’s own data', () => {
  it.each([
    ['Kayla Testperson was seen at home.', 'Kayla Testperson'],
    ["Kayla's mother was not seen.", "Kayla's"],
    ['Kayla’s nursery', 'Kayla’s'],
    ['The TESTPERSON family moved.', 'TESTPERSON'],
    ['kayla was three.', 'kayla'],
    ['Darren attended.', 'Darren'],
    ['Grace was seen.', 'Grace'],
  ])('finds a name in "%s"', (text, name) => {
    expect(found(text)).toContainEqual(['name', name, 'review']);
  });

  it('finds whole words only, and a name that is also a word only when capitalised', () => {
    expect(find('Kaylabeth and Testpersons were there, by the grace of luck.')).toEqual([]);
  });

  it('ignores a name that is only the top-level domain of a web address, but not in its path', () => {
    const family = { ...none, names: ['Testchild Two Example'] };
    expect(find('Threshold of Need (https://northshire-scp.example/threshold)', family)).toEqual([]);
    expect(found('Help (https://scp.example/the-example-family)', family)).toEqual([
      ['name', 'example', 'review'],
    ]);
    expect(found('Ask the Example family (http://scp.example:8080/)', family)).toEqual([
      ['name', 'Example', 'review'],
    ]);
  });

  it('reports a full name once, not as its parts', () => {
    expect(found('Kayla Testperson')).toEqual([['name', 'Kayla Testperson', 'review']]);
  });

  it('finds an accented name written without its accent', () => {
    expect(found('Zoe was seen.', { ...none, names: ['Zoë Testperson'] })).toEqual([
      ['name', 'Zoe', 'review'],
    ]);
  });

  it.each([
    '14/03/2018',
    '14/3/18',
    '14.03.2018',
    '14-03-2018',
    '2018-03-14',
    '14 March 2018',
    '14th March 2018',
    '14th Mar 2018',
    '14th of March, 2018',
    'March 14, 2018',
    'Mar 14th 2018',
    '03/14/2018',
  ])('finds the date of birth written as %s', (date) => {
    expect(found(`She was born on ${date}.`)).toEqual([['date-of-birth', date, 'review']]);
  });

  it.each([
    ['They lived at 1 Example Street.', '1 Example Street'],
    ['a flat on Example St.', 'Example St.'],
    ['1 example street', '1 example street'],
  ])('finds the street of the address in "%s"', (text, street) => {
    expect(found(text)).toContainEqual(['address', street, 'review']);
  });

  it('does not report the town alone', () => {
    expect(find('Families across Sampletown were offered support.')).toEqual([]);
  });

  it.each(['ZZ99 9ZZ', 'zz99 9zz', 'ZZ999ZZ'])('finds the postcode written %s', (postcode) => {
    expect(found(`Moved to ${postcode} in 2019.`)).toContainEqual(['postcode', postcode, 'review']);
  });

  it.each([
    `${KAYLA_NHS.slice(0, 3)} ${KAYLA_NHS.slice(3, 6)} ${KAYLA_NHS.slice(6)}`,
    KAYLA_NHS,
    `${KAYLA_NHS.slice(0, 3)}-${KAYLA_NHS.slice(3, 6)}-${KAYLA_NHS.slice(6)}`,
  ])('finds the NHS number written %s', (number) => {
    expect(found(`NHS number ${number}.`)).toEqual([['nhs-number', number, 'review']]);
  });

  it('finds the school, also without "School"', () => {
    expect(found('She attended Sampletown Primary School.')).toEqual([
      ['school', 'Sampletown Primary School', 'review'],
    ]);
    expect(found('Sampletown Primary raised concerns.')).toEqual([
      ['school', 'Sampletown Primary', 'review'],
    ]);
  });

  it('finds practitioners by name and by part of a double-barrelled surname', () => {
    expect(found('Jo Practitioner-Sample visited.')).toEqual([
      ['practitioner', 'Jo Practitioner-Sample', 'review'],
    ]);
    expect(found('Sample saw the child.')).toEqual([['practitioner', 'Sample', 'review']]);
  });

  it('gives offsets into the text, the section and item, and a plain message', () => {
    const [finding] = findIdentifyingDetails(
      [{ sectionKey: 'learning.items', itemIndex: 3, text: 'Ask Kayla.' }],
      review,
    );
    expect(finding).toEqual({
      sectionKey: 'learning.items',
      itemIndex: 3,
      start: 4,
      end: 9,
      text: 'Kayla',
      kind: 'name',
      source: 'review',
      message: '"Kayla" is a name recorded in the review, or part of one.',
    });
  });
});

describe('findIdentifyingDetails: patterns, whoever the detail belongs to', () => {
  it.each([
    ['Call 01632 960123 for advice.', 'phone', '01632 960123'],
    ['Mobile 07700 900123.', 'phone', '07700 900123'],
    ['Ring +44 7700 900123.', 'phone', '+44 7700 900123'],
    ['Ring (01632) 960123.', 'phone', '(01632) 960123'],
    ['Office 020 7946 0958.', 'phone', '020 7946 0958'],
    ['E-mail jordan.mockford@example.org today.', 'email', 'jordan.mockford@example.org'],
    ['Postcode ZZ1 2AB.', 'postcode', 'ZZ1 2AB'],
    [`Number ${OTHER_NHS} on file.`, 'nhs-number', OTHER_NHS],
    ['Her brother was born on 2 April 2016.', 'possible-birth-date', '2 April 2016'],
    ['Seen on 02/04/2016 at home.', 'possible-birth-date', '02/04/2016'],
    ['Jordan Mockford attended the meeting.', 'possible-full-name', 'Jordan Mockford'],
    ['Mrs Mockford attended.', 'possible-full-name', 'Mrs Mockford'],
  ])('in "%s" finds a %s', (text, kind, detail) => {
    expect(found(text, none)).toEqual([[kind, detail, 'pattern']]);
  });

  it.each([
    [
      'a ten-digit number with a wrong check digit',
      `Ref ${OTHER_NHS.slice(0, 9)}${(Number(OTHER_NHS[9]) + 1) % 10}.`,
    ],
    ['a month and a year', 'Clinics began in March 2021.'],
    ['an impossible date', 'Reference 31/02/2020.'],
    ['an anonymised name', 'Ms D and Child A were seen by the Health Visitor.'],
    [
      'the briefing’s own vocabulary',
      'Key Lines of Enquiry: the Graded Care Profile and Child Protection Plan.',
    ],
    [
      'Line of Sight and a section 47',
      'Line of Sight Events and Section 47 Enquiries by Children’s Social Care.',
    ],
    ['lower-case look-alikes', 'The m6 4th junction and 12/2020.'],
    ['a short number', 'Call 999 or 101.'],
  ])('does not report %s', (_, text) => {
    expect(find(text, none)).toEqual([]);
  });

  it('accepts the partnership’s own words', () => {
    const text = 'Families in Northshire Vale were offered support.';
    expect(found(text, none)).toEqual([['possible-full-name', 'Northshire Vale', 'pattern']]);
    expect(
      findIdentifyingDetails([{ sectionKey: 'x', text }], none, { ordinaryWords: ['Northshire'] }),
    ).toEqual([]);
  });

  it('prefers the review’s record to a pattern for the same words', () => {
    expect(found('Kayla Testperson, born 14 March 2018, 07700 900123.')).toEqual([
      ['name', 'Kayla Testperson', 'review'],
      ['date-of-birth', '14 March 2018', 'review'],
      ['phone', '07700 900123', 'pattern'],
    ]);
  });

  it('stays fast on a long text', () => {
    const text = 'Mother said Kayla Testperson 14/03/2018 was at 1 Example Street. '.repeat(4000);
    const started = performance.now();
    expect(find(text)).toHaveLength(12000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
