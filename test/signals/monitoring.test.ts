import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

const HEADER = 'child,date,agency,event_type,summary,children_present,child_seen,concerns,outcome,source_ref';
/** Three children: an open case re-referred with a long gap; a referral closed NFA; a closed re-referral. */
const ROWS = [
  'C-000001,2021-01-05,police,police_incident,Domestic incident,not_recorded,,domestic_abuse,,P1',
  'C-000001,2021-02-01,csc,referral,Referral about neglect,,,neglect,,C1',
  'C-000001,2021-02-02,csc,referral_decision,Single assessment,,,,,C2',
  'C-000001,2021-02-03,csc,assessment_started,Assessment started,,yes,,,C3',
  'C-000001,2021-08-20,health-visiting,home_visit,Home visit,,yes,,,H1',
  'C-000001,2021-09-01,csc,referral,Second referral,,,neglect,,C4',
  'C-000002,2022-03-01,csc,referral,Referral from school,,,,,D1',
  'C-000002,2022-03-02,csc,referral_decision,No further action,,,,no further action,D2',
  '@C-000003,2020-01-10,csc,referral,Referral from GP,,,neglect,,E1',
  '@C-000003,2020-01-11,csc,referral_decision,Assessment,,,,,E2',
  '@C-000003,2020-06-01,csc,referral,Second referral,,,neglect,,E3',
  '@C-000003,2020-06-02,csc,case_closed,Case closed,,,,,E4',
];
const csv = (rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

function multipart(fileName: string, content: string) {
  const boundary = '----signals-test-boundary';
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n` +
    `${content}\r\n--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(DATABASE_KINDS)('population monitoring and the front door lists (%s)', (kind) => {
  let t: TestApp;
  let coordinator: WebClient;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
  });
  afterAll(async () => t?.close());

  async function upload(client: WebClient, fileName: string, content: string) {
    const token = await client.csrfToken('/front-door/imports');
    const { body, contentType } = multipart(fileName, content);
    const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader();
    return t.app.inject({
      method: 'POST',
      url: `/front-door/imports?_csrf=${encodeURIComponent(token)}`,
      payload: body,
      headers: { 'content-type': contentType, cookie },
    });
  }
  const count = async (query: ReturnType<typeof sql>) =>
    Number(((await t.database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  it('loads a CSV of many children, scans it, and lists re-referrals and open high-severity cases', async () => {
    const res = await upload(coordinator, 'nightly.csv', csv(ROWS));
    expect(res.statusCode).toBe(303);
    const run = page(await coordinator.get(res.headers.location as string));
    expect(run.banner).toContain('Loaded 12 rows for 3 children');
    expect(run.$('.govuk-summary-list').text()).toContain('Loaded: this is the current dataset');

    const clinic = page(await coordinator.get('/front-door/re-referrals'));
    expect(clinic.h1).toBe('Re-referral clinic');
    const keys = clinic
      .$('tbody th')
      .map((_, th) => clinic.$(th).text().trim())
      .get();
    expect(keys).toEqual(['C-000001', '@C-000003']);
    expect(clinic.$('tbody tr').first().text()).toContain('2: 1 February 2021, 1 September 2021');

    const closedOnly = page(await coordinator.get('/front-door/re-referrals?open=no'));
    expect(
      closedOnly
        .$('tbody th')
        .map((_, th) => closedOnly.$(th).text().trim())
        .get(),
    ).toEqual(['@C-000003']);

    const challenge = page(await coordinator.get('/front-door/check-and-challenge'));
    expect(
      challenge
        .$('tbody th')
        .map((_, th) => challenge.$(th).text().trim())
        .get(),
    ).toEqual(['C-000001']);
    expect(challenge.$('tbody tr').first().text()).toContain('high');

    const child = page(await coordinator.get('/front-door/children/C-000001'));
    expect(child.h1).toBe('Child C-000001');
    expect(child.$('.govuk-summary-card__title').text()).toContain('Gap in service');
    expect(child.$('tbody tr').length).toBe(6);

    const views = await count(
      sql`select count(*)::int as n from audit_events where action like 'front-door.%.view'`,
    );
    expect(views).toBe(4);
  });

  it('exports a list as CSV with formula-like cells neutralised, and records the export', async () => {
    const res = await coordinator.get('/front-door/re-referrals/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'child,referrals,referral_dates,open,open_since,high,medium,low,signals,last_entry',
    );
    expect(lines[1]).toMatch(/^C-000001,2,2021-02-01;2021-09-01,yes,/);
    expect(lines[2]).toMatch(/^'@C-000003,2,2020-01-10;2020-06-01,no,/);
    expect(
      await count(
        sql`select count(*)::int as n from audit_events where action = 'front-door.re-referrals.export'`,
      ),
    ).toBe(1);
  });

  it('refuses a file with a row without a child, naming the row and column, and keeps the dataset as it was', async () => {
    const res = await upload(
      coordinator,
      'broken.csv',
      csv([...ROWS, ',2022-05-01,csc,referral,No child key,,,,,Z1']),
    );
    const back = page(await coordinator.follow(res));
    expect(back.errorSummary).toEqual([
      'broken.csv: row 14, column "child": every row of a monitoring file needs the child\'s key (for example C-000123).',
    ]);
    const bad = await upload(
      coordinator,
      'bad-date.csv',
      csv(['C-1,2022-13-01,csc,referral,Bad date,,,,,Y1']),
    );
    expect(page(await coordinator.follow(bad)).errorSummary[0]).toMatch(
      /^bad-date\.csv: row 2, column "date"/,
    );
    const clinic = page(await coordinator.get('/front-door/re-referrals'));
    expect(clinic.$('tbody th').length).toBe(2);
    expect(await count(sql`select count(*)::int as n from monitoring_imports where status = 'failed'`)).toBe(
      2,
    );
    expect(await count(sql`select count(*)::int as n from monitored_children`)).toBe(3);
  });

  it('replaces the dataset with a later load', async () => {
    const res = await upload(coordinator, 'second.csv', csv(ROWS.filter((r) => r.startsWith('C-000002'))));
    expect(res.statusCode).toBe(303);
    const clinic = page(await coordinator.get('/front-door/re-referrals'));
    expect(clinic.$('tbody th').length).toBe(0);
    expect(await count(sql`select count(*)::int as n from monitored_children`)).toBe(1);
    // nightly.csv gave way to second.csv (as the demonstration's dataset gave way to nightly.csv).
    expect(
      await count(
        sql`select count(*)::int as n from monitoring_imports where status = 'replaced' and file_name = 'nightly.csv'`,
      ),
    ).toBe(1);
  });

  it('lets board members read the lists but not load data; others see neither', async () => {
    const board = new WebClient(t.app);
    await board.signIn('board@demo.example');
    expect((await board.get('/front-door/re-referrals')).statusCode).toBe(200);
    expect((await board.get('/front-door/imports')).body).not.toContain('Load and scan');
    expect((await upload(board, 'x.csv', csv(ROWS))).statusCode).toBe(403);
    const practitioner = new WebClient(t.app);
    await practitioner.signIn('practitioner@demo.example');
    expect((await practitioner.get('/front-door/check-and-challenge')).statusCode).toBe(403);
    expect((await practitioner.get('/front-door/children/C-000002')).statusCode).toBe(403);
  });
});
