/**
 * The probe's identifiers: each one a review holds, written in every form people write it, and
 * general ones the review never recorded. Each case says whether the check promises to find it
 * (docs/data-protection.md): a name that is also an ordinary word is promised only capitalised
 * and not at the start of a sentence, and a job title or code in a recorded name is not a name.
 */
import { isIsoDate } from '../../src/domain/calendar/iso-date.ts';
import { INSTITUTION_NOUN_SOURCE } from '../../src/domain/anonymise/institutions.ts';
import { isNameWord } from '../../src/domain/anonymise/name-words.ts';
import { nhsCheckDigit } from '../../src/domain/anonymise/nhs-number.ts';
import { cleanName } from '../../src/domain/anonymise/people.ts';
import type { FindingKind, IdentifiableData } from '../../src/domain/anonymise/types.ts';
import { isOrdinaryWord } from '../../src/domain/anonymise/vocabulary.ts';
import type { Rng } from '../../src/synthetic/prng.ts';

export type Position = 'start' | 'middle';

export interface Case {
  source: 'review' | 'general';
  kind: FindingKind;
  /** What it is, in a few words: "full name, lower case". */
  form: string;
  /** As written into the briefing. */
  value: string;
  /** Where in its sentence: some forms are only promised in the middle of one. */
  position: Position;
  /** Why it is not promised, when it is not. */
  notPromised?: string;
}

const NONE: ReadonlySet<string> = new Set();
const TITLES = /^(?:mr|mrs|ms|miss|mx|dr|pc|pcso|dc|ds|di|dci|sgt|prof|rev|master)\.?$/i;

/** Words of a name a person would write: no titles, initials or codes ("HV-A"). */
function nameWords(name: string): string[] {
  return cleanName(name)
    .split(' ')
    .filter((w) => !TITLES.test(w) && /\p{Ll}/u.test(w) && w.replace(/[^\p{L}]/gu, '').length >= 2);
}

/** Why a name part alone is not promised in this form, if it is not. */
function partNotPromised(part: string, form: 'middle' | 'start' | 'lower'): string | undefined {
  const pieces = part.split('-');
  if (pieces.every((p) => isOrdinaryWord(p, NONE) && !isNameWord(p))) return 'a job title, not a name';
  if (pieces.some((p) => !isNameWord(p) && !isOrdinaryWord(p, NONE))) return undefined;
  if (form === 'start') return 'a name that is also a word, at the start of a sentence';
  if (form === 'lower') return 'a name that is also a word, in lower case';
  return undefined;
}

function personCases(name: string): Case[] {
  const words = nameWords(name);
  if (words.length === 0) return [];
  const cases: Case[] = [];
  const add = (form: string, value: string, position: Position = 'middle', notPromised?: string) =>
    cases.push({
      source: 'review',
      kind: 'person',
      form,
      value,
      position,
      ...(notPromised ? { notPromised } : {}),
    });
  const first = words[0]!;
  const last = words[words.length - 1]!;
  if (words.length > 1) {
    const full = words.join(' ');
    add('full name', full);
    add('full name, at the start of a sentence', full, 'start');
    add('full name, lower case', full.toLowerCase());
    add('full name, capitals', full.toUpperCase());
    add('full name, two spaces', words.join('  '));
    add('full name, across a line break', words.join('\n'));
    add('full name, possessive', `${full}'s`);
    if (words.length > 2) add('first and last name', `${first} ${last}`);
    add(
      'first name, middle initial, surname',
      `${first} ${String.fromCharCode(65 + (first.length % 26))}. ${last}`,
    );
    const jobSurname =
      partNotPromised(last, 'middle') === 'a job title, not a name' ? 'a job title, not a name' : undefined;
    add('surname first, capitals, comma', `${last.toUpperCase()}, ${first}`, 'middle', jobSurname);
    add('initial and surname', `${first.charAt(0).toUpperCase()}. ${last}`, 'middle', jobSurname);
    if (last.includes('-'))
      add('double-barrelled surname without its hyphen', `${first} ${last.replace(/-/g, ' ')}`);
    const plain = full.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    if (plain !== full) add('full name without accents', plain);
    const job = partNotPromised(last, 'middle');
    add('title and surname', `Ms ${last}`, 'middle', job === 'a job title, not a name' ? job : undefined);
    add(
      'title and surname, lower case',
      `ms ${last.toLowerCase()}`,
      'middle',
      job === 'a job title, not a name' ? job : undefined,
    );
  }
  for (const [which, part] of [
    ['first name', first],
    ['surname', last],
  ] as const) {
    if (words.length === 1 && which === 'surname') break;
    const cap = part.charAt(0).toUpperCase() + part.slice(1);
    add(`${which} alone`, cap, 'middle', partNotPromised(part, 'middle'));
    add(`${which} alone, at the start of a sentence`, cap, 'start', partNotPromised(part, 'start'));
    add(`${which} alone, lower case`, part.toLowerCase(), 'middle', partNotPromised(part, 'lower'));
    add(`${which} alone, possessive`, `${cap}’s`, 'middle', partNotPromised(part, 'middle'));
  }
  return cases;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A date in the ways people write one. */
export function dateForms(iso: string): [string, string][] {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const month = MONTHS[m - 1]!;
  const pad = (n: number) => String(n).padStart(2, '0');
  const ordinal = (n: number) =>
    `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
  return [
    ['dd/mm/yyyy', `${pad(d)}/${pad(m)}/${y}`],
    ['d/m/yy', `${d}/${m}/${String(y).slice(2)}`],
    ['dd.mm.yyyy', `${pad(d)}.${pad(m)}.${y}`],
    ['yyyy-mm-dd', iso],
    ['d Month yyyy', `${d} ${month} ${y}`],
    ['dth Mon yyyy', `${ordinal(d)} ${month.slice(0, 3)} ${y}`],
    ['dth of Month, yyyy', `${ordinal(d)} of ${month}, ${y}`],
    ['Month d, yyyy', `${month} ${d}, ${y}`],
    ['d-Mon-yyyy', `${d}-${month.slice(0, 3)}-${y}`],
    ['d month yyyy, lower case', `${d} ${month.toLowerCase()} ${y}`],
  ];
}

const STREET_ABBREVIATIONS: Record<string, string> = {
  street: 'St',
  road: 'Rd',
  avenue: 'Ave',
  lane: 'Ln',
  close: 'Cl',
  drive: 'Dr',
  crescent: 'Cres',
  court: 'Ct',
  place: 'Pl',
  gardens: 'Gdns',
  grove: 'Gr',
  terrace: 'Tce',
  square: 'Sq',
};

function addressCases(address: string, postcodes: string[]): Case[] {
  const cases: Case[] = [];
  const add = (kind: FindingKind, form: string, value: string, notPromised?: string) =>
    cases.push({
      source: 'review',
      kind,
      form,
      value,
      position: 'middle',
      ...(notPromised ? { notPromised } : {}),
    });
  const parts = address
    .split(/[,\n]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts) {
    if (/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i.test(part)) {
      postcodes.push(part);
      continue;
    }
    const street = /^(?:(flat\s+\w+)\s*,?\s+)?(\d+[a-z]?)?\s*(.*?\s(\w+))$/i.exec(part);
    const type = street?.[4]?.toLowerCase() ?? '';
    if (street && STREET_TYPES.some((t) => t.toLowerCase() === type)) {
      add('address', 'house and street', part);
      add('address', 'house and street, lower case', part.toLowerCase());
      add('address', 'street without the house number', street[3]!);
      const short = STREET_ABBREVIATIONS[type];
      if (short)
        add(
          'address',
          'street with its type abbreviated',
          `${street[2] ? `${street[2]} ` : ''}${street[3]!.replace(/\s\w+$/, ` ${short}`)}`,
        );
      if (street[2]) add('address', 'house, comma, street', `${street[2]}, ${street[3]}`);
      const town = parts[parts.length - 1];
      if (town && town !== part) add('address', 'house, street and town without a comma', `${part} ${town}`);
    } else if (!/^flat\s/i.test(part)) {
      const single = !part.includes(' ');
      add('place', 'town', part);
      add(
        'place',
        'town, lower case',
        part.toLowerCase(),
        single && isNameWord(part) ? 'a place that is also a word, in lower case' : undefined,
      );
      add('place', 'town, possessive', `${part}'s`);
    }
  }
  return cases;
}

function postcodeCases(postcode: string): Case[] {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  const spaced = `${compact.slice(0, -3)} ${compact.slice(-3)}`;
  const add = (kind: FindingKind, form: string, value: string): Case => ({
    source: 'review',
    kind,
    form,
    value,
    position: 'middle',
  });
  return [
    add('address', 'postcode', spaced),
    add('address', 'postcode, lower case', spaced.toLowerCase()),
    add('address', 'postcode without its space', compact),
    add('address', 'postcode, two spaces', spaced.replace(' ', '  ')),
    add('place', 'postcode district', compact.slice(0, -3)),
  ];
}

function institutionCases(name: string): Case[] {
  const add = (form: string, value: string): Case => ({
    source: 'review',
    kind: 'institution',
    form,
    value,
    position: 'middle',
  });
  // Without the noun that ends it, as people shorten it: "Sampletown Primary" for "… Primary School".
  const short = name.replace(new RegExp(`\\s+${INSTITUTION_NOUN_SOURCE}$`, 'i'), '');
  return [
    add('setting', name),
    add('setting, lower case', name.toLowerCase()),
    add('setting, capitals', name.toUpperCase()),
    add('setting, possessive', `${name}'s`),
    ...(short !== name ? [add('setting without its noun', short)] : []),
  ];
}

/** Every identifier a review holds, in every form people write it. */
export function reviewCases(data: IdentifiableData): Case[] {
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const person of data.people) {
    const key = cleanName(person.name).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    cases.push(...personCases(person.name));
  }
  for (const dob of data.datesOfBirth.filter(isIsoDate))
    for (const [form, value] of dateForms(dob))
      cases.push({
        source: 'review',
        kind: 'date',
        form: `date of birth, ${form}`,
        value,
        position: 'middle',
      });
  const postcodes = [...data.postcodes];
  for (const address of data.addresses) cases.push(...addressCases(address, postcodes));
  for (const postcode of new Set(postcodes.map((p) => p.replace(/\s+/g, '').toUpperCase())))
    cases.push(...postcodeCases(postcode));
  for (const institution of data.institutions) cases.push(...institutionCases(institution));
  for (const nhs of data.nhsNumbers) {
    const digits = nhs.replace(/\D/g, '');
    for (const [form, value] of [
      ['NHS number, spaced', `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`],
      ['NHS number, plain', digits],
      ['NHS number, hyphens', `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`],
    ])
      cases.push({ source: 'review', kind: 'health-number', form: form!, value: value!, position: 'middle' });
  }
  return cases;
}

// Common first names and surnames of England and Wales, some of them also ordinary words.
export const FIRST_NAMES =
  'Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Florence Willow Evie Poppy Harper Sienna Daisy Hope Oliver George Noah Arthur Muhammad Leo Oscar Harry Archie Jack Henry Theodore Freddie Charlie Thomas Alfie Jacob Finley Reggie Mohammed Tommy Will Aisha Zainab Priya Kwame Siobhan Zoë Niamh Oisín'.split(
    ' ',
  );
export const SURNAMES =
  'Smith Jones Taylor Williams Davies Evans Wilson Thomas Roberts Johnson Lewis Walker Robinson Wood Thompson White Watson Jackson Wright Green Harris Cooper King Lee Martin Clarke James Morgan Hughes Edwards Hill Moore Clark Harrison Scott Young Morris Hall Ward Turner Carter Phillips Mitchell Patel Adams Campbell Anderson Allen Cook Bailey Parker Miller Davis Murphy Price Bell Baker Griffiths Kelly Simpson Marshall Collins Bennett Cox Richardson Fox Gray Rose Chapman Hunt Robertson Shaw Reynolds Lloyd Ellis Richards Russell Wilkinson Khan Graham Stewart Reid Murray Powell Palmer Holmes Rogers Stevens Walsh Hunter Thomson Matthews Ross Owen Mason Knight Kennedy Butler Saunders Brown Hope May Okafor Nowak Kowalski Begum Hussain Ahmed O’Neill Smith-Jones'.split(
    ' ',
  );
const STREETS =
  'Acacia Mill Station Church Victoria Albert Chapel Park Queen Kingsway Beech Oak Elm Willow Meadow Orchard Brook Hawthorn Cedar Rowan Poplar Westfield Northgate Southfield'.split(
    ' ',
  );
const STREET_TYPES =
  'Street Road Avenue Lane Close Drive Crescent Court Place Gardens Grove Terrace Way'.split(' ');
const PLACES =
  'Testbury Sampleford Exampleby Mockton Dummington Fictley Placeham Notaville Testwick Samplethorpe'.split(
    ' ',
  );
const SETTING_NAMES = [...STREETS.filter((s) => !['Church', 'Chapel', 'Park'].includes(s)), ...PLACES];
const INSTITUTION_NOUNS = [
  'Primary School',
  'Academy',
  'Nursery',
  'College',
  'General Hospital',
  'Infirmary',
  'Medical Centre',
  'Surgery',
  'Health Centre',
  "Children's Centre",
  'Church',
  'Mosque',
  'Infant School',
  'High School',
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A valid NHS number in the 999 test range. */
export function nhsNumber(rng: Rng): string {
  for (;;) {
    const first = `999${pad(rng.int(0, 999_999), 6)}`;
    const check = nhsCheckDigit(first);
    if (check !== undefined) return `${first}${check}`;
  }
}

function isoDate(rng: Rng, from: number, to: number): string {
  return `${rng.int(from, to)}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`;
}

/** A synthetic review's identifiable data: the family, the people around it and where it lived. */
export function generatedReview(rng: Rng): IdentifiableData {
  const surname = rng.pick(SURNAMES);
  const person = (s = rng.pick(SURNAMES)) => `${rng.pick(FIRST_NAMES)} ${s}`;
  const house = rng.int(1, 180);
  const street = `${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`;
  return {
    people: [
      {
        name: `${rng.pick(FIRST_NAMES)} ${rng.chance(0.3) ? `${rng.pick(FIRST_NAMES)} ` : ''}${surname}`,
        role: 'child',
      },
      { name: person(surname), role: 'household' },
      { name: person(rng.pick(SURNAMES)), role: 'household' },
      { name: person(), role: 'referrer' },
      { name: person(), role: 'member' },
      { name: person(), role: 'agency-lead' },
      { name: person(), role: 'event' },
      { name: `PC ${person()}`, role: 'event' },
      { name: person(), role: 'chronology-worker' },
    ],
    datesOfBirth: [isoDate(rng, 2008, 2022), isoDate(rng, 1975, 2000)] as IdentifiableData['datesOfBirth'],
    addresses: [`${rng.chance(0.2) ? `Flat ${rng.int(1, 9)}, ` : ''}${house} ${street}, ${rng.pick(PLACES)}`],
    postcodes: [`ZZ${rng.int(1, 99)} ${rng.int(0, 9)}ZZ`],
    nhsNumbers: [nhsNumber(rng)],
    institutions: [`${rng.pick(SETTING_NAMES)} ${rng.pick(INSTITUTION_NOUNS)}`],
  };
}

/** General identifiers: ones no review recorded, found by their shape alone. */
export function generalCases(rng: Rng, n: number): Case[] {
  const cases: Case[] = [];
  const add = (kind: FindingKind, form: string, value: string) =>
    cases.push({ source: 'general', kind, form, value, position: 'middle' });
  const letter = () => String.fromCharCode(65 + rng.int(0, 25));
  for (let i = 0; i < n; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(SURNAMES);
    add('person', 'first name and surname', `${first} ${last}`);
    cases.push({
      source: 'general',
      kind: 'person',
      form: 'first name and surname, at the start of a sentence',
      value: `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`,
      position: 'start',
    });
    add(
      'person',
      'title and surname',
      `${rng.pick(['Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Mr.', 'Dr.'])} ${last}`,
    );
    add('person', 'full name, possessive', `${first} ${last}'s`);
    add('contact', 'mobile', `07700 900${pad(rng.int(0, 999), 3)}`);
    add('contact', 'landline', `01632 960${pad(rng.int(0, 999), 3)}`);
    add('contact', 'London number', `020 7946 0${pad(rng.int(0, 999), 3)}`);
    add('contact', '+44 mobile', `+44 7700 900${pad(rng.int(0, 999), 3)}`);
    add(
      'contact',
      'e-mail address',
      `${first.toLowerCase().replace(/[^a-z]/g, '')}.${last.toLowerCase().replace(/[^a-z]/g, '')}@example.org`,
    );
    add(
      'address',
      'postcode',
      `${letter()}${letter()}${rng.int(1, 99)} ${rng.int(0, 9)}${letter()}${letter()}`,
    );
    const street = `${rng.int(1, 240)} ${rng.pick(STREETS)} ${rng.pick(STREET_TYPES)}`;
    add('address', 'house and street', street);
    add('address', 'house and street, lower case', street.toLowerCase());
    add('address', 'flat, house and street, lower case', `flat ${rng.int(1, 20)}, ${street.toLowerCase()}`);
    add('address', 'flat, house and street without a comma', `Flat ${rng.int(1, 20)} ${street}`);
    add(
      'address',
      'postcode in brackets',
      `(${letter()}${rng.int(1, 9)} ${rng.int(0, 9)}${letter()}${letter()})`,
    );
    add('person', 'initial and surname', `${first.charAt(0)}. ${last}`);
    add('person', 'surname, first name', `${last}, ${first}`);
    add('person', 'first name, middle initial, surname', `${first} ${letter()}. ${last}`);
    add('contact', 'mobile without spaces', `07700900${pad(rng.int(0, 999), 3)}`);
    add('contact', '+44 (0) number', `+44 (0)1632 960${pad(rng.int(0, 999), 3)}`);
    add('contact', 'e-mail address, capitals', `${last.toUpperCase().replace(/[^A-Z]/g, '')}@EXAMPLE.ORG`);
    add(
      'health-number',
      'NHS number',
      (() => {
        const d = nhsNumber(rng);
        return `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
      })(),
    );
    const [form, date] = rng.pick(dateForms(isoDate(rng, 1980, 2022)));
    add('date', `full date, ${form}`, date);
    add('institution', 'named setting', `${rng.pick(SETTING_NAMES)} ${rng.pick(INSTITUTION_NOUNS)}`);
    add(
      'institution',
      "saint's church or school",
      `St ${rng.pick(['Mary', 'John', 'Aidan', 'Peter', 'Anne', 'Joseph'])}'s ${rng.pick(['Church', 'Primary School', 'Academy'])}`,
    );
  }
  return cases;
}
