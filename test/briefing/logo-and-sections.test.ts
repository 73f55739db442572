import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/index.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import { createServices } from '../../src/services/index.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/services/errors.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf } from '../chronology/setup.ts';
import { commandLineDatabase } from './command-line-database.ts';
import { LOGO_JPEG, LOGO_PNG } from './logos.ts';
import { serviceConnections } from '../../src/db/client.ts';

const REF = 'LOS-2021-002';

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The error a promise is refused with (it must be refused). */
async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected a refusal');
}

const hasImage = (pdf: Buffer) => pdf.toString('latin1').includes('/Subtype /Image');
const docxMedia = async (docx: Buffer) => (await JSZip.loadAsync(docx)).file(/^word\/media\//);

describe.each(DATABASE_KINDS)('the partnership logo (%s)', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let admin: Actor;
  let coordinator: Actor;
  let practitioner: Actor;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    [admin, coordinator, practitioner] = [
      await actorOf(t, 'admin@demo.example'),
      await actorOf(t, 'coordinator@demo.example'),
      await actorOf(t, 'practitioner@demo.example'),
    ];
  });
  afterAll(async () => t?.close());

  const stored = async () =>
    (
      await rows<{ logo: Buffer | Uint8Array | null; type: string | null }>(
        t,
        sql`select logo, logo_media_type as type from partnerships`,
      )
    ).map((r) => ({ logo: r.logo ? Buffer.from(r.logo) : null, type: r.type }));
  const audits = (action: string) =>
    rows<{ outcome: string; detail: Record<string, unknown> | null; user_email: string }>(
      t,
      sql`select outcome, detail, (select email from users where users.id = audit_events.user_id) as user_email from audit_events where action = ${action} order by id`,
    );

  it('is set, replaced and removed by the administrator, each change audited with it', async () => {
    const admins = t.services.admin;
    expect(await admins.logoInfo(admin)).toBeNull();
    expect(await admins.logo(practitioner)).toBeNull();

    await admins.setLogo(admin, { fileName: 'northshire.png', bytes: LOGO_PNG });
    expect(await admins.logoInfo(admin)).toMatchObject({ mediaType: 'image/png', bytes: LOGO_PNG.length });
    // Everyone in the partnership sees it: it heads the briefings they read.
    const seen = await admins.logo(practitioner);
    expect(seen?.mediaType).toBe('image/png');
    expect(seen?.content.equals(LOGO_PNG)).toBe(true);

    await admins.setLogo(admin, { fileName: 'northshire.jpg', bytes: LOGO_JPEG });
    expect(await stored()).toEqual([{ logo: LOGO_JPEG, type: 'image/jpeg' }]);

    await admins.removeLogo(admin);
    expect(await stored()).toEqual([{ logo: null, type: null }]);
    expect(await refusal(admins.removeLogo(admin))).toBeInstanceOf(ConflictError);

    const set = await audits('partnership.logo.set');
    expect(set.map((a) => [a.outcome, a.detail?.mediaType, a.detail?.replaced])).toEqual([
      ['success', 'image/png', false],
      ['success', 'image/jpeg', true],
    ]);
    expect(set[0]!.detail).toMatchObject({ fileName: 'northshire.png', width: 60, height: 24 });
    expect((await audits('partnership.logo.remove')).map((a) => a.outcome)).toEqual(['success']);
  });

  it('refuses a bad file or anyone but the administrator, and saves nothing', async () => {
    const admins = t.services.admin;
    await admins.setLogo(admin, { fileName: 'northshire.png', bytes: LOGO_PNG });
    const before = await stored();
    const auditedBefore = (await audits('partnership.logo.set')).length;
    const bad: [string, { fileName: string; bytes: Buffer } | null, string][] = [
      ['nothing chosen', null, 'Select a PNG or JPEG file'],
      ['empty', { fileName: 'empty.png', bytes: Buffer.alloc(0) }, 'The selected file is empty'],
      [
        'a GIF',
        { fileName: 'logo.png', bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00') },
        'The selected file must be a PNG or JPEG',
      ],
      [
        'too big',
        { fileName: 'big.png', bytes: Buffer.concat([LOGO_PNG, Buffer.alloc(600 * 1024)]) },
        'The selected file must be smaller than 512 KB',
      ],
      [
        'cut short',
        { fileName: 'cut.jpg', bytes: LOGO_JPEG.subarray(0, 300) },
        'The selected file could not be read as a picture: save it again as a PNG or JPEG',
      ],
    ];
    for (const [what, upload, message] of bad) {
      const error = await refusal(admins.setLogo(admin, upload));
      expect(error, what).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fieldErrors, what).toEqual({ logo: message });
    }
    for (const who of [coordinator, practitioner]) {
      expect(await refusal(admins.setLogo(who, { fileName: 'x.jpg', bytes: LOGO_JPEG }))).toBeInstanceOf(
        ForbiddenError,
      );
      expect(await refusal(admins.removeLogo(who))).toBeInstanceOf(ForbiddenError);
    }
    expect(await stored()).toEqual(before);
    const set = await audits('partnership.logo.set');
    expect(set.filter((a) => a.outcome === 'success')).toHaveLength(auditedBefore);
    // The refusals of people who may not change it are on record.
    expect(set.filter((a) => a.outcome === 'denied').map((a) => a.user_email)).toEqual([
      'coordinator@demo.example',
      'practitioner@demo.example',
    ]);
    // The database holds a logo only with one of the two types.
    await expect(
      t.database.db.execute(sql`update partnerships set logo_media_type = 'image/gif'`),
    ).rejects.toThrow();
    await expect(
      t.database.db.execute(sql`update partnerships set logo_media_type = null`),
    ).rejects.toThrow();
    await admins.removeLogo(admin);
  });

  it('heads the PDF and Word downloads of a review’s briefing and of the library once set', async () => {
    const b = t.services.briefings;
    const library = t.services.library;
    const briefingId = (await b.view(coordinator, REF)).published!.briefingId;
    expect(hasImage((await b.export(coordinator, REF, 'pdf')).file!.body)).toBe(false);
    expect(await docxMedia((await library.file(practitioner, briefingId, 'docx')).file.body)).toHaveLength(0);

    await t.services.admin.setLogo(admin, { fileName: 'northshire.jpg', bytes: LOGO_JPEG });
    expect(hasImage((await b.export(coordinator, REF, 'pdf')).file!.body)).toBe(true);
    const media = await docxMedia((await b.export(coordinator, REF, 'docx')).file!.body);
    expect(media).toHaveLength(1);
    expect(Buffer.from(await media[0]!.async('uint8array')).equals(LOGO_JPEG)).toBe(true);
    expect(hasImage((await library.file(practitioner, briefingId, 'pdf')).file.body)).toBe(true);
    expect(await docxMedia((await library.file(practitioner, briefingId, 'docx')).file.body)).toHaveLength(1);
    expect((await b.view(coordinator, REF)).hasLogo).toBe(true);
    expect((await library.briefing(practitioner, briefingId)).hasLogo).toBe(true);
    await t.services.admin.removeLogo(admin);
    expect((await library.briefing(practitioner, briefingId)).hasLogo).toBe(false);
  });
});

describe.each(DATABASE_KINDS)('custom sections of a briefing (%s)', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let coordinator: Actor;
  let chair: Actor;
  let board: Actor;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    [coordinator, chair, board] = [
      await actorOf(t, 'coordinator@demo.example'),
      await actorOf(t, 'chair@demo.example'),
      await actorOf(t, 'board@demo.example'),
    ];
    // The demo published version 2: a reissue is the draft these tests change.
    await t.services.briefings.reissue(coordinator, REF, { note: 'Custom sections' });
  });
  afterAll(async () => t?.close());

  const current = async () => (await t.services.briefings.view(coordinator, REF)).current!;
  const headings = async () => (await current()).content.sections.map((s) => s.heading);

  it('adds a custom section as a section edit does: the check is cleared and the change audited', async () => {
    const b = t.services.briefings;
    await b.check(coordinator, REF);
    expect((await current()).checkedAt).not.toBeNull();
    const seven = await headings();
    expect(seven).toHaveLength(7);

    const added = await b.addSection(coordinator, REF, {
      heading: 'Message from the chair',
      text: 'Thank you to every practitioner who took part.',
      items: 'Read the briefing with your team\nTell us what changed',
      after: 'end',
    });
    expect(added).toEqual({ index: 7, heading: 'Message from the chair' });
    const after = await current();
    expect(after.checkedAt).toBeNull();
    expect(after.version).toBe(3);
    expect(after.content.sections[7]).toEqual({
      kind: 'custom',
      heading: 'Message from the chair',
      paragraphs: ['Thank you to every practitioner who took part.'],
      items: ['Read the briefing with your team', 'Tell us what changed'],
    });

    // After section 2, so it becomes section 3.
    expect(
      await b.addSection(coordinator, REF, {
        heading: 'How the review was done',
        text: 'A learning event.',
        after: '2',
      }),
    ).toEqual({ index: 2, heading: 'How the review was done' });
    expect((await headings()).slice(1, 4)).toEqual([seven[1], 'How the review was done', seven[2]]);

    const audit = await rows<{ detail: Record<string, unknown> }>(
      t,
      sql`select detail from audit_events where action = 'briefing.section.add' and review_reference = ${REF} order by id`,
    );
    expect(audit.map((a) => a.detail)).toEqual([
      { version: 3, section: 8, heading: 'Message from the chair' },
      { version: 3, section: 3, heading: 'How the review was done' },
    ]);
  });

  it('refuses an empty section or a missing heading, and anyone but the coordinator; nothing changes', async () => {
    const b = t.services.briefings;
    const before = (await current()).content;
    const empty = await refusal(b.addSection(coordinator, REF, { heading: 'Nothing', text: ' ', items: '' }));
    expect((empty as ValidationError).fieldErrors).toEqual({
      text: 'Enter the text of the section, or at least one point',
    });
    const unnamed = await refusal(b.addSection(coordinator, REF, { heading: '', text: 'x' }));
    expect((unnamed as ValidationError).fieldErrors).toEqual({ heading: 'Enter the heading of the section' });
    const nowhere = await refusal(b.addSection(coordinator, REF, { heading: 'x', text: 'x', after: '99' }));
    expect((nowhere as ValidationError).fieldErrors).toEqual({ after: 'Choose where the section goes' });
    for (const who of [chair, board]) {
      expect(await refusal(b.addSection(who, REF, { heading: 'x', text: 'x' }))).toBeInstanceOf(
        ForbiddenError,
      );
      expect(await refusal(b.removeSection(who, REF, 2))).toBeInstanceOf(ForbiddenError);
      expect(await refusal(b.moveSection(who, REF, 2, { direction: 'up' }))).toBeInstanceOf(ForbiddenError);
    }
    expect((await current()).content).toEqual(before);
  });

  it('moves sections and removes only custom ones, audited', async () => {
    const b = t.services.briefings;
    const before = await headings();
    expect(await b.moveSection(coordinator, REF, 2, { direction: 'up' })).toEqual({
      index: 1,
      heading: 'How the review was done',
    });
    expect((await headings()).slice(0, 3)).toEqual([before[0], 'How the review was done', before[1]]);
    expect(await refusal(b.moveSection(coordinator, REF, 0, { direction: 'up' }))).toBeInstanceOf(
      ConflictError,
    );
    expect(await refusal(b.moveSection(coordinator, REF, 1, { direction: 'sideways' }))).toBeInstanceOf(
      ValidationError,
    );

    const standard = await refusal(b.removeSection(coordinator, REF, 0));
    expect(standard).toBeInstanceOf(ConflictError);
    expect(standard.message).toContain('is one of the standard sections');
    expect(await b.removeSection(coordinator, REF, 1)).toEqual({
      index: 1,
      heading: 'How the review was done',
    });
    const last = (await headings()).length - 1;
    expect(await b.removeSection(coordinator, REF, last)).toEqual({
      index: last,
      heading: 'Message from the chair',
    });
    expect(await headings()).toHaveLength(7);
    const audit = await rows<{ action: string }>(
      t,
      sql`select action from audit_events where action in ('briefing.section.move', 'briefing.section.remove') order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'briefing.section.move',
      'briefing.section.remove',
      'briefing.section.remove',
    ]);
  });

  it('cannot change an approved briefing: it is reissued instead', async () => {
    const b = t.services.briefings;
    // The demo's background names the nursery, which the check flags: take it out first.
    const background = (await current()).content.sections[0]!;
    await b.updateSection(coordinator, REF, 0, {
      heading: background.heading,
      text: background.paragraphs.filter((p) => !p.includes('Nursery')).join('\n\n'),
    });
    await b.addSection(coordinator, REF, { heading: 'Added while a draft', text: 'Kept.' });
    await b.check(coordinator, REF);
    await b.submit(coordinator, REF);
    await b.approve(chair, REF);
    const refused = await refusal(b.addSection(coordinator, REF, { heading: 'Too late', text: 'x' }));
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toContain('reissue it as a new version');
    expect(await refusal(b.removeSection(coordinator, REF, 7))).toBeInstanceOf(ConflictError);
    await b.publish(coordinator, REF);
    const md = (await b.export(coordinator, REF, 'md')).file!.body.toString('utf8');
    expect(md).toContain('Added while a draft');
    expect(md).toContain('Kept.');
  });
});

describe.each(DATABASE_KINDS)(
  'briefing export on the command line with a logo (%s)',
  { timeout: 120_000 },
  (kind) => {
    it('writes the partnership’s logo into the PDF and Word files', async () => {
      const target = await commandLineDatabase(kind);
      const out = await mkdtemp(join(tmpdir(), 'los-briefing-export-'));
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = target.url;
      try {
        const db = await target.open();
        try {
          const services = createServices({ ...serviceConnections(db), now: () => new Date() });
          const row = (await systemRepository(db.db).userByEmail('admin@demo.example'))!;
          await services.admin.setLogo(actorFor(row, 'test'), { fileName: 'logo.png', bytes: LOGO_PNG });
        } finally {
          await db.close();
        }
        const exportAs = async (format: 'pdf' | 'docx') => {
          const file = join(out, `briefing.${format}`);
          await buildProgram().parseAsync([
            'node',
            'line-of-sight',
            ...target.args,
            'briefing',
            'export',
            REF,
            '--format',
            format,
            '--out',
            file,
            '--user',
            'coordinator@demo.example',
          ]);
          return readFile(file);
        };
        expect(hasImage(await exportAs('pdf'))).toBe(true);
        expect(await docxMedia(await exportAs('docx'))).toHaveLength(1);
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = saved;
        await rm(out, { recursive: true, force: true });
        await target.drop();
      }
    });
  },
);
