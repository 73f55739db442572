/**
 * The charting library's SVG, made fit for our pages: rebuilt from a short list of elements and
 * attributes, every value and text escaped again, its inline `style` attributes turned into SVG's
 * own presentation attributes and its `<style>` element dropped (a strict Content Security Policy,
 * `style-src 'self'`, refuses both), its hover classes and metadata dropped (no script runs the
 * chart), and the root given its role and label. Nothing a person typed reaches the page as markup.
 */

const ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
  'defs',
  'clipPath',
  'linearGradient',
  'stop',
]);

const ATTRIBUTES = new Set([
  'd',
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'dx',
  'dy',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'width',
  'height',
  'viewBox',
  'points',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'opacity',
  'transform',
  'text-anchor',
  'dominant-baseline',
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'clip-path',
  'id',
  'xmlns',
  'version',
  'paint-order',
  'offset',
  'stop-color',
  'stop-opacity',
  'gradientUnits',
]);

/** Style properties that SVG also takes as attributes. */
const STYLE_PROPERTIES = new Set([
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'fill',
  'stroke',
  'opacity',
]);

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;');

/** A value an attribute may hold: no script, and references only to the drawing's own parts. */
function safeValue(name: string, value: string): boolean {
  if (/javascript:|data:|expression\(|[<>]/i.test(value)) return false;
  const urls = value.match(/url\(([^)]*)\)/gi) ?? [];
  return (
    urls.every((u) => /^url\(\s*['"]?#[\w-]+['"]?\s*\)$/i.test(u)) &&
    (urls.length === 0 || name === 'clip-path' || name === 'fill' || name === 'stroke')
  );
}

function attributesOf(source: string): [string, string][] {
  const out: [string, string][] = [];
  const pattern = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (let m = pattern.exec(source); m; m = pattern.exec(source))
    out.push([m[1]!, decode(m[2] ?? m[3] ?? m[4] ?? '')]);
  return out;
}

export interface CleanOptions {
  /** The id of the element that describes the chart in words (its text summary). */
  labelledBy: string;
  className?: string;
}

export function cleanChartSvg(svg: string, options: CleanOptions): string {
  const out: string[] = [];
  const open: string[] = [];
  let skipping = 0;
  const tokens =
    /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/?([A-Za-z][\w:-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m = tokens.exec(svg); m; m = tokens.exec(svg)) {
    const [whole, name, rawAttributes, selfClosing, text] = m;
    if (text !== undefined) {
      if (!skipping && text.trim() !== '' && ['text', 'tspan', 'title', 'desc'].includes(open.at(-1) ?? ''))
        out.push(escapeText(decode(text)));
      continue;
    }
    if (!name) continue; // CDATA, comments, declarations: never kept.
    const closing = whole.startsWith('</');
    if (!ELEMENTS.has(name)) {
      // An element we do not keep is dropped with everything inside it (the <style> block).
      if (closing) skipping = Math.max(0, skipping - 1);
      else if (!selfClosing) skipping++;
      continue;
    }
    if (skipping) continue;
    if (closing) {
      if (open.at(-1) === name) {
        open.pop();
        out.push(`</${name}>`);
      }
      continue;
    }
    const kept: [string, string][] = [];
    for (const [attribute, value] of attributesOf(rawAttributes ?? '')) {
      if (attribute === 'style') {
        for (const declaration of value.split(';')) {
          const [property, ...rest] = declaration.split(':');
          const p = property?.trim().toLowerCase() ?? '';
          const v = rest.join(':').trim();
          if (STYLE_PROPERTIES.has(p) && v && safeValue(p, v)) kept.push([p, v]);
        }
      } else if (ATTRIBUTES.has(attribute) && safeValue(attribute, value)) {
        kept.push([attribute, value]);
      }
    }
    const attributes = new Map(kept);
    if (name === 'svg' && open.length === 0) {
      // Sized by the page's stylesheet (it keeps its viewBox), and read as one picture.
      attributes.delete('width');
      attributes.delete('height');
      attributes.set('role', 'img');
      attributes.set('aria-labelledby', options.labelledBy);
      attributes.set('focusable', 'false');
      if (options.className) attributes.set('class', options.className);
    }
    const rendered = [...attributes].map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
    if (selfClosing) out.push(`<${name}${rendered}/>`);
    else {
      out.push(`<${name}${rendered}>`);
      open.push(name);
    }
  }
  while (open.length) out.push(`</${open.pop()}>`);
  return out.join('');
}
