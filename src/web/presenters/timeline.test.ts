import { describe, expect, it } from 'vitest';
import { chronologyDate, markerKind, markerShape, timeline, type TimelineEntry } from './timeline.ts';

const entries: TimelineEntry[] = [
  { date: '2018-03-02', agency: 'police', agencyName: 'Northshire Police', eventType: 'police_incident' },
  { date: '2018-09', agency: 'csc', agencyName: "Children's Social Care", eventType: 'referral' },
  { date: '2019-03-02', agency: 'police', agencyName: 'Northshire Police', eventType: 'arrest' },
  {
    date: '2020-03-02',
    agency: 'health-visiting',
    agencyName: 'Health Visiting',
    eventType: 'missed_appointment',
  },
];

describe('the timeline picture', () => {
  it('gives one lane per agency, in name order, and puts markers in date order from left to right', () => {
    const t = timeline(entries);
    if (t.empty) throw new Error('expected a timeline');
    expect(t.lanes.map((l) => [l.label, l.count])).toEqual([
      ["Children's Social Care", 1],
      ['Health Visiting', 1],
      ['Northshire Police', 2],
    ]);
    const xs = t.markers.map((m) => m.cx);
    expect(xs[0]).toBe(t.plotLeft);
    expect(xs[3]).toBe(t.plotRight);
    expect(xs[0]! < xs[1]! && xs[1]! < xs[2]! && xs[2]! < xs[3]!).toBe(true);
    // Police markers sit on the police lane.
    expect(t.markers[0]!.cy).toBe(t.lanes[2]!.y);
    expect(t.ticks.map((k) => k.label)).toEqual(['2019', '2020']);
  });

  it('counts entries linked as one event once in its summary, while each agency keeps its marker', () => {
    const linked = [
      { ...entries[0]!, sameEventKey: 'event-1' },
      { ...entries[1]!, date: '2018-03-02', sameEventKey: 'event-1' },
      entries[2]!,
    ];
    const t = timeline(linked);
    if (t.empty) throw new Error('expected a timeline');
    expect(t.markers).toHaveLength(3);
    expect(t.summary).toMatch(
      /^3 entries recording 2 events \(entries linked as one event counted once\) from 2 March 2018/,
    );
    const apart = timeline(entries);
    expect(apart.empty ? '' : apart.summary).toMatch(/^4 entries from/);
  });

  it('shapes markers by the kind of event, so colour is never the only difference', () => {
    expect(markerKind('police_incident')).toBe('incident');
    expect(markerKind('missed_appointment')).toBe('missed');
    expect(markerKind('other')).toBe('other');
    const shapes = (['referral', 'incident', 'assessment', 'plan', 'missed'] as const).map(
      (k) => markerShape(k, 0, 0).points,
    );
    expect(new Set(shapes).size).toBe(5);
    expect(markerShape('contact', 0, 0).circle).toBe(true);
  });

  it('shades long gaps and says them in the text alternative', () => {
    const t = timeline(entries, { gaps: [{ from: '2019-03-02', to: '2020-03-02', days: 366 }] });
    if (t.empty) throw new Error('expected a timeline');
    expect(t.gaps).toHaveLength(1);
    expect(t.gaps[0]!.x).toBe(t.markers[2]!.cx);
    expect(t.gaps[0]!.label).toBe('No agency contact for 366 days, 2 March 2019 to 2 March 2020');
    expect(t.summary).toBe(
      "4 entries from 2 March 2018 to 2 March 2020, by agency: Children's Social Care: 1 entry; Health Visiting: 1 entry; Northshire Police: 2 entries. Periods with no agency contact for 90 days or more: 2 March 2019 to 2 March 2020 (366 days).",
    );
  });

  it('labels each marker with its date, month-only dates as the month', () => {
    const t = timeline(entries);
    if (t.empty) throw new Error('expected a timeline');
    expect(t.markers[1]!.label).toBe("September 2018: Children's Social Care, referral");
    expect(chronologyDate('2019-03')).toBe('March 2019');
    expect(chronologyDate('2019-03-02')).toBe('2 March 2019');
  });

  it("puts other areas' markers (signals) on their own lane, with their links", () => {
    const t = timeline(entries, {
      markers: [
        { date: '2019-06-01', label: 'Service gap', href: '/reviews/LOS-2021-002/signals/1' },
        { date: '2030-01-01', label: 'Outside the period', href: '/x' },
      ],
    });
    if (t.empty) throw new Error('expected a timeline');
    expect(t.extra).toEqual([
      { x: expect.any(Number), y: t.extraY, label: 'Service gap', href: '/reviews/LOS-2021-002/signals/1' },
    ]);
    expect(t.height).toBeGreaterThan(
      timeline(entries).empty ? 0 : (timeline(entries) as { height: number }).height,
    );
  });

  it('says there is nothing to draw when nothing has been accepted', () => {
    expect(timeline([])).toEqual({
      empty: true,
      title: 'Timeline of agency involvement',
      summary: 'No accepted entries yet, so there is nothing to draw.',
    });
  });
});
