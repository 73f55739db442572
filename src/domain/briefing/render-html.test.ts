import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { briefingArb } from '../../../test/briefing/briefing-arbitrary.ts';
import type { Briefing } from './model.ts';
import { renderBriefingHtml, renderBriefingHtmlDocument } from './render-html.ts';

const briefing: Briefing = {
  title: 'Child 2 <script>alert("x")</script>',
  sections: [
    {
      kind: 'background',
      heading: 'Background & Concerns',
      paragraphs: ['Mother said "no" & left <b>early</b>.'],
      items: [],
    },
    {
      kind: 'practiceEpisodes',
      heading: 'Key Practice Episodes',
      paragraphs: [],
      goodPractice: ['Health visitor kept in touch'],
      areasForImprovement: ['Child not seen', "Risk wasn't understood"],
      items: [],
    },
    {
      kind: 'furtherInformation',
      heading: 'Further information',
      paragraphs: [],
      items: [
        { title: 'Threshold of Need', url: 'https://example.org/threshold?a=1&b=2' },
        { title: 'Bad link', url: 'javascript:alert(1)' },
        { title: 'SCP Training' },
      ],
    },
  ],
};

describe('renderBriefingHtml', () => {
  const $ = cheerio.load(renderBriefingHtml(briefing), null, false);

  it('has one h1, an h2 per section and h3s for the practice-episode lists', () => {
    expect($('article').attr('lang')).toBe('en-GB');
    expect($('h1').text()).toBe('Child 2 <script>alert("x")</script>');
    expect(
      $('h2')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['1 Background & Concerns', '2 Key Practice Episodes', '3 Further information']);
    expect(
      $('h3')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['Expected good practice', 'Areas for improvement']);
    expect($('section').first().attr('aria-labelledby')).toBe($('h2').first().attr('id'));
  });

  it('writes lists as lists', () => {
    expect($('section').eq(1).find('ul').eq(1).find('li').length).toBe(2);
    expect($('ul.govuk-list--bullet').length).toBe(3);
  });

  it('escapes everything that came from the document', () => {
    expect($('script').length).toBe(0);
    expect($('b').length).toBe(0);
    expect($('p').text()).toBe('Mother said "no" & left <b>early</b>.');
    expect($('li').eq(2).text()).toBe("Risk wasn't understood");
  });

  it('links only web addresses', () => {
    const links = $('a');
    expect(links.length).toBe(1);
    expect(links.attr('href')).toBe('https://example.org/threshold?a=1&b=2');
    expect(links.text()).toBe('Threshold of Need');
    expect($('li').eq(4).text()).toBe('Bad link (javascript:alert(1))');
  });

  it('starts at h2 inside a page that has its own h1', () => {
    const $2 = cheerio.load(renderBriefingHtml(briefing, { titleLevel: 2, idPrefix: 'b7' }), null, false);
    expect($2('h1').length).toBe(0);
    expect($2('h2').first().text()).toContain('Child 2');
    expect($2('h3').length).toBe(3);
    expect($2('h4').length).toBe(2);
    expect($2('h3').first().attr('id')).toBe('b7-section-1');
  });

  it('lets no markup through from any generated briefing', () => {
    const allowed = new Set(['article', 'section', 'h1', 'h2', 'h3', 'span', 'p', 'ul', 'li', 'a']);
    fc.assert(
      fc.property(briefingArb, (b) => {
        const $g = cheerio.load(renderBriefingHtml(b), null, false);
        for (const el of $g('*').toArray()) expect(allowed).toContain('tagName' in el ? el.tagName : '');
        const text = $g.root().text();
        for (const s of b.sections) {
          for (const p of s.paragraphs) expect(text).toContain(p);
        }
        expect($g('h1').text()).toBe(b.title);
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderBriefingHtmlDocument', () => {
  it('is a whole page in British English, titled, with the partnership named', () => {
    const $ = cheerio.load(renderBriefingHtmlDocument(briefing, { partnershipName: 'Northshire <SCP>' }));
    expect($('html').attr('lang')).toBe('en-GB');
    expect($('title').text()).toBe(
      'Child 2 <script>alert("x")</script> – 7-minute briefing – Northshire <SCP>',
    );
    expect($('header').text()).toBe('Northshire <SCP>');
    expect($('style').text()).toContain('@media print');
  });
});
