import { describe, expect, it } from 'vitest';
import { findIdentifyingDetails, NOTHING_RECORDED } from './find.ts';
import { FINDING_ADVICE } from './kinds.ts';
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
  people: [
    { name: 'Kayla Testperson', role: 'child' },
    { name: 'Darren Testperson', role: 'household' },
    { name: 'Grace Exampleton', role: 'household' },
    { name: 'Testmother Example', role: 'household' },
    { name: 'Jo Practitioner-Sample', role: 'referrer' },
    { name: 'Pat Police-Lead (demo)', role: 'member' },
    { name: 'Riley Testlead', role: 'agency-lead' },
    { name: 'PC Morgan Testofficer', role: 'event' },
    { name: 'Will Testworker', role: 'chronology-worker' },
    { name: 'HV-A', role: 'chronology-worker' },
  ],
  datesOfBirth: ['2018-03-14'],
  addresses: ['Flat 2, 1 Example Street, Sampletown'],
  postcodes: ['ZZ99 9ZZ'],
  nhsNumbers: [`${KAYLA_NHS.slice(0, 3)} ${KAYLA_NHS.slice(3, 6)} ${KAYLA_NHS.slice(6)}`],
  institutions: ['Sampletown Primary School', 'Testbrook Medical Centre'],
};

const find = (text: string, data = review): Finding[] =>
  findIdentifyingDetails([{ sectionKey: 'background.paragraphs', itemIndex: 0, text }], data);
const found = (text: string, data = review) => find(text, data).map((f) => [f.kind, f.text, f.source]);

describe('findIdentifyingDetails: the people the review knows', () => {
  it.each([
    ['Kayla Testperson was seen at home.', 'Kayla Testperson'],
    ['kayla testperson was seen at home.', 'kayla testperson'],
    ['KAYLA  TESTPERSON was seen.', 'KAYLA  TESTPERSON'],
    ['Seen with Kayla\nTestperson.', 'Kayla\nTestperson'],
    ["Kayla's mother was not seen.", "Kayla's"],
    ['Kayla’s nursery', 'Kayla’s'],
    ['The Testpersons’ home', 'Testpersons’'],
    ['The Testpersons moved.', 'Testpersons'],
    ['kayla was three.', 'kayla'],
    ['The TESTPERSON family moved.', 'TESTPERSON'],
    ['Darren attended.', 'Darren'],
    ['Mrs Testperson attended.', 'Mrs Testperson'],
    ['ms. testperson attended.', 'ms. testperson'],
    ['K. Testperson signed.', 'K. Testperson'],
    ['Testperson, Kayla was listed.', 'Testperson, Kayla'],
  ])('finds the child or family in "%s"', (text, name) => {
    expect(found(text)).toContainEqual(['person', name, 'review']);
  });

  it.each([
    ['the referrer', 'Jo said the referral was late.', 'Jo', 'the referrer'],
    ['a member of the review', 'The chair, Pat, opened it.', 'Pat', 'a member of the review'],
    ['an agency lead', 'riley testlead wrote it.', 'riley testlead', 'an agency lead'],
    ['an event attendee', 'As Morgan said at the event.', 'Morgan', 'someone invited to the learning event'],
    [
      'a chronology worker',
      'Visits by Testworker stopped.',
      'Testworker',
      'a worker named in the chronology',
    ],
  ])('finds %s, and says who it is', (_, text, name, who) => {
    const [finding] = find(text);
    expect([finding?.kind, finding?.text]).toEqual(['person', name]);
    expect(finding?.reason).toContain(who);
  });

  it('finds a surname that is an ordinary word only as a name is written', () => {
    // "Example" is a surname here, and also a word.
    expect(find('For example, the mother was not seen.')).toEqual([]);
    expect(find('Example: the mother was not seen.')).toEqual([]);
    expect(found('The health visitor spoke to Example about it.')).toEqual([['person', 'Example', 'review']]);
    expect(found('testmother example was seen.')).toEqual([['person', 'testmother example', 'review']]);
    // "Will" is a first name and a word; "Grace" likewise.
    expect(find('Agencies will share information, by the grace of good luck.')).toEqual([]);
    expect(find('Will the agencies share information?')).toEqual([]);
    expect(found('The plan was shared with Will and Grace.')).toEqual([
      ['person', 'Will', 'review'],
      ['person', 'Grace', 'review'],
    ]);
  });

  it('finds a name made of a number word only as a name is written', () => {
    const six: IdentifiableData = { ...review, people: [{ name: 'Testchild Six Example', role: 'child' }] };
    expect(find('There was a six-month gap; six agencies were involved.', six)).toEqual([]);
    expect(found('The school referred Six to the nurse.', six)).toEqual([['person', 'Six', 'review']]);
    expect(found('testchild six example moved.', six)).toEqual([['person', 'testchild six example', 'review']]);
  });

  it('does not look for the job-title words or codes in a practitioner’s recorded name', () => {
    expect(find('The police lead attended; HV-A visited twice. The Lead Officer agreed.')).toEqual([]);
    expect(found('Pat Police-Lead attended.')).toEqual([['person', 'Pat Police-Lead', 'review']]);
  });

  it('finds whole words only', () => {
    expect(find('Kaylabeth and Testpersonal things, Darrenville.')).toEqual([]);
  });

  it('reports a full name once, not as its parts', () => {
    expect(found('Kayla Testperson')).toEqual([['person', 'Kayla Testperson', 'review']]);
  });

  it('finds an accented name written without its accent', () => {
    const zoe = { ...NOTHING_RECORDED, people: [{ name: 'Zoë Testperson', role: 'child' as const }] };
    expect(found('Zoe was seen.', zoe)).toEqual([['person', 'Zoe', 'review']]);
  });

  it('ignores a name that is only the top-level domain of a web address, but not in its path', () => {
    const family = {
      ...NOTHING_RECORDED,
      people: [{ name: 'Testchild Two Testexample', role: 'child' as const }],
    };
    expect(find('Threshold of Need (https://northshire-scp.testexample/threshold)', family)).toEqual([]);
    expect(found('Help (https://scp.testexample/the-testexample-family)', family)).toEqual([
      ['person', 'testexample', 'review'],
    ]);
  });
});

describe('findIdentifyingDetails: the places, settings, dates and numbers the review knows', () => {
  it.each([
    '14/03/2018',
    '14/3/18',
    '14.03.2018',
    '14-03-2018',
    '2018-03-14',
    '14 March 2018',
    '14 march 2018',
    '14th March 2018',
    '14th Mar 2018',
    '14-Mar-2018',
    '14th of March, 2018',
    'March 14, 2018',
    'Mar 14th 2018',
    '03/14/2018',
  ])('finds the date of birth written as %s', (date) => {
    expect(found(`She was born on ${date}.`)).toEqual([['date', date, 'review']]);
  });

  it.each([
    ['They lived at 1 Example Street.', '1 Example Street'],
    ['a flat on Example St.', 'Example St.'],
    ['1 example street', '1 example street'],
    ['flat 2, 1 example street', 'flat 2, 1 example street'],
    ['1, Example Street', '1, Example Street'],
  ])('finds the house and street in "%s"', (text, street) => {
    expect(found(text)).toContainEqual(['address', street, 'review']);
  });

  it('finds the town of the address alone, in any case', () => {
    expect(found('The family moved to Sampletown.')).toEqual([['place', 'Sampletown', 'review']]);
    expect(found('the family moved to sampletown.')).toEqual([['place', 'sampletown', 'review']]);
  });

  it.each(['ZZ99 9ZZ', 'zz99 9zz', 'ZZ999ZZ', 'ZZ99  9ZZ'])('finds the postcode written %s', (postcode) => {
    expect(found(`Moved to ${postcode} in 2019.`)).toEqual([['address', postcode, 'review']]);
  });

  it('finds the postcode district alone, as a place', () => {
    expect(found('Families in ZZ99 were offered support.')).toEqual([['place', 'ZZ99', 'review']]);
  });

  it.each([
    `${KAYLA_NHS.slice(0, 3)} ${KAYLA_NHS.slice(3, 6)} ${KAYLA_NHS.slice(6)}`,
    KAYLA_NHS,
    `${KAYLA_NHS.slice(0, 3)}-${KAYLA_NHS.slice(3, 6)}-${KAYLA_NHS.slice(6)}`,
  ])('finds the NHS number written %s', (number) => {
    expect(found(`NHS number ${number}.`)).toEqual([['health-number', number, 'review']]);
  });

  it('finds a recorded setting whole, in any case, and without its noun', () => {
    expect(found('She attended Sampletown Primary School.')).toEqual([
      ['institution', 'Sampletown Primary School', 'review'],
    ]);
    expect(found('sampletown primary raised concerns.')).toEqual([
      ['institution', 'sampletown primary', 'review'],
    ]);
    expect(found('Registered at Testbrook, the GP practice.')).toEqual([
      ['institution', 'Testbrook', 'review'],
    ]);
  });
});

describe('findIdentifyingDetails: patterns, whoever the detail belongs to', () => {
  it.each([
    ['Call 01632 960123 for advice.', 'contact', '01632 960123'],
    ['Mobile 07700 900123.', 'contact', '07700 900123'],
    ['Ring +44 7700 900123.', 'contact', '+44 7700 900123'],
    ['Ring (01632) 960123.', 'contact', '(01632) 960123'],
    ['Mother (07700 900123) was called.', 'contact', '07700 900123'],
    ['Office 020 7946 0958.', 'contact', '020 7946 0958'],
    ['E-mail jordan.mockford@example.org today.', 'contact', 'jordan.mockford@example.org'],
    ['Postcode ZZ1 2AB.', 'address', 'ZZ1 2AB'],
    ['Postcode AB1 2CD.', 'address', 'AB1 2CD'],
    [`Number ${OTHER_NHS} on file.`, 'health-number', OTHER_NHS],
    ['Her brother was born on 2 April 2016.', 'date', '2 April 2016'],
    ['Seen on 02/04/2016 at home.', 'date', '02/04/2016'],
    ['Jordan Mockford attended the meeting.', 'person', 'Jordan Mockford'],
    ['Mrs Mockford attended.', 'person', 'Mrs Mockford'],
    ['They lived at 14 Acacia Avenue.', 'address', '14 Acacia Avenue'],
    ['they lived at flat 3, 22 mill road.', 'address', 'flat 3, 22 mill road'],
    ['She lived on Acacia Avenue.', 'address', 'Acacia Avenue'],
    ['She attended Westbrook Primary School.', 'institution', 'Westbrook Primary School'],
    ['Seen at Westbrook General Hospital.', 'institution', 'Westbrook General Hospital'],
    ['Admitted to the Westbrook Royal Infirmary.', 'institution', 'Westbrook Royal Infirmary'],
    ['Registered at Parkview Medical Centre.', 'institution', 'Parkview Medical Centre'],
    ['Registered at Parkview Surgery.', 'institution', 'Parkview Surgery'],
    ['Seen at Oakfield Children’s Centre.', 'institution', 'Oakfield Children’s Centre'],
    ['The family attended St Aidan’s Church.', 'institution', 'St Aidan’s Church'],
  ])('in "%s" finds a %s', (text, kind, detail) => {
    expect(found(text, NOTHING_RECORDED)).toEqual([[kind, detail, 'pattern']]);
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
    [
      'a number before ordinary words',
      'On 3 occasions the way agencies did not close cases was noted; 2 police officers went to court.',
    ],
    [
      'a type of setting',
      'She attended the Primary School and the General Hospital; the GP Surgery was told.',
    ],
    ['a court', 'The Family Court and the Magistrates Court heard it.'],
  ])('does not report %s', (_, text) => {
    expect(find(text, NOTHING_RECORDED)).toEqual([]);
  });

  it('leaves the partnership’s own names alone', () => {
    const text = 'Families in Northshire Vale were seen at Northshire General Hospital.';
    expect(found(text, NOTHING_RECORDED)).toEqual([
      ['address', 'Northshire Vale', 'pattern'],
      ['institution', 'Northshire General Hospital', 'pattern'],
    ]);
    expect(
      findIdentifyingDetails([{ sectionKey: 'x', text }], NOTHING_RECORDED, {
        partnershipNames: ['Northshire Safeguarding Children Partnership', 'Northshire General Hospital'],
      }),
    ).toEqual([]);
  });

  it('prefers the review’s record to a pattern for the same words', () => {
    expect(found('Kayla Testperson, born 14 March 2018, 07700 900123.')).toEqual([
      ['person', 'Kayla Testperson', 'review'],
      ['date', '14 March 2018', 'review'],
      ['contact', '07700 900123', 'pattern'],
    ]);
  });

  it('reports a recorded town inside a named setting as the setting', () => {
    expect(found('She moved to Sampletown Academy.')).toEqual([
      ['institution', 'Sampletown Academy', 'pattern'],
    ]);
  });

  it('finds every detail of the file that was published unchecked', () => {
    const text =
      'Jane Smith, born 3 March 2019, lived at 14 Acacia Avenue, AB1 2CD … 07700 900123 … mum@gmail.com … NHS number 943 476 5919';
    expect(found(text, NOTHING_RECORDED)).toEqual([
      ['person', 'Jane Smith', 'pattern'],
      ['date', '3 March 2019', 'pattern'],
      ['address', '14 Acacia Avenue', 'pattern'],
      ['address', 'AB1 2CD', 'pattern'],
      ['contact', '07700 900123', 'pattern'],
      ['contact', 'mum@gmail.com', 'pattern'],
      ['health-number', '943 476 5919', 'pattern'],
    ]);
  });

  it('handles a long text in one pass, finding every detail in it', () => {
    const text = 'Mother said Kayla Testperson 14/03/2018 was at 1 Example Street. '.repeat(4000);
    expect(find(text)).toHaveLength(12000);
  });
});

describe('each finding', () => {
  it('gives offsets into the text, the section and item, its kind, why, and advice for its kind', () => {
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
      kind: 'person',
      source: 'review',
      reason: '"Kayla" is part of the name of the child, as recorded in the review',
      advice: FINDING_ADVICE.person,
    });
  });

  it('advises on a setting as a setting, not as a person', () => {
    const [school] = find('She attended Westbrook Primary School.', NOTHING_RECORDED);
    expect(school?.advice).toBe(FINDING_ADVICE.institution);
    expect(school?.advice).toContain('type of setting');
    const [street] = find('They lived on Acacia Avenue.', NOTHING_RECORDED);
    expect(street?.kind).toBe('address');
    expect(street?.reason).not.toContain("person's name");
  });
});
