import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { WebClient } from '../support/client.ts';

/** What a person typed, each value distinctive enough to find in a log. */
const typed = {
  'child-fullName': 'Testchild Loglinea Example',
  'child-dateOfBirth-day': '3',
  'child-dateOfBirth-month': '3',
  'child-dateOfBirth-year': '2019',
  'child-address': '14 Logtest Avenue, Sampletown',
  'child-postcode': 'ZZ99 7LG',
  'child-nhsNumber': '999 000 7777',
  whatHappened: 'Logprobe narrative: the child was seen at the Logprobe drop-in.',
};

describe.each(DATABASE_KINDS)('the service log (%s)', (kind) => {
  let t: TestApp;
  let log = '';
  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (log += chunk.toString()));
    t = await buildTestApp(kind, { logStream: stream });
  });
  afterAll(async () => t?.close());

  it('records a failed statement by its code and the request id, never the values sent', async () => {
    // PostgreSQL itself refuses the child's details: its message quotes the whole failing row.
    await t.database.db.execute(
      sql.raw('alter table review_subjects add constraint los_test_refuse check (false) not valid'),
    );
    try {
      const client = new WebClient(t.app);
      await client.signIn('police.lead@demo.example');
      log = '';
      const res = await client.post('/reviews/new', {
        referringAgency: 'police',
        referrerName: 'Pat Police-Lead (demo)',
        'referredOn-day': '2',
        'referredOn-month': '11',
        'referredOn-year': '2026',
        pseudonym: 'Child Log',
        agenciesInvolved: ['police'],
        whyLearning: 'Checks what the log keeps.',
        ...typed,
      });
      expect(res.statusCode).toBe(500);
      const requestId = /quote this reference: <strong>([0-9a-f-]{36})</i.exec(res.body)?.[1];
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const lines = log
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as { reqId?: string; err?: { type: string; code?: string; constraint?: string } },
        );
      const failure = lines.find((l) => l.err);
      expect(failure?.reqId).toBe(requestId);
      expect(failure?.err).toMatchObject({
        type: 'DatabaseError',
        code: '23514',
        constraint: 'los_test_refuse',
      });
      for (const value of [
        'Loglinea',
        '2019-03-03',
        'Logtest Avenue',
        'Sampletown',
        'ZZ99 7LG',
        '9990007777',
        '999 000 7777',
        'Logprobe',
        'Pat Police-Lead',
      ])
        expect(log, value).not.toContain(value);
    } finally {
      await t.database.db.execute(sql.raw('alter table review_subjects drop constraint los_test_refuse'));
    }
  });

  it('logs the path of a request but not its query string', async () => {
    const client = new WebClient(t.app);
    await client.signIn('coordinator@demo.example');
    log = '';
    const res = await client.get('/library?q=Testchild+Querylog+Example');
    expect(res.statusCode).toBe(200);
    expect(log).toContain('"path":"/library"');
    expect(log).not.toContain('Querylog');
  });
});
