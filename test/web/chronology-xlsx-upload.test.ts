import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, WebClient } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, reviewInInformationGathering, uploadFile } from '../chronology/setup.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook as Excel saves it: real date and time cells, a header row typed by hand. */
async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Police chronology');
  for (const row of rows) sheet.addRow(row);
  sheet.getColumn(1).numFmt = 'dd/mm/yyyy';
  sheet.getColumn(2).numFmt = 'hh:mm';
  return Buffer.from(await book.xlsx.writeBuffer());
}

const HEADER = ['Date', 'Time', 'Agency', 'Event type', 'Summary', 'Child seen', 'Source ref'];
const GOOD = [
  HEADER,
  [
    new Date(Date.UTC(2019, 2, 2)),
    new Date(Date.UTC(1899, 11, 30, 21, 15)),
    'police',
    'police_incident',
    'Call-out to the address',
    'not_recorded',
    'POL-118',
  ],
  ['2019-04', null, 'Police', 'Arrest', 'Father arrested', 'no', 'POL-120'],
];

describe.each(DATABASE_KINDS)('uploading an Excel chronology through the web (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let police: WebClient;
  let url: string;

  const count = async () => {
    const result = (await t.database.db.execute(
      sql`select count(*)::int as n from chronology_entries e join reviews r on r.id = e.review_id where r.reference = ${ref}`,
    )) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n;
  };
  const problemsShown = async (res: Awaited<ReturnType<typeof uploadFile>>) => {
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(url);
    const shown = page(await police.follow(res));
    return {
      summary: shown.errorSummary.join(' '),
      problems: shown
        .$('.app-upload-problems li')
        .map((_, li) => shown.$(li).text().trim())
        .get(),
    };
  };

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ref = await reviewInInformationGathering(t);
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(coordinator, ref, { agencies: ['police'], workingDays: 15 });
    police = new WebClient(t.app);
    await police.signIn('police.lead@demo.example');
    url = `/reviews/${ref}/return/upload`;
  });
  afterAll(async () => t?.close());

  it('refuses a workbook with problems whole, naming each row and column, and writes nothing', async () => {
    const bad = await workbook([
      ...GOOD,
      [new Date(Date.UTC(2019, 4, 1)), null, 'police', 'home vist', 'Visit', 'yes', 'POL-121'],
      ['31/02/2019', '25:00', 'police', 'contact', '', 'maybe', 'POL-122'],
      [new Date(Date.UTC(2019, 5, 1)), null, 'csc', 'contact', 'Not ours', '', 'CSC-1'],
    ]);
    const token = await police.csrfToken(url);
    const { summary, problems } = await problemsShown(
      await uploadFile(t, police, url, { name: 'police.xlsx', content: bad, type: XLSX }, token),
    );
    expect(summary).toContain('police.xlsx has 6 problems. Nothing was saved');
    expect(problems).toEqual([
      expect.stringMatching(
        /^police\.xlsx: row 4, column "event_type": "home vist" is not one of the event types/,
      ),
      expect.stringMatching(/^police\.xlsx: row 5, column "date": "31\/02\/2019"/),
      expect.stringMatching(/^police\.xlsx: row 5, column "time": "25:00" is not a time/),
      expect.stringMatching(/^police\.xlsx: row 5, column "summary": the summary is missing/),
      expect.stringMatching(/^police\.xlsx: row 5, column "child_seen": "maybe"/),
      // Another agency's row after the others' problems is reported too.
      expect.stringMatching(/^police\.xlsx: row 6, column "agency": this return is your agency's only/),
    ]);
    expect(await count()).toBe(0);
  });

  it('refuses a file that is not really a workbook, or an old .xls, and writes nothing', async () => {
    const token = await police.csrfToken(url);
    const fake = await problemsShown(
      await uploadFile(t, police, url, { name: 'police.xlsx', content: 'date,agency\n', type: XLSX }, token),
    );
    expect(fake.problems).toEqual([
      'police.xlsx: this is not an Excel workbook (.xlsx). Use a .xlsx or .csv file.',
    ]);
    const old = await problemsShown(
      await uploadFile(
        t,
        police,
        url,
        {
          name: 'police.xls',
          content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
          type: 'application/vnd.ms-excel',
        },
        token,
      ),
    );
    expect(old.summary).toContain('police.xls is not a CSV or Excel file');
    expect(await count()).toBe(0);
  });

  it('refuses an upload without its CSRF token before reading it', async () => {
    const good = await workbook(GOOD);
    const res = await uploadFile(t, police, url, { name: 'police.xlsx', content: good, type: XLSX }, null);
    expect(res.statusCode).toBe(403);
    const forged = await uploadFile(
      t,
      police,
      url,
      { name: 'police.xlsx', content: good, type: XLSX },
      'forged',
    );
    expect(forged.statusCode).toBe(403);
    expect(await count()).toBe(0);
  });

  it('takes a good workbook whole, reading dates and times as the spreadsheet shows them', async () => {
    const token = await police.csrfToken(url);
    const res = await uploadFile(
      t,
      police,
      url,
      { name: 'police.xlsx', content: await workbook(GOOD), type: XLSX },
      token,
    );
    expect(res.headers.location).toBe(`/reviews/${ref}/return`);
    expect(page(await police.follow(res)).banner).toContain('2 entries added from police.xlsx');
    const { entries } = await t.services.returns.workspace(await actorOf(t, 'police.lead@demo.example'), ref);
    expect(
      entries.map((e) => [e.sourceRow, e.date, e.time, e.eventType, e.summary, e.childSeen, e.sourceRef]),
    ).toEqual([
      [2, '2019-03-02', '21:15', 'police_incident', 'Call-out to the address', 'not_recorded', 'POL-118'],
      [3, '2019-04', null, 'arrest', 'Father arrested', 'no', 'POL-120'],
    ]);
    const audited = (await t.database.db.execute(
      sql`select detail from audit_events where action = 'return.upload' and review_reference = ${ref}`,
    )) as unknown as { rows: { detail: unknown }[] };
    expect(audited.rows).toEqual([{ detail: { file: 'police.xlsx', entries: 2 } }]);
  });
});
