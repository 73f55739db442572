import { loadPDFKit } from './load-on-use.ts';
import {
  AREAS_FOR_IMPROVEMENT_HEADING,
  GOOD_PRACTICE_HEADING,
  type Briefing,
  type BriefingSection,
} from '../domain/briefing/model.ts';
import { furtherInformationText } from '../domain/briefing/model.ts';
import { logoType, type BriefingFileOptions } from './briefing-options.ts';
import { toPdfText } from './briefing-pdf-text.ts';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const MARGIN = 56;
const HEADER_SPACE = 84;
const FOOTER_SPACE = 56;
const BODY = { font: 'Helvetica', size: 11 };
const BOLD = 'Helvetica-Bold';
const BULLET_INDENT = 16;

/**
 * The briefing as an accessible PDF: real text in the standard fonts, tagged (Document, H1–H3, P,
 * L/LI/Lbl/LBody) with the language en-GB and the title in the metadata, headings bookmarked, and
 * the partnership's name (and logo) heading every page as a pagination artifact.
 */
export async function renderBriefingPdf(briefing: Briefing, options: BriefingFileOptions): Promise<Buffer> {
  if (options.logo && !logoType(options.logo)) throw new Error('The logo must be a PNG or JPEG image.');
  const title = toPdfText(briefing.title);
  const PDFDocument = await loadPDFKit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: HEADER_SPACE, bottom: FOOTER_SPACE, left: MARGIN, right: MARGIN },
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    bufferPages: true,
    font: BODY.font,
    info: {
      Title: `${briefing.title} – 7-minute briefing`,
      Author: toPdfText(options.partnershipName),
      Subject: '7-minute briefing',
      Creator: 'Line of Sight',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  heading(doc, root, 'H1', title, 20);
  briefing.sections.forEach((section, index) => writeSection(doc, root, section, index + 1));
  root.end();
  pageFurniture(doc, options);
  doc.end();
  return finished;
}

function writeSection(doc: Doc, root: Struct, section: BriefingSection, n: number): void {
  const sect = doc.struct('Sect');
  root.add(sect);
  heading(doc, sect, 'H2', `${n} ${toPdfText(section.heading)}`, 15);
  for (const paragraph of section.paragraphs) {
    sect.add(
      doc.struct('P', {}, () =>
        doc.font(BODY.font).fontSize(BODY.size).text(toPdfText(paragraph), { paragraphGap: 6 }),
      ),
    );
  }
  switch (section.kind) {
    case 'practiceEpisodes':
      list(doc, sect, section.items);
      for (const [name, items] of [
        [GOOD_PRACTICE_HEADING, section.goodPractice],
        [AREAS_FOR_IMPROVEMENT_HEADING, section.areasForImprovement],
      ] as const) {
        if (items.length === 0) continue;
        heading(doc, sect, 'H3', name, 12.5);
        list(doc, sect, items);
      }
      break;
    case 'furtherInformation':
      list(doc, sect, section.items.map(furtherInformationText));
      break;
    default:
      list(doc, sect, section.items);
  }
  sect.end();
}

/** Starts a new page when fewer than `lines` lines are left, so a heading is not stranded at the foot. */
function keepRoom(doc: Doc, lines: number): void {
  const bottom = doc.page.height - doc.page.margins.bottom;
  if (doc.y + doc.currentLineHeight(true) * lines > bottom) doc.addPage();
}

function heading(doc: Doc, parent: Struct, tag: 'H1' | 'H2' | 'H3', text: string, size: number): void {
  doc.font(BOLD).fontSize(size);
  keepRoom(doc, 4);
  doc.x = doc.page.margins.left;
  if (tag !== 'H1') doc.moveDown(0.6);
  parent.add(doc.struct(tag, {}, () => doc.text(text, { paragraphGap: 4 })));
  if (tag !== 'H3') doc.outline.addItem(text);
  doc.font(BODY.font).fontSize(BODY.size);
}

function list(doc: Doc, parent: Struct, items: readonly string[]): void {
  if (items.length === 0) return;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right - BULLET_INDENT;
  const l = doc.struct('L');
  parent.add(l);
  doc.font(BODY.font).fontSize(BODY.size);
  for (const raw of items) {
    const item = toPdfText(raw);
    keepRoom(doc, Math.min(2, Math.ceil(doc.heightOfString(item, { width }) / doc.currentLineHeight(true))));
    const top = doc.y;
    const li = doc.struct('LI');
    l.add(li);
    li.add(doc.struct('Lbl', {}, () => doc.text('•', left + 4, top, { lineBreak: false })));
    li.add(
      doc.struct('LBody', {}, () => doc.text(item, left + BULLET_INDENT, top, { width, paragraphGap: 3 })),
    );
    li.end();
    doc.x = left;
  }
  l.end();
  doc.moveDown(0.3);
}

/** Header and footer on every page, marked as artifacts so screen readers skip the repetition. */
function pageFurniture(doc: Doc, options: BriefingFileOptions): void {
  const { start, count } = doc.bufferedPageRange();
  const name = toPdfText(options.partnershipName);
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const { width, height, margins } = doc.page;
    // Writing in the margins must not start a new page.
    const bottom = margins.bottom;
    margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    let x = MARGIN;
    if (options.logo) {
      doc.image(options.logo, MARGIN, 24, { fit: [120, 40] });
      x += 132;
    }
    doc.font(BOLD).fontSize(10).fillColor('#0b0c0c').text(name, x, 36, { lineBreak: false });
    doc
      .moveTo(MARGIN, 70)
      .lineTo(width - MARGIN, 70)
      .lineWidth(1)
      .strokeColor('#1d70b8')
      .stroke();
    const footer = [
      options.versionLabel ? toPdfText(options.versionLabel) : '',
      `Page ${i - start + 1} of ${count}`,
    ]
      .filter((t) => t !== '')
      .join('  |  ');
    doc
      .font(BODY.font)
      .fontSize(9)
      .text(footer, MARGIN, height - 36, { lineBreak: false });
    doc.endMarkedContent();
    margins.bottom = bottom;
  }
}
