import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { monitoringRepository } from '../../src/db/repositories/monitoring-repository.ts';
import { ImportCancelled } from '../../src/services/monitoring-service.ts';
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
  /** An upload, then its job run to the end (the app starts it at once; this waits for it). */
  async function uploadAndRun(client: WebClient, fileName: string, content: string) {
    const res = await upload(client, fileName, content);
    await t.services.monitoring.runQueued();
    return res;
  }
  const count = async (query: ReturnType<typeof sql>) =>
    Number(((await t.database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  it('loads a CSV of many children, scans it, and lists re-referrals and open high-severity cases', async () => {
    const res = await uploadAndRun(coordinator, 'nightly.csv', csv(ROWS));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/front-door\/imports\/[0-9a-f-]{36}$/);
    const run = page(await coordinator.get(res.headers.location as string));
    expect(run.h1).toBe('Load of nightly.csv');
    expect(run.$('#import-progress').text()).toBe(
      'Finished: loaded 12 rows for 3 children, 7 signals. This is the dataset the lists read.',
    );
    expect(run.$('main').text()).not.toContain('Refresh to see progress');
    expect(run.$('main button').text()).not.toContain('Cancel');

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
    const res = await uploadAndRun(
      coordinator,
      'broken.csv',
      csv([...ROWS, ',2022-05-01,csc,referral,No child key,,,,,Z1']),
    );
    const failed = page(await coordinator.follow(res));
    expect(failed.$('#import-progress').text()).toBe('Failed: nothing was changed.');
    expect(failed.$('.govuk-inset-text').text()).toBe(
      'broken.csv: row 14, column "child": every row of a monitoring file needs the child\'s key (for example C-000123).',
    );
    const bad = await uploadAndRun(
      coordinator,
      'bad-date.csv',
      csv(['C-1,2022-13-01,csc,referral,Bad date,,,,,Y1']),
    );
    expect(
      page(await coordinator.follow(bad))
        .$('.govuk-inset-text')
        .text(),
    ).toMatch(/^bad-date\.csv: row 2, column "date"/);
    const clinic = page(await coordinator.get('/front-door/re-referrals'));
    expect(clinic.$('tbody th').length).toBe(2);
    expect(await count(sql`select count(*)::int as n from monitoring_imports where status = 'failed'`)).toBe(
      2,
    );
    expect(await count(sql`select count(*)::int as n from monitored_children`)).toBe(3);
  });

  it('replaces the dataset with a later load', async () => {
    const res = await uploadAndRun(
      coordinator,
      'second.csv',
      csv(ROWS.filter((r) => r.startsWith('C-000002'))),
    );
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

  // Loads are jobs (issue 18): queued by the upload, run off the request, one at a time -----------

  const folder = mkdtempSync(join(tmpdir(), 'los-monitoring-jobs-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const one = async <R>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: R[] }).rows[0]!;
  /** A load as the upload leaves it: its file in the upload folder and its job row, waiting. */
  async function waitingLoad(fileName: string, content: string) {
    const { id: partnershipId, userId } = await one<{ id: string; userId: string }>(
      sql`select p.id, u.id as "userId" from partnerships p join users u on u.partnership_id = p.id where u.email = 'coordinator@demo.example'`,
    );
    const uploadPath = join(folder, `${fileName}.upload`);
    writeFileSync(uploadPath, content);
    const run = await monitoringRepository(t.database.db, partnershipId).queueImport({
      fileName,
      bytesTotal: content.length,
      uploadPath,
      startedBy: userId,
      label: 'coordinator@demo.example',
    });
    return { run, uploadPath, partnershipId };
  }
  const runStatus = (id: string) =>
    one<{ status: string; rows: number; attempts: number; staged: number }>(
      sql`select status, rows_read as rows, attempts, (select count(*)::int from monitored_children c where c.import_id = i.id) as staged from monitoring_imports i where id = ${id}`,
    );
  const currentId = async () =>
    (await one<{ id: string }>(sql`select id from monitoring_imports where status = 'current'`)).id;

  it('refuses a second load while one waits, naming it; the waiting one is cancelled, its file removed, on record', async () => {
    const { run, uploadPath } = await waitingLoad('waiting.csv', csv(ROWS));
    const waiting = page(await coordinator.get(`/front-door/imports/${run.id}`));
    expect(waiting.$('#import-progress').text()).toBe(
      'Waiting to start: the load begins as soon as the service is free.',
    );
    expect(waiting.$('main').text()).toContain('Refresh to see progress');

    const second = await upload(coordinator, 'another.csv', csv(ROWS));
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe('/front-door/imports');
    expect(page(await coordinator.follow(second)).errorSummary[0]).toMatch(
      /^waiting\.csv is waiting to be loaded \(started .+ by coordinator@demo\.example\)\. Wait for it to finish, or cancel it, before loading another file\.$/,
    );

    const cancelled = await coordinator.post(`/front-door/imports/${run.id}/cancel`, {});
    expect(cancelled.statusCode).toBe(303);
    expect(cancelled.headers.location).toBe(`/front-door/imports/${run.id}`);
    const after = page(await coordinator.follow(cancelled));
    expect(after.$('#import-progress').text()).toBe(
      'Cancelled by coordinator@demo.example: nothing was changed.',
    );
    expect(after.$('main button').length).toBe(0);
    expect((await runStatus(run.id)).status).toBe('cancelled');
    expect(existsSync(uploadPath)).toBe(false);
    expect(
      await count(
        sql`select count(*)::int as n from audit_events where action = 'monitoring.import.cancel' and subject_id = ${run.id}`,
      ),
    ).toBe(1);
    // Ended: a second cancel is refused in words, and changes nothing.
    const again = page(
      await coordinator.follow(await coordinator.post(`/front-door/imports/${run.id}/cancel`, {})),
    );
    expect(again.banner).toBe('The load of waiting.csv has already ended: there is nothing to cancel.');
  });

  it('cancelling a running load stops it at its next batch and rolls it back: nothing is kept', async () => {
    const before = await currentId();
    const children = await count(sql`select count(*)::int as n from monitored_children`);
    const { id: partnershipId } = await one<{ id: string }>(sql`select id from partnerships limit 1`);
    const input = new PassThrough();
    let firstBatch!: () => void;
    const read = new Promise<void>((resolve) => (firstBatch = resolve));
    const rows = (from: number, n: number) =>
      Array.from(
        { length: n },
        (_, i) => `C-7${(from + i) % 3},2021-03-01,police,contact,Contact ${from + i},,,,,R${from + i}`,
      ).join('\n') + '\n';
    const loading = t.services.monitoring
      .importCsv({ partnershipId, label: 'test' }, input, {
        fileName: 'long.csv',
        onProgress: () => firstBatch(),
      })
      .catch((e: unknown) => e);
    input.write(`${HEADER}\n${rows(0, 1000)}`);
    await read; // the first 1,000 rows are staged
    const { id } = await one<{ id: string }>(sql`select id from monitoring_imports where status = 'loading'`);
    expect((await runStatus(id)).staged).toBe(3);
    const stopping = page(
      await coordinator.follow(await coordinator.post(`/front-door/imports/${id}/cancel`, {})),
    );
    expect(stopping.banner).toBe('The load of long.csv is stopping: nothing will be changed');
    expect(stopping.$('#import-progress').text()).toBe(
      'Stopping: cancelled by coordinator@demo.example; what was read is being removed and nothing will change.',
    );
    input.end(rows(1000, 50));
    expect(await loading).toBeInstanceOf(ImportCancelled);
    expect(await runStatus(id)).toMatchObject({ status: 'cancelled', staged: 0 });
    expect(await currentId()).toBe(before);
    expect(await count(sql`select count(*)::int as n from monitored_children`)).toBe(children);
  });

  it('runs again from its file a load left claimed by a process that died, when the service starts', async () => {
    const { run, uploadPath, partnershipId } = await waitingLoad('resumed.csv', csv(ROWS));
    const repo = monitoringRepository(t.database.db, partnershipId);
    await repo.insertChildren(run.id, ['C-000001']); // what the dead process had staged
    await t.database.db.execute(
      sql`update monitoring_imports set status = 'loading', claimed_by = 'a-dead-instance', attempts = 1, rows_read = 500, heartbeat_at = now() - interval '10 minutes' where id = ${run.id}`,
    );
    // What `serve` does first: on the embedded database every load still loading has died.
    await t.services.monitoring.clearStopped({ everyLoading: kind === 'pglite' });
    expect(await runStatus(run.id)).toEqual({ status: 'queued', rows: 0, attempts: 1, staged: 0 });
    expect(
      await count(
        sql`select count(*)::int as n from audit_events where action = 'monitoring.import.resume' and subject_id = ${run.id}`,
      ),
    ).toBe(1);
    await t.services.monitoring.runQueued();
    expect(await runStatus(run.id)).toEqual({ status: 'current', rows: 12, attempts: 2, staged: 3 });
    expect(existsSync(uploadPath)).toBe(false);
    const done = page(await coordinator.get(`/front-door/imports/${run.id}`));
    expect(done.$('#import-progress').text()).toBe(
      'Finished: loaded 12 rows for 3 children, 7 signals. This is the dataset the lists read.',
    );
  });

  it('takes a load over the API: 202 with the job URL, its progress as JSON, and the same rules', async () => {
    const token = (await t.services.auth.createApiToken('coordinator@demo.example', 'monitoring api')).token;
    const api = (method: 'GET' | 'POST', url: string, payload?: string, who = token) =>
      t.app.inject({
        method,
        url,
        payload,
        headers: { authorization: `Bearer ${who}`, ...(payload ? { 'content-type': 'text/csv' } : {}) },
      });
    const queued = await api('POST', '/api/v1/monitoring/imports?file=api.csv', csv(ROWS));
    expect(queued.statusCode).toBe(202);
    const job = queued.json<{ id: string; url: string; state: string }>();
    expect(queued.headers.location).toBe(`/api/v1/monitoring/imports/${job.id}`);
    expect(job.url).toBe(queued.headers.location);
    expect(job.state).toBe('waiting');
    await t.services.monitoring.runQueued();
    const done = await api('GET', job.url);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      file: 'api.csv',
      state: 'finished',
      current: true,
      rowsRead: 12,
      children: 3,
      signals: 7,
      error: null,
      startedBy: 'coordinator@demo.example',
    });
    // A bad file: the job fails with the row and column, and the dataset stays as it was.
    const bad = await api(
      'POST',
      '/api/v1/monitoring/imports?file=bad.csv',
      csv(['C-1,2022-13-01,csc,referral,Bad,,,,,Y1']),
    );
    await t.services.monitoring.runQueued();
    const failed = (await api('GET', bad.json<{ url: string }>().url)).json<{
      state: string;
      error: string;
    }>();
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/^bad\.csv: row 2, column "date"/);
    expect(await currentId()).toBe(job.id);
    // Finished: nothing to cancel.
    expect((await api('POST', `${job.url}/cancel`)).statusCode).toBe(409);
    const board = (await t.services.auth.createApiToken('board@demo.example', 'monitoring api')).token;
    expect((await api('GET', job.url, undefined, board)).statusCode).toBe(200);
    expect((await api('POST', '/api/v1/monitoring/imports', csv(ROWS), board)).statusCode).toBe(403);
  });
});
