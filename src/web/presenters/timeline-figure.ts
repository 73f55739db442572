import type { Gap } from '../../domain/chronology/merge.ts';
import { timeline, type TimelineEntry, type TimelineMarker } from './timeline.ts';

type Render = (template: string, data: object) => Promise<string>;

/**
 * The timeline figure as HTML, rendered through `partials/timeline.njk` and kept per entries array.
 * Thousands of markers make it the costliest part of the chronology page, yet it changes only with
 * the accepted chronology (whose merge hands every reader of one version the same arrays, see
 * src/services/versioned-cache.ts) and with the other markers placed on it (signals and their
 * decisions, compared by value on every call). The entries array going out of use frees it.
 */
const rendered = new WeakMap<readonly TimelineEntry[], { gaps: unknown; markers: string; html: string }>();

export async function timelineFigure(
  render: Render,
  entries: readonly TimelineEntry[],
  options: { gaps?: readonly Gap[]; markers?: readonly TimelineMarker[] } = {},
): Promise<string> {
  const markers = JSON.stringify(options.markers ?? []);
  const held = rendered.get(entries);
  if (held && held.gaps === options.gaps && held.markers === markers) return held.html;
  const html = await render('partials/timeline.njk', { timeline: timeline(entries, options) });
  // The template's output is thousands of small strings joined lazily; a flat copy is joined once
  // here rather than again by every page that includes it.
  const flat = Buffer.from(html, 'utf8').toString('utf8');
  rendered.set(entries, { gaps: options.gaps, markers, html: flat });
  return flat;
}
