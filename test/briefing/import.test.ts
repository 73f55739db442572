import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBriefingJson } from '../../src/domain/briefing/model.ts';
import {
  BriefingImportError,
  importBriefingBuffer,
  importBriefingFile,
  MAX_DOCX_RATIO,
  MAX_DOCX_TEXT_BYTES,
  MAX_TEXT_BYTES,
} from '../../src/files/briefing-import.ts';
import { CHILD_2, CHILD_2_FILE } from './child-2.ts';
import { declaringSize, zerosZip } from './zip-bomb.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The reason a refused import gives, or a failure if it was not refused. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BriefingImportError);
    return (error as Error).message;
  }
  throw new Error('the import was not refused');
}

describe('importBriefingFile', () => {
  it('imports the published Child 2 briefing to its content', async () => {
    const { briefing, warnings } = await importBriefingFile(CHILD_2_FILE.pathname);
    const json = toBriefingJson(briefing, warnings);
    expect(json.title).toBe('Child 2');
    expect(json.sections.linesOfEnquiry).toEqual(CHILD_2.linesOfEnquiry);
    expect(json.sections.practiceEpisodes.areasForImprovement).toEqual(CHILD_2.areasForImprovement);
    expect(json.sections.furtherInformation).toEqual(CHILD_2.furtherInformation);
    expect(warnings).toEqual([]);
  });

  it('names a missing file', async () => {
    expect(await refusal(importBriefingFile(join(dir, 'nowhere.txt')))).toBe(
      `Cannot import ${join(dir, 'nowhere.txt')}: there is no such file.`,
    );
  });

  it('refuses a text file over 5 MB without reading it', async () => {
    const path = join(dir, 'huge.txt');
    await writeFile(path, Buffer.alloc(MAX_TEXT_BYTES + 1, 'a'));
    expect(await refusal(importBriefingFile(path))).toMatch(/huge\.txt: it is larger than 5 MB/);
  });
});

describe('importBriefingBuffer: text and Markdown', () => {
  it('reads Markdown as Markdown and text as text', async () => {
    const md = await importBriefingBuffer(
      Buffer.from('# Child 8\n\n## Learning\n- Be **curious**\n'),
      'c.md',
    );
    expect(md.briefing.title).toBe('Child 8');
    expect(md.briefing.sections[0]).toMatchObject({ kind: 'learning', items: ['Be curious'] });
    const txt = await importBriefingBuffer(Buffer.from('Learning\n- Be **curious**\n'), 'c.txt');
    expect(txt.briefing.sections[0]).toMatchObject({ items: ['Be **curious**'] });
  });

  it('accepts a byte-order mark', async () => {
    const { briefing } = await importBriefingBuffer(Buffer.from('\uFEFFLearning\n- Be curious\n'), 'c.txt');
    expect(briefing.sections[0]).toMatchObject({ kind: 'learning', items: ['Be curious'] });
  });

  it.each([
    ['empty.txt', Buffer.alloc(0), 'Cannot import empty.txt: it is empty.'],
    ['blank.md', Buffer.from(' \r\n\t\n'), 'Cannot import blank.md: it has no text in it.'],
    [
      'binary.txt',
      Buffer.from([0x4c, 0x65, 0x00, 0x01, 0x02, 0xff, 0x00]),
      'Cannot import binary.txt: it is not',
    ],
    [
      'nul.txt',
      Buffer.from('Learning\u0000\n- x'),
      'Cannot import nul.txt: it is not text (it looks like a binary file).',
    ],
    [
      'latin1.txt',
      Buffer.from('Learning\n- caf\xe9\n', 'latin1'),
      'Cannot import latin1.txt: it is not UTF-8 text. Save it as UTF-8 and try again.',
    ],
    [
      'utf16.txt',
      Buffer.from('\uFEFFLearning', 'utf16le'),
      'Cannot import utf16.txt: it is saved as UTF-16 text. Save it as UTF-8 and try again.',
    ],
    ['report.txt', Buffer.from('%PDF-1.7\n...'), 'Cannot import report.txt: it is a PDF, not text.'],
    ['big.md', Buffer.alloc(MAX_TEXT_BYTES + 1, 'a'), 'Cannot import big.md: it is larger than 5 MB'],
  ])('refuses %s with a plain reason', async (name, bytes, message) => {
    expect(await refusal(importBriefingBuffer(bytes, name))).toContain(message);
  });

  it.each(['briefing.pdf', 'setup.exe', 'briefing.doc', 'briefing', 'notes.rtf'])(
    'refuses %s: not a briefing format',
    async (name) => {
      expect(await refusal(importBriefingBuffer(Buffer.from('Learning'), name))).toBe(
        `Cannot import ${name}: a briefing must be a text (.txt), Markdown (.md) or Word (.docx) file.`,
      );
    },
  );
});

describe('importBriefingBuffer: Word documents', () => {
  const bullet = (text: string) => new Paragraph({ text, bullet: { level: 0 } });
  const heading = (
    text: string,
    level: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_1,
  ) => new Paragraph({ text, heading: level });

  /** A briefing as a partnership writes it in Word: its own order, headings, bullets, bold and links. */
  async function wordBriefing(): Promise<Buffer> {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun({ text: 'Child 2 – 7 Minute Briefing', bold: true })] }),
            heading('5. Learning'),
            ...CHILD_2.learning.map(bullet),
            heading('4. Key Practice Episodes'),
            heading('Expected good practice', HeadingLevel.HEADING_2),
            ...CHILD_2.goodPractice.map(bullet),
            heading('Areas for improvement', HeadingLevel.HEADING_2),
            ...CHILD_2.areasForImprovement.map(bullet),
            heading('1. Background and Concerns'),
            new Paragraph(CHILD_2.background),
            heading('2. Purpose of the Review?'),
            new Paragraph(CHILD_2.purpose),
            heading('3. Key Lines of Enquiry'),
            ...CHILD_2.linesOfEnquiry.map(bullet),
            heading('6. Progress/Impact'),
            ...CHILD_2.progressImpact.map(bullet),
            heading('7. Further information'),
            new Paragraph({
              bullet: { level: 0 },
              children: [
                new ExternalHyperlink({
                  link: 'https://example.org/threshold-of-need',
                  children: [new TextRun('Threshold of Need')],
                }),
              ],
            }),
            ...CHILD_2.furtherInformation.slice(1).map(bullet),
          ],
        },
      ],
    });
    return Packer.toBuffer(doc);
  }

  it('imports headings, lists and links, in the document’s own order', async () => {
    const { briefing, warnings } = await importBriefingBuffer(await wordBriefing(), 'child-2.docx');
    expect(warnings).toEqual([]);
    expect(briefing.title).toBe('Child 2 – 7 Minute Briefing');
    expect(briefing.sections.map((s) => s.kind)).toEqual([
      'learning',
      'practiceEpisodes',
      'background',
      'purpose',
      'linesOfEnquiry',
      'progressImpact',
      'furtherInformation',
    ]);
    const json = toBriefingJson(briefing, warnings);
    expect(json.sections).toEqual({
      background: CHILD_2.background,
      purpose: CHILD_2.purpose,
      linesOfEnquiry: CHILD_2.linesOfEnquiry,
      practiceEpisodes: {
        goodPractice: CHILD_2.goodPractice,
        areasForImprovement: CHILD_2.areasForImprovement,
      },
      learning: CHILD_2.learning,
      progressImpact: CHILD_2.progressImpact,
      furtherInformation: [
        'Threshold of Need (https://example.org/threshold-of-need)',
        ...CHILD_2.furtherInformation.slice(1),
      ],
    });
  });

  it('refuses a .docx that is not a zip', async () => {
    expect(await refusal(importBriefingBuffer(Buffer.from('Learning\n- x'), 'fake.docx'))).toBe(
      'Cannot import fake.docx: it is not a Word document (a .docx file is a zip archive; this is not one).',
    );
  });

  it('refuses an old Word .doc renamed to .docx', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(await refusal(importBriefingBuffer(ole, 'old.docx'))).toContain('older Word (.doc) file');
  });

  it('refuses a zip that is not a Word document', async () => {
    const zip = new JSZip().file('notes.txt', 'hello');
    const bytes = await zip.generateAsync({ type: 'nodebuffer' });
    expect(await refusal(importBriefingBuffer(bytes, 'notes.docx'))).toContain('has no word/document.xml');
  });

  it('refuses a truncated Word document', async () => {
    const bytes = await wordBriefing();
    expect(await refusal(importBriefingBuffer(bytes.subarray(0, bytes.length - 200), 'cut.docx'))).toContain(
      'Cannot import cut.docx',
    );
  });

  describe('zip bombs (built here, never committed)', () => {
    const zeros = (bytes: number, declare?: number) => zerosZip('word/document.xml', bytes, declare);

    it('refuses 200 MB of zeros that compress to almost nothing', async () => {
      const bomb = zeros(200 * 1024 * 1024);
      expect(bomb.length).toBeLessThan(1024 * 1024);
      expect(await refusal(importBriefingBuffer(bomb, 'bomb.docx'))).toContain('it may be a zip bomb');
    });

    it('refuses a small entry that expands more than 100 times', async () => {
      const bomb = zeros(5 * 1024 * 1024);
      expect(await refusal(importBriefingBuffer(bomb, 'ratio.docx'))).toContain('it may be a zip bomb');
    });

    it('refuses a bomb whose zip directory lies about its size', async () => {
      const bomb = zeros(120 * 1024 * 1024, 1000);
      expect(await refusal(importBriefingBuffer(bomb, 'liar.docx'))).toContain('it may be a zip bomb');
    });

    /**
     * A real Word briefing with its text padded to 6 MB of varied paragraphs: it packs about 30
     * to 1, so neither the ratio rule nor the 50 MB ceiling on the whole file catches it, yet
     * mammoth would spend some ten seconds of a core on it. Refused before mammoth opens it.
     */
    async function paddedText(): Promise<{ docx: Buffer; textBytes: number }> {
      const zip = await JSZip.loadAsync(await wordBriefing());
      const xml = await zip.file('word/document.xml')!.async('string');
      const padding: string[] = [];
      let textBytes = xml.length;
      for (let i = 0; textBytes < 6 * 1024 * 1024; i++) {
        const p = `<w:p><w:r><w:t>Testchild Example paragraph ${i} of a padded briefing</w:t></w:r></w:p>`;
        padding.push(p);
        textBytes += p.length;
      }
      zip.file('word/document.xml', xml.replace('</w:body>', `${padding.join('')}</w:body>`));
      const docx = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      return { docx, textBytes };
    }

    it('refuses a document whose text expands past its ceiling, though it packs under the ratio', async () => {
      const { docx, textBytes } = await paddedText();
      expect(textBytes).toBeGreaterThan(MAX_DOCX_TEXT_BYTES);
      expect(textBytes).toBeLessThan(docx.length * MAX_DOCX_RATIO);
      expect(await refusal(importBriefingBuffer(docx, 'padded.docx'))).toBe(
        'Cannot import padded.docx: its text expands to more than 4 MB, far more than a briefing needs (it may be a zip bomb).',
      );
    });

    it('refuses it while inflating when its zip directory claims the text is small', async () => {
      const { docx } = await paddedText();
      const liar = declaringSize(docx, 'word/document.xml', 20_000);
      expect(await refusal(importBriefingBuffer(liar, 'liar-text.docx'))).toBe(
        'Cannot import liar-text.docx: its text expands to more than 4 MB, far more than a briefing needs (it may be a zip bomb).',
      );
    });
  });
});
