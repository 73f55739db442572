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

const entries = (): TimelineEntry[] => [
  { date: '2019-03-02', agency: 'police', agencyName: 'Northshire Police', eventType: 'police_incident' },
  { date: '2019-09', agency: 'csc', agencyName: "Children's Social Care", eventType: 'referral' },
];
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
    // A new version of the chronology is a new array, even with equal contents.
    const changed = entries().slice(0, 1);
    const redrawn = await timelineFigure(render, changed, { markers: [marker('Service gap (dismissed)')] });
    expect(redrawn).not.toContain("Children's Social Care");
    expect(renders).toHaveLength(3);
  });
});
