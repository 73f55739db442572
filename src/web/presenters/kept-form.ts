import type { FormFields } from '../../services/kept-form-service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "keyLinesOfEnquiry" → "Key lines of enquiry"; "dueDate-day" → "Due date day". */
export function fieldInWords(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.[\]]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'A field';
}

/** Where a kept form was going, in words: "Review LOS-2026-004: terms of reference". */
export function destinationInWords(path: string): string {
  const parts = (path.split('?')[0] ?? '')
    .split('/')
    .filter((p) => p && !UUID.test(p))
    .map((p) => decodeURIComponent(p));
  if (parts[0] === 'reviews' && parts[1]) {
    const rest = parts.slice(2).map((p) => p.replace(/-/g, ' '));
    return `Review ${parts[1]}${rest.length ? `: ${rest.join(', ')}` : ''}`;
  }
  const words = parts.map((p) => p.replace(/-/g, ' ')).join(', ');
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'The home page';
}

/** The page to look at before sending: the review's overview for a review's form. */
export function pageToCheck(path: string): string | null {
  const match = /^\/reviews\/([^/?]+)/.exec(path);
  return match ? `/reviews/${match[1]}` : null;
}

/**
 * What was typed, for the person to read before sending it: each field with text, in words. The
 * choices a form made by id (ticked agencies, a chosen person) are counted, not shown as ids.
 */
export function typedRows(fields: FormFields): { key: { text: string }; value: { text: string } }[] {
  const rows: { key: { text: string }; value: { text: string } }[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v) => v.trim() !== '');
    if (!values.length) continue;
    const ids = values.filter((v) => UUID.test(v)).length;
    const texts = values.filter((v) => !UUID.test(v));
    const shown = [...texts, ...(ids ? [`${ids} ${ids === 1 ? 'choice' : 'choices'} made on the form`] : [])];
    rows.push({ key: { text: fieldInWords(name) }, value: { text: shown.join('\n') } });
  }
  return rows;
}
