import { describe, expect, it } from 'vitest';
import { chronologyQuery } from '../../schemas/chronology.ts';
import { chronologyFilters } from './merged-chronology.ts';

describe('chronologyFilters: pagination', () => {
  const base = '/reviews/LOS-1/chronology';
  const numbers = (items: readonly object[]) =>
    items.map((i) => ('ellipsis' in i ? '…' : (i as { number: number }).number));

  it('links the first and last pages, the current one and its neighbours, with ellipses between', () => {
    const query = chronologyQuery.parse({ agency: 'police', offset: '4900' });
    const { pagination, showing } = chronologyFilters(query, [], 10_000, base);
    expect(numbers(pagination!.items)).toEqual([1, '…', 49, 50, 51, '…', 100]);
    expect(pagination!.items[3]).toEqual({
      number: 50,
      href: `${base}?agency=police&offset=4900`,
      current: true,
    });
    expect(pagination!.previous).toEqual({ href: `${base}?agency=police&offset=4800` });
    expect(showing).toBe('Showing 4,901 to 5,000 of 10,000 entries');
  });

  it('shows every page of a short chronology, and none for one page', () => {
    const first = chronologyFilters(chronologyQuery.parse({}), [], 250, base);
    expect(numbers(first.pagination!.items)).toEqual([1, 2, 3]);
    expect(chronologyFilters(chronologyQuery.parse({}), [], 100, base).pagination).toBeNull();
  });
});
