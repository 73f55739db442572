import { describe, expect, it } from 'vitest';
import { traceReview, type TraceInput } from './traceability.ts';
import { DEFAULT_THEMES, themeKey } from './themes.ts';

const kloe = (n: number) => ({ id: `k${n}`, position: n, question: `Question ${n}` });
const base = (): TraceInput => ({
  linesOfEnquiry: [kloe(1), kloe(2), kloe(3)],
  signalLinks: [],
  answers: [],
  episodes: [],
  learning: [],
  actions: [],
});

describe('traceability', () => {
  it('finds evidence through linked signals, episode entries and self-analysis, each on its own', () => {
    const input = base();
    input.signalLinks = [{ lineOfEnquiryId: 'k1', signalKey: 's1' }];
    input.episodes = [
      {
        id: 'e1',
        title: 'E',
        kind: 'good_practice',
        lineOfEnquiryIds: ['k2'],
        entryIds: ['x1'],
        signalKeys: [],
      },
    ];
    input.answers = [{ lineOfEnquiryId: 'k3', agencyName: 'Police' }];
    const { rows, gaps } = traceReview(input);
    expect(rows.map((r) => r.hasEvidence)).toEqual([true, true, true]);
    expect(rows[1]!.entryIds).toEqual(['x1']);
    expect(gaps).toEqual([]);
  });

  it('flags a KLOE with no evidence even when it has episodes and learning', () => {
    const input = base();
    input.episodes = [
      { id: 'e1', title: 'E', kind: 'good_practice', lineOfEnquiryIds: ['k1'], entryIds: [], signalKeys: [] },
    ];
    const { gaps } = traceReview(input);
    expect(
      gaps
        .filter((g) => g.kind === 'kloe-without-evidence')
        .map((g) => (g as { lineOfEnquiryId: string }).lineOfEnquiryId),
    ).toEqual(['k1', 'k2', 'k3']);
  });

  it('reaches learning through its episodes and actions through learning; flags learning without action and actions without a measure', () => {
    const input = base();
    input.episodes = [
      {
        id: 'e1',
        title: 'E',
        kind: 'area_for_improvement',
        lineOfEnquiryIds: ['k1'],
        entryIds: ['x'],
        signalKeys: ['s'],
      },
    ];
    input.learning = [
      { id: 'l1', statement: 'L1', lineOfEnquiryIds: [], episodeIds: ['e1'] },
      { id: 'l2', statement: 'L2', lineOfEnquiryIds: ['k2'], episodeIds: [] },
    ];
    input.actions = [
      { id: 'a1', title: 'A1', learningIds: ['l1'], successMeasure: 'Audit finds 45 of 50' },
      { id: 'a2', title: 'A2', learningIds: ['l1'], successMeasure: '  ' },
    ];
    const { rows, gaps } = traceReview(input);
    expect(rows[0]!.learningIds).toEqual(['l1']);
    expect(rows[0]!.actionIds).toEqual(['a1', 'a2']);
    expect(rows[0]!.signalKeys).toEqual(['s']);
    expect(rows[1]!.learningIds).toEqual(['l2']);
    expect(rows[1]!.actionIds).toEqual([]);
    expect(gaps).toContainEqual({ kind: 'learning-without-action', learningId: 'l2' });
    expect(gaps).not.toContainEqual({ kind: 'learning-without-action', learningId: 'l1' });
    expect(gaps).toContainEqual({ kind: 'action-without-success-measure', actionId: 'a2' });
    expect(gaps).not.toContainEqual({ kind: 'action-without-success-measure', actionId: 'a1' });
  });
});

describe('the starting themes', () => {
  it('covers the controlled vocabulary of domain.md §6 with unique keys', () => {
    expect(DEFAULT_THEMES).toHaveLength(19);
    expect(new Set(DEFAULT_THEMES.map((t) => t.key)).size).toBe(19);
    for (const t of DEFAULT_THEMES) expect(t.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('makes a stable key from a new theme name', () => {
    expect(themeKey('Children not in school')).toBe('children-not-in-school');
    expect(themeKey('  Young carers & siblings! ')).toBe('young-carers-siblings');
    expect(themeKey('***')).toBe('');
  });
});
