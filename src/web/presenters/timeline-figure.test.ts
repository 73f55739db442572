import { describe, expect, it } from 'vitest';
import { createNunjucksEnvironment } from '../plugins/views.ts';
import type { TimelineEntry, TimelineMarker } from './timeline.ts';
import { timelineFigure } from './timeline-figure.ts';

const env = createNunjucksEnvironment();

/** Renders through the real partial, counting the renders. */
function counting() {
  const renders: string[] = [];
  const render = async (template: string, data: object) => {
    renders.push(template);
    return env.render(template, data);
  };
  return { render, renders };
}

const list = (): TimelineEntry[] => [
  { date: '2019-03-02', agency: 'police', agencyName: 'Northshire Police', eventType: 'police_incident' },
  { date: '2019-09', agency: 'csc', agencyName: "Children's Social Care", eventType: 'referral' },
];
const entries = () => ({ kind: 'entries' as const, entries: list() });
const marker = (label: string): TimelineMarker => ({ date: '2019-06-01', label, href: '/signals#one' });

describe('the timeline figure', () => {
  it('draws the picture from the partial: lanes, markers and the signal list', async () => {
    const { render } = counting();
    const html = await timelineFigure(render, entries(), { markers: [marker('Service gap')] });
    expect(html).toContain('<figure class="app-timeline"');
    expect(html).toContain('Northshire Police');
    // One marker with its tooltip per entry (the key's samples have none).
    expect(html.match(/class="app-timeline__marker [^"]*"[^>]*><title>/g)).toHaveLength(2);
    expect(html).toContain('<a class="govuk-link" href="/signals#one">Service gap</a>');
  });

  it('is rendered once per chronology and reused while its markers are the same', async () => {
    const { render, renders } = counting();
    const all = entries();
    const first = await timelineFigure(render, all, { markers: [marker('Service gap')] });
    const again = await timelineFigure(render, all, { markers: [marker('Service gap')] });
    expect(again).toBe(first);
    expect(renders).toHaveLength(1);
  });

  it('is drawn again when a marker changes (a signal dismissed) or the chronology does', async () => {
    const { render, renders } = counting();
    const all = entries();
    await timelineFigure(render, all, { markers: [marker('Service gap')] });
    const dismissed = await timelineFigure(render, all, { markers: [marker('Service gap (dismissed)')] });
    expect(dismissed).toContain('Service gap (dismissed)');
    // A new version of the chronology is a new object, even with equal contents.
    const changed = { kind: 'entries' as const, entries: list().slice(0, 1) };
    const redrawn = await timelineFigure(render, changed, { markers: [marker('Service gap (dismissed)')] });
    expect(redrawn).not.toContain("Children's Social Care");
    expect(renders).toHaveLength(3);
  });

  it('draws a long chronology from how many entries each agency recorded per month, each band a link', async () => {
    const { render } = counting();
    const html = await timelineFigure(
      render,
      {
        kind: 'density',
        period: 'month',
        agencies: [
          {
            agency: 'police',
            agencyName: 'Northshire Police',
            entries: 41,
            events: 40,
            first: '2019-03-02',
            last: '2019-04-30',
          },
          {
            agency: 'csc',
            agencyName: "Children's Social Care",
            entries: 3,
            events: 3,
            first: '2019-04-01',
            last: '2019-04-09',
          },
        ],
        cells: [
          { agency: 'police', period: '2019-03', entries: 40 },
          { agency: 'police', period: '2019-04', entries: 1 },
          { agency: 'csc', period: '2019-04', entries: 3 },
        ],
      },
      {
        markers: [{ date: '2019-04-02', label: 'Service gap', href: '/signals#one' }],
        linkBase: '/reviews/LOS-1/chronology',
        signalsHref: '/signals',
      },
    );
    // A band per agency and month, no marker per entry.
    expect(html.match(/<title>[^<]*<\/title><rect class="app-timeline__density/g)).toHaveLength(4);
    expect(html).not.toContain('app-timeline__marker--incident');
    expect(html).toContain(
      'href="/reviews/LOS-1/chronology?agency=police&amp;from=2019-03-01&amp;to=2019-03-31#showing"',
    );
    expect(html).toContain('<title>March 2019: Northshire Police, 40 entries</title><rect');
    expect(html).toContain(
      '44 entries recording 43 events (entries linked as one event counted once) from March 2019 to April 2019',
    );
    expect(html).toContain('<a class="govuk-link" href="/signals">April 2019: 1 practice signal</a>');
  });
});
