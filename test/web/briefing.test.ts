import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { readPdf } from '../briefing/read-pdf.ts';

const REF = 'LOS-2021-002';
const BRIEFING = `/reviews/${REF}/briefing`;
const SEED = new URL('../fixtures/briefings/line-of-sight-briefing-child-2.txt', import.meta.url);

async function rows<T>(t: TestApp, query: string): Promise<T[]> {
  const result = (await t.database.db.execute(sql.raw(query))) as unknown as { rows: T[] };
  return result.rows;
}

/** A multipart upload as a browser sends it, with the CSRF token in the query string. */
async function upload(t: TestApp, client: WebClient, fileName: string, body: Buffer) {
  const token = await client.csrfToken('/library/import');
  const boundary = '----los-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    body,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const cookie = (client as unknown as { cookieHeader(): string }).cookieHeader();
  return t.app.inject({
    method: 'POST',
    url: `/library/import?_csrf=${encodeURIComponent(token)}`,
    payload,
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

describe.each(DATABASE_KINDS)('the 7-minute briefing (%s)', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('is generated, caught with a planted name, fixed, approved, published, read and delivered', async () => {
    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    // A practitioner cannot generate it.
    const practitioner = new WebClient(t.app);
    await practitioner.signIn('practitioner@demo.example');
    const token = await practitioner.csrfToken('/library');
    expect((await practitioner.post(`${BRIEFING}/generate`, {}, token)).statusCode).toBe(403);

    // The demo published versions 1 and 2; a reissue starts version 3 as a draft.
    const reissued = page(
      await coordinator.follow(
        await coordinator.post(`${BRIEFING}/reissue`, { note: 'New audit evidence from health visiting' }),
      ),
    );
    expect(reissued.banner).toContain('new draft version');

    const generated = page(await coordinator.follow(await coordinator.post(`${BRIEFING}/generate`, {})));
    expect(generated.banner).toContain('Briefing generated');
    const sectionKeys = generated
      .$('.govuk-summary-list__key')
      .map((_, k) => generated.$(k).text().trim())
      .get();
    expect(sectionKeys[0]).toBe('1 Background and Concerns');
    expect(sectionKeys).toHaveLength(7);
    expect(generated.$('#sections').text()).toContain("Whether the child's lived experience was understood");

    // Plant the child's recorded name in the background.
    const edit = page(await coordinator.get(`${BRIEFING}/sections/1`));
    const text = String(edit.$('#text').val());
    await coordinator.post(`${BRIEFING}/sections/1`, {
      heading: 'Background and Concerns',
      text: `${text}\n\nTestchild Two Example was three.`,
    });
    const checked = page(await coordinator.follow(await coordinator.post(`${BRIEFING}/check`, {})));
    const panel = checked.$('#identifying-details').text();
    expect(panel).toContain('Section 1 (Background and Concerns), paragraph 2');
    expect(panel).toContain('Testchild Two Example');
    expect(panel).toContain('Person');
    expect(panel).toContain('the name of the child');
    // The findings say what happened: no green "Success" banner above them.
    expect(checked.$('.govuk-notification-banner').length).toBe(0);

    await coordinator.post(`${BRIEFING}/submit`, {});
    const refused = page(await coordinator.follow(await coordinator.post(`${BRIEFING}/approve`, {})));
    expect(refused.errorSummary.join(' ')).toContain('Section 1 (Background and Concerns), paragraph 2');
    const [state] = await rows<{ state: string }>(
      t,
      'select state from briefing_versions order by version desc limit 1',
    );
    expect(state!.state).toBe('in_review');

    // Fix it, check again, approve, publish.
    await coordinator.post(`${BRIEFING}/sections/1`, { heading: 'Background and Concerns', text });
    const clean = page(await coordinator.follow(await coordinator.post(`${BRIEFING}/check`, {})));
    expect(clean.banner).toContain('Briefing checked: no identifying details found');
    const approved = page(await coordinator.follow(await coordinator.post(`${BRIEFING}/approve`, {})));
    expect(approved.errorSummary).toEqual([]);
    expect(approved.banner).toContain('Briefing approved');
    const published = page(await coordinator.follow(await coordinator.post(`${BRIEFING}/publish`, {})));
    expect(published.banner).toContain('published');
    const audits = await rows<{ action: string }>(
      t,
      `select action from audit_events where review_reference = '${REF}' and action in ('review.identifiable.view','briefing.approve','briefing.publish') order by id`,
    );
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['review.identifiable.view', 'briefing.approve', 'briefing.publish']),
    );

    const pdf = await coordinator.get(`${BRIEFING}/download.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfText = (await readPdf(pdf.rawPayload)).pages.join(' ');
    expect(pdfText).toContain('Recording by the police whether the child was present');

    // The practitioner (not a member of the review) finds it in the library, reads and delivers it.
    const library = page(await practitioner.get('/library?q=police'));
    const link = library
      .$('a.govuk-link[href^="/library/"]')
      .filter((_, a) => library.$(a).text() === 'Child 2');
    expect(link.length).toBe(1);
    const href = link.attr('href')!;
    const reading = page(await practitioner.get(href));
    expect(reading.$('.app-briefing').text()).toContain('Key Lines of Enquiry');
    expect(reading.$('body').text()).not.toContain('Testchild');
    const afterRead = page(
      await practitioner.follow(
        await practitioner.post(`${href}/read`, {
          versionId: String(reading.$('input[name=versionId]').val()),
        }),
      ),
    );
    expect(afterRead.$('#read-status').text()).toContain('version 3');
    const bad = page(await practitioner.follow(await practitioner.post(`${href}/deliveries`, { team: '' })));
    expect(bad.errorSummary).toContain('Enter the name of the team');
    const delivered = page(
      await practitioner.follow(
        await practitioner.post(`${href}/deliveries`, {
          team: 'Health visiting team north',
          'deliveredOn-day': '1',
          'deliveredOn-month': '7',
          'deliveredOn-year': '2021',
          numberPresent: '9',
          keyThoughts: 'Developmental delay needs following up.',
          embedding: 'Audit of records in three months.',
          teamPlans: 'Added to the team plan.',
        }),
      ),
    );
    expect(delivered.banner).toContain('Team delivery recorded');

    // The coordinator sees reads and deliveries by agency.
    const dissemination = page(await coordinator.get(href))
      .$('#dissemination')
      .parent()
      .text();
    expect(dissemination).toContain('Health visiting');
    expect(dissemination).toContain('Health visiting team north');
  });

  it('imports the seed through the upload page, checks it and publishes it; a bad file saves nothing', async () => {
    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const before = (await rows<{ n: number }>(t, 'select count(*)::int as n from briefings'))[0]!.n;
    const bad = await upload(t, coordinator, 'old.docx', Buffer.from('not a zip'));
    expect(bad.statusCode).toBe(303);
    expect(page(await coordinator.follow(bad)).errorSummary[0]).toContain('not a Word document');

    const preview = page(await upload(t, coordinator, 'child-2.txt', await readFile(SEED)));
    expect(preview.h1).toBe('Check the imported briefing');
    expect(preview.$('#identifying-details').text()).toContain('No identifying details found');
    expect(preview.$('.app-briefing__section').length).toBe(7);
    const model = String(preview.$('input[name=model]').val());
    const token = String(preview.$('input[name=_csrf]').first().val());
    const saved = page(
      await coordinator.follow(
        await coordinator.post('/library/import/save', { model, action: 'publish' }, token),
      ),
    );
    expect(saved.banner).toContain('Briefing published to the library');
    expect(saved.$('.app-briefing li').length).toBe(5 + 2 + 5 + 5 + 5 + 7);
    expect((await rows<{ n: number }>(t, 'select count(*)::int as n from briefings'))[0]!.n).toBe(before + 1);
  });

  it('lets an administrator keep the resource library', async () => {
    const admin = new WebClient(t.app);
    await admin.signIn('admin@demo.example');
    const bad = page(
      await admin.follow(
        await admin.post('/admin/resources', {
          title: 'X',
          url: 'javascript:alert(1)',
          category: 'training',
        }),
      ),
    );
    expect(bad.errorSummary).toContain('Enter a web address starting with https://');
    const ok = page(
      await admin.follow(
        await admin.post('/admin/resources', {
          title: 'Neglect toolkit',
          url: 'https://northshire-scp.example/neglect',
          category: 'neglect_tools',
        }),
      ),
    );
    expect(ok.$('table').text()).toContain('Neglect toolkit');
    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const token = await coordinator.csrfToken('/library');
    expect(
      (
        await coordinator.post(
          '/admin/resources',
          { title: 'Y', url: 'https://x.example', category: 'training' },
          token,
        )
      ).statusCode,
    ).toBe(403);
  });
});
