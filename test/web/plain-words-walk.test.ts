import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { DEMO_USERS } from '../../src/demo/partnership.ts';
import { ROUTE_CAPABILITIES } from '../../src/web/route-capabilities.ts';
import { codesInText } from '../support/plain-words.ts';

/**
 * Every page of the demonstration, as each of its people, read as a person reads it: no rule
 * ids, agency codes, enum values or ISO dates in the visible text (tags, scripts and attributes
 * stripped). The pages are found by following the links on the pages themselves from the
 * navigation, so every id is one the demo has; each GET route of the route table must be reached.
 */

/**
 * Each person opens one address of each route they reach (the first found), and a route is read
 * by at most this many people: what differs between roles on one page is a button or a task, and
 * the walk has to stay cheap (CI time).
 */
const PEOPLE_PER_ROUTE = 3;
const WALK_TIMEOUT = 600_000;
/** Where each person's walk starts: the navigation on these pages leads everywhere they may go. */
const START = ['/', '/reviews', '/returns', '/actions', '/library', '/account'];
const ORDER = [
  'coordinator@demo.example',
  'csc.lead@demo.example',
  'chair@demo.example',
  'police.lead@demo.example',
  'hv.lead@demo.example',
  'practitioner@demo.example',
  'board@demo.example',
  'admin@demo.example',
];

/** Routes that answer a file, an image or a redirect, not a page to read. */
const NOT_PAGES = /(\.csv|\.xlsx|\.:format|\/file|\/logo|\/sso\/:key|\/sso\/callback|\/confirm)$/;

/** GET routes no link of the demonstration reaches, and why (each checked another way or not a page). */
const NOT_LINKED: Record<string, string> = {
  '/': 'redirects to the reviews list',
  '/reviews/:ref/resume': 'only a paused review offers it; the demonstration pauses none',
  '/reviews/:ref/return/entries/:id': "the demonstration's returns in progress hold no typed entries",
  '/reviews/:ref/return/entries/:id/remove': "the demonstration's returns in progress hold no typed entries",
  '/reviews/:ref/episodes/new': "offered only while a review's event is being prepared",
  '/reviews/:ref/episodes/:id': "offered only while a review's event is being prepared",
  '/reviews/:ref/learning/new': 'offered only while learning is recorded',
  '/reviews/:ref/learning/:id': 'offered only while learning is recorded',
  '/reviews/:ref/briefing/sections/new': 'offered only on a draft briefing',
  '/library/import/drafts/:id': 'the demonstration keeps no import draft',
  '/reviews/:ref/return/uploads/:id':
    "a large upload's page: the demonstration queues none (test/chronology/upload-jobs.test.ts reads it waiting and done in plain words)",
  '/admin/sign-in/providers/:id': 'the demonstration has no single sign-on provider',
  '/account/kept-forms': 'lists forms kept at a time-out; the demonstration keeps none',
  '/account/kept-forms/:id': 'lists forms kept at a time-out; the demonstration keeps none',
};

interface Pattern {
  route: string;
  regex: RegExp;
}

function patternsOf(routes: string[]): Pattern[] {
  return routes.map((route) => ({
    route,
    regex: new RegExp(`^${route.replace(/[.]/g, '\\.').replace(/:[A-Za-z]+/g, '[^/?#]+')}$`),
  }));
}

/** The route a path belongs to: a literal route wins over one with parameters (/reviews/new). */
function routeOf(path: string, patterns: Pattern[]): string | undefined {
  const matches = patterns.filter((p) => p.regex.test(path));
  matches.sort((a, b) => (a.route.match(/:/g)?.length ?? 0) - (b.route.match(/:/g)?.length ?? 0));
  return matches[0]?.route;
}

describe.each(DATABASE_KINDS)('every page of the demonstration in plain words (%s)', (kind) => {
  let t: TestApp;
  let patterns: Pattern[];
  let pageRoutes: string[];
  const agencyCodes: string[] = [];
  /**
   * Every review's briefing and terms of reference, which the coordinator opens besides their
   * walk: a section's or a key line of enquiry's own page is linked only in some stages, and one
   * address per route might be another review's.
   */
  const reviewTabs: string[] = [];

  beforeAll(async () => {
    t = await buildTestApp(kind);
    pageRoutes = Object.keys(ROUTE_CAPABILITIES)
      .filter((k) => k.startsWith('GET ') && ROUTE_CAPABILITIES[k] !== 'public')
      .map((k) => k.slice(4))
      .filter((url) => !url.startsWith('/api/') && !url.includes('*') && !NOT_PAGES.test(url));
    patterns = patternsOf(pageRoutes);
    const rows = (await t.database.db.execute(sql`select code from agencies`)) as unknown as {
      rows: { code: string }[];
    };
    agencyCodes.push(...rows.rows.map((r) => r.code));
    const reviews = (await t.database.db.execute(
      sql`select reference from reviews order by reference`,
    )) as unknown as { rows: { reference: string }[] };
    for (const { reference } of reviews.rows)
      reviewTabs.push(`/reviews/${reference}/briefing`, `/reviews/${reference}/terms-of-reference`);
  });
  afterAll(async () => t?.close());

  it('shows no code and no ISO date on any page anyone can reach', { timeout: WALK_TIMEOUT }, async () => {
    const reached = new Set<string>();
    const readers = new Map<string, number>();
    /** Each finding once, on the first address it was seen: `route: code (address, person)`. */
    const findings = new Map<string, string>();
    let requests = 0;
    // The people who reach most first, so the limit per route leaves the others their own pages.
    const people = [...DEMO_USERS].sort((a, b) => ORDER.indexOf(a.email) - ORDER.indexOf(b.email));
    for (const user of people) {
      const client = new WebClient(t.app);
      await client.signIn(user.email);
      const opened = new Set<string>();
      const seen = new Set<string>();
      const always = new Set([...START, ...(user.email === 'coordinator@demo.example' ? reviewTabs : [])]);
      const queue = [...always];
      while (queue.length) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const path = url.split(/[?#]/)[0]!;
        const route = routeOf(path, patterns);
        if (!route) continue;
        // Everyone opens the pages the walk starts from: their navigation leads on to the rest.
        if (!always.has(url) && (opened.has(route) || (readers.get(route) ?? 0) >= PEOPLE_PER_ROUTE))
          continue;
        opened.add(route);
        readers.set(route, (readers.get(route) ?? 0) + 1);
        const res = await client.get(url);
        requests++;
        if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
        reached.add(route);
        for (const code of codesInText(res.body, agencyCodes))
          if (!findings.has(`${route}: ${code}`))
            findings.set(`${route}: ${code}`, `${url} as ${user.email}`);
        const $ = cheerio.load(res.body);
        $('a[href^="/"]').each((_, a) => {
          const href = $(a).attr('href')!;
          // Signing out and the identifiable-details views are not for a walk to open.
          if (href.startsWith('/sign-out')) return;
          queue.push(href.split('#')[0]!);
        });
      }
    }
    console.log(`plain words: ${requests} pages read`);
    expect([...findings].map(([what, where]) => `${what} (${where})`)).toEqual([]);
    const missed = pageRoutes.filter((r) => !reached.has(r) && !(r in NOT_LINKED));
    expect(missed).toEqual([]);
  });

  it("takes every date filter as day, month and year, says the format when one is not a date, and still reads a link's date", async () => {
    const coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const wrong = page(await coordinator.get('/actions?dueFrom-day=31&dueFrom-month=2&dueFrom-year=2026'));
    expect(wrong.errorSummary).toEqual([
      'Enter the "due from" date as a real date, with the day, month and year in numbers, for example 27 3 2026',
    ]);
    expect(wrong.$('#dueFrom-day').val()).toBe('31');
    expect(wrong.$('a[href="#dueFrom-day"]').length).toBe(1);

    const chronology = '/reviews/LOS-2021-002/chronology';
    const all = page(await coordinator.get(chronology));
    const typed = page(
      await coordinator.get(
        `${chronology}?from-day=1&from-month=1&from-year=2021&to-day=31&to-month=3&to-year=2021`,
      ),
    );
    expect(typed.errorSummary).toEqual([]);
    const shown = typed.$('#showing').text();
    expect(shown).not.toBe(all.$('#showing').text());
    // A link's ISO date (the signals' evidence) filters the same and fills the date input.
    const linked = page(await coordinator.get(`${chronology}?from=2021-01-01&to=2021-03-31`));
    expect(linked.$('#showing').text()).toBe(shown);
    expect([
      linked.$('#from-day').val(),
      linked.$('#from-month').val(),
      linked.$('#from-year').val(),
    ]).toEqual(['1', '1', '2021']);
    const bad = page(await coordinator.get(`${chronology}?to-day=40&to-month=1&to-year=2021`));
    expect(bad.errorSummary).toEqual([
      'Enter the "to" date as a real date, with the day, month and year in numbers, for example 27 3 2026',
    ]);
  });
});
