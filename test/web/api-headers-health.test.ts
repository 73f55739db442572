import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

const REMOTE = '203.0.113.9';

describe.each(DATABASE_KINDS)('API headers and the health check (%s)', (kind) => {
  let t: TestApp;
  let admin: string;
  let coordinator: string;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    admin = (await t.services.auth.createApiToken('admin@demo.example', 'health')).token;
    coordinator = (await t.services.auth.createApiToken('coordinator@demo.example', 'health')).token;
  });
  afterAll(async () => t?.close());

  it('gives every API answer headers that allow nothing to run, frame or sniff it', async () => {
    const answers = [
      await t.app.inject({ url: '/api/v1/reviews', headers: { authorization: `Bearer ${coordinator}` } }),
      await t.app.inject({ url: '/api/v1/reviews' }),
      await t.app.inject({
        url: '/api/v1/no-such-thing',
        headers: { authorization: `Bearer ${coordinator}` },
      }),
      await t.app.inject({ url: '/api/openapi.json' }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 401, 404, 200]);
    for (const a of answers) {
      expect(a.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(a.headers['referrer-policy']).toBe('no-referrer');
      expect(a.headers['cache-control']).toBe('no-store');
    }
  });

  it('tells the network only that the service is up', async () => {
    const res = await t.app.inject({ url: '/health', remoteAddress: REMOTE });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'UP' });
    const forwarded = await t.app.inject({ url: '/health', headers: { 'x-forwarded-for': REMOTE } });
    expect(forwarded.json()).toEqual({ status: 'UP' });
    const notAdmin = await t.app.inject({
      url: '/health',
      remoteAddress: REMOTE,
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(notAdmin.json()).toEqual({ status: 'UP' });
  });

  it('gives the details to a readiness check on this machine or to an administrator', async () => {
    const local = await t.app.inject({ url: '/health', remoteAddress: '127.0.0.1' });
    expect(local.json()).toMatchObject({
      status: 'UP',
      components: { database: { status: 'UP', kind, ms: expect.any(Number) } },
    });
    const withToken = await t.app.inject({
      url: '/health',
      remoteAddress: REMOTE,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(withToken.json()).toMatchObject({ components: { database: { status: 'UP', kind } } });
  });
});
