import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import fc from 'fast-check';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { furtherInformationText, type Briefing } from '../../src/domain/briefing/model.ts';
import { parseBriefing } from '../../src/domain/briefing/parse.ts';
import { renderBriefingDocx } from '../../src/files/briefing-docx.ts';
import { importBriefingBuffer } from '../../src/files/briefing-import.ts';
import { renderBriefingPdf } from '../../src/files/briefing-pdf.ts';
import { briefingArb } from './briefing-arbitrary.ts';
import { CHILD_2_FILE } from './child-2.ts';
import { readPdf } from './read-pdf.ts';

const seed = parseBriefing(readFileSync(CHILD_2_FILE, 'utf8'), {
  fileName: 'line-of-sight-briefing-child-2.txt',
}).briefing;
const PARTNERSHIP = 'Northshire Safeguarding Children Partnership';
// A 4×2 blue PNG, enough to be a logo.
const LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEElEQVR4nGOQLdgBRwzIHAB/SgopQfPxegAAAABJRU5ErkJggg==',
  'base64',
);

/** Every piece of text the briefing holds, in reading order, as the files should show it. */
function modelTexts(briefing: Briefing): string[] {
  return briefing.sections.flatMap((s, i) => {
    const lists =
      s.kind === 'practiceEpisodes'
        ? [...s.items, ...s.goodPractice, ...s.areasForImprovement]
        : s.kind === 'furtherInformation'
          ? s.items.map(furtherInformationText)
          : s.items;
    return [`${i + 1} ${s.heading}`, ...s.paragraphs, ...lists];
  });
}

// Line wrapping may break at a hyphen or a space: compare without white space.
const squeeze = (text: string) => text.replace(/\s+/g, '');

/** Asserts the texts appear in this order within the whole. */
function expectInOrder(whole: string, texts: string[]): void {
  let from = 0;
  for (const text of texts) {
    const at = squeeze(whole).indexOf(squeeze(text), from);
    expect(at, `"${text}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at + squeeze(text).length;
  }
}

describe('renderBriefingPdf', () => {
  it('holds the briefing’s text, in order, with title, language and tags', async () => {
    const pdf = await readPdf(
      await renderBriefingPdf(seed, {
        partnershipName: PARTNERSHIP,
        versionLabel: 'Version 1, published 4 June 2025',
      }),
    );
    expectInOrder(pdf.pages.join(' '), [seed.title, ...modelTexts(seed)]);
    expect(pdf.title).toBe('Child 2 – 7-minute briefing');
    expect(pdf.language).toBe('en-GB');
    expect(pdf.marked).toBe(true);
    for (const role of ['Document', 'H1', 'Sect', 'H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody']) {
      expect(pdf.roles).toContain(role);
    }
    expect(pdf.roles.filter((r) => r === 'H2')).toHaveLength(7);
    expect(pdf.roles.filter((r) => r === 'LI')).toHaveLength(29);
    expect(pdf.outline).toEqual(['Child 2', ...seed.sections.map((s, i) => `${i + 1} ${s.heading}`)]);
  });

  it('heads every page with the partnership and numbers the pages', async () => {
    const long: Briefing = {
      title: 'Long briefing',
      sections: [
        {
          kind: 'learning',
          heading: 'Learning',
          paragraphs: [],
          items: Array.from(
            { length: 90 },
            (_, i) => `Learning point number ${i + 1} about seeing the child`,
          ),
        },
      ],
    };
    const pdf = await readPdf(
      await renderBriefingPdf(long, { partnershipName: PARTNERSHIP, versionLabel: 'Version 3', logo: LOGO }),
    );
    expect(pdf.pages.length).toBeGreaterThan(1);
    pdf.pages.forEach((page, i) => {
      expect(page).toContain(PARTNERSHIP);
      expect(page).toContain(`Version 3 | Page ${i + 1} of ${pdf.pages.length}`);
    });
    expectInOrder(pdf.pages.join(' '), modelTexts(long));
  });

  it('shows characters the standard fonts lack as their nearest letter, or "?"', async () => {
    const briefing: Briefing = {
      title: 'Łukasz’s café – “review”',
      sections: [{ kind: 'learning', heading: 'Learning', paragraphs: ['Ā tick ✓ and 😀.'], items: [] }],
    };
    const pdf = await readPdf(await renderBriefingPdf(briefing, { partnershipName: PARTNERSHIP }));
    expect(pdf.pages[0]).toContain('Lukasz’s café – “review”');
    expect(pdf.pages[0]).toContain('A tick v and ?.');
  });

  it('refuses a logo that is not a picture', async () => {
    await expect(
      renderBriefingPdf(seed, { partnershipName: PARTNERSHIP, logo: Buffer.from('GIF89a') }),
    ).rejects.toThrow('The logo must be a PNG or JPEG image.');
  });
});

describe('renderBriefingDocx', () => {
  it('uses real heading styles and bullet lists, read back by mammoth', async () => {
    const docx = await renderBriefingDocx(seed, { partnershipName: PARTNERSHIP });
    const { value: html } = await mammoth.convertToHtml({ buffer: docx });
    const $ = cheerio.load(html);
    expect($('h1').text()).toBe('Child 2');
    expect(
      $('h2')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(seed.sections.map((s, i) => `${i + 1} ${s.heading}`));
    expect(
      $('h3')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['Expected good practice', 'Areas for improvement']);
    expect($('ul > li').length).toBe(29);
    const { value: text } = await mammoth.extractRawText({ buffer: docx });
    expectInOrder(text, [seed.title, ...modelTexts(seed)]);
  });

  it('declares British English, names the partnership in the header, and carries the logo', async () => {
    const docx = await renderBriefingDocx(seed, {
      partnershipName: PARTNERSHIP,
      versionLabel: 'Version 2',
      logo: LOGO,
    });
    const zip = await JSZip.loadAsync(docx);
    const read = async (path: string) => (await zip.file(path)?.async('string')) ?? '';
    expect(await read('word/styles.xml')).toMatch(/<w:lang w:val="en-GB"/);
    const headers = await Promise.all(zip.file(/word\/header\d*\.xml/).map((f) => f.async('string')));
    expect(headers.join('')).toContain(PARTNERSHIP);
    const footers = await Promise.all(zip.file(/word\/footer\d*\.xml/).map((f) => f.async('string')));
    expect(footers.join('')).toContain('Version 2');
    expect(zip.file(/^word\/media\//).length).toBe(1);
    expect(await read('docProps/core.xml')).toContain('Child 2 – 7-minute briefing');
  });

  it('links further information', async () => {
    const briefing: Briefing = {
      title: 'Links',
      sections: [
        {
          kind: 'furtherInformation',
          heading: 'Further information',
          paragraphs: [],
          items: [
            { title: 'Threshold of Need', url: 'https://example.org/threshold' },
            { title: 'Odd', url: 'javascript:alert(1)' },
          ],
        },
      ],
    };
    const { value: html } = await mammoth.convertToHtml({
      buffer: await renderBriefingDocx(briefing, { partnershipName: PARTNERSHIP }),
    });
    const $ = cheerio.load(html);
    expect($('a').attr('href')).toBe('https://example.org/threshold');
    expect($('a').length).toBe(1);
    expect($('li').eq(1).text()).toBe('Odd (javascript:alert(1))');
  });

  it('imports back to the same briefing: the seed', async () => {
    const docx = await renderBriefingDocx(seed, { partnershipName: PARTNERSHIP });
    expect((await importBriefingBuffer(docx, 'child-2.docx')).briefing).toEqual(seed);
  });

  it('imports back to the same briefing: generated briefings', async () => {
    // Word has no way to escape text, so two things read back as what they look like: a paragraph
    // typed as "• text" (a bullet) and a further-information title ending in a web address (a link).
    const typedBullet = /^[•–—·▪◦●○■□➢➤►✓✔→]/u;
    const endsWithAddress = /(?:https?:\/\/|www\.)\S+$/;
    const notTypedBullets = briefingArb.filter((b) =>
      b.sections.every(
        (s) =>
          s.paragraphs.every((p) => !typedBullet.test(p)) &&
          (s.kind !== 'furtherInformation' ||
            s.items.every((i) => i.url !== undefined || !endsWithAddress.test(i.title))),
      ),
    );
    await fc.assert(
      fc.asyncProperty(notTypedBullets, async (briefing) => {
        const docx = await renderBriefingDocx(briefing, { partnershipName: PARTNERSHIP });
        expect((await importBriefingBuffer(docx, 'b.docx')).briefing).toEqual(briefing);
      }),
      { numRuns: 40 },
    );
  });
});
