import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { CHRONOLOGY_COLUMNS } from '../../src/domain/chronology/validate.ts';
import { CsvRecords, type CsvRecord } from '../../src/files/csv-records.ts';
import { ForbiddenError, ValidationError } from '../../src/services/errors.ts';
import type { MergedItem } from '../../src/services/chronology-service.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, signedInClients } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';

const NAME = 'Testinfant Eight Example';

/** Cells a spreadsheet would run as formulas, and what an export must make of them. */
const FORMULAS = {
  summary: ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
  worker: ['+44 7700 900000', "'+44 7700 900000"],
  source_ref: ['@SUM(1+1)', "'@SUM(1+1)"],
  action_taken: ['-5+cmd|calc', "'-5+cmd|calc"],
  significance: ['- seen at home', "'- seen at home"],
  // A plain negative number is data: left alone.
  outcome: ['-5', '-5'],
} as const;

function csvCells(body: Buffer): string[][] {
  const records: CsvRecord[] = [];
  const parser = new CsvRecords(1_000_000);
  parser.write(body, records);
  parser.end(records);
  return records.map((r) => r.values);
}

async function xlsxCells(body: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  expect(sheet.name).toBe('Chronology');
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const value = row.getCell(c).value;
      // Every cell is written as text: no number, date or formula comes back.
      expect(value === null || typeof value === 'string').toBe(true);
      cells.push((value as string | null) ?? '');
    }
    rows.push(cells);
  });
  return rows;
}

describe.each(DATABASE_KINDS)('the merged chronology: linking duplicates and exports (%s)', (kind) => {
  let t: TestApp;
  let ref: string;
  let coordinator: Actor;
  const signedIn = signedInClients(() => t.app);
  const merged = async (): Promise<MergedItem[]> =>
    (await t.services.chronology.merged(coordinator, ref, {})).items;
  const strategyDiscussions = async () =>
    (await merged()).filter((e) => e.eventType === 'strategy_discussion');
  const audited = async (action: string) =>
    (
      (await t.database.db.execute(
        sql`select (select email from users where users.id = audit_events.user_id) as user_email, outcome, detail from audit_events where action = ${action} and review_reference = ${ref} order by id`,
      )) as unknown as {
        rows: { user_email: string; outcome: string; detail: Record<string, unknown> | null }[];
      }
    ).rows;
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ref = await reviewInInformationGathering(t);
    coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 15,
    });
    const police = await actorOf(t, 'police.lead@demo.example');
    const hv = await actorOf(t, 'hv.lead@demo.example');
    await t.services.returns.addEntries(police, ref, {
      entries: [
        {
          date: '2019-03-05',
          eventType: 'strategy_discussion',
          summary: 'Strategy discussion with CSC',
          sourceRef: 'POL-1',
        },
        {
          date: '2019-03-09',
          eventType: 'police_incident',
          summary: FORMULAS.summary[0],
          worker: FORMULAS.worker[0],
          sourceRef: FORMULAS.source_ref[0],
          actionTaken: FORMULAS.action_taken[0],
          outcome: FORMULAS.outcome[0],
          significance: FORMULAS.significance[0],
        },
      ],
    });
    await t.services.returns.addEntries(hv, ref, {
      entries: [
        {
          date: '2019-03-05',
          eventType: 'strategy_discussion',
          summary: 'Joined the strategy discussion',
          sourceRef: 'HV-1',
        },
        {
          date: '2019-03-20',
          eventType: 'home_visit',
          summary: 'Seen at home',
          childSeen: 'yes',
          sourceRef: 'HV-2',
        },
      ],
    });
    for (const lead of [police, hv]) await t.services.returns.submit(lead, ref);
    for (const r of await t.services.requests.list(coordinator, ref))
      await t.services.requests.accept(coordinator, ref, r.request.id);
  });
  afterAll(async () => t?.close());

  describe('linking possible duplicates as one event', () => {
    it('flags the same day and event type from two agencies as a possible duplicate', async () => {
      const pair = await strategyDiscussions();
      expect(pair.map((e) => e.agency).sort()).toEqual(['health-visiting', 'police']);
      for (const e of pair)
        expect(e).toMatchObject({ possibleDuplicateOf: expect.any(String), sameEventKey: null });
      expect((await merged()).find((e) => e.eventType === 'home_visit')!.possibleDuplicateOf).toBeNull();
    });

    it('refuses fewer than two entries, anyone but the coordinator, and entries not in the merged chronology', async () => {
      const [a, b] = await strategyDiscussions();
      expect(
        await failure(t.services.chronology.link(coordinator, ref, { entries: [a!.id] })),
      ).toBeInstanceOf(ValidationError);
      for (const who of ['chair@demo.example', 'police.lead@demo.example'])
        expect(
          await failure(t.services.chronology.link(await actorOf(t, who), ref, { entries: [a!.id, b!.id] })),
        ).toBeInstanceOf(ForbiddenError);
      expect(
        await failure(
          t.services.chronology.link(coordinator, ref, { entries: [randomUUID(), randomUUID()] }),
        ),
      ).toBeInstanceOf(ValidationError);
      // One real entry and one that is not in this review's merged chronology: nothing is linked.
      expect(
        await failure(t.services.chronology.link(coordinator, ref, { entries: [a!.id, randomUUID()] })),
      ).toBeInstanceOf(ValidationError);
      for (const e of await strategyDiscussions()) expect(e.sameEventKey).toBeNull();
    });

    it('links the pair as one event and unlinks it again, audited, as the merged chronology shows', async () => {
      const ids = (await strategyDiscussions()).map((e) => e.id);
      expect(await t.services.chronology.link(coordinator, ref, { entries: ids })).toEqual({ changed: 2 });
      const linked = await strategyDiscussions();
      expect(linked[0]!.sameEventKey).toMatch(/^event-/);
      expect(linked[1]!.sameEventKey).toBe(linked[0]!.sameEventKey);
      expect((await merged()).find((e) => e.eventType === 'home_visit')!.sameEventKey).toBeNull();

      expect(await t.services.chronology.link(coordinator, ref, { entries: ids }, true)).toEqual({
        changed: 2,
      });
      for (const e of await strategyDiscussions())
        expect(e).toMatchObject({ sameEventKey: null, possibleDuplicateOf: expect.any(String) });
      expect(await audited('chronology.link')).toEqual([
        expect.objectContaining({
          user_email: 'coordinator@demo.example',
          outcome: 'success',
          detail: { entries: ids },
        }),
      ]);
      expect(await audited('chronology.unlink')).toEqual([
        expect.objectContaining({ outcome: 'success', detail: { entries: ids } }),
      ]);
    });

    it('links and unlinks through the chronology page, with its CSRF token', async () => {
      const c = await signedIn('coordinator@demo.example');
      const url = `/reviews/${ref}/chronology`;
      const before = page(await c.get(url));
      const pairIds = (await strategyDiscussions()).map((e) => e.id);
      // The page offers a checkbox for each entry, and flags the pair.
      for (const id of pairIds) expect(before.$(`input[name="entries"][value="${id}"]`).length).toBe(1);
      expect(before.$('table.app-merged .govuk-tag:contains("Possible duplicate")').length).toBe(2);
      const token = before.$('input[name="_csrf"]').first().val() as string;

      const one = await c.post(`${url}/link`, { entries: [pairIds[0]!] }, token);
      expect(one.headers.location).toBe(url);
      expect(page(await c.follow(one)).errorSummary.join(' ')).toContain('Select at least two entries');

      expect((await c.post(`${url}/link`, { entries: pairIds, _csrf: 'forged' })).statusCode).toBe(403);
      for (const e of await strategyDiscussions()) expect(e.sameEventKey).toBeNull();

      const linked = await c.post(`${url}/link`, { entries: pairIds }, token);
      expect(linked.headers.location).toBe(url);
      const after = page(await c.follow(linked));
      expect(after.banner).toContain('2 entries linked as one event');
      expect(after.$('table.app-merged .govuk-tag:contains("Same event")').length).toBe(2);
      expect(after.$('table.app-merged .govuk-tag:contains("Possible duplicate")').length).toBe(0);

      // The chair reads the merged chronology but may not link.
      const chair = await signedIn('chair@demo.example');
      const chairPage = page(await chair.get(url));
      expect(chairPage.$('input[name="entries"]').length).toBe(0);
      const refused = await chair.post(`${url}/unlink`, { entries: pairIds }, await chair.csrfToken(url));
      expect(refused.statusCode).toBe(403);

      const unlinked = await c.post(`${url}/unlink`, { entries: pairIds }, token);
      const again = page(await c.follow(unlinked));
      expect(again.banner).toContain('2 entries unlinked');
      expect(again.$('table.app-merged .govuk-tag:contains("Same event")').length).toBe(0);
      expect(again.$('table.app-merged .govuk-tag:contains("Possible duplicate")').length).toBe(2);
    });
  });

  describe('exports', () => {
    const header = [...CHRONOLOGY_COLUMNS];

    it('exports CSV anonymised by default, formulas neutralised, audited', async () => {
      const c = await signedIn('coordinator@demo.example');
      const res = await c.get(`/reviews/${ref}/chronology/export.csv`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${ref}-chronology.csv"`);
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(res.body).not.toContain(NAME);
      const [head, ...rows] = csvCells(res.rawPayload.subarray(3));
      expect(head!.slice(0, header.length)).toEqual(header);
      expect(rows).toHaveLength(4);
      const col = (name: string) => head!.indexOf(name);
      expect(new Set(rows.map((r) => r[col('child')]))).toEqual(new Set(['Infant 8']));
      const incident = rows.find((r) => r[col('event_type')] === 'police_incident')!;
      for (const [column, [, exported]] of Object.entries(FORMULAS))
        expect(incident[col(column)]).toBe(exported);
      // Every cell that starts like a formula is neutralised, in every row.
      for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+@]|^-(?!\d+$)/);
      expect((await audited('chronology.export')).at(-1)).toMatchObject({
        user_email: 'coordinator@demo.example',
        outcome: 'success',
        detail: { named: false, format: 'csv', entries: 4 },
      });
    });

    it('exports XLSX anonymised, every cell text, formulas neutralised, and a linked event in its column', async () => {
      const ids = (await strategyDiscussions()).map((e) => e.id);
      await t.services.chronology.link(coordinator, ref, { entries: ids });
      const key = (await strategyDiscussions())[0]!.sameEventKey;
      const c = await signedIn('coordinator@demo.example');
      const res = await c.get(`/reviews/${ref}/chronology/export.xlsx`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${ref}-chronology.xlsx"`);
      const [head, ...rows] = await xlsxCells(res.rawPayload);
      expect(head!.slice(0, header.length)).toEqual(header);
      const col = (name: string) => head!.indexOf(name);
      expect(rows).toHaveLength(4);
      expect(new Set(rows.map((r) => r[col('child')]))).toEqual(new Set(['Infant 8']));
      expect(rows.flat()).not.toContain(NAME);
      const incident = rows.find((r) => r[col('event_type')] === 'police_incident')!;
      for (const [column, [, exported]] of Object.entries(FORMULAS))
        expect(incident[col(column)]).toBe(exported);
      expect(
        rows
          .filter((r) => r[col('same_event')] === key)
          .map((r) => r[col('source_ref')])
          .sort(),
      ).toEqual(['HV-1', 'POL-1']);
      await t.services.chronology.link(coordinator, ref, { entries: ids }, true);
      expect((await audited('chronology.export')).at(-1)).toMatchObject({
        outcome: 'success',
        detail: { named: false, format: 'xlsx', entries: 4 },
      });
    });

    it('names the child only when the named view is chosen by someone permitted, and audits it', async () => {
      const c = await signedIn('coordinator@demo.example');
      for (const format of ['csv', 'xlsx'] as const) {
        const res = await c.get(`/reviews/${ref}/chronology/export.${format}?view=named`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-disposition']).toBe(
          `attachment; filename="${ref}-chronology-named.${format}"`,
        );
        const [head, ...rows] =
          format === 'csv' ? csvCells(res.rawPayload.subarray(3)) : await xlsxCells(res.rawPayload);
        expect(new Set(rows.map((r) => r[head!.indexOf('child')]))).toEqual(new Set([NAME]));
        expect((await audited('chronology.export')).at(-1)).toMatchObject({
          user_email: 'coordinator@demo.example',
          outcome: 'success',
          detail: { named: true, format, entries: 4 },
        });
      }
    });

    it('refuses the named export to a board member, audited, while the anonymised one is theirs', async () => {
      const board = await signedIn('board@demo.example');
      const anonymised = await board.get(`/reviews/${ref}/chronology/export.csv`);
      expect(anonymised.statusCode).toBe(200);
      expect(anonymised.body).not.toContain(NAME);
      for (const format of ['csv', 'xlsx'] as const) {
        const named = await board.get(`/reviews/${ref}/chronology/export.${format}?view=named`);
        expect(named.statusCode).toBe(403);
        expect(named.body).not.toContain(NAME);
        expect(named.headers['content-disposition']).toBeUndefined();
      }
      const denied = (await audited('chronology.export')).filter((a) => a.outcome === 'denied');
      expect(denied.map((a) => a.user_email)).toEqual(['board@demo.example', 'board@demo.example']);
    });
  });
});
