/** The `page` query parameter as a page number from 1 (anything else is the first page). */
export function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : 1;
  return n >= 1 ? n : 1;
}

/**
 * GOV.UK pagination for a list shown a page at a time, and the "Showing 1 to 100 of 5,000"
 * line: the first and last pages, the current one and its neighbours, and ellipses between,
 * so a list of hundreds of pages stays a short row of links. No pagination for a single page.
 */
export function pagination(
  page: { number: number; pages: number; size: number },
  total: number,
  href: (page: number) => string,
  landmarkLabel = 'Pages of chronology entries',
) {
  const { number: current, pages, size } = page;
  const shown = [...new Set([1, current - 1, current, current + 1, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (const [i, n] of shown.entries()) {
    if (i > 0 && n - shown[i - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === current });
  }
  const first = (current - 1) * size + 1;
  return {
    total: total.toLocaleString('en-GB'),
    showing:
      total === 0
        ? null
        : `Showing ${first.toLocaleString('en-GB')} to ${Math.min(current * size, total).toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} ${total === 1 ? 'entry' : 'entries'}`,
    govuk:
      pages > 1
        ? {
            landmarkLabel,
            previous: current > 1 ? { href: href(current - 1) } : undefined,
            next: current < pages ? { href: href(current + 1) } : undefined,
            items,
          }
        : null,
  };
}
