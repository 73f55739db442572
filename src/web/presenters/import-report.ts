import { formatDate } from '../../domain/calendar/format.ts';
import type { ImportReport, SectionRecognition } from '../../domain/briefing/parse.ts';
import type { HeadingStyle } from '../../domain/briefing/lines.ts';
import { DEFAULT_HEADINGS } from '../../domain/briefing/model.ts';

const STYLE_WORDS: Record<HeadingStyle, string> = {
  markdown: 'a heading',
  underlined: 'an underlined heading',
  bold: 'a line in bold',
  numbered: 'a numbered heading',
  labelled: 'a “Minute” or “Section” heading',
  line: 'a line on its own',
  question: 'a question on its own line',
  capitals: 'a line in capitals',
  'short line': 'a short line above its text',
};

function readAs(s: SectionRecognition): string {
  if (s.how === 'introduction') return 'Introduction (text before the first heading)';
  if (s.kind === 'custom') return 'A section of its own';
  if (s.how === 'part')
    return s.synonym && /good|well|strength|positive/.test(s.synonym)
      ? 'Key Practice Episodes: expected good practice'
      : 'Key Practice Episodes: areas for improvement';
  return DEFAULT_HEADINGS[s.kind];
}

function how(s: SectionRecognition): string {
  const style = s.style ? STYLE_WORDS[s.style] : '';
  switch (s.how) {
    case 'introduction':
      return 'Kept as it is';
    case 'standard':
      return `Its usual name, as ${style}`;
    case 'synonym':
      return `“${s.synonym}” is another name for it in the headings vocabulary; ${style}`;
    case 'part':
      return `A sub-heading inside the key practice episodes (“${s.synonym}”)`;
    case 'own':
      return `Not one of the seven: kept as a section of its own with its own points; ${style}`;
  }
}

/** What the importer recognised and how, in words for the preview. */
export function importReportView(report: ImportReport) {
  return {
    title:
      report.title.from === 'document'
        ? `“${report.title.text}”, from the document`
        : report.title.from === 'file name'
          ? `“${report.title.text}”, from the file name (the document has no title line)`
          : 'None found',
    date: report.documentDate
      ? `${report.documentDate.precision === 'year' ? report.documentDate.iso.slice(0, 4) : report.documentDate.precision === 'month' ? formatDate(report.documentDate.iso.slice(0, 7)) : formatDate(report.documentDate.iso)} (read from “${report.documentDate.text}”)`
      : 'None found: the year it is published here is used',
    partnership: report.partnership,
    sections: report.sections.map((s) => ({ heading: s.heading, readAs: readAs(s), how: how(s) })),
    removed: report.removed,
    splitLines: report.splitLines,
  };
}
