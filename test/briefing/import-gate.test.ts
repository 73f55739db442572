import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libraryRepository } from '../../src/db/repositories/library-repository.ts';
import { ConflictError } from '../../src/services/errors.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, signedInClients, WebClient } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf } from '../chronology/setup.ts';
import { IDENTIFYING_DETAILS, identifyingBriefing, SEED_FILE } from './identifying-briefing.ts';

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** A multipart upload as a browser sends it, with the CSRF token in the query string. */
async function upload(t: TestApp, client: WebClient, fileName: string, body: Buffer) {
  const token = await client.csrfToken('/library/import');
  const boundary = '----los-import-gate';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n`,
    ),
    body,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/library/import?_csrf=${encodeURIComponent(token)}`,
    payload,
    headers: { cookie: client.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

const count = async (t: TestApp, what: 'briefings' | 'published') =>
  (
    await rows<{ n: number }>(
      t,
      what === 'briefings'
        ? sql`select count(*)::int as n from briefings where source = 'imported'`
        : sql`select count(*)::int as n from briefing_versions v join briefings b on b.id = v.briefing_id
              where b.source = 'imported' and v.state = 'published'`,
    )
  )[0]!.n;

describe.each(DATABASE_KINDS)('the library import gate (%s)', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  const as = signedInClients(() => t.app);
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('shows every finding on the preview before anything is saved, and publishes nothing with findings open', async () => {
    const coordinator = await as('coordinator@demo.example');
    const before = await count(t, 'briefings');
    // The demo's library already holds briefings imported from neighbouring partnerships.
    const publishedBefore = await count(t, 'published');
    const preview = page(
      await upload(t, coordinator, 'child-2-named.txt', Buffer.from(identifyingBriefing())),
    );
    expect(preview.h1).toBe('Check the imported briefing');
    const panel = preview.$('#identifying-details').text().replace(/\s+/g, ' ');
    expect(panel).toContain(`${IDENTIFYING_DETAILS.length} identifying details found`);
    for (const detail of IDENTIFYING_DETAILS) {
      expect(panel).toContain(`"${detail.text}"`);
      expect(panel).toContain(detail.label);
    }
    expect(panel).toContain('Section 1 (Background and Concerns), paragraph 1');
    expect(panel).toContain('Section 3 (Key Lines of Enquiry), point 2');
    expect(panel).toContain('Name the type of setting, not the setting itself');
    expect(panel).toContain('Use a role instead');
    // No "Publish" button: only "Save as a draft". Nothing is saved by the preview.
    expect(preview.$('button[value=publish]').length).toBe(0);
    expect(preview.$('button[value=draft]').text()).toContain('Save as a draft');
    expect(await count(t, 'briefings')).toBe(before);

    // Publishing this content anyway (a hand-made form) is refused, and nothing is saved.
    const model = String(preview.$('input[name=model]').val());
    const token = String(preview.$('input[name=_csrf]').first().val());
    const forced = page(
      await coordinator.follow(
        await coordinator.post('/library/import/save', { model, action: 'publish' }, token),
      ),
    );
    expect(forced.errorSummary.join(' ')).toContain('The briefing was not published');
    expect(await count(t, 'briefings')).toBe(before);

    // Saved as a draft: on the coordinator's import page, not in the library.
    const saved = await coordinator.post('/library/import/save', { model, action: 'draft' }, token);
    expect(saved.statusCode).toBe(303);
    const draftPath = String(saved.headers.location);
    expect(draftPath).toMatch(/^\/library\/import\/drafts\/[0-9a-f-]{36}$/);
    const id = draftPath.split('/').pop()!;
    const draft = page(await coordinator.follow(saved));
    expect(draft.banner).toContain('saved as a draft');
    expect(draft.$('#identifying-details').text()).toContain(
      `${IDENTIFYING_DETAILS.length} identifying details to accept`,
    );
    expect(
      page(await coordinator.get('/library/import'))
        .$('#import-drafts')
        .text(),
    ).toContain('Child 2');
    const practitioner = await as('practitioner@demo.example');
    expect((await practitioner.get(`/library/${id}`)).statusCode).toBe(404);
    expect((await practitioner.get(draftPath)).statusCode).toBe(403);
    expect(await count(t, 'published')).toBe(publishedBefore);

    // Publishing with findings open is refused; each accepted with a reason (audited); then it is published.
    const refused = page(await coordinator.follow(await coordinator.post(`${draftPath}/publish`, {})));
    expect(refused.errorSummary[0]).toContain(
      `${IDENTIFYING_DETAILS.length} identifying details must be fixed or accepted with a reason`,
    );
    expect(await count(t, 'published')).toBe(publishedBefore);
    const empty = page(
      await coordinator.follow(
        await coordinator.post(`${draftPath}/accept`, {
          finding: String(draft.$('input[name=finding]').first().val()),
          reason: ' ',
        }),
      ),
    );
    expect(empty.errorSummary).toEqual(['Enter why this detail can stay in the briefing']);
    const ids = draft
      .$('input[name=finding]')
      .map((_, el) => String(draft.$(el).val()))
      .get();
    expect(ids).toHaveLength(IDENTIFYING_DETAILS.length);
    for (const finding of ids)
      expect(
        (
          await coordinator.post(`${draftPath}/accept`, {
            finding,
            reason: 'Invented details in a training copy of the briefing',
          })
        ).statusCode,
      ).toBe(303);
    const accepted = await rows<{ reason: string; email: string }>(
      t,
      sql`select detail->>'reason' as reason, (select email from users where users.id = audit_events.user_id) as email from audit_events
        where action = 'library.briefing.finding.accept' and subject_id in
          (select id::text from briefing_versions where briefing_id = ${id})`,
    );
    expect(accepted).toHaveLength(IDENTIFYING_DETAILS.length);
    expect(accepted[0]).toEqual({
      reason: 'Invented details in a training copy of the briefing',
      email: 'coordinator@demo.example',
    });
    const published = page(await coordinator.follow(await coordinator.post(`${draftPath}/publish`, {})));
    expect(published.banner).toContain('Briefing published to the library');
    expect((await practitioner.get(`/library/${id}`)).statusCode).toBe(200);
    expect(await count(t, 'published')).toBe(publishedBefore + 1);
  });

  it('lets a corrected file be published at once, and a draft be deleted', async () => {
    const coordinator = await as('coordinator@demo.example');
    const preview = page(
      await upload(t, coordinator, 'child-2-named.txt', Buffer.from(identifyingBriefing())),
    );
    const model = String(preview.$('input[name=model]').val());
    const saved = await coordinator.post('/library/import/save', { model, action: 'draft' });
    const draftPath = String(saved.headers.location);
    const deleted = page(await coordinator.follow(await coordinator.post(`${draftPath}/discard`, {})));
    expect(deleted.banner).toContain('deleted');
    expect((await coordinator.get(draftPath)).statusCode).toBe(404);

    const corrected = page(await upload(t, coordinator, 'child-2.txt', await readFile(SEED_FILE)));
    expect(corrected.$('#identifying-details').text()).toContain('No identifying details found');
    const publish = await coordinator.post('/library/import/save', {
      model: String(corrected.$('input[name=model]').val()),
      action: 'publish',
    });
    expect(String(publish.headers.location)).toMatch(/^\/library\/[0-9a-f-]{36}$/);
  });

  it('refuses in the data layer to publish a draft whose check is not clean, whoever calls it', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const saved = await t.services.library.saveImport(
      coordinator,
      (await t.services.library.previewImport(coordinator, Buffer.from(identifyingBriefing()), 'x.txt'))
        .briefing,
      'draft',
    );
    expect(saved.state).toBe('draft');
    const [version] = await rows<{ id: string }>(
      t,
      sql`select id from briefing_versions where briefing_id = ${saved.id}`,
    );
    // The repository itself, not only the service or a route, refuses.
    await expect(
      t.database.db.transaction((tx) =>
        libraryRepository(tx, coordinator).publishImported(version!.id, 'text', new Date()),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    // And the database: a change of content clears the check, and nothing unchecked is published.
    await t.database.db.execute(
      sql`update briefing_versions set content = jsonb_set(content, '{title}', '"Changed"') where id = ${version!.id}`,
    );
    const [after] = await rows<{ checked: boolean; findings: unknown }>(
      t,
      sql`select checked_at is not null as checked, findings from briefing_versions where id = ${version!.id}`,
    );
    expect(after).toEqual({ checked: false, findings: null });
    await expect(
      t.database.db.execute(
        sql`update briefing_versions set state = 'published', published_at = now() where id = ${version!.id}`,
      ),
    ).rejects.toThrow();
    const [state] = await rows<{ state: string }>(
      t,
      sql`select state from briefing_versions where id = ${version!.id}`,
    );
    expect(state!.state).toBe('draft');
  });

  describe('over the API', () => {
    const tokens: Record<string, string> = {};
    const api = (who: string, method: 'GET' | 'POST', url: string, body?: string | object, type?: string) =>
      t.app.inject({
        method,
        url,
        ...(body === undefined ? {} : { payload: body }),
        headers: {
          authorization: `Bearer ${tokens[who]}`,
          ...(type ? { 'content-type': type } : {}),
        },
      });
    beforeAll(async () => {
      for (const who of ['coordinator', 'practitioner'])
        tokens[who] = (await t.services.auth.createApiToken(`${who}@demo.example`, 'import gate')).token;
    });

    it('imports a file as a checked draft, answers with its sections and findings, and publishes only once each is accepted', async () => {
      const imported = await api(
        'coordinator',
        'POST',
        '/api/v1/library/import?fileName=child-2.txt&publish=true',
        identifyingBriefing(),
        'text/plain',
      );
      expect(imported.statusCode).toBe(201);
      const body = imported.json();
      expect(body.state).toBe('draft');
      expect(body.briefing.title).toBe('Child 2');
      expect(body.briefing.sections.linesOfEnquiry).toHaveLength(5);
      expect(body.findings.total).toBe(IDENTIFYING_DETAILS.length);
      expect(body.findings.items.map((f: { text: string; kind: string }) => [f.text, f.kind]).sort()).toEqual(
        IDENTIFYING_DETAILS.map((d) => [d.text, d.kind]).sort(),
      );
      expect(body.findings.items[0]).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        section: 1,
        item: 1,
        accepted: false,
        advice: expect.any(String),
      });

      // The library does not have it; publishing is refused while findings are open.
      const library = (await api('practitioner', 'GET', '/api/v1/library?q=Child')).json();
      expect(library.items.map((i: { id: string }) => i.id)).not.toContain(body.id);
      const refused = await api('coordinator', 'POST', `/api/v1/library/drafts/${body.id}/publish`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.details.reasons).toHaveLength(IDENTIFYING_DETAILS.length + 1);
      expect(
        (await api('practitioner', 'POST', `/api/v1/library/drafts/${body.id}/publish`)).statusCode,
      ).toBe(403);

      for (const f of body.findings.items as { id: string }[]) {
        const accepted = await api(
          'coordinator',
          'POST',
          `/api/v1/library/drafts/${body.id}/findings/${f.id}/accept`,
          { reason: 'Invented details in a training copy' },
        );
        expect(accepted.statusCode).toBe(200);
        expect(accepted.json()).toMatchObject({ id: f.id, accepted: true });
      }
      const published = await api('coordinator', 'POST', `/api/v1/library/drafts/${body.id}/publish`);
      expect(published.statusCode).toBe(200);
      expect(published.json()).toEqual({ id: body.id, state: 'published' });
      const found = (await api('practitioner', 'GET', '/api/v1/library?q=Child')).json();
      expect(found.items.map((i: { id: string }) => i.id)).toContain(body.id);
    });

    it('publishes a clean file at once with publish=true, refuses others and names a bad file', async () => {
      const clean = await api(
        'coordinator',
        'POST',
        '/api/v1/library/import?publish=true',
        await readFile(SEED_FILE, 'utf8'),
        'text/plain',
      );
      expect(clean.statusCode).toBe(201);
      expect(clean.json()).toMatchObject({ state: 'published', findings: { items: [], total: 0 } });
      const kept = await api(
        'coordinator',
        'POST',
        '/api/v1/library/import',
        await readFile(SEED_FILE, 'utf8'),
        'text/markdown',
      );
      expect(kept.json().state).toBe('draft');

      const outsider = await api('practitioner', 'POST', '/api/v1/library/import', 'x', 'text/plain');
      expect(outsider.statusCode).toBe(403);
      const empty = await api('coordinator', 'POST', '/api/v1/library/import', ' ', 'text/plain');
      expect(empty.statusCode).toBe(400);
      expect(empty.json().error.message).toContain('briefing.txt');
      const json = await api('coordinator', 'POST', '/api/v1/library/import', { title: 'x' });
      expect(json.statusCode).toBe(400);
      expect(json.json().error.details.fields.file).toContain('text/plain');
    });
  });
});
