import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/limits.ts';
import { createServices } from '../../src/services/index.ts';
import { MonitoringFileError } from '../../src/services/monitoring-service.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, WebClient } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { declaringSize } from '../briefing/zip-bomb.ts';
import { actorOf, reviewInInformationGathering, uploadFile } from './setup.ts';
import { serviceConnections } from '../../src/db/client.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = 'date,agency,event_type,summary,source_ref';
const row = (i: number) => `2019-03-02,police,contact,Testchild Example contact ${i},POL-${i}`;
const csv = (rows: number) =>
  [HEADER, ...Array.from({ length: rows }, (_, i) => row(i + 1))].join('\n') + '\n';

/** A good police workbook whose shared strings are padded with `padding` bytes of unused strings. */
async function paddedWorkbook(padding: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Police chronology');
  sheet.addRow(['date', 'agency', 'event_type', 'summary', 'source_ref']);
  sheet.addRow(['2019-03-02', 'police', 'contact', 'Testchild Example contact', 'POL-1']);
  const zip = await JSZip.loadAsync(Buffer.from(await book.xlsx.writeBuffer()));
  const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
  // Strings nothing refers to: varied enough to pack at about 20 to 1, far under the ratio rule.
  const extra: string[] = [];
  for (let size = 0, i = 0; size < padding; i++) {
    const s = `<si><t>Testchild Example unused string ${i * 7919}</t></si>`;
    extra.push(s);
    size += s.length;
  }
  zip.file('xl/sharedStrings.xml', strings.replace('</sst>', `${extra.join('')}</sst>`));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

describe.each(DATABASE_KINDS)('limits on what an upload may hold (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let token: string;
  let police: WebClient;

  const count = async () => {
    const result = (await t.database.db.execute(
      sql`select count(*)::int as n from chronology_entries e join reviews r on r.id = e.review_id
          where r.reference = ${ref} and e.removed_at is null`,
    )) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n;
  };
  /** The police draft holding `n` entries already (written straight to the table, as fast as it goes). */
  const draftHolding = async (n: number) => {
    await t.database.db.execute(
      sql`delete from chronology_entries where review_id = (select id from reviews where reference = ${ref})`,
    );
    await t.database.db.execute(sql`
      insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary, source_row)
      select q.review_id, q.id, q.agency_id, '2019-01-01', '2019-01-01', 'contact', 'Testchild Example filler ' || g, g + 1
      from agency_requests q
      join reviews r on r.id = q.review_id
      join agencies a on a.id = q.agency_id
      cross join generate_series(1, ${n}::int) g
      where r.reference = ${ref} and a.code = 'police'`);
    expect(await count()).toBe(n);
  };
  const postCsv = (payload: string | Readable, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${ref}/chronology`,
      payload,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', ...headers },
    });
  const uploadPage = () => `/reviews/${ref}/return/upload`;
  /** A web upload refused: the page it leads back to, with its summary and problems. */
  const refusedUpload = async (name: string, content: Buffer | string, type?: string) => {
    const token = await police.csrfToken(uploadPage());
    const res = await uploadFile(
      t,
      police,
      uploadPage(),
      { name, content, ...(type ? { type } : {}) },
      token,
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(uploadPage());
    const shown = page(await police.follow(res));
    return shown.errorSummary.join(' ');
  };

  beforeAll(async () => {
    // Every upload with a length read in the request, as these limits are checked there (a body
    // without one is queued as a job: the same limits, the same words; test/chronology/upload-jobs.test.ts).
    t = await buildTestApp(kind, { config: { RETURN_JOB_BYTES: 64 * 1024 * 1024 } });
    ref = await reviewInInformationGathering(t);
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(coordinator, ref, { agencies: ['police'], workingDays: 15 });
    token = (await t.services.auth.createApiToken('police.lead@demo.example', 'test')).token;
    police = new WebClient(t.app);
    await police.signIn('police.lead@demo.example');
  });
  afterAll(async () => t?.close());
  beforeEach(async () => draftHolding(0));

  it('takes a text/csv body over a real connection, and refuses one over 25 MB there too', async () => {
    // Through a socket, not inject: the body reaches the route as the request stream itself.
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const post = (body: string) =>
      fetch(`${base}/api/v1/reviews/${ref}/chronology`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body,
      });
    const taken = await post(csv(3));
    expect(taken.status).toBe(201);
    expect(await taken.json()).toEqual({ added: 3 });
    const refused = await post(csv(1) + ' '.repeat(LIMITS.chronologyBytes));
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('too_large');
    expect(await count()).toBe(3);
  });

  it('refuses a CSV over 25 MB (API body with or without its length, 413; web form) and saves nothing', async () => {
    // One good row, then lines of spaces (blank rows, skipped): only the bytes are too many.
    const blank = ' '.repeat(512 * 1024) + '\n';
    const lines = Math.ceil(LIMITS.chronologyBytes / blank.length) + 1;
    const told = await postCsv(csv(1) + blank.repeat(lines));
    expect(told.statusCode).toBe(413);
    expect(told.json().error).toMatchObject({
      code: 'too_large',
      message:
        'request body: the file is larger than 25 MB, the limit for one chronology upload. Split it into smaller files and upload each one. Nothing was saved.',
    });
    // Streamed without a length: counted as it is read, refused at the chunk that passes the limit.
    const streamed = await postCsv(
      Readable.from(
        (function* () {
          yield Buffer.from(csv(1));
          for (let i = 0; i < lines; i++) yield Buffer.from(blank);
        })(),
      ),
    );
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().error.message).toBe(
      'request body: the file is larger than 25 MB, the limit for one chronology upload. Split it into smaller files and upload each one. Nothing was saved.',
    );
    // The same file through the web form.
    expect(await refusedUpload('police.csv', csv(1) + blank.repeat(lines))).toBe(
      'police.csv: the file is larger than 25 MB, the limit for one chronology upload. Split it into smaller files and upload each one. Nothing was saved.',
    );
    expect(await count()).toBe(0);
  });

  it('refuses JSON entries that would take the return past 50,000 entries, naming the first one past', async () => {
    await draftHolding(LIMITS.returnEntries - 5);
    const entries = Array.from({ length: 8 }, (_, i) => ({
      date: '2019-04-01',
      eventType: 'contact',
      summary: `Testchild Example contact ${i}`,
    }));
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${ref}/chronology`,
      payload: { entries },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'too_large',
      message:
        "Row 6: this would take your agency's return past 50,000 entries, the most one return may hold (it holds 49,995 already). Split the chronology, or remove entries first. Nothing was saved.",
    });
    expect(await count()).toBe(LIMITS.returnEntries - 5);
    // A JSON body past 1 MB is refused by its size, saying so in words (and where a chronology can go).
    const padded = entries.map((e) => ({ ...e, summary: `${e.summary} ${'x'.repeat(150_000)}` }));
    const heavy = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${ref}/chronology`,
      payload: { entries: padded },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(heavy.statusCode).toBe(413);
    expect(heavy.json().error).toEqual({
      code: 'too_large',
      message:
        'The request body is larger than 1 MB, the limit for this request. Send a larger chronology as a text/csv body (up to 25 MB).',
    });
    expect(await count()).toBe(LIMITS.returnEntries - 5);
    // Up to the limit exactly is taken.
    const fits = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${ref}/chronology`,
      payload: { entries: entries.slice(0, 5) },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(fits.statusCode).toBe(201);
    expect(await count()).toBe(LIMITS.returnEntries);
  });

  it('refuses a CSV past the row limit, naming the limit and the row, through the API and the web', async () => {
    await draftHolding(LIMITS.returnEntries - 5);
    const res = await postCsv(csv(10));
    expect(res.statusCode).toBe(413);
    // The header is row 1; the sixth entry, on row 7, is the one past the limit.
    expect(res.json().error.message).toBe(
      "request body: row 7: this would take your agency's return past 50,000 entries, the most one return may hold (it holds 49,995 already). Split the chronology, or remove entries first. Nothing was saved.",
    );
    expect(await refusedUpload('police.csv', csv(10))).toBe(
      "police.csv: row 7: this would take your agency's return past 50,000 entries, the most one return may hold (it holds 49,995 already). Split the chronology, or remove entries first. Nothing was saved.",
    );
    expect(await count()).toBe(LIMITS.returnEntries - 5);
  });

  it(
    'refuses a workbook whose parts unpack past 100 MB without reading it whole, even when its directory lies',
    { timeout: 120_000 },
    async () => {
      const bomb = await paddedWorkbook(LIMITS.xlsxInflatedBytes + 5 * 1024 * 1024);
      expect(bomb.length).toBeLessThan(LIMITS.chronologyBytes);
      const expected =
        'police.xlsx: the workbook unpacks to more than 100 MB, the limit for one chronology upload: far more than a chronology needs (it may be a zip bomb). Save it again from Excel, or as "CSV UTF-8". Nothing was saved.';
      expect(await refusedUpload('police.xlsx', bomb, XLSX)).toBe(expected);
      // The directory says the strings are 2 KB: refused while inflating, at the ceiling.
      const liar = declaringSize(bomb, 'xl/sharedStrings.xml', 2048);
      expect(await refusedUpload('police.xlsx', liar, XLSX)).toBe(expected);
      expect(await count()).toBe(0);
      // The same workbook without the padding is taken.
      const good = await paddedWorkbook(0);
      const token = await police.csrfToken(uploadPage());
      const res = await uploadFile(
        t,
        police,
        uploadPage(),
        { name: 'police.xlsx', content: good, type: XLSX },
        token,
      );
      expect(res.headers.location).toBe(`/reviews/${ref}/return`);
      expect(await count()).toBe(1);
    },
  );
});

describe.each(DATABASE_KINDS)('the limit on a return is a setting, RETURN_MAX_ENTRIES (%s)', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp(kind, { config: { RETURN_MAX_ENTRIES: 20 } });
  });
  afterAll(async () => t?.close());

  it('refuses the web upload at the 21st entry, and a form entry once the return is full', async () => {
    const ref = await reviewInInformationGathering(t);
    await t.services.requests.send(await actorOf(t, 'coordinator@demo.example'), ref, {
      agencies: ['police'],
      workingDays: 15,
    });
    const police = new WebClient(t.app);
    await police.signIn('police.lead@demo.example');
    const url = `/reviews/${ref}/return/upload`;
    const refused = await uploadFile(
      t,
      police,
      url,
      { name: 'police.csv', content: csv(25) },
      await police.csrfToken(url),
    );
    expect(page(await police.follow(refused)).errorSummary).toEqual([
      "police.csv: row 22: this would take your agency's return past 20 entries, the most one return may hold. Split the chronology, or remove entries first. Nothing was saved.",
    ]);
    const taken = await uploadFile(
      t,
      police,
      url,
      { name: 'police.csv', content: csv(20) },
      await police.csrfToken(url),
    );
    expect(taken.headers.location).toBe(`/reviews/${ref}/return`);
    const form = `/reviews/${ref}/return/entries/new`;
    const one = await police.post(
      form,
      { 'date-day': '2', 'date-month': '3', 'date-year': '2019', event_type: 'contact', summary: 'One more' },
      await police.csrfToken(form),
    );
    expect(one.headers.location).toBe(form);
    expect(page(await police.follow(one)).errorSummary).toEqual([
      "This would take your agency's return past 20 entries, the most one return may hold (it holds 20 already). Split the chronology, or remove entries first. Nothing was saved.",
    ]);
  });
});

describe.each(DATABASE_KINDS)('the monitoring dataset has a byte limit too (%s)', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('fails an import at the chunk that passes the limit, and keeps the dataset in use', async () => {
    const rows = async <T>(query: ReturnType<typeof sql>) =>
      ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
    const [partnership] = await rows<{ id: string }>(sql`select id from partnerships limit 1`);
    const [before] = await rows<{ id: string }>(
      sql`select id from monitoring_imports where status = 'current'`,
    );
    // The same services with a 4 KB limit on the dataset (1 GB in use), so a small file passes it.
    const services = createServices({
      ...serviceConnections(t.database),
      now: () => new Date(),
      limits: { ...LIMITS, monitoringBytes: 4096 },
    });
    const lines = ['child,date,agency,event_type,summary'];
    for (let i = 0; i < 100; i++)
      lines.push(`C-${String(i).padStart(6, '0')},2019-03-02,police,contact,Testchild Example`);
    const error = await services.monitoring
      .importCsv(
        { partnershipId: partnership!.id, label: 'test' },
        Readable.from([Buffer.from(lines.join('\n'))]),
        {
          fileName: 'nightly.csv',
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MonitoringFileError);
    expect((error as Error).message).toBe(
      "nightly.csv: the file is larger than 4 KB, the limit for the monitoring dataset. Export a shorter period of the front door's records.",
    );
    expect(await rows(sql`select id from monitoring_imports where status = 'current'`)).toEqual([before]);
    expect(
      await rows(sql`select status, error from monitoring_imports order by started_at desc limit 1`),
    ).toEqual([{ status: 'failed', error: (error as Error).message }]);
  });
});
