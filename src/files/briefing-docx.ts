import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type ParagraphChild,
} from 'docx';
import { append } from '../domain/briefing/append.ts';
import { logoAltText } from '../domain/briefing/logo.ts';
import {
  AREAS_FOR_IMPROVEMENT_HEADING,
  GOOD_PRACTICE_HEADING,
  type Briefing,
  type BriefingSection,
  type FurtherInformationItem,
} from '../domain/briefing/model.ts';
import { fitWithin, logoSize, logoType, type BriefingFileOptions } from './briefing-options.ts';

const BULLETS = 'briefing-bullets';
const FONT = 'Arial';

/**
 * The briefing as a Word document: Heading 1 (title), Heading 2 (numbered sections) and Heading 3
 * (good practice / areas for improvement) styles, real bullet numbering, British English as the
 * document language, and the partnership's name (and logo) in the page header.
 */
export async function renderBriefingDocx(briefing: Briefing, options: BriefingFileOptions): Promise<Buffer> {
  const children: Paragraph[] = [new Paragraph({ text: briefing.title, heading: HeadingLevel.HEADING_1 })];
  briefing.sections.forEach((section, index) => append(children, sectionParagraphs(section, index + 1)));
  const doc = new Document({
    creator: options.partnershipName,
    title: `${briefing.title} – 7-minute briefing`,
    subject: '7-minute briefing',
    description: `7-minute briefing from ${options.partnershipName}`,
    styles: {
      default: {
        document: { run: { font: FONT, size: 24, language: { value: 'en-GB' } } },
        heading1: { run: { font: FONT, size: 40, bold: true } },
        heading2: {
          run: { font: FONT, size: 32, bold: true },
          paragraph: { spacing: { before: 320, after: 120 } },
        },
        heading3: {
          run: { font: FONT, size: 26, bold: true },
          paragraph: { spacing: { before: 200, after: 80 } },
        },
      },
    },
    numbering: {
      config: [
        {
          reference: BULLETS,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '•',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        headers: { default: new Header({ children: [headerParagraph(options)] }) },
        footers: { default: new Footer({ children: [footerParagraph(options)] }) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function sectionParagraphs(section: BriefingSection, n: number): Paragraph[] {
  const out = [new Paragraph({ text: `${n} ${section.heading}`, heading: HeadingLevel.HEADING_2 })];
  for (const text of section.paragraphs) out.push(new Paragraph({ text }));
  switch (section.kind) {
    case 'practiceEpisodes':
      append(out, section.items.map(bullet));
      for (const [name, items] of [
        [GOOD_PRACTICE_HEADING, section.goodPractice],
        [AREAS_FOR_IMPROVEMENT_HEADING, section.areasForImprovement],
      ] as const) {
        if (items.length === 0) continue;
        out.push(new Paragraph({ text: name, heading: HeadingLevel.HEADING_3 }));
        append(out, items.map(bullet));
      }
      break;
    case 'furtherInformation':
      append(out, section.items.map(linkBullet));
      break;
    default:
      append(out, section.items.map(bullet));
  }
  return out;
}

const bullet = (text: string) => new Paragraph({ text, numbering: { reference: BULLETS, level: 0 } });

function linkBullet(item: FurtherInformationItem): Paragraph {
  const href = item.url && /^https?:\/\//i.test(item.url) ? item.url : undefined;
  const children: ParagraphChild[] = href
    ? [
        new ExternalHyperlink({
          link: href,
          children: [new TextRun({ text: item.title, style: 'Hyperlink' })],
        }),
      ]
    : [new TextRun(item.url ? `${item.title} (${item.url})` : item.title)];
  return new Paragraph({ children, numbering: { reference: BULLETS, level: 0 } });
}

function headerParagraph(options: BriefingFileOptions): Paragraph {
  const children: ParagraphChild[] = [];
  const type = options.logo ? logoType(options.logo) : undefined;
  const size = options.logo ? logoSize(options.logo) : undefined;
  if (options.logo && type && size) {
    children.push(
      new ImageRun({
        type,
        data: options.logo,
        transformation: fitWithin(size, { width: 160, height: 48 }),
        altText: {
          name: 'logo',
          description: logoAltText(options.partnershipName),
          title: options.partnershipName,
        },
      }),
      new TextRun('  '),
    );
  } else if (options.logo) {
    throw new Error('The logo must be a PNG or JPEG image.');
  }
  children.push(new TextRun({ text: options.partnershipName, bold: true }));
  return new Paragraph({ children });
}

function footerParagraph(options: BriefingFileOptions): Paragraph {
  return new Paragraph({
    children: [
      ...(options.versionLabel ? [new TextRun(`${options.versionLabel}  |  `)] : []),
      new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] }),
    ],
  });
}
