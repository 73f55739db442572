// Words that name the kind of document rather than the case: "line-of-sight-briefing-child-2.txt" is "Child 2".
const NOISE = new Set([
  'los',
  '7',
  'seven',
  'minute',
  'minutes',
  'min',
  '7mb',
  'mb',
  'briefing',
  'briefings',
  'brief',
  'final',
  'draft',
  'published',
  'copy',
]);

/** A title from a file name, for briefings whose text has none. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[a-z0-9]{1,8}$/i, '');
  const words = stem
    .replace(/%20/g, ' ')
    .split(/[\s_\-.+]+/)
    .filter((w) => w !== '');
  const text = words.join(' ').replace(/\bline of sight\b/gi, ' ');
  const kept = text.split(' ').filter((w) => w !== '' && !NOISE.has(w.toLowerCase()) && !/^v\d+$/i.test(w));
  const chosen = kept.length > 0 ? kept : words;
  return chosen.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}
