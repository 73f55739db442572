import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoReviews, publishedFindings } from '../../bench/identifying-details/demo.ts';
import { rate, report, runProbe, totals, type ProbeReview } from '../../bench/identifying-details/probe.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';

/**
 * The probe of bench/identifying-details-probe.ts at a small size, on the demo's database: the
 * figures docs/data-protection.md reports hold as thresholds. Deterministic: seeded, no timing.
 */
describe.each(DATABASE_KINDS)(
  'the identifying-details check, measured (%s)',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let reviews: ProbeReview[];
    beforeAll(async () => {
      t = await buildTestApp(kind);
      reviews = await demoReviews(t.database.db, t.services);
    });
    afterAll(async () => t?.close());

    it('reads what every demo review’s check compares with, through the service', () => {
      expect(reviews.map((r) => r.label)).toEqual([
        'LOS-2021-001 (Child 1)',
        'LOS-2021-002 (Child 2)',
        'LOS-2022-001 (Child 3)',
        'LOS-2023-001 (Child 4)',
        'LOS-2024-001 (Child 5)',
        expect.stringMatching(/\(Child 7\)$/),
        expect.stringMatching(/\(Infant 8\)$/),
        expect.stringMatching(/\(Child 6\)$/),
      ]);
      const child2 = reviews[1]!.data;
      expect(child2.people.slice(0, 2)).toEqual([
        { name: 'Testchild Two Example', role: 'child' },
        { name: 'Testmother Example', role: 'household' },
      ]);
      expect(new Set(child2.people.map((p) => p.role))).toEqual(
        new Set(['child', 'household', 'referrer', 'member', 'agency-lead', 'event', 'chronology-worker']),
      );
      expect(child2.addresses).toEqual(['1 Example Street, Sampletown']);
      expect(child2.institutions).toEqual(['Example Lane Nursery']);
    });

    it('catches at least 98% of the reviews’ own identifiers and 95% of general ones, with few false alarms', () => {
      const result = runProbe({ reviews, generated: 12, general: 2, seed: 12 });
      const own = totals(result.review);
      const general = totals(result.general);
      expect(own.inserted).toBeGreaterThan(2000);
      expect(general.inserted).toBeGreaterThan(500);
      expect(rate(own), report(result)).toBeGreaterThanOrEqual(0.98);
      expect(rate(general), report(result)).toBeGreaterThanOrEqual(0.95);
      for (const kind of ['person', 'place', 'address', 'institution', 'date', 'health-number'])
        expect(rate(result.review[kind]!), kind).toBeGreaterThanOrEqual(0.98);
      for (const kind of ['person', 'address', 'institution', 'date', 'contact', 'health-number'])
        expect(rate(result.general[kind]!), kind).toBeGreaterThanOrEqual(0.95);
      // Fewer than one false alarm per 20 ordinary safeguarding phrases.
      expect(result.falseAlarms.checked).toBeGreaterThan(1000);
      expect(result.falseAlarms.flagged * 20).toBeLessThan(result.falseAlarms.checked);
    });

    it('finds nothing in the published Child 2 briefing or the sample briefing', async () => {
      const found = await publishedFindings(t.database.db, t.services, reviews);
      expect(found.child2Version).toBe(2);
      expect(found.child2Findings).toEqual([]);
      expect(found.sampleFindings).toEqual([]);
    });
  },
);
