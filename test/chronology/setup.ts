import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import type { TestApp } from '../support/app.ts';
import type { WebClient } from '../support/client.ts';

export async function actorOf(t: TestApp, email: string): Promise<Actor> {
  const user = await systemRepository(t.database.db).userByEmail(email);
  if (!user) throw new Error(`No demo user ${email}`);
  return actorFor(user, 'test');
}

/**
 * The demo's "Infant 8" review (in terms of reference) moved on to information gathering with
 * police and health visiting in scope and two key lines of enquiry.
 */
export async function reviewInInformationGathering(t: TestApp): Promise<string> {
  const coordinator = await actorOf(t, 'coordinator@demo.example');
  const result = (await t.database.db.execute(
    sql`select reference from reviews where pseudonym = 'Infant 8'`,
  )) as unknown as { rows: { reference: string }[] };
  const ref = result.rows[0]!.reference;
  await t.services.reviews.setTermsOfReference(coordinator, ref, {
    periodFrom: '2018-03-01',
    periodTo: '2021-01-15',
    agenciesInScope: ['police', 'health-visiting', 'gp'],
  });
  await t.services.reviews.addLineOfEnquiry(coordinator, ref, { question: 'Was the child seen and heard?' });
  await t.services.reviews.addLineOfEnquiry(coordinator, ref, {
    question: 'Did agencies share information?',
  });
  await t.services.reviews.moveStage(coordinator, ref, { to: 'information_gathering' });
  return ref;
}

/** Posts one file as multipart/form-data, the CSRF token in the query string as the form does. */
export async function uploadFile(
  t: TestApp,
  client: WebClient,
  url: string,
  file: { name: string; content: string | Buffer; type?: string },
  csrf: string | null,
): Promise<LightMyRequestResponse> {
  const boundary = '----lineofsighttest';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n`,
    ),
    Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader();
  const res = await t.app.inject({
    method: 'POST',
    url: csrf === null ? url : `${url}?_csrf=${encodeURIComponent(csrf)}`,
    payload: body,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  return res;
}
