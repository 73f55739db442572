import type { Briefing } from '../domain/briefing/model.ts';
import { renderBriefingHtmlDocument } from '../domain/briefing/render-html.ts';
import { renderBriefingMarkdown } from '../domain/briefing/render-markdown.ts';
import { logoType, type BriefingFileOptions } from './briefing-options.ts';
import { renderBriefingPdf } from './briefing-pdf.ts';

export const BRIEFING_FORMATS = ['md', 'html', 'pdf', 'docx'] as const;
export type BriefingFormat = (typeof BRIEFING_FORMATS)[number];

export interface BriefingFile {
  body: Buffer;
  contentType: string;
  /** With the dot, for naming the download or the `--out` default. */
  extension: string;
}

const CONTENT_TYPES: Record<BriefingFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function isBriefingFormat(value: string): value is BriefingFormat {
  return (BRIEFING_FORMATS as readonly string[]).includes(value);
}

/** One briefing in one of the published formats, for `briefing export` and the API's `?format=`. */
export async function renderBriefingFile(
  briefing: Briefing,
  format: BriefingFormat,
  options: BriefingFileOptions,
): Promise<BriefingFile> {
  const body =
    format === 'md'
      ? Buffer.from(renderBriefingMarkdown(briefing), 'utf8')
      : format === 'html'
        ? Buffer.from(renderBriefingHtmlDocument(briefing, htmlOptions(options)), 'utf8')
        : format === 'pdf'
          ? await renderBriefingPdf(briefing, options)
          : // The Word writer (docx) is loaded on first use, as in load-on-use.ts.
            await (await import('./briefing-docx.ts')).renderBriefingDocx(briefing, options);
  return { body, contentType: CONTENT_TYPES[format], extension: `.${format}` };
}

/** The HTML file carries its logo inside it, so it reads the same when saved or mailed on. Markdown has none. */
function htmlOptions(options: BriefingFileOptions): { partnershipName: string; logoSrc?: string } {
  const type = options.logo ? logoType(options.logo) : undefined;
  if (!options.logo || !type) return { partnershipName: options.partnershipName };
  const mediaType = type === 'png' ? 'image/png' : 'image/jpeg';
  return {
    partnershipName: options.partnershipName,
    logoSrc: `data:${mediaType};base64,${options.logo.toString('base64')}`,
  };
}
