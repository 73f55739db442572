/**
 * The probe of the identifying-details check: identifiers written into a draft briefing one per
 * item, the check run on it as a review's check runs (the same function, the review's data and the
 * partnership's names), and what it caught counted per kind; and ordinary safeguarding phrases,
 * which it should leave alone. Deterministic: the same seed gives the same figures.
 */
import { briefingTexts } from '../../src/domain/anonymise/briefing-texts.ts';
import { findIdentifyingDetails, NOTHING_RECORDED } from '../../src/domain/anonymise/find.ts';
import type { Finding, FindingKind, IdentifiableData } from '../../src/domain/anonymise/types.ts';
import type { Briefing } from '../../src/domain/briefing/model.ts';
import { Rng } from '../../src/synthetic/prng.ts';
import { generalCases, generatedReview, reviewCases, type Case } from './cases.ts';
import { ORDINARY_PHRASES } from './phrases.ts';

export interface ProbeReview {
  label: string;
  data: IdentifiableData;
  partnershipNames: string[];
}

export interface Tally {
  inserted: number;
  caught: number;
  /** Caught and reported as the kind it is. */
  rightKind: number;
  missed: { form: string; value: string }[];
  /** Caught but reported as another kind: what it was reported as. */
  otherKind: { form: string; value: string; reportedAs: string }[];
}

export interface ProbeResult {
  reviews: number;
  /** Identifiers from the reviews' own data, per kind (promised forms only). */
  review: Record<string, Tally>;
  /** General identifiers, per kind. */
  general: Record<string, Tally>;
  /** Forms the check does not promise to find, by why, and how many of them it found anyway. */
  notPromised: Record<string, { inserted: number; caught: number }>;
  falseAlarms: { checked: number; flagged: number; examples: string[] };
}

const START = (x: string) => `${x} was mentioned in the records.`;
const MIDDLE = [
  (x: string) => `The records mention ${x} twice.`,
  (x: string) => `Practitioners spoke about ${x} at the event.`,
  (x: string) => `It was not clear whether ${x} was known to the agencies.`,
];

/** A draft whose one custom section holds one identifier per item. */
function draft(items: string[]): Briefing {
  return {
    title: 'Child 99',
    sections: [{ kind: 'custom', heading: 'Probe', paragraphs: [], items }],
  };
}

function place(rng: Rng, c: Case): { text: string; start: number } {
  const sentence = c.position === 'start' ? START(c.value) : rng.pick(MIDDLE)(c.value);
  return { text: sentence, start: sentence.indexOf(c.value) };
}

const emptyTally = (): Tally => ({ inserted: 0, caught: 0, rightKind: 0, missed: [], otherKind: [] });

/** Runs the check on one draft of cases and counts what it caught. */
function probeCases(
  rng: Rng,
  cases: Case[],
  data: IdentifiableData,
  partnershipNames: string[],
  result: ProbeResult,
) {
  const placed = cases.map((c) => ({ c, ...place(rng, c) }));
  const findings = findIdentifyingDetails(briefingTexts(draft(placed.map((p) => p.text))), data, {
    partnershipNames,
  });
  const byItem = new Map<number, Finding[]>();
  for (const f of findings)
    if (f.itemIndex !== undefined) byItem.set(f.itemIndex, [...(byItem.get(f.itemIndex) ?? []), f]);
  placed.forEach(({ c, start }, i) => {
    const end = start + c.value.length;
    const over = (byItem.get(i) ?? []).filter((f) => f.start < end && f.end > start);
    if (c.notPromised) {
      const t = (result.notPromised[c.notPromised] ??= { inserted: 0, caught: 0 });
      t.inserted++;
      if (over.length > 0) t.caught++;
      return;
    }
    const tally = ((c.source === 'review' ? result.review : result.general)[c.kind] ??= emptyTally());
    tally.inserted++;
    if (over.length > 0) tally.caught++;
    else if (tally.missed.length < 20) tally.missed.push({ form: c.form, value: c.value });
    if (over.some((f) => f.kind === c.kind)) tally.rightKind++;
    else if (over.length > 0 && tally.otherKind.length < 20)
      tally.otherKind.push({ form: c.form, value: c.value, reportedAs: over.map((f) => f.kind).join(', ') });
  });
}

/** How many ordinary phrases the check reports anything in, against this review's data. */
function probePhrases(rng: Rng, data: IdentifiableData, partnershipNames: string[], result: ProbeResult) {
  const items = ORDINARY_PHRASES.map((p) => rng.pick(MIDDLE)(p));
  const findings = findIdentifyingDetails(briefingTexts(draft(items)), data, { partnershipNames });
  const flagged = new Set(findings.filter((f) => f.itemIndex !== undefined).map((f) => f.itemIndex!));
  result.falseAlarms.checked += items.length;
  result.falseAlarms.flagged += flagged.size;
  for (const i of flagged) {
    const f = findings.find((x) => x.itemIndex === i)!;
    if (result.falseAlarms.examples.length < 20)
      result.falseAlarms.examples.push(`${ORDINARY_PHRASES[i]} → "${f.text}" (${f.kind})`);
  }
}

/**
 * The probe over the given reviews (the demo's, read from its database) and `generated` synthetic
 * ones, with `general` rounds of general identifiers per review, from `seed`.
 */
export function runProbe(options: {
  reviews: ProbeReview[];
  generated: number;
  general: number;
  seed: number;
}): ProbeResult {
  const rng = new Rng(options.seed);
  const result: ProbeResult = {
    reviews: 0,
    review: {},
    general: {},
    notPromised: {},
    falseAlarms: { checked: 0, flagged: 0, examples: [] },
  };
  const partnership = options.reviews[0]?.partnershipNames ?? [];
  const all: ProbeReview[] = [
    ...options.reviews,
    ...Array.from({ length: options.generated }, (_, i) => ({
      label: `generated ${i + 1}`,
      data: generatedReview(rng),
      partnershipNames: partnership,
    })),
  ];
  for (const review of all) {
    result.reviews++;
    probeCases(rng, reviewCases(review.data), review.data, review.partnershipNames, result);
    // General identifiers, checked with the review's data present, and with none (an import).
    probeCases(rng, generalCases(rng, options.general), review.data, review.partnershipNames, result);
    probePhrases(rng, review.data, review.partnershipNames, result);
  }
  probeCases(rng, generalCases(rng, options.general), NOTHING_RECORDED, partnership, result);
  return result;
}

const KIND_ORDER: FindingKind[] = [
  'person',
  'place',
  'address',
  'institution',
  'date',
  'contact',
  'health-number',
];

export const rate = (t: { inserted: number; caught: number }) =>
  t.inserted === 0 ? 1 : t.caught / t.inserted;

export function totals(byKind: Record<string, Tally>): Tally {
  const all = emptyTally();
  for (const t of Object.values(byKind)) {
    all.inserted += t.inserted;
    all.caught += t.caught;
    all.rightKind += t.rightKind;
  }
  return all;
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);

/** The figures as Markdown tables, per kind, as docs/data-protection.md reports them. */
export function report(result: ProbeResult): string {
  const table = (title: string, byKind: Record<string, Tally>) => {
    const rows = KIND_ORDER.filter((k) => byKind[k]).map((k) => {
      const t = byKind[k]!;
      return `| ${k} | ${t.inserted} | ${t.caught} | ${pct(t.caught, t.inserted)} | ${pct(t.rightKind, t.caught)} |`;
    });
    const all = totals(byKind);
    return [
      `${title}`,
      '',
      '| kind | inserted | caught | caught % | reported as that kind |',
      '|---|---:|---:|---:|---:|',
      ...rows,
      `| **all** | ${all.inserted} | ${all.caught} | ${pct(all.caught, all.inserted)} | ${pct(all.rightKind, all.caught)} |`,
    ].join('\n');
  };
  const promised = Object.entries(result.notPromised).map(
    ([why, t]) => `| ${why} | ${t.inserted} | ${t.caught} |`,
  );
  const missed = [...Object.entries(result.review), ...Object.entries(result.general)].flatMap(([k, t]) =>
    t.missed.slice(0, 5).map((m) => `- ${k}: ${m.form}: "${m.value.replace(/\n/g, '\\n')}"`),
  );
  return [
    `Reviews probed: ${result.reviews}.`,
    '',
    table("Identifiers from the review's own data", result.review),
    '',
    table('General identifiers', result.general),
    '',
    'Forms not promised (not counted above)',
    '',
    '| why | inserted | found anyway |',
    '|---|---:|---:|',
    ...promised,
    '',
    `Ordinary phrases: ${result.falseAlarms.flagged} flagged of ${result.falseAlarms.checked} (${pct(result.falseAlarms.flagged, result.falseAlarms.checked)}; one per ${result.falseAlarms.flagged === 0 ? '—' : (result.falseAlarms.checked / result.falseAlarms.flagged).toFixed(0)}).`,
    ...result.falseAlarms.examples.slice(0, 10).map((e) => `- ${e}`),
    '',
    'Missed (first few per kind):',
    ...missed,
    '',
    'Caught as another kind (first few per kind):',
    ...[...Object.entries(result.review), ...Object.entries(result.general)].flatMap(([k, t]) =>
      t.otherKind.slice(0, 3).map((m) => `- ${k}: ${m.form}: "${m.value}" reported as ${m.reportedAs}`),
    ),
  ].join('\n');
}
