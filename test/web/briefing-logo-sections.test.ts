import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { LOGO_JPEG, LOGO_PNG } from '../briefing/logos.ts';

const REF = 'LOS-2021-002';
const BRIEFING = `/reviews/${REF}/briefing`;
const PARTNERSHIP = 'Northshire Safeguarding Children Partnership';

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * The logo form as a browser sends it: multipart, the CSRF token in the action's query string, one
 * file input (an empty one still sends a part, with no file name).
 */
async function uploadLogo(
  t: TestApp,
  client: WebClient,
  file: { name: string; content: Buffer } | null,
  csrf?: string,
) {
  const token = csrf ?? (await client.csrfToken('/admin/logo'));
  const form = new FormData();
  form.append(
    'logo',
    new Blob([file?.content ?? Buffer.alloc(0)], { type: 'application/octet-stream' }),
    file?.name ?? '',
  );
  const encoded = new Response(form);
  const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader();
  return t.app.inject({
    method: 'POST',
    url: `/admin/logo?_csrf=${encodeURIComponent(token)}`,
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { cookie, 'content-type': encoded.headers.get('content-type')! },
  });
}

describe.each(DATABASE_KINDS)(
  'the partnership logo and custom sections in the web (%s)',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let admin: WebClient;
    let coordinator: WebClient;
    let practitioner: WebClient;

    beforeAll(async () => {
      t = await buildTestApp(kind);
      admin = new WebClient(t.app);
      coordinator = new WebClient(t.app);
      practitioner = new WebClient(t.app);
      await admin.signIn('admin@demo.example');
      await coordinator.signIn('coordinator@demo.example');
      await practitioner.signIn('practitioner@demo.example');
    });
    afterAll(async () => t?.close());

    const storedType = async () =>
      (await rows<{ type: string | null }>(t, sql`select logo_media_type as type from partnerships`))[0]!
        .type;

    it('lets the administrator upload, preview and remove the logo; bad files are refused and nothing saved', async () => {
      const empty = page(await admin.get('/admin/logo'));
      expect(empty.h1).toBe('Partnership logo');
      expect(empty.$('.moj-sub-navigation a[aria-current="page"]').text().trim()).toBe('Partnership logo');
      expect(empty.$('body').text()).toContain('The partnership has no logo');
      expect(empty.$('form[enctype="multipart/form-data"] input[type=file]#logo').length).toBe(1);

      // Without the form's token the upload is refused outright.
      expect((await uploadLogo(t, admin, { name: 'logo.png', content: LOGO_PNG }, 'forged')).statusCode).toBe(
        403,
      );
      expect(await storedType()).toBeNull();

      const refused: [{ name: string; content: Buffer } | null, string][] = [
        [null, 'Select a PNG or JPEG file'],
        [{ name: 'logo.png', content: Buffer.alloc(0) }, 'The selected file is empty'],
        [
          { name: 'logo.png', content: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00') },
          'The selected file must be a PNG or JPEG',
        ],
        [
          { name: 'logo.svg', content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') },
          'The selected file must be a PNG or JPEG',
        ],
        [
          { name: 'big.png', content: Buffer.concat([LOGO_PNG, Buffer.alloc(600 * 1024)]) },
          'The selected file must be smaller than 512 KB',
        ],
        [
          { name: 'cut.png', content: LOGO_PNG.subarray(0, 60) },
          'The selected file could not be read as a picture: save it again as a PNG or JPEG',
        ],
      ];
      for (const [file, message] of refused) {
        const res = await uploadLogo(t, admin, file);
        expect(res.statusCode, message).toBe(303);
        expect(res.headers.location).toBe('/admin/logo');
        const back = page(await admin.follow(res));
        expect(back.errorSummary, message).toEqual([message]);
        expect(back.$('.govuk-error-summary a').attr('href')).toBe('#logo');
        expect(back.$('#logo-error').text()).toContain(message);
        expect(back.$('title').text()).toMatch(/^Error: /);
      }
      expect(await storedType()).toBeNull();

      const saved = page(
        await admin.follow(await uploadLogo(t, admin, { name: 'northshire.png', content: LOGO_PNG })),
      );
      expect(saved.banner).toContain('Logo saved');
      const preview = saved.$('.app-logo-preview img');
      expect(preview.attr('alt')).toBe(`${PARTNERSHIP} logo`);
      expect(preview.attr('src')).toMatch(/^\/partnership\/logo\?v=\d+$/);
      expect(saved.$('body').text()).toContain(`PNG, ${LOGO_PNG.length} bytes`);
      expect(await storedType()).toBe('image/png');

      // Every signed-in person may fetch it; the page's policy lets it load from here.
      const image = await practitioner.get(preview.attr('src')!);
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.rawPayload.equals(LOGO_PNG)).toBe(true);
      expect(String(image.headers['content-security-policy'])).toContain("img-src 'self'");
      expect(image.headers['x-content-type-options']).toBe('nosniff');
      expect((await new WebClient(t.app).get('/partnership/logo')).headers.location).toBe('/sign-in');

      // Replaced by a JPEG; a bad file afterwards leaves the JPEG in place.
      await uploadLogo(t, admin, { name: 'northshire.jpg', content: LOGO_JPEG });
      await uploadLogo(t, admin, { name: 'bad.png', content: Buffer.from('not a picture') });
      expect(await storedType()).toBe('image/jpeg');
      expect((await practitioner.get('/partnership/logo')).rawPayload.equals(LOGO_JPEG)).toBe(true);

      // Only the administrator changes it.
      const token = await coordinator.csrfToken('/library');
      expect((await uploadLogo(t, coordinator, { name: 'x.png', content: LOGO_PNG }, token)).statusCode).toBe(
        403,
      );
      expect((await coordinator.post('/admin/logo/remove', {}, token)).statusCode).toBe(403);
      expect((await coordinator.get('/admin/logo')).statusCode).toBe(403);
      expect(await storedType()).toBe('image/jpeg');

      const audit = await rows<{ action: string; outcome: string }>(
        t,
        sql`select action, outcome from audit_events where action like 'partnership.logo.%' order by id`,
      );
      expect(audit.filter((a) => a.outcome === 'success').map((a) => a.action)).toEqual([
        'partnership.logo.set',
        'partnership.logo.set',
      ]);
    });

    it('shows the logo at the head of the library’s briefing page and the briefing preview', async () => {
      const [published] = await rows<{ id: string }>(
        t,
        sql`select briefing_id as id from briefing_versions where state = 'published' limit 1`,
      );
      const library = page(await practitioner.get(`/library/${published!.id}`));
      const img = library.$('img.app-briefing__logo');
      expect(img.attr('alt')).toBe(`${PARTNERSHIP} logo`);
      expect(img.attr('src')).toBe('/partnership/logo');
      const preview = page(await coordinator.get(`${BRIEFING}/preview`));
      expect(preview.$('img.app-briefing__logo').attr('alt')).toBe(`${PARTNERSHIP} logo`);

      const removed = page(await admin.follow(await admin.post('/admin/logo/remove', {})));
      expect(removed.banner).toContain('Logo removed');
      expect(removed.$('.app-logo-preview').length).toBe(0);
      expect(await storedType()).toBeNull();
      expect((await practitioner.get('/partnership/logo')).statusCode).toBe(404);
      expect(
        page(await practitioner.get(`/library/${published!.id}`)).$('img.app-briefing__logo').length,
      ).toBe(0);
      // Nothing left to remove: said plainly, nothing changes.
      expect(page(await admin.follow(await admin.post('/admin/logo/remove', {}))).errorSummary).toEqual([
        'The partnership has no logo to remove.',
      ]);
    });

    it('adds a custom section from the Briefing tab, moves it and removes it', async () => {
      // The demo published version 2; a reissue is a draft again.
      await coordinator.post(`${BRIEFING}/reissue`, { note: 'A message from the chair' });
      const tab = page(await coordinator.get(BRIEFING));
      const add = tab.$('a.govuk-button').filter((_, a) => tab.$(a).text().trim() === 'Add a section');
      expect(add.attr('href')).toBe(`${BRIEFING}/sections/new`);
      // The standard sections cannot be removed, so no row offers it yet.
      expect(tab.$('#sections button').filter((_, b) => tab.$(b).text().startsWith('Remove')).length).toBe(0);

      const form = page(await coordinator.get(`${BRIEFING}/sections/new`));
      expect(form.h1).toBe('Add a section');
      const options = form
        .$('#after option')
        .map((_, o) => form.$(o).attr('value'))
        .get();
      expect(options).toEqual(['0', '1', '2', '3', '4', '5', '6', 'end']);
      expect(form.$('#after option[selected]').attr('value')).toBe('end');

      const noHeading = page(
        await coordinator.follow(
          await coordinator.post(`${BRIEFING}/sections/new`, { heading: '', text: 'x' }),
        ),
      );
      expect(noHeading.errorSummary).toEqual(['Enter the heading of the section']);
      expect(String(noHeading.$('#text').val()).trim()).toBe('x');
      const noText = page(
        await coordinator.follow(
          await coordinator.post(`${BRIEFING}/sections/new`, { heading: 'Message from the chair', text: '' }),
        ),
      );
      expect(noText.errorSummary).toEqual(['Enter the text of the section, or at least one point']);
      expect(noText.$('#heading').val()).toBe('Message from the chair');

      const res = await coordinator.post(`${BRIEFING}/sections/new`, {
        heading: 'Message from the chair',
        text: 'Thank you to everyone who took part.',
        items: 'Share it with your team',
        after: '1',
      });
      expect(res.headers.location).toBe(`${BRIEFING}#section-2`);
      const added = page(await coordinator.follow(res));
      expect(added.banner).toContain('Section 2 “Message from the chair” added');
      const keys = added
        .$('.govuk-summary-list__key')
        .map((_, k) => added.$(k).text().trim())
        .get();
      expect(keys).toHaveLength(8);
      expect(keys[1]).toBe('2 Message from the chair');
      const row = added.$('#section-2');
      expect(row.text()).toContain('Share it with your team');
      expect(
        row
          .find('button')
          .map((_, b) => added.$(b).text().trim())
          .get(),
      ).toEqual([
        'Move up Message from the chair',
        'Move down Message from the chair',
        'Remove Message from the chair',
      ]);

      const moved = page(
        await coordinator.follow(
          await coordinator.post(`${BRIEFING}/sections/2/move`, { direction: 'down' }),
        ),
      );
      expect(moved.banner).toContain('“Message from the chair” is now section 3');
      expect(moved.$('#section-3 .govuk-summary-list__key').text().trim()).toBe('3 Message from the chair');

      const standard = page(
        await coordinator.follow(await coordinator.post(`${BRIEFING}/sections/1/remove`, {})),
      );
      expect(standard.errorSummary[0]).toContain('is one of the standard sections');

      const removed = page(
        await coordinator.follow(await coordinator.post(`${BRIEFING}/sections/3/remove`, {})),
      );
      expect(removed.banner).toContain('“Message from the chair” removed');
      expect(removed.$('.govuk-summary-list__key').length).toBe(7);

      // A forged form changes nothing; the chair (who approves, not writes) is refused.
      expect(
        (await coordinator.post(`${BRIEFING}/sections/new`, { heading: 'X', text: 'x' }, 'forged'))
          .statusCode,
      ).toBe(403);
      const chair = new WebClient(t.app);
      await chair.signIn('chair@demo.example');
      expect(
        (
          await chair.post(
            `${BRIEFING}/sections/new`,
            { heading: 'X', text: 'x' },
            await chair.csrfToken(BRIEFING),
          )
        ).statusCode,
      ).toBe(403);
      const chairTab = page(await chair.get(BRIEFING));
      expect(chairTab.$('#sections').length).toBe(1);
      expect(chairTab.$('body').text()).not.toContain('Add a section');
      expect(chairTab.$('#sections button').length).toBe(0);
      const audit = await rows<{ action: string }>(
        t,
        sql`select action from audit_events where action like 'briefing.section.%' and outcome = 'success' order by id`,
      );
      expect(audit.map((a) => a.action)).toEqual([
        'briefing.section.add',
        'briefing.section.move',
        'briefing.section.remove',
      ]);
    });
  },
);
