import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

// pdf.js measures the standard fonts from its own font data; without it, it warns on every page.
const standardFontDataUrl = `${join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

export interface PdfContents {
  /** Each page's text, lines joined by spaces. */
  pages: string[];
  title: string | undefined;
  language: string | undefined;
  marked: boolean;
  /** The structure tree's roles, depth first, e.g. ["Document", "H1", "Sect", "H2", "P", …]. */
  roles: string[];
  outline: string[];
}

interface StructNode {
  role?: string;
  children?: StructNode[];
}

/** Reads a PDF back the way a screen reader or text extractor would, with pdf.js. */
export async function readPdf(data: Buffer): Promise<PdfContents> {
  const pdf = await getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    useSystemFonts: false,
    standardFontDataUrl,
  }).promise;
  const pages: string[] = [];
  const roles: string[] = [];
  const walk = (node: StructNode | null | undefined) => {
    if (!node) return;
    if (node.role && node.role !== 'Root') roles.push(node.role);
    for (const child of node.children ?? []) walk(child);
  };
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: false });
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
    pages.push(text.replace(/\s+/g, ' ').trim());
    walk((await page.getStructTree()) as StructNode);
  }
  const { info } = (await pdf.getMetadata()) as unknown as { info: Record<string, unknown> };
  const markInfo = await pdf.getMarkInfo();
  const outline = ((await pdf.getOutline()) ?? []).map((item) => item.title);
  const language = typeof info.Language === 'string' ? info.Language : undefined;
  const title = typeof info.Title === 'string' ? info.Title : undefined;
  await pdf.destroy();
  return { pages, title, language, marked: markInfo?.Marked === true, roles, outline };
}
