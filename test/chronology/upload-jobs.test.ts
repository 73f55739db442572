import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agencyUpload } from '../../src/files/agency-upload.ts';
import { ChronologyFileError, formatProblem, readChronologyCsv } from '../../src/files/chronology-reader.ts';
import { returnUploadJobRepository } from '../../src/db/repositories/return-upload-job-repository.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, WebClient } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { codesInText } from '../support/plain-words.ts';
import { actorOf, reviewInInformationGathering, uploadFile } from './setup.ts';

const HEADER = 'date,agency,event_type,summary,source_ref';
const row = (i: number) => `2019-03-02,police,contact,Testchild Example contact ${i},POL-${i}`;
const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => row(from + i)).join('\n') + '\n';
const csv = (n: number) => `${HEADER}\n${rows(1, n)}`;

/** Uploads over 2,000 bytes are queued in these tests (RETURN_JOB_BYTES); smaller ones stay in the request. */
const JOB_BYTES = 2000;

describe.each(DATABASE_KINDS)("a large upload to an agency's return runs as a job (%s)", (kind) => {
  let t: TestApp;
  let ref: string;
  let police: WebClient;
  let folder: string;

  const rowsOf = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const count = async (query: ReturnType<typeof sql>) => (await rowsOf<{ n: number }>(query))[0]!.n;
  const entries = () =>
    count(sql`select count(*)::int as n from chronology_entries e join reviews r on r.id = e.review_id
              where r.reference = ${ref} and e.removed_at is null`);
  const audits = (action: string, job: string) =>
    count(
      sql`select count(*)::int as n from audit_events where action = ${action} and detail->>'job' = ${job}`,
    );
  const jobRow = async (id: string) =>
    (
      await rowsOf<{ status: string; rows: number; entries: number; attempts: number }>(
        sql`select status, rows_read as rows, entries, attempts from return_upload_jobs where id = ${id}`,
      )
    )[0]!;
  const uploadPage = () => `/reviews/${ref}/return/upload`;
  const upload = async (client: WebClient, name: string, content: string) =>
    uploadFile(t, client, uploadPage(), { name, content }, await client.csrfToken(uploadPage()));
  const policeReturn = async () =>
    (
      await rowsOf<{ id: string; review_id: string }>(
        sql`select q.id, q.review_id from agency_requests q join reviews r on r.id = q.review_id
            join agencies a on a.id = q.agency_id where r.reference = ${ref} and a.code = 'police'`,
      )
    )[0]!;
  /** A job waiting in the queue (the runner not told), its file in `path` (or a named pipe). */
  async function waitingJob(fileName: string, content: string | null) {
    const { id: requestId, review_id: reviewId } = await policeReturn();
    const lead = await actorOf(t, 'police.lead@demo.example');
    const uploadPath = join(folder, `${fileName}-${Date.now()}.upload`);
    if (content === null) execFileSync('mkfifo', [uploadPath]);
    else writeFileSync(uploadPath, content);
    const job = await returnUploadJobRepository(t.database.db, requestId).queue({
      reviewId,
      fileName,
      format: 'csv',
      bytesTotal: content?.length ?? 0,
      uploadPath,
      startedBy: lead.userId,
      label: 'Police Lead',
    });
    return { job, uploadPath };
  }

  beforeAll(async () => {
    t = await buildTestApp(kind, { config: { RETURN_JOB_BYTES: JOB_BYTES } });
    ref = await reviewInInformationGathering(t);
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    await t.services.requests.send(coordinator, ref, {
      agencies: ['police', 'health-visiting'],
      workingDays: 15,
    });
    police = new WebClient(t.app);
    await police.signIn('police.lead@demo.example');
    folder = mkdtempSync(join(tmpdir(), 'los-return-jobs-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // Each test starts with no upload waiting or running (one at a time per return).
    await t.database.db.execute(
      sql`update return_upload_jobs set status = 'cancelled' where status in ('queued', 'loading')`,
    );
    await t.database.db.execute(
      sql`delete from chronology_entries where review_id = (select id from reviews where reference = ${ref})`,
    );
  });

  it('keeps a small upload in the request, and queues a large one: its page, then every entry added, on record', async () => {
    const small = await upload(police, 'small.csv', csv(3));
    expect(small.statusCode).toBe(303);
    expect(small.headers.location).toBe(`/reviews/${ref}/return`);
    expect(await entries()).toBe(3);

    const res = await upload(police, 'police.csv', csv(100));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^/reviews/${ref}/return/uploads/[0-9a-f-]{36}$`));
    const id = (res.headers.location as string).split('/').pop()!;
    // Waiting, then done: in people's words (the walk of every page cannot reach this one: the
    // demonstration queues no upload). A refused file's problems are the upload page's own.
    const waitingAnswer = await police.get(res.headers.location as string);
    expect(codesInText(waitingAnswer.body, ['police', 'csc', 'health-visiting'])).toEqual([]);
    await t.services.returns.runQueued();
    const doneAnswer = await police.get(res.headers.location as string);
    expect(codesInText(doneAnswer.body, ['police', 'csc', 'health-visiting'])).toEqual([]);
    const done = page(doneAnswer);
    expect(done.h1).toBe('Upload of police.csv');
    expect(done.$('#upload-progress').text()).toBe('Finished: 100 entries added from police.csv.');
    expect(done.$('main').text()).not.toContain('Refresh to see progress');
    expect(done.$('main button').length).toBe(0);
    expect(done.errorSummary).toEqual([]);
    expect(await entries()).toBe(103);
    expect(await jobRow(id)).toEqual({ status: 'done', rows: 100, entries: 100, attempts: 1 });
    expect(await audits('return.upload.queue', id)).toBe(1);
    expect(await audits('return.upload', id)).toBe(1);
    expect(await audits('return.upload.view', id)).toBe(2);
    // The upload page lists it, to find it again.
    const list = page(await police.get(uploadPage()));
    expect(list.$(`a[href="/reviews/${ref}/return/uploads/${id}"]`).text()).toBe('police.csv');
  });

  it("shows a refused file's problems on its page as the upload page does, naming file, row and column; nothing saved", async () => {
    const bad = `${HEADER}\n${rows(1, 40)}2019-13-02,police,contact,Bad date,POL-X\n${rows(41, 20)}2019-03-02,police,,No type,POL-Y\n`;
    const res = await upload(police, 'bad.csv', bad);
    expect(res.statusCode).toBe(303);
    await t.services.returns.runQueued();
    const shown = page(await police.get(res.headers.location as string));
    expect(shown.$('#upload-progress').text()).toBe('Failed: nothing was saved.');
    expect(shown.errorSummary).toEqual([
      'bad.csv has 2 problems. Nothing was saved: fix them and upload the file again.',
    ]);
    const listed = shown
      .$('.app-upload-problems li')
      .map((_, li) => shown.$(li).text())
      .get();
    expect(listed.map((p) => p.slice(0, p.indexOf('": ') + 3))).toEqual([
      'bad.csv: row 42, column "date": ',
      'bad.csv: row 63, column "event_type": ',
    ]);
    // Word for word what the same file read in the request is refused with.
    const inRequest = await t.services.returns
      .upload(await actorOf(t, 'police.lead@demo.example'), ref, {
        name: 'bad.csv',
        entries: ({ agencyCode, maxRows }) =>
          agencyUpload(readChronologyCsv(Readable.from([bad]), { file: 'bad.csv', maxRows }), {
            file: 'bad.csv',
            agencyCode,
          }),
      })
      .catch((error: unknown) => error);
    expect(inRequest).toBeInstanceOf(ChronologyFileError);
    expect(listed).toEqual((inRequest as ChronologyFileError).problems.map(formatProblem));
    expect(await entries()).toBe(0);
    const id = (res.headers.location as string).split('/').pop()!;
    expect(await jobRow(id)).toMatchObject({ status: 'failed', entries: 0 });
    expect(await audits('return.upload', id)).toBe(1);
  });

  it('refuses a second upload while one waits, naming it; the waiting one is cancelled, its file removed, on record', async () => {
    const { job, uploadPath } = await waitingJob('waiting.csv', csv(100));
    const waiting = page(await police.get(`/reviews/${ref}/return/uploads/${job.id}`));
    expect(waiting.$('#upload-progress').text()).toBe(
      'Waiting to start: the upload begins as soon as the service is free.',
    );
    expect(waiting.$('main').text()).toContain('Refresh to see progress');

    const second = await upload(police, 'another.csv', csv(100));
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(uploadPage());
    expect(page(await police.follow(second)).errorSummary[0]).toMatch(
      /^waiting\.csv is waiting to be loaded \(started .+ by Police Lead\)\. Wait for it to finish, or cancel it, before loading another file\.$/,
    );

    const cancelled = await police.post(`/reviews/${ref}/return/uploads/${job.id}/cancel`, {});
    expect(cancelled.statusCode).toBe(303);
    expect(cancelled.headers.location).toBe(`/reviews/${ref}/return/uploads/${job.id}`);
    const after = page(await police.follow(cancelled));
    expect(after.banner).toBe('The upload of waiting.csv was cancelled: nothing was saved');
    expect(after.$('#upload-progress').text()).toMatch(/^Cancelled by .+: nothing was saved\.$/);
    expect(after.$('main button').length).toBe(0);
    expect((await jobRow(job.id)).status).toBe('cancelled');
    expect(existsSync(uploadPath)).toBe(false);
    expect(await audits('return.upload.cancel', job.id)).toBe(1);
    expect(await entries()).toBe(0);
  });

  it('cancelling a running upload stops it at its next thousand rows: nothing is saved', async () => {
    const { job, uploadPath } = await waitingJob('long.csv', null);
    const running = t.services.returns.runQueued();
    // The job reads a named pipe: it has checked what it was given, and waits for more.
    const pipe = createWriteStream(uploadPath);
    pipe.write(`${HEADER}\n${rows(1, 1500)}`);
    for (let i = 0; i < 600 && (await jobRow(job.id)).rows < 1000; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await jobRow(job.id)).rows).toBe(1000);
    const stopping = page(
      await police.follow(await police.post(`/reviews/${ref}/return/uploads/${job.id}/cancel`, {})),
    );
    expect(stopping.banner).toBe('The upload of long.csv is stopping: nothing will be saved');
    expect(stopping.$('#upload-progress').text()).toMatch(
      /^Stopping: cancelled by .+; nothing will be saved\.$/,
    );
    pipe.end(rows(1501, 1000));
    await running;
    expect(await jobRow(job.id)).toMatchObject({ status: 'cancelled', entries: 0 });
    expect(await entries()).toBe(0);
    expect(existsSync(uploadPath)).toBe(false);
    expect(await audits('return.upload', job.id)).toBe(1);
  });

  it("refuses another agency's lead and the coordinator an upload's page and its cancel", async () => {
    const { job } = await waitingJob('private.csv', csv(100));
    const health = new WebClient(t.app);
    await health.signIn('hv.lead@demo.example');
    const seen = await health.get(`/reviews/${ref}/return/uploads/${job.id}`);
    expect(seen.statusCode).toBe(404);
    const cancel = await health.post(`/reviews/${ref}/return/uploads/${job.id}/cancel`, {});
    expect(cancel.statusCode).toBe(404);
    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    expect((await coordinator.get(`/reviews/${ref}/return/uploads/${job.id}`)).statusCode).toBe(403);
    expect((await coordinator.post(`/reviews/${ref}/return/uploads/${job.id}/cancel`, {})).statusCode).toBe(
      403,
    );
    expect((await jobRow(job.id)).status).toBe('queued');
    await police.post(`/reviews/${ref}/return/uploads/${job.id}/cancel`, {});
  });

  it('runs again from its file an upload left claimed by a process that died, when the service starts', async () => {
    const { job, uploadPath } = await waitingJob('resumed.csv', csv(50));
    await t.database.db.execute(
      sql`update return_upload_jobs set status = 'loading', claimed_by = 'a-dead-instance', attempts = 1,
            rows_read = 20, heartbeat_at = now() - interval '10 minutes' where id = ${job.id}`,
    );
    // What `serve` does first: on the embedded database every upload still loading has died.
    await t.services.returns.clearStoppedUploads({ everyLoading: kind === 'pglite' });
    expect(await jobRow(job.id)).toEqual({ status: 'queued', rows: 0, entries: 0, attempts: 1 });
    expect(await audits('return.upload.resume', job.id)).toBe(1);
    await t.services.returns.runQueued();
    expect(await jobRow(job.id)).toEqual({ status: 'done', rows: 50, entries: 50, attempts: 2 });
    expect(existsSync(uploadPath)).toBe(false);
    expect(await entries()).toBe(50);
  });

  it('takes a large body over the API: 202 with the upload URL, its progress as JSON, one at a time', async () => {
    const token = (await t.services.auth.createApiToken('police.lead@demo.example', 'return jobs')).token;
    const api = (method: 'GET' | 'POST', url: string, payload?: string) =>
      t.app.inject({
        method,
        url,
        payload,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'text/csv' } : {}) },
      });
    const small = await api('POST', `/api/v1/reviews/${ref}/chronology`, csv(3));
    expect(small.statusCode).toBe(201);
    expect(small.json()).toEqual({ added: 3 });

    const queued = await api('POST', `/api/v1/reviews/${ref}/chronology`, csv(100));
    expect(queued.statusCode).toBe(202);
    const job = queued.json() as { id: string; url: string; state: string; file: string };
    expect(queued.headers.location).toBe(`/api/v1/reviews/${ref}/return/uploads/${job.id}`);
    expect(job).toMatchObject({ url: queued.headers.location, state: 'waiting', file: 'request body' });
    await t.services.returns.runQueued();
    const done = await api('GET', job.url);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ state: 'finished', added: 100, rowsChecked: 100, problems: [] });
    expect((await api('POST', `${job.url}/cancel`)).statusCode).toBe(409);
    expect(await entries()).toBe(103);

    const { job: waiting } = await waitingJob('waiting-api.csv', csv(100));
    const refused = await api('POST', `/api/v1/reviews/${ref}/chronology`, csv(100));
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as { error: { message: string } }).error.message).toMatch(
      /^waiting-api\.csv is waiting/,
    );
    const cancelled = await api('POST', `/api/v1/reviews/${ref}/return/uploads/${waiting.id}/cancel`);
    expect(cancelled.statusCode).toBe(202);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', added: 0 });
  });
});
