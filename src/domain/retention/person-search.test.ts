import { describe, expect, it } from 'vitest';
import {
  cleanQuery,
  groupPeople,
  personInWords,
  personQueryProblems,
  searchedBy,
  type PersonRecord,
} from './person-search.ts';

const record = (over: Partial<PersonRecord>): PersonRecord => ({
  key: 'child:r1',
  reviewId: 'r1',
  reference: 'LOS-2021-002',
  householdId: null,
  relationship: null,
  fullName: 'Testchild Two Example',
  dateOfBirth: '2017-09-14',
  ...over,
});

describe('finding a child or household member', () => {
  it('compares identifiers without their spacing or capitals', () => {
    expect(
      cleanQuery({
        name: '  Testchild   Two ',
        nhsNumber: '999 000-0018',
        postcode: 'zz99 9zz',
        dateOfBirth: '',
      }),
    ).toEqual({
      name: 'Testchild Two',
      nhsNumber: '9990000018',
      postcode: 'ZZ999ZZ',
    });
    expect(searchedBy({ name: 'A Name', dateOfBirth: '2017-09-14' })).toEqual(['name', 'date of birth']);
  });

  it('needs a name or an NHS number, or a date of birth with a postcode, each a real one', () => {
    expect(personQueryProblems({ name: 'Testchild Two Example' })).toEqual({});
    expect(personQueryProblems({ nhsNumber: '999 000 0018' })).toEqual({});
    expect(personQueryProblems({ dateOfBirth: '2017-09-14', postcode: 'ZZ99 9ZZ' })).toEqual({});
    expect(Object.keys(personQueryProblems({ postcode: 'ZZ99 9ZZ' }))).toEqual(['name']);
    expect(Object.keys(personQueryProblems({}))).toEqual(['name']);
    expect(personQueryProblems({ name: 'Ab' })).toEqual({
      name: "Enter the person's full name, as recorded.",
    });
    expect(
      personQueryProblems({
        name: 'A Name',
        dateOfBirth: '2017-02-30',
        nhsNumber: '12',
        postcode: 'nowhere',
      }),
    ).toEqual({
      dateOfBirth: 'Enter their date of birth as a real date',
      nhsNumber: 'An NHS number is 10 digits.',
      postcode: 'Enter a real postcode, like AA1 1AA.',
    });
  });

  it('one person is one name and date of birth, in any number of reviews; said in words', () => {
    const people = groupPeople([
      record({}),
      record({
        key: 'child:r2',
        reviewId: 'r2',
        reference: 'LOS-2022-001',
        fullName: 'TESTCHILD two example',
      }),
      record({ key: 'household:h1', householdId: 'h1', relationship: 'Cousin', dateOfBirth: null }),
    ]);
    expect(people.map((p) => [p.key, p.records.length])).toEqual([
      ['child:r1', 2],
      ['household:h1', 1],
    ]);
    expect(personInWords(people[0]!)).toEqual({
      name: 'Testchild Two Example',
      description: 'Born 14 September 2017. The child in LOS-2021-002; the child in LOS-2022-001.',
    });
    expect(personInWords(people[1]!).description).toBe(
      'No date of birth recorded. Cousin of the child in LOS-2021-002.',
    );
  });
});
