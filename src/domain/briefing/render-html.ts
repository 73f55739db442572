import { append } from './append.ts';
import { logoAltText } from './logo.ts';
import {
  AREAS_FOR_IMPROVEMENT_HEADING,
  GOOD_PRACTICE_HEADING,
  type Briefing,
  type BriefingSection,
  type FurtherInformationItem,
} from './model.ts';

export interface HtmlOptions {
  /** Level of the title heading: 1 on its own page, 2 inside a page that has its own h1. */
  titleLevel?: 1 | 2;
  /** Prefix for element ids, when more than one briefing shares a page. */
  idPrefix?: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every piece of text from a briefing goes through here: no markup from a document reaches the page. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Only web addresses become links; anything else (javascript:, data:) is shown as text. */
function safeHref(url: string): string | undefined {
  const candidate = /^www\./i.test(url) ? `https://${url}` : url;
  try {
    const parsed = new URL(candidate);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The briefing as an HTML fragment with GOV.UK Frontend classes: one heading level per step
 * (title, sections, good practice / areas for improvement), real lists, everything escaped.
 */
export function renderBriefingHtml(briefing: Briefing, options: HtmlOptions = {}): string {
  const top = options.titleLevel ?? 1;
  const prefix = options.idPrefix ?? 'briefing';
  const h = (level: number, cls: string, text: string, id?: string) =>
    `<h${level} class="${cls}"${id ? ` id="${escapeHtml(id)}"` : ''}>${text}</h${level}>`;
  const out: string[] = [`<article class="app-briefing" lang="en-GB">`];
  out.push(h(top, 'govuk-heading-xl', escapeHtml(briefing.title)));
  briefing.sections.forEach((section, index) => {
    const id = `${prefix}-section-${index + 1}`;
    out.push(`<section class="app-briefing__section" aria-labelledby="${escapeHtml(id)}">`);
    out.push(
      h(
        top + 1,
        'govuk-heading-l',
        `<span class="app-briefing__number">${index + 1}</span> ${escapeHtml(section.heading)}`,
        id,
      ),
    );
    append(
      out,
      section.paragraphs.map((p) => `<p class="govuk-body">${escapeHtml(p)}</p>`),
    );
    append(out, sectionLists(section, top + 2));
    out.push('</section>');
  });
  out.push('</article>');
  return out.join('\n');
}

function list(items: readonly string[]): string[] {
  if (items.length === 0) return [];
  const lis = items.map((item) => `  <li>${item}</li>`);
  return ['<ul class="govuk-list govuk-list--bullet">', ...lis, '</ul>'];
}

function sectionLists(section: BriefingSection, subLevel: number): string[] {
  const escaped = (items: readonly string[]) => list(items.map(escapeHtml));
  switch (section.kind) {
    case 'practiceEpisodes': {
      const part = (heading: string, items: string[]) =>
        items.length === 0
          ? []
          : [
              `<h${subLevel} class="govuk-heading-m">${escapeHtml(heading)}</h${subLevel}>`,
              ...escaped(items),
            ];
      return [
        ...escaped(section.items),
        ...part(GOOD_PRACTICE_HEADING, section.goodPractice),
        ...part(AREAS_FOR_IMPROVEMENT_HEADING, section.areasForImprovement),
      ];
    }
    case 'furtherInformation':
      return list(section.items.map(linkHtml));
    default:
      return escaped(section.items);
  }
}

function linkHtml(item: FurtherInformationItem): string {
  const href = item.url ? safeHref(item.url) : undefined;
  if (!item.url) return escapeHtml(item.title);
  if (!href) return `${escapeHtml(item.title)} (${escapeHtml(item.url)})`;
  return `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(item.title)}</a>`;
}

/**
 * A standalone page (for `briefing export --format html` and downloads), with a print stylesheet;
 * the partnership's name (and logo, given as a `data:` address so the file stands alone) heads it.
 */
export function renderBriefingHtmlDocument(
  briefing: Briefing,
  options: { partnershipName: string; logoSrc?: string },
): string {
  const logo = options.logoSrc
    ? `<img class="app-briefing__logo" src="${escapeHtml(options.logoSrc)}" alt="${escapeHtml(logoAltText(options.partnershipName))}">`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(briefing.title)} – 7-minute briefing – ${escapeHtml(options.partnershipName)}</title>`,
    `<style>${DOCUMENT_CSS}</style>`,
    '</head>',
    '<body>',
    `<header class="app-briefing__header">${logo}<p>${escapeHtml(options.partnershipName)}</p></header>`,
    '<main>',
    renderBriefingHtml(briefing),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// Plain, legible and print-friendly without GOV.UK Frontend's stylesheet; links print their address.
const DOCUMENT_CSS = [
  'body{font-family:Arial,Helvetica,sans-serif;font-size:19px;line-height:1.4;color:#0b0c0c;max-width:40em;margin:0 auto;padding:1em}',
  '.app-briefing__header{border-bottom:4px solid #1d70b8;font-weight:bold;display:flex;align-items:center;gap:1em}',
  '.app-briefing__logo{max-height:48px;max-width:160px}',
  'a{color:#1d70b8}',
  '.app-briefing__section{break-inside:avoid-page}',
  'h1,h2,h3{break-after:avoid}',
  '@media print{body{font-size:12pt;max-width:none}a{color:#000}a[href]::after{content:" (" attr(href) ")"}}',
].join('\n');
