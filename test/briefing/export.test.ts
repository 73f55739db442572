import * as cheerio from 'cheerio';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { newBriefing } from '../../src/domain/briefing/model.ts';
import { BRIEFING_FORMATS, isBriefingFormat, renderBriefingFile } from '../../src/files/briefing-export.ts';
import { LOGO_JPEG, LOGO_PNG } from './logos.ts';

describe('renderBriefingFile', () => {
  const briefing = newBriefing('Child 6');
  const options = { partnershipName: 'Northshire Safeguarding Children Partnership' };

  it.each([
    ['md', 'text/markdown; charset=utf-8', '# Child 6'],
    ['html', 'text/html; charset=utf-8', '<!DOCTYPE html>'],
    ['pdf', 'application/pdf', '%PDF-1.7'],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'PK'],
  ] as const)('writes %s', async (format, contentType, start) => {
    const file = await renderBriefingFile(briefing, format, options);
    expect(file.contentType).toBe(contentType);
    expect(file.extension).toBe(`.${format}`);
    expect(file.body.subarray(0, start.length).toString('latin1')).toBe(start);
  });

  it('knows its formats', () => {
    expect(BRIEFING_FORMATS.filter(isBriefingFormat)).toEqual(['md', 'html', 'pdf', 'docx']);
    expect(isBriefingFormat('rtf')).toBe(false);
  });
});

describe('renderBriefingFile with the partnership’s logo', () => {
  const briefing = newBriefing('Child 6');
  const name = 'Northshire Safeguarding Children Partnership';

  it.each([
    ['PNG', LOGO_PNG, 'image/png', /\/Filter \/FlateDecode/],
    ['JPEG', LOGO_JPEG, 'image/jpeg', /\/Filter \/DCTDecode/],
  ] as const)(
    'puts a %s logo in the PDF, the Word file and the web page, not in Markdown',
    async (_, logo, mediaType, filter) => {
      const options = { partnershipName: name, logo };
      const pdf = (await renderBriefingFile(briefing, 'pdf', options)).body.toString('latin1');
      // An image XObject of the logo's own size.
      const image = /<<[^>]*\/Subtype \/Image[^>]*>>/.exec(pdf)?.[0] ?? '';
      expect(image).toContain('/Type /XObject');
      expect(image).toContain('/Width 60');
      expect(image).toContain('/Height 24');
      expect(image).toMatch(filter);
      const withoutLogo = (await renderBriefingFile(briefing, 'pdf', { partnershipName: name })).body;
      expect(withoutLogo.toString('latin1')).not.toContain('/Subtype /Image');

      const zip = await JSZip.loadAsync((await renderBriefingFile(briefing, 'docx', options)).body);
      const media = zip.file(/^word\/media\//);
      expect(media).toHaveLength(1);
      expect(Buffer.from(await media[0]!.async('uint8array')).equals(logo)).toBe(true);
      const header = (
        await Promise.all(zip.file(/^word\/header\d*\.xml$/).map((f) => f.async('string')))
      ).join('');
      expect(header).toContain(`descr="${name} logo"`);

      const $ = cheerio.load((await renderBriefingFile(briefing, 'html', options)).body.toString('utf8'));
      const img = $('header img');
      expect(img.attr('alt')).toBe(`${name} logo`);
      expect(img.attr('src')).toBe(`data:${mediaType};base64,${logo.toString('base64')}`);

      const md = (await renderBriefingFile(briefing, 'md', options)).body.toString('utf8');
      expect(md).not.toMatch(/!\[|data:image/);
    },
  );
});
