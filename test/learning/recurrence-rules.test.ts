import { describe, expect, it } from 'vitest';
import {
  recurrence,
  themesByYear,
  type BriefingOccurrence,
  type DoneAction,
  type ReviewOccurrence,
  type ThemeOfTaxonomy,
} from '../../src/domain/learning/recurrence.ts';
import { DEFAULT_THEMES } from '../../src/domain/learning/themes.ts';
import { suggestThemes } from '../../src/domain/learning/theme-suggestions.ts';

/**
 * Recurrence against a set built by hand: four reviews, two library briefings, three done actions.
 *
 *   LOS-2020-001 (1 Mar 2020)  curiosity, voice   — action A1 on curiosity completed 10 May 2022,
 *                                                   action A2 on voice assured 31 Dec 2023
 *   LOS-2022-004 (10 May 2022) curiosity           — referred the day A1 was done: no repeat
 *   LOS-2023-002 (15 Jan 2023) curiosity, neglect  — a repeat after A1
 *   LOS-2024-001 (1 Feb 2024)  voice, retired      — a repeat after A2; its own action A1 (done
 *                                                   later, and its own) never counts
 */
const theme = (id: string, name: string, retired = false): ThemeOfTaxonomy => ({
  id,
  key: id,
  name,
  retired,
});
const THEMES = [
  theme('curiosity', 'Professional curiosity'),
  theme('voice', 'Voice of the child'),
  theme('neglect', 'Neglect'),
  theme('education', 'Education'),
  theme('old-unused', 'Retired, never used', true),
  theme('old-used', 'Retired, still carried', true),
];
const review = (themeId: string, reference: string, date: string): ReviewOccurrence => ({
  themeId,
  reviewId: reference,
  reference,
  date,
});
const REVIEWS = [
  review('curiosity', 'LOS-2020-001', '2020-03-01'),
  review('voice', 'LOS-2020-001', '2020-03-01'),
  review('curiosity', 'LOS-2022-004', '2022-05-10'),
  review('curiosity', 'LOS-2023-002', '2023-01-15'),
  review('neglect', 'LOS-2023-002', '2023-01-15'),
  review('voice', 'LOS-2024-001', '2024-02-01'),
  review('old-used', 'LOS-2024-001', '2024-02-01'),
];
const BRIEFINGS: BriefingOccurrence[] = [
  { themeId: 'curiosity', briefingId: 'b1', title: 'Westmarch: Child J', date: '2021-06-01' },
  { themeId: 'neglect', briefingId: 'b2', title: 'Eastvale: Sibling group', date: '2023-09-30' },
];
const action = (
  themeId: string,
  reference: string,
  number: number,
  status: 'completed' | 'assured',
  doneOn: string,
): DoneAction => ({
  themeId,
  actionId: `${reference}-A${number}`,
  reviewId: reference,
  reference,
  number,
  what: `Action ${number} of ${reference}`,
  status,
  doneOn,
});
const A1 = action('curiosity', 'LOS-2020-001', 1, 'completed', '2022-05-10');
const A2 = action('voice', 'LOS-2020-001', 2, 'assured', '2023-12-31');
const OWN = action('voice', 'LOS-2024-001', 1, 'completed', '2024-06-01');
const ACTIONS = [A1, A2, OWN];

const all = (since?: string) =>
  recurrence({ themes: THEMES, reviews: REVIEWS, briefings: BRIEFINGS, actions: ACTIONS, since });
const summary = (since?: string) =>
  all(since).map((i) => ({
    theme: i.theme.key,
    reviews: i.reviews.map((r) => r.reference),
    briefings: i.briefings.map((b) => b.title),
    count: i.count,
    first: i.first,
    last: i.last,
    repeats: i.repeats.map((r) => `${r.reference} after ${r.after.map((a) => a.actionId).join(' ')}`),
    repeatAfterAction: i.repeatAfterAction,
  }));

describe('recurrence of learning themes', () => {
  it('counts each theme across reviews and briefings, most frequent first, with repeats after done actions', () => {
    expect(summary()).toEqual([
      {
        theme: 'curiosity',
        reviews: ['LOS-2020-001', 'LOS-2022-004', 'LOS-2023-002'],
        briefings: ['Westmarch: Child J'],
        count: 4,
        first: '2020-03-01',
        last: '2023-01-15',
        repeats: ['LOS-2023-002 after LOS-2020-001-A1'],
        repeatAfterAction: true,
      },
      {
        theme: 'neglect',
        reviews: ['LOS-2023-002'],
        briefings: ['Eastvale: Sibling group'],
        count: 2,
        first: '2023-01-15',
        last: '2023-09-30',
        repeats: [],
        repeatAfterAction: false,
      },
      {
        theme: 'voice',
        reviews: ['LOS-2020-001', 'LOS-2024-001'],
        briefings: [],
        count: 2,
        first: '2020-03-01',
        last: '2024-02-01',
        repeats: ['LOS-2024-001 after LOS-2020-001-A2'],
        repeatAfterAction: true,
      },
      {
        theme: 'old-used',
        reviews: ['LOS-2024-001'],
        briefings: [],
        count: 1,
        first: '2024-02-01',
        last: '2024-02-01',
        repeats: [],
        repeatAfterAction: false,
      },
      {
        theme: 'education',
        reviews: [],
        briefings: [],
        count: 0,
        first: null,
        last: null,
        repeats: [],
        repeatAfterAction: false,
      },
    ]);
  });

  it('counts only what is dated on or after `since`, but judges repeats against every done action', () => {
    const since = summary('2023-01-01');
    expect(since.map((i) => [i.theme, i.count, i.reviews, i.repeats])).toEqual([
      ['neglect', 2, ['LOS-2023-002'], []],
      ['curiosity', 1, ['LOS-2023-002'], ['LOS-2023-002 after LOS-2020-001-A1']],
      ['old-used', 1, ['LOS-2024-001'], []],
      ['voice', 1, ['LOS-2024-001'], ['LOS-2024-001 after LOS-2020-001-A2']],
      ['education', 0, [], []],
    ]);
  });

  it('is no repeat when the action was done the day the review was referred, or later, or in the same review', () => {
    const sameDay = recurrence({
      themes: THEMES,
      reviews: [
        review('curiosity', 'LOS-2020-001', '2020-03-01'),
        review('curiosity', 'LOS-2022-004', '2022-05-10'),
      ],
      briefings: [],
      actions: [A1],
    });
    expect(sameDay[0]!.repeatAfterAction).toBe(false);
    const ownOnly = recurrence({
      themes: THEMES,
      reviews: [review('voice', 'LOS-2024-001', '2024-02-01'), review('voice', 'LOS-2025-001', '2025-03-01')],
      briefings: [],
      actions: [{ ...OWN, reviewId: 'LOS-2025-001', reference: 'LOS-2025-001', doneOn: '2025-01-01' }],
    });
    expect(ownOnly.find((i) => i.theme.key === 'voice')!.repeats).toEqual([]);
  });

  it('tables reviews per theme per year, marking the repeats', () => {
    const table = themesByYear(all());
    expect(table.years).toEqual([2020, 2021, 2022, 2023, 2024]);
    expect(table.rows.map((r) => [r.theme.key, r.counts, r.repeats, r.total])).toEqual([
      ['curiosity', [1, 0, 1, 1, 0], [0, 0, 0, 1, 0], 3],
      ['neglect', [0, 0, 0, 1, 0], [0, 0, 0, 0, 0], 1],
      ['voice', [1, 0, 0, 0, 1], [0, 0, 0, 0, 1], 2],
      ['old-used', [0, 0, 0, 0, 1], [0, 0, 0, 0, 0], 1],
    ]);
    expect(themesByYear([])).toEqual({ years: [], rows: [] });
  });
});

describe('themes suggested for an imported briefing', () => {
  const taxonomy = DEFAULT_THEMES.map((t) => ({ ...t, retired: false }));

  it('suggests a theme found twice in the text, or once in its learning, naming the words found', () => {
    const suggested = suggestThemes(
      {
        all: 'Practitioners showed little professional curiosity. Explanations were accepted at face value.\nAsk about her wishes and feelings.',
        learning: 'Ask about her wishes and feelings.',
      },
      taxonomy,
    );
    expect(suggested.map((s) => [s.key, s.hits, s.found])).toEqual([
      ['professional-curiosity', 2, ['accepted at face value', 'professional curiosity']],
      ['voice-of-the-child', 1, ['wishes and feelings']],
    ]);
  });

  it('does not suggest a theme mentioned once outside the learning, a retired theme, or part of a word', () => {
    const text = { all: 'We were curious. Professional curiosity matters. Unseen menace.', learning: '' };
    expect(suggestThemes(text, taxonomy).map((s) => s.key)).toEqual(['professional-curiosity']);
    expect(
      suggestThemes(
        text,
        taxonomy.map((t) => ({ ...t, retired: t.key === 'professional-curiosity' })),
      ),
    ).toEqual([]);
  });
});
