import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/services/errors.ts';
import { actorOf } from '../chronology/setup.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, WebClient } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';

const files = async (zip: Buffer) => {
  const archive = await JSZip.loadAsync(zip);
  const out: Record<string, string> = {};
  for (const name of Object.keys(archive.files).sort())
    if (!archive.files[name]!.dir) out[name] = await archive.file(name)!.async('string');
  return out;
};

/** Subject access on the demo, through the service and the administrator's pages, on record. */
describe.each(DATABASE_KINDS)('subject access (%s)', { timeout: 180_000 }, (kind) => {
  let t: TestApp;
  let child2: string;
  const rows = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    child2 = (
      await rows<{ reference: string }>(sql`select reference from reviews where pseudonym = 'Child 2'`)
    )[0]!.reference;
  }, 180_000);
  afterAll(async () => t?.close());

  it('answers for a member of staff: their account, access, e-mail and activity, with a readme', async () => {
    const admin = await actorOf(t, 'admin@demo.example');
    const police = await actorOf(t, 'police.lead@demo.example');
    const answer = await t.services.subjectAccess.gather(admin, { email: 'POLICE.LEAD@demo.example' });
    const zip = await files(answer.zip);
    expect(Object.keys(zip)).toEqual([
      'README.txt',
      'staff/activity.csv',
      'staff/api-tokens.csv',
      'staff/e-mail.csv',
      'staff/event-invitations.csv',
      'staff/person.json',
      'staff/review-access.csv',
      'staff/sessions.csv',
      'staff/single-sign-on.csv',
    ]);
    const person = JSON.parse(zip['staff/person.json']!);
    expect(person).toMatchObject({
      email: 'police.lead@demo.example',
      roles: ['Agency safeguarding lead'],
      agency: 'Northshire Police',
    });
    expect(person).not.toHaveProperty('id');
    expect(JSON.stringify(zip)).not.toMatch(/\$argon2/);
    const activity = zip['staff/activity.csv']!.split('\r\n').filter(Boolean);
    const [count] = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_events where user_id = ${police.userId}`,
    );
    expect(activity.length - 1).toBe(count!.n);
    expect(activity[0]).toBe('at,action,outcome,reviewReference,sourceAddress');
    expect(zip['README.txt']).toContain(
      'held about the member of staff with the e-mail address POLICE.LEAD@demo.example',
    );
    expect(zip['README.txt']).toContain('What is not included, and why');
    expect(zip['README.txt']).toContain('- staff/activity.csv: what they did, from the audit log');
    const [audited] = await rows<{ detail: unknown; review_reference: string | null }>(
      sql`select detail, review_reference from audit_events where action = 'subject-access.export' order by id desc limit 1`,
    );
    expect(audited).toEqual({ detail: { searchedBy: 'e-mail address', files: 8 }, review_reference: null });
  });

  it('answers for a child and for a household member by name, each review on record', async () => {
    const admin = await actorOf(t, 'admin@demo.example');
    const child = await files(
      (await t.services.subjectAccess.gather(admin, { name: 'testchild two  example' })).zip,
    );
    expect(Object.keys(child)).toEqual([
      'README.txt',
      `reviews/${child2}/child.json`,
      `reviews/${child2}/chronology.csv`,
    ]);
    const record = JSON.parse(child[`reviews/${child2}/child.json`]!);
    expect(record.child.fullName).toBe('Testchild Two Example');
    expect(record.household).toEqual([
      { relationship: 'Mother', fullName: 'Testmother Example', dateOfBirth: '1996-02-03' },
    ]);
    expect(record.review).toMatchObject({ reference: child2, pseudonym: 'Child 2', stage: 'Impact' });
    const [entries] = await rows<{ n: number }>(
      sql`select count(*)::int as n from chronology_entries e join reviews r on r.id = e.review_id
           where r.reference = ${child2} and e.removed_at is null`,
    );
    expect(child[`reviews/${child2}/chronology.csv`]!.split('\r\n').filter(Boolean).length - 1).toBe(
      entries!.n,
    );

    const mother = await files(
      (await t.services.subjectAccess.gather(admin, { name: 'Testmother Example' })).zip,
    );
    expect(JSON.parse(mother[`reviews/${child2}/household-member.json`]!).householdMember).toEqual({
      relationship: 'Mother',
      fullName: 'Testmother Example',
      dateOfBirth: '1996-02-03',
    });
    const audited = await rows<{ review_reference: string | null; detail: unknown }>(
      sql`select review_reference, detail from audit_events where action = 'subject-access.export' order by id desc limit 2`,
    );
    expect(audited).toEqual([
      { review_reference: child2, detail: { searchedBy: 'name', files: 2 } },
      { review_reference: null, detail: { searchedBy: 'name', files: 2 } },
    ]);
    expect(JSON.stringify(audited)).not.toContain('Testmother');

    const nobody = await t.services.subjectAccess.gather(admin, { name: 'Nobody Recorded Here' });
    expect(nobody.summary).toEqual(['Nothing is held about this person.']);
    expect(Object.keys(await files(nobody.zip))).toEqual(['README.txt']);
  });

  it('refuses anyone but an administrator, on record, and a search with nothing to search by', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const admin = await actorOf(t, 'admin@demo.example');
    await expect(
      t.services.subjectAccess.gather(coordinator, { name: 'Testchild Two Example' }),
    ).rejects.toThrow(ForbiddenError);
    const [denied] = await rows<{ n: number }>(
      sql`select count(*)::int as n from audit_events where action = 'subject-access.export' and outcome = 'denied' and user_id = ${coordinator.userId}`,
    );
    expect(denied!.n).toBe(1);
    await expect(t.services.subjectAccess.gather(admin, { email: 'not an address' })).rejects.toThrow(
      ValidationError,
    );
  });

  it('the administrator downloads it from the page; the retention page shows holds, what is due and erasures', async () => {
    const web = new WebClient(t.app);
    await web.signIn('admin@demo.example');
    const form = await web.get('/admin/subject-access');
    expect(form.statusCode).toBe(200);
    const csrf = await web.csrfToken('/admin/subject-access');
    const download = await web.post('/admin/subject-access', {
      _csrf: csrf,
      name: 'Testchild Two Example',
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(Object.keys(await files(download.rawPayload))).toContain(`reviews/${child2}/child.json`);
    const empty = await web.post('/admin/subject-access', { _csrf: csrf, email: '', name: '' });
    expect(empty.statusCode).toBe(303);
    expect(page(await web.get('/admin/subject-access')).errorSummary).toEqual([
      "Enter a member of staff's e-mail address, or a child's or household member's full name.",
    ]);

    const retention = await web.get('/admin/retention');
    expect(retention.statusCode).toBe(200);
    const $ = page(retention).$;
    expect($('main h3.govuk-summary-card__title').first().text()).toBe(
      "The child's and household's identifiable details",
    );
    expect($('main').text()).toContain('3 years after the review closes or stops');
    const rcsrf = await web.csrfToken('/admin/retention');
    const hold = await web.post('/admin/retention/holds', {
      _csrf: rcsrf,
      reference: child2,
      reason: 'Inquest pending',
    });
    expect(hold.statusCode).toBe(303);
    const held = page(await web.get('/admin/retention'));
    expect(held.banner).toBe(`Legal hold placed on ${child2}`);
    expect(held.$('main').text()).toContain('Inquest pending');
    const period = await web.post('/admin/retention/periods', {
      _csrf: rcsrf,
      dataClass: 'email-outbox',
      amount: '3',
    });
    expect(period.statusCode).toBe(303);
    expect(page(await web.get('/admin/retention')).errorSummary).toEqual([
      'E-mail sent: the period must be a whole number of days from 7 to 730.',
    ]);
    const release = await web.post(`/admin/retention/holds/${child2}/release`, { _csrf: rcsrf });
    expect(release.statusCode).toBe(303);
    expect(page(await web.get('/admin/retention')).banner).toBe(`Legal hold released on ${child2}`);

    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    expect((await coordinator.get('/admin/retention')).statusCode).toBe(403);
    expect((await coordinator.get('/admin/subject-access')).statusCode).toBe(403);
  });
  it('finds a child or household member by their identifiers; several people are listed to choose from, on record', async () => {
    const admin = await actorOf(t, 'admin@demo.example');
    const [child7] = await rows<{ id: string; reference: string }>(
      sql`select id, reference from reviews where pseudonym = 'Child 7'`,
    );
    // A second person of the same name, born on another day, in another review.
    await t.database.db.execute(sql`
      insert into household_members (review_id, relationship, full_name, date_of_birth, position)
      values (${child7!.id}, 'Aunt', 'Testmother  EXAMPLE', '1988-07-01', 5)`);
    const paths = async (answer: { zip: Buffer }) => Object.keys(await files(answer.zip));

    expect(await paths(await t.services.subjectAccess.gather(admin, { nhsNumber: '999 000 0018' }))).toEqual([
      'README.txt',
      `reviews/${child2}/child.json`,
      `reviews/${child2}/chronology.csv`,
    ]);
    const byBirthAndPostcode = await t.services.subjectAccess.gather(admin, {
      dateOfBirth: '2017-09-14',
      postcode: 'zz999zz',
    });
    expect(await paths(byBirthAndPostcode)).toEqual([
      'README.txt',
      `reviews/${child2}/child.json`,
      `reviews/${child2}/chronology.csv`,
    ]);
    expect((await files(byBirthAndPostcode.zip))['README.txt']).toContain(
      'held about the child or household member born 14 September 2017, at the postcode ZZ999ZZ',
    );
    const [exported] = await rows<{ detail: unknown }>(
      sql`select detail from audit_events where action = 'subject-access.export' order by id desc limit 1`,
    );
    expect(exported!.detail).toEqual({ searchedBy: 'date of birth and postcode', files: 2 });
    // A household member's record has no NHS number: a search by one finds children only.
    expect(
      (await t.services.subjectAccess.gather(admin, { name: 'Testmother Example', nhsNumber: '9990000018' }))
        .summary,
    ).toEqual(['Nothing is held about this person.']);
    expect(
      await paths(
        await t.services.subjectAccess.gather(admin, {
          name: 'testmother example',
          dateOfBirth: '1996-02-03',
        }),
      ),
    ).toEqual([
      'README.txt',
      `reviews/${child2}/chronology-naming-them.csv`,
      `reviews/${child2}/household-member.json`,
    ]);

    // By name alone: two people. Nothing is gathered; they are listed, and the listing is on record.
    const before = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events`);
    const several = await t.services.subjectAccess.request(admin, { name: 'Testmother Example' });
    if (!('choose' in several)) throw new Error('expected a choice');
    expect(several.choose.map((p) => [p.fullName, p.dateOfBirth, p.records.map((r) => r.reference)])).toEqual(
      [
        ['Testmother Example', '1996-02-03', [child2]],
        ['Testmother  EXAMPLE', '1988-07-01', [child7!.reference]],
      ],
    );
    const listed = await rows<{ action: string; review_reference: string | null; detail: unknown }>(
      sql`select action, review_reference, detail from audit_events where id > (select max(id) - 3 from audit_events) order by id`,
    );
    expect(listed).toEqual(
      [null, child2, child7!.reference].map((ref) => ({
        action: 'person.search',
        review_reference: ref,
        detail: { searchedBy: 'name', people: 2, purpose: 'subject access' },
      })),
    );
    const after = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events`);
    expect(after[0]!.n - before[0]!.n).toBe(3);
    await expect(t.services.subjectAccess.gather(admin, { name: 'Testmother Example' })).rejects.toThrow(
      ConflictError,
    );
    const aunt = several.choose[1]!;
    expect(
      await paths(
        await t.services.subjectAccess.gather(admin, { name: 'Testmother Example', person: aunt.key }),
      ),
    ).toEqual([
      'README.txt',
      `reviews/${child7!.reference}/chronology-naming-them.csv`,
      `reviews/${child7!.reference}/household-member.json`,
    ]);
    expect(
      (await paths(await t.services.subjectAccess.gather(admin, { name: 'Testmother Example', all: true })))
        .length,
    ).toBe(5);
    await expect(
      t.services.subjectAccess.gather(admin, { name: 'Testmother Example', person: 'household:nobody' }),
    ).rejects.toMatchObject({ fieldErrors: { person: 'Choose one of the people found, or search again.' } });

    // Not enough, or not an identifier: a clear error naming the field.
    await expect(t.services.subjectAccess.gather(admin, { dateOfBirth: '2017-09-14' })).rejects.toMatchObject(
      {
        fieldErrors: {
          name: "Enter the person's full name or the child's NHS number; a date of birth or a postcode alone is not enough.",
        },
      },
    );
    await expect(t.services.subjectAccess.gather(admin, { nhsNumber: '12345' })).rejects.toMatchObject({
      fieldErrors: { nhsNumber: 'An NHS number is 10 digits.' },
    });
    await expect(
      t.services.subjectAccess.gather(admin, { name: 'Testmother Example', dateOfBirth: '1996-02-30' }),
    ).rejects.toThrow(ValidationError);
  });

  it('on the page: several people are listed in words to choose from, then the one chosen is downloaded', async () => {
    const web = new WebClient(t.app);
    await web.signIn('admin@demo.example');
    const csrf = await web.csrfToken('/admin/subject-access');
    const listed = await web.post('/admin/subject-access', { _csrf: csrf, name: 'Testmother Example' });
    expect(listed.statusCode).toBe(200);
    const $ = page(listed).$;
    expect($('legend').text().trim()).toBe('2 people match this search: choose one');
    const choices = $('input[name="person"]')
      .map((_, el) => $(el).attr('value'))
      .get();
    expect(choices).toHaveLength(3);
    expect(choices[2]).toBe('all');
    expect(
      $('.govuk-radios__hint')
        .map((_, el) => $(el).text().trim())
        .get(),
    ).toEqual([
      `Born 3 February 1996. Mother of the child in ${child2}.`,
      expect.stringMatching(/^Born 1 July 1988\. Aunt of the child in LOS-/),
    ]);
    expect($('main').text()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect($('input[type="hidden"][name="name"]').attr('value')).toBe('Testmother Example');
    const unchosen = page(
      await web.post('/admin/subject-access', { _csrf: csrf, name: 'Testmother Example', choosing: 'yes' }),
    );
    expect(unchosen.errorSummary).toEqual(['Choose one of the people found, or all of them.']);
    expect(unchosen.$('input[name="person"]')).toHaveLength(3);
    const chosen = await web.post('/admin/subject-access', {
      _csrf: csrf,
      name: 'Testmother Example',
      person: choices[0]!,
    });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.headers['content-type']).toBe('application/zip');
    expect(Object.keys(await files(chosen.rawPayload))).toContain(`reviews/${child2}/household-member.json`);

    const byBirth = await web.post('/admin/subject-access', {
      _csrf: csrf,
      name: 'Testmother Example',
      'dateOfBirth-day': '3',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1996',
    });
    expect(byBirth.headers['content-type']).toBe('application/zip');
    const wrong = await web.post('/admin/subject-access', {
      _csrf: csrf,
      name: 'Testmother Example',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '1996',
    });
    expect(wrong.statusCode).toBe(303);
    const again = page(await web.get('/admin/subject-access'));
    expect(again.errorSummary).toEqual([
      'Enter their date of birth as a real date, with the day, month and year in numbers, for example 27 3 2026',
    ]);
    expect(again.$('.govuk-error-summary a').attr('href')).toBe('#dateOfBirth-day');
    expect(again.$('#name').attr('value')).toBe('Testmother Example');
  });
});
