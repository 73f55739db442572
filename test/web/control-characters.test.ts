import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';

/**
 * A NUL byte (which PostgreSQL cannot store) or another control character in any text field, on
 * any route of the web and the API, is refused at the edge with a 400 naming the field — never a
 * 500. The routes and, for the API, their fields come from the application itself.
 */
const CONTROL = ['\u0000', '\u001b', '\u0007'];
/** Fields the web's forms use, in their shapes: plain, dated, nested, repeated, searched. */
const WEB_FIELDS = ['whatHappened', 'child-fullName', 'household-0-fullName', 'note', 'reason', 'q'];

interface Route {
  method: string;
  url: string;
  bodyFields: string[];
}

const fill = (url: string, ref: string) =>
  url
    .replace(':ref', ref)
    .replace(':id', randomUUID())
    .replace(':userId', randomUUID())
    .replace(':index', '1')
    .replace(':key', 'x')
    .replace(':format', 'pdf');

describe.each(DATABASE_KINDS)('control characters in text, on every route (%s)', (kind) => {
  let t: TestApp;
  let routes: Route[];
  let token: string;
  const web = () => routes.filter((r) => !r.url.startsWith('/api/'));
  const api = () => routes.filter((r) => r.url.startsWith('/api/'));
  let client: WebClient;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    routes = t.routes.flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method])
        .filter((method) => method !== 'HEAD' && !r.url.includes('*'))
        .map((method) => {
          const body = (r.schema as { body?: z.ZodObject } | undefined)?.body;
          return { method, url: r.url, bodyFields: body && 'shape' in body ? Object.keys(body.shape) : [] };
        }),
    );
    client = new WebClient(t.app);
    await client.signIn('coordinator@demo.example');
    token = (await t.services.auth.createApiToken('coordinator@demo.example', 'control characters')).token;
  });
  afterAll(async () => t?.close());

  it('found the routes and the API fields to send to', () => {
    expect(web().filter((r) => r.method === 'POST').length).toBeGreaterThanOrEqual(60);
    expect(api().filter((r) => r.bodyFields.length > 0).length).toBeGreaterThanOrEqual(15);
  });

  it('refuses them in every web form field, query and path, naming the field', async () => {
    for (const route of web()) {
      const where = `${route.method} ${route.url}`;
      if (route.method === 'POST' || route.method === 'PUT') {
        for (const [i, field] of WEB_FIELDS.entries()) {
          const res = await client.post(
            fill(route.url, 'LOS-2021-002'),
            { [field]: `Testchild ${CONTROL[i % CONTROL.length]} Example`, other: 'plain text' },
            'not-checked-first',
          );
          expect(res.statusCode, `${where} ${field}`).toBe(400);
          const words = field
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .replace(/[-_.]+/g, ' ')
            .toLowerCase();
          expect(page(res).$('main').text(), `${where} ${field}`).toContain(
            `The ${words} field contains a character`,
          );
        }
      }
      const query = await client.get(`${fill(route.url, 'LOS-2021-002')}?q=Testchild%00Example`);
      if (route.method === 'GET') expect(query.statusCode, `${where} ?q`).toBe(400);
      if (route.url.includes(':ref') && route.method === 'GET') {
        const path = await client.get(fill(route.url, 'LOS-2021%00-002'));
        expect(path.statusCode, `${where} :ref`).toBe(400);
      }
    }
  });

  it('refuses them in every API body field, query and path with a 400 naming the field', async () => {
    for (const route of api()) {
      const where = `${route.method} ${route.url}`;
      for (const [i, field] of route.bodyFields.entries()) {
        const res = await t.app.inject({
          method: route.method as 'POST',
          url: fill(route.url, 'LOS-2021-002'),
          headers: { authorization: `Bearer ${token}` },
          payload: { [field]: `Testchild ${CONTROL[i % CONTROL.length]} Example` },
        });
        expect(res.statusCode, `${where} ${field}`).toBe(400);
        const body = res.json() as { error: { code: string; details: { fields: Record<string, string> } } };
        expect(body.error.code).toBe('invalid');
        expect(Object.keys(body.error.details.fields)).toEqual([field]);
      }
      if (route.method === 'GET') {
        const res = await t.app.inject({
          method: 'GET',
          url: `${fill(route.url, 'LOS-2021-002')}?q=Testchild%00Example`,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.statusCode, `${where} ?q`).toBe(400);
        expect(
          Object.keys((res.json() as { error: { details: { fields: object } } }).error.details.fields),
        ).toEqual(['q']);
      }
    }
  });

  it('keeps tabs and line breaks, which are text', async () => {
    const search = await client.get('/library?q=neglect%09and%0Ahome');
    expect(search.statusCode).toBe(200);
  });
});
