import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGENCY_CODES,
  checkHeader,
  formatRowProblem,
  normaliseAgency,
  parseTime,
  validateRecord,
  type RowProblem,
  type ValidationResult,
} from './validate.ts';

const minimal = {
  date: '2019-03-02',
  agency: 'police',
  event_type: 'police_incident',
  summary: 'Disturbance at the home.',
};

function problemsOf(result: ValidationResult): RowProblem[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.entry)}`);
  return result.problems;
}

function entryOf(result: ValidationResult) {
  if (!result.ok) throw new Error(`expected an entry, got ${JSON.stringify(result.problems)}`);
  return result.entry;
}

describe('validateRecord', () => {
  it('turns a full row into an entry, with empty cells as null', () => {
    const entry = entryOf(
      validateRecord(
        {
          child: 'C-000002',
          date: '2019-09-14',
          time: '14:20',
          agency: "Children's Social Care",
          event_type: 'referral',
          summary: '  Second referral.  ',
          children_present: 'Y',
          child_seen: 'no',
          child_voice: '',
          concerns: 'drugs; Domestic Abuse',
          worker: 'SW-02',
          practitioner_role: 'social worker',
          action_taken: 'Strategy discussion requested',
          outcome: '',
          significance: 'Repeat referral',
          source_ref: 'CSC-2231',
          kpe_flag: 'yes',
        },
        8,
      ),
    );
    expect(entry).toEqual({
      child: 'C-000002',
      date: '2019-09-14',
      time: '14:20',
      agency: 'csc',
      eventType: 'referral',
      summary: 'Second referral.',
      childrenPresent: 'yes',
      childSeen: 'no',
      childVoice: null,
      concerns: ['drugs', 'domestic_abuse'],
      worker: 'SW-02',
      practitionerRole: 'social worker',
      actionTaken: 'Strategy discussion requested',
      outcome: null,
      significance: 'Repeat referral',
      sourceRef: 'CSC-2231',
      extra: { kpe_flag: 'yes' },
      row: 8,
    });
  });

  it('gives child null when there is no child column', () => {
    expect(entryOf(validateRecord(minimal, 2)).child).toBeNull();
  });

  it('reads header names case-insensitively, trimmed, with spaces for underscores', () => {
    const entry = entryOf(
      validateRecord(
        {
          ' Date ': '2019-03',
          AGENCY: 'gp',
          'Event Type': 'Home Visit',
          Summary: 'Seen.',
          'Child seen': 'YES',
        },
        3,
      ),
    );
    expect(entry).toMatchObject({
      date: '2019-03',
      agency: 'gp',
      eventType: 'home_visit',
      childSeen: 'yes',
      extra: {},
    });
  });

  it('keeps unknown columns as extra, as written, and drops their empty cells', () => {
    const entry = entryOf(validateRecord({ ...minimal, ' KPE flag ': ' yes ', Notes: '' }, 2));
    expect(entry.extra).toEqual({ 'KPE flag': ' yes ' });
  });

  it('writes line breaks inside a cell as \\n', () => {
    expect(entryOf(validateRecord({ ...minimal, summary: 'one\r\ntwo\rthree' }, 2)).summary).toBe(
      'one\ntwo\nthree',
    );
  });

  it('names row, column and value for a date that does not exist, as a lead would read it', () => {
    const problems = problemsOf(validateRecord({ ...minimal, date: '2019-13-02' }, 14));
    expect(problems).toEqual([
      {
        row: 14,
        column: 'date',
        message: '"2019-13-02" is not a date. Use YYYY-MM-DD, or YYYY-MM when only the month is known.',
      },
    ]);
    expect(formatRowProblem(problems[0]!)).toBe(
      'Row 14, column "date": "2019-13-02" is not a date. Use YYYY-MM-DD, or YYYY-MM when only the month is known.',
    );
  });

  it.each([
    ['2019-02-29', false],
    ['2020-02-29', true],
    ['2019-03', true],
    ['2019-00', false],
    ['2019-13', false],
    ['2019-3-2', false],
    ['2019-03-02T10:00', false],
  ])('accepts %s as a date: %s', (date, ok) => {
    expect(validateRecord({ ...minimal, date }, 2).ok).toBe(ok);
  });

  it('reads a British date as a hint, not as a date', () => {
    expect(problemsOf(validateRecord({ ...minimal, date: '02/03/2019' }, 5))).toEqual([
      {
        row: 5,
        column: 'date',
        message: '"02/03/2019" is not in the form YYYY-MM-DD: if it means 2 March 2019, write 2019-03-02.',
      },
    ]);
  });

  it('says when a date looks like an Excel serial number', () => {
    expect(problemsOf(validateRecord({ ...minimal, date: '43526' }, 2))[0]!.message).toBe(
      '"43526" is not a date: it looks like a date Excel has stored as a number. Format the column as text in the form YYYY-MM-DD.',
    );
  });

  it("requires date, agency, event type and summary, and reports all of a row's problems at once", () => {
    const problems = problemsOf(validateRecord({ date: '', agency: ' ', event_type: '', summary: '' }, 9));
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [9, 'date'],
      [9, 'agency'],
      [9, 'event_type'],
      [9, 'summary'],
    ]);
    expect(problems[3]!.message).toBe('the summary is missing. Say briefly what happened.');
  });

  it('suggests the nearest event type for a misspelling, and lists them all otherwise', () => {
    expect(problemsOf(validateRecord({ ...minimal, event_type: 'home vist' }, 3))).toEqual([
      {
        row: 3,
        column: 'event_type',
        message: '"home vist" is not one of the event types. Did you mean "home_visit"?',
      },
    ]);
    expect(problemsOf(validateRecord({ ...minimal, event_type: 'S47' }, 3))[0]!.message).toContain(
      'Did you mean "section_47_enquiry"?',
    );
    expect(problemsOf(validateRecord({ ...minimal, event_type: 'assessment' }, 3))[0]!.message).toContain(
      'Did you mean "assessment_started" or "assessment_completed"?',
    );
    const listed = problemsOf(validateRecord({ ...minimal, event_type: 'sleepover' }, 4))[0]!.message;
    expect(listed).toMatch(
      /^"sleepover" is not one of the event types\. Use one of: referral, referral_decision, .*, other\.$/,
    );
  });

  it.each([
    ['09:05', '09:05'],
    ['9:05', '09:05'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    ['14:30:00', '14:30'],
    ['24:00', null],
    ['12:60', null],
    ['noon', null],
    ['1230', null],
  ])('reads the time %s as %s', (raw, time) => {
    expect(parseTime(raw)).toBe(time);
    const result = validateRecord({ ...minimal, time: raw }, 6);
    if (time === null)
      expect(problemsOf(result)).toEqual([
        {
          row: 6,
          column: 'time',
          message: `"${raw}" is not a time. Use HH:MM on the 24-hour clock, from 00:00 to 23:59.`,
        },
      ]);
    else expect(entryOf(result).time).toBe(time);
  });

  it.each([
    ['yes', 'yes'],
    ['YES', 'yes'],
    ['Y', 'yes'],
    ['n', 'no'],
    ['No', 'no'],
    ['not_recorded', 'not_recorded'],
    ['Not recorded', 'not_recorded'],
    ['', null],
  ])('reads children_present %j as %j', (raw, value) => {
    expect(entryOf(validateRecord({ ...minimal, children_present: raw }, 2)).childrenPresent).toBe(value);
  });

  it('rejects an answer that is not yes, no or not_recorded', () => {
    expect(problemsOf(validateRecord({ ...minimal, child_seen: 'maybe' }, 7))).toEqual([
      {
        row: 7,
        column: 'child_seen',
        message:
          '"maybe" is not an answer this column accepts. Use yes, no or not_recorded, or leave it empty.',
      },
    ]);
  });

  it('splits concerns on semicolons, trimmed, lower-cased, without repeats', () => {
    const entry = entryOf(
      validateRecord({ ...minimal, concerns: ' Drugs ; neglect;;drugs; ORGANISED_CRIME' }, 2),
    );
    expect(entry.concerns).toEqual(['drugs', 'neglect', 'organised_crime']);
  });

  it('names each unknown concern tag', () => {
    expect(problemsOf(validateRecord({ ...minimal, concerns: 'drug;neglect;poverty' }, 11))).toEqual([
      { row: 11, column: 'concerns', message: '"drug" is not a concern tag. Did you mean "drugs"?' },
      {
        row: 11,
        column: 'concerns',
        message:
          '"poverty" is not a concern tag. Use drugs, alcohol, domestic_abuse, exploitation, organised_crime, neglect, developmental_delay, mental_health, housing, physical_harm, sexual_harm, emotional_harm, missing, school_attendance, separated by semicolons.',
      },
    ]);
    expect(problemsOf(validateRecord({ ...minimal, concerns: 'drugs, alcohol' }, 2))[0]!.message).toBe(
      '"drugs, alcohol" is not a concern tag. Separate tags with semicolons, for example drugs;neglect.',
    );
  });
});

describe('normaliseAgency', () => {
  it.each([
    ['police', 'police'],
    ['Police', 'police'],
    ["Children's Social Care", 'csc'],
    ['Children’s Social Care', 'csc'],
    ['CSC', 'csc'],
    ['Health Visiting', 'health-visiting'],
    ['health visitor', 'health-visiting'],
    ['GP', 'gp'],
    ['School/Nursery', 'school'],
    ['Drug and Alcohol Service', 'drug-alcohol-service'],
    ['Drug & Alcohol Service', 'drug-alcohol-service'],
    ['  Youth Offending Team ', 'youth-justice'],
    ['A&E', 'hospital'],
    ['Northshire Fire & Rescue', 'northshire-fire-and-rescue'],
    ['Équipe Santé', 'équipe-santé'],
  ])('reads %j as %j', (name, code) => {
    expect(normaliseAgency(name)).toBe(code);
  });

  it('gives nothing for a name with no letters or digits, which validation rejects', () => {
    expect(normaliseAgency('???')).toBe('');
    expect(problemsOf(validateRecord({ ...minimal, agency: '???' }, 2))[0]!.column).toBe('agency');
  });

  it('is idempotent, so a code read back stays the same code', () => {
    for (const code of AGENCY_CODES) expect(normaliseAgency(code)).toBe(code);
    fc.assert(
      fc.property(fc.string(), (name) => {
        const once = normaliseAgency(name);
        expect(normaliseAgency(once)).toBe(once);
      }),
    );
  });
});

describe('checkHeader', () => {
  it('accepts the contract header', () => {
    expect(checkHeader(['child', 'date', 'time', 'agency', 'event_type', 'summary', 'source_ref'])).toEqual(
      [],
    );
  });

  it('names every missing required column, in row 1', () => {
    expect(checkHeader(['agency', 'notes'])).toEqual([
      {
        row: 1,
        column: null,
        message:
          'there is no "date" column. The first row must name the columns; every chronology needs date, agency, event_type and summary.',
      },
      expect.objectContaining({
        row: 1,
        column: null,
        message: expect.stringContaining('no "event_type" column'),
      }),
      expect.objectContaining({
        row: 1,
        column: null,
        message: expect.stringContaining('no "summary" column'),
      }),
    ]);
  });

  it('compares names case-insensitively with spaces trimmed', () => {
    expect(checkHeader([' DATE ', 'Agency', 'Event Type', 'summary '])).toEqual([]);
    expect(checkHeader(['date', 'agency', 'event_type', 'summary', ' Date '])).toEqual([
      {
        row: 1,
        column: 'Date',
        message: 'the column "date" appears twice (columns 1 and 5). Remove or rename one of them.',
      },
    ]);
  });

  it('needs a child column only when the caller says the file holds several children', () => {
    const header = ['date', 'agency', 'event_type', 'summary'];
    expect(checkHeader(header)).toEqual([]);
    expect(checkHeader(header, { requireChild: true })).toEqual([
      {
        row: 1,
        column: null,
        message: 'there is no "child" column. A file with several children needs a child key on every row.',
      },
    ]);
  });

  it('does not count blank header cells as duplicates', () => {
    expect(checkHeader(['date', '', 'agency', ' ', 'event_type', 'summary'])).toEqual([]);
  });
});
