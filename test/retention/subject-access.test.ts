import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../src/services/errors.ts';
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
});
