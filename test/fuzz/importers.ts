import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';
import type { Services } from '../../src/services/index.ts';
import { actorOf, reviewInInformationGathering, uploadFile } from '../chronology/setup.ts';
import { page, WebClient } from '../support/client.ts';
import type { TestApp } from '../support/app.ts';
import {
  agencyCsv,
  agencyXlsx,
  briefingDocx,
  briefingText,
  bytesOf,
  logo,
  monitoringCsv,
  type FileCase,
  type FileKind,
} from './inputs.ts';

/** The application under test: the real app and its database. */
export interface Harness {
  app: FastifyInstance;
  database: DatabaseHandle;
  services: Services;
}

/** What the importer answered to one file. */
interface Answer {
  status: number;
  accepted: boolean;
  /** The message a refused file is shown with. */
  message: string;
}

/** One way in for files: how a person (or script) sends one, and what a refusal must leave alone. */
export interface Target {
  name: string;
  /** The file's name as sent; a refusal names it, unless `namesFile` is false (the logo's field). */
  fileName: string;
  namesFile: boolean;
  file: FileKind<unknown>;
  send(bytes: Buffer): Promise<Answer>;
  /** What a refused file must not change. */
  state(): Promise<unknown>;
  /** After an accepted file: back to where every case starts. */
  reset?(): Promise<void>;
}

export interface FuzzReport {
  target: string;
  cases: number;
  accepted: number;
  refused: number;
  ms: number;
}

const rows = async <R>(h: Harness, query: ReturnType<typeof sql>) =>
  ((await h.database.db.execute(query)) as unknown as { rows: R[] }).rows;

/** Reads the refusal a web form shows after its redirect: the error summary, or the success banner. */
async function formAnswer(
  client: WebClient,
  res: LightMyRequestResponse,
  acceptedAt: (location: string) => boolean,
) {
  if (res.statusCode !== 303)
    return { status: res.statusCode, accepted: false, message: res.body.slice(0, 200) };
  const location = String(res.headers.location);
  const shown = page(await client.get(location));
  const accepted = acceptedAt(location) && shown.errorSummary.length === 0;
  return { status: 303, accepted, message: accepted ? shown.banner : shown.errorSummary.join(' ') };
}

/** Waits for a monitoring load to end (it runs as a job, off the request). */
async function loadEnded(h: Harness, id: string): Promise<{ status: string; error: string | null }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [load] = await rows<{ status: string; error: string | null }>(
      h,
      sql`select status, error from monitoring_imports where id = ${id}`,
    );
    if (load && load.status !== 'queued' && load.status !== 'loading') return load;
    if (Date.now() > deadline) throw new Error(`the monitoring load ${id} did not end within a minute`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Every importer, reached the way people reach it: the API for a chronology CSV and a briefing
 * (text, Markdown, Word), the web forms for a chronology workbook, the monitoring dataset and the
 * partnership's logo.
 */
export async function importerTargets(h: Harness): Promise<Target[]> {
  const t = h as unknown as TestApp;
  const ref = await reviewInInformationGathering(t);
  const coordinator = await actorOf(t, 'coordinator@demo.example');
  await h.services.requests.send(coordinator, ref, { agencies: ['police'], workingDays: 15 });
  const [request] = await rows<{ id: string }>(
    h,
    sql`select q.id from agency_requests q join reviews r on r.id = q.review_id join agencies a on a.id = q.agency_id
        where r.reference = ${ref} and a.code = 'police'`,
  );
  const token = async (email: string) => (await h.services.auth.createApiToken(email, 'fuzz')).token;
  const policeToken = await token('police.lead@demo.example');
  const coordinatorToken = await token('coordinator@demo.example');
  const signedIn = async (email: string) => {
    const client = new WebClient(h.app);
    const res = await client.signIn(email);
    if (res.statusCode !== 303) throw new Error(`${email} could not sign in (${res.statusCode})`);
    return client;
  };
  const police = await signedIn('police.lead@demo.example');
  const policeCsrf = await police.csrfToken(`/reviews/${ref}/return/upload`);
  const frontDoor = await signedIn('coordinator@demo.example');
  const frontDoorCsrf = await frontDoor.csrfToken('/front-door/imports');
  const admin = await signedIn('admin@demo.example');
  const adminCsrf = await admin.csrfToken('/admin/logo');

  const returnState = async () =>
    (
      await rows(
        h,
        sql`select (select count(*)::int from chronology_entries where request_id = ${request!.id}) as entries,
                   (select count(*)::int from audit_events where action = 'return.upload') as uploads`,
      )
    )[0];
  const emptyReturn = async () => {
    await h.database.db.execute(sql`delete from chronology_entries where request_id = ${request!.id}`);
  };
  const apiAnswer = async (res: LightMyRequestResponse, accepted: number): Promise<Answer> => {
    if (res.statusCode === accepted) return { status: res.statusCode, accepted: true, message: '' };
    let message = '';
    try {
      message = (res.json() as { error?: { message?: string } }).error?.message ?? '';
    } catch {
      message = '';
    }
    return { status: res.statusCode, accepted: false, message };
  };

  const briefing = (name: string, type: string, file: FileKind<unknown>): Target => ({
    name: `briefing (${name})`,
    fileName: `fuzz-briefing.${name}`,
    namesFile: true,
    file,
    send: async (bytes) =>
      apiAnswer(
        await h.app.inject({
          method: 'POST',
          url: `/api/v1/library/import?fileName=fuzz-briefing.${name}`,
          payload: bytes,
          headers: { authorization: `Bearer ${coordinatorToken}`, 'content-type': type },
        }),
        201,
      ),
    state: async () =>
      (
        await rows(
          h,
          sql`select (select count(*)::int from briefings) as briefings, (select count(*)::int from briefing_versions) as versions`,
        )
      )[0],
  });

  return [
    {
      name: 'chronology CSV (API)',
      fileName: 'request body',
      namesFile: true,
      file: agencyCsv as FileKind<unknown>,
      send: async (bytes) =>
        apiAnswer(
          await h.app.inject({
            method: 'POST',
            url: `/api/v1/reviews/${ref}/chronology`,
            payload: bytes,
            headers: { authorization: `Bearer ${policeToken}`, 'content-type': 'text/csv' },
          }),
          201,
        ),
      state: returnState,
      reset: emptyReturn,
    },
    {
      name: 'chronology XLSX (upload form)',
      fileName: 'fuzz-chronology.xlsx',
      namesFile: true,
      file: agencyXlsx as FileKind<unknown>,
      send: async (bytes) =>
        formAnswer(
          police,
          await uploadFile(
            t,
            police,
            `/reviews/${ref}/return/upload`,
            {
              name: 'fuzz-chronology.xlsx',
              content: bytes,
              type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            },
            policeCsrf,
          ),
          (location) => location === `/reviews/${ref}/return`,
        ),
      state: returnState,
      reset: emptyReturn,
    },
    {
      name: 'monitoring CSV (front door form)',
      fileName: 'fuzz-population.csv',
      namesFile: true,
      file: monitoringCsv as FileKind<unknown>,
      // The form keeps the file and queues its load: the file is taken or refused when the load
      // has run (off the request), so the answer is the load's end, waited for here.
      send: async (bytes) => {
        const res = await uploadFile(
          t,
          frontDoor,
          '/front-door/imports',
          { name: 'fuzz-population.csv', content: bytes },
          frontDoorCsrf,
        );
        const load = /^\/front-door\/imports\/([0-9a-f-]{36})$/.exec(String(res.headers.location ?? ''));
        if (res.statusCode !== 303 || !load) return formAnswer(frontDoor, res, () => false);
        const ended = await loadEnded(h, load[1]!);
        const shown = page(await frontDoor.get(load[0]));
        if (ended.status === 'current') return { status: 303, accepted: true, message: shown.banner };
        return { status: 303, accepted: false, message: ended.error ?? '' };
      },
      // The dataset in use, and nothing staged beside it.
      state: async () =>
        (
          await rows(
            h,
            sql`select (select id from monitoring_imports where status = 'current') as current,
                       (select count(*)::int from monitored_children) as children,
                       (select count(*)::int from monitoring_entries) as entries,
                       (select count(*)::int from monitoring_signals) as signals`,
          )
        )[0],
    },
    briefing('txt', 'text/plain', briefingText as FileKind<unknown>),
    briefing('md', 'text/markdown', briefingText as FileKind<unknown>),
    briefing(
      'docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      briefingDocx as FileKind<unknown>,
    ),
    {
      name: 'logo (administration form)',
      fileName: 'fuzz-logo.png',
      // The logo's errors are the field's, as GOV.UK words them ("The selected file must be…").
      namesFile: false,
      file: logo as FileKind<unknown>,
      send: async (bytes) =>
        formAnswer(
          admin,
          await uploadFile(
            t,
            admin,
            '/admin/logo',
            { name: 'fuzz-logo.png', content: bytes, type: 'image/png' },
            adminCsrf,
          ),
          () => true,
        ),
      state: async () =>
        (await rows(h, sql`select md5(logo) as logo from partnerships order by id`)).map((r) => r),
    },
  ];
}

/**
 * Feeds a target `runs` generated files. Each must be taken (2xx, or the form's way on) or refused
 * with a 4xx and a message naming the file, leaving everything as it was; a 5xx, an exception, a
 * case unanswered after a minute or anything written by a refused file fails, with the case that did it (shrunk by fast-check).
 */
export async function fuzzTarget(target: Target, runs: number, seed?: number): Promise<FuzzReport> {
  let accepted = 0;
  let refused = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(target.file.cases as fc.Arbitrary<FileCase<unknown>>, async (input) => {
      const bytes = await bytesOf(target.file, input);
      const before = await target.state();
      const answer = await target.send(bytes);
      if (answer.status >= 500)
        throw new Error(`${target.name}: answered ${answer.status}: ${answer.message}`);
      if (answer.accepted) {
        accepted += 1;
        await target.reset?.();
        return;
      }
      refused += 1;
      if (answer.status < 300 && answer.status !== 0)
        throw new Error(`${target.name}: a refusal answered ${answer.status}`);
      if (!answer.message.trim())
        throw new Error(`${target.name}: refused with no message (${answer.status})`);
      if (target.namesFile && !answer.message.includes(target.fileName))
        throw new Error(`${target.name}: the refusal does not name the file: ${answer.message}`);
      const after = await target.state();
      if (JSON.stringify(after) !== JSON.stringify(before))
        throw new Error(
          `${target.name}: a refused file changed what is stored: ${JSON.stringify(before)} became ${JSON.stringify(after)}`,
        );
    }),
    // A case still unanswered after a minute is a hang, and fails like a crash.
    { numRuns: runs, timeout: 60_000, ...(seed === undefined ? {} : { seed }), endOnFailure: false },
  );
  return { target: target.name, cases: accepted + refused, accepted, refused, ms: Date.now() - started };
}
