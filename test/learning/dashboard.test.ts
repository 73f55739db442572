import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/domain/calendar/format.ts';
import { DASHBOARD_FIGURES, type DashboardFigure } from '../../src/schemas/dashboard.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { count } from '../support/learning.ts';
import { actorOf } from '../chronology/setup.ts';
import { readRecurrence } from '../../src/services/recurrence-service.ts';
import * as schema from '../../src/db/schema.ts';
import { getTableName, isTable } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { themesByYear } from '../../src/domain/learning/recurrence.ts';

type Row = Record<string, string | number | null>;
const num = (v: string | number | null | undefined) => (v === null || v === undefined ? '–' : String(v));
const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

/** What each figure's table on the page must read, worked out from the figure's data (the API's rows). */
const EXPECTED_TABLE: Record<DashboardFigure, (items: Row[]) => string[][]> = {
  'reviews-by-stage': (items) =>
    items.map((r) => [
      String(r.stage),
      num(r.reviews),
      num(r.medianDaysInStage),
      num(r.longestDaysInStage),
      num(r.pastDeadline),
    ]),
  'agency-returns': (items) =>
    items.map((r) => [String(r.agency), num(r.outstanding), num(r.overdue), num(r.longestOverdueDays)]),
  actions: (items) =>
    items.map((r) => [
      String(r.agency),
      num(r.overdue),
      num(r.dueSoon),
      num(r.onTrack),
      num(r.done),
      num(r.cancelled),
      num(r.total),
    ]),
  themes: (items) => {
    const byTheme = new Map<string, Row[]>();
    for (const r of items) byTheme.set(String(r.theme), [...(byTheme.get(String(r.theme)) ?? []), r]);
    return [...byTheme.entries()]
      .map(([name, rs]) => ({ name, rs, total: rs.reduce((s, r) => s + Number(r.reviews), 0) }))
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
      .map(({ name, rs, total }) => [
        name,
        ...rs.map((r) =>
          Number(r.repeatsAfterCompletedActions) > 0
            ? `${r.reviews} (${plural(Number(r.repeatsAfterCompletedActions), 'repeat')})`
            : String(r.reviews),
        ),
        String(total),
      ]);
  },
  audits: (items) =>
    items.map((r) => [
      String(r.audit),
      String(r.agency),
      formatDate(String(r.roundDate)),
      num(r.compliant),
      num(r.sampled),
      `${r.percentage}%`,
    ]),
  're-referrals': (items) =>
    items.map((r) => [
      String(r.year),
      num(r.referrals),
      num(r.reReferralsWithin12Months),
      r.ratePercent === null ? '–' : `${r.ratePercent}%`,
    ]),
};

/**
 * The board's dashboard: each figure's table on the page equals the figure's data (as the API and
 * the CSV give it), its chart is an SVG named by its summary, filters narrow every figure, and only
 * board members, coordinators and administrators see it.
 */
describe.each(DATABASE_KINDS)("the board's dashboard (%s)", { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  let web: WebClient;
  let token: string;
  const api = (url: string, bearer = token) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });

  beforeAll(async () => {
    t = await buildTestApp(kind);
    web = new WebClient(t.app);
    await web.signIn('board@demo.example');
    token = (await t.services.auth.createApiToken('board@demo.example', 'dashboard')).token;
  }, 180_000);
  afterAll(async () => t?.close());

  const tableOf = (p: ReturnType<typeof page>, id: string) =>
    p
      .$(`#${id}-table tbody tr`)
      .map((_, tr) => [
        p
          .$(tr)
          .children('th, td')
          .map((_, c) => p.$(c).text().replace(/\s+/g, ' ').trim())
          .get(),
      ])
      .get() as string[][];

  it.each([[''], ['?from=2021&to=2021'], ['?agency=police']])(
    'shows each figure as a chart, its summary and a table equal to its data (%s)',
    async (filter) => {
      const p = page(await web.get(`/dashboard${filter}`));
      expect(p.h1).toBe('Dashboard');
      let nonEmpty = 0;
      for (const figure of DASHBOARD_FIGURES) {
        const res = await api(`/api/v1/dashboard/${figure}${filter}`);
        expect(res.statusCode).toBe(200);
        const { items, total } = res.json() as { items: Row[]; total: number };
        expect(total).toBe(items.length);
        const rows = tableOf(p, figure);
        if (items.length === 0) expect(rows).toEqual([['None']]);
        else {
          nonEmpty++;
          expect(rows).toEqual(EXPECTED_TABLE[figure](items));
          const svg = p.$(`#${figure}-title`).closest('section').find('svg');
          expect(svg.length).toBe(1);
          expect(svg.attr('aria-labelledby')).toBe(`${figure}-summary`);
        }
        expect(p.$(`#${figure}-summary`).text().trim()).not.toBe('');
      }
      // The demo gives something to every figure when unfiltered.
      if (filter === '') expect(nonEmpty).toBe(DASHBOARD_FIGURES.length);
    },
  );

  it.each<[{ from?: string; to?: string }]>([[{}], [{ from: '2022', to: '2023' }]])(
    'counts themes over time in SQL exactly as the recurrence rules do (%o)',
    async (filter) => {
      const board = await actorOf(t, 'board@demo.example');
      const { items } = await readRecurrence(t.database.db, board);
      const inPeriod = (date: string) =>
        (!filter.from || date.slice(0, 4) >= filter.from) && (!filter.to || date.slice(0, 4) <= filter.to);
      const byRules = themesByYear(
        items.map((i) => {
          const reviews = i.reviews.filter((r) => inPeriod(r.date));
          const kept = new Set(reviews.map((r) => r.reference));
          return { ...i, reviews, repeats: i.repeats.filter((r) => kept.has(r.reference)) };
        }),
      );
      const counted = (await t.services.dashboard.view(board, filter)).themes;
      const cells = (rows: { key: string; counts: number[]; repeats: number[] }[], years: number[]) =>
        rows
          .flatMap((r) => years.map((y, i) => `${r.key} ${y}: ${r.counts[i]} (${r.repeats[i]})`))
          .filter((c) => !c.endsWith(': 0 (0)'))
          .sort();
      expect(counted.years).toEqual(byRules.years);
      expect(cells(counted.rows, counted.years)).toEqual(
        cells(
          byRules.rows.map((r) => ({ ...r, key: r.theme.key })),
          byRules.years,
        ),
      );
      // The demo has repeats to count.
      expect(counted.rows.some((r) => r.repeats.some((n) => n > 0))).toBe(true);
    },
  );

  it('gives each figure as CSV with the same rows, and every figure at once as JSON', async () => {
    const csv = await web.get('/dashboard/themes.csv?from=2021');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('theme_key,theme,year,reviews,repeats_after_completed_actions');
    const json = (await api('/api/v1/dashboard/themes?from=2021')).json() as { items: Row[] };
    expect(lines.length - 1).toBe(json.items.length);
    const apiCsv = await api('/api/v1/dashboard/themes?from=2021&format=csv');
    expect(apiCsv.body).toBe(csv.body);

    const all = (await api('/api/v1/dashboard')).json();
    expect(Object.keys(all.figures)).toEqual([...DASHBOARD_FIGURES]);
    expect(all.filter).toEqual({ from: null, to: null, agency: null });
    const child2 = all.figures.themes.filter((r: Row) => r.year === 2021 && Number(r.reviews) > 0);
    expect(child2.map((r: Row) => r.themeKey).sort()).toEqual([
      'critical-challenge',
      'information-sharing',
      'professional-curiosity',
      'recording-chronologies',
      'risk-assessment',
      'think-family',
      'thresholds-re-referral',
      'voice-of-the-child',
    ]);
    expect(
      await count(
        t,
        sql`select count(*)::int as n from audit_events where action = 'dashboard.export' and outcome = 'success'`,
      ),
    ).toBeGreaterThanOrEqual(3);
  });

  it('names a filter that does not make sense, and shows the print view without links', async () => {
    const bad = page(await web.get('/dashboard?from=2024&to=2021'));
    expect(bad.errorSummary).toEqual(['The period must start in or before the year it ends']);
    const apiBad = await api('/api/v1/dashboard?agency=nowhere');
    expect(apiBad.statusCode).toBe(400);
    const print = page(await web.get('/dashboard/print?from=2021'));
    expect(print.$('.app-dashboard-figure').length).toBe(DASHBOARD_FIGURES.length);
    expect(print.$('a[download]').length).toBe(0);
  });

  const rowsOf = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const successfulViews = () =>
    count(
      t,
      sql`select count(*)::int as n from audit_events where action = 'dashboard.view' and outcome = 'success'`,
    );

  it('keeps the figures until anything they are read from changes, and shows a change at once', async () => {
    const board = await actorOf(t, 'board@demo.example');
    const first = await t.services.dashboard.view(board, {});
    const views = await successfulViews();
    const again = await t.services.dashboard.view(board, {});
    // Worked out once and kept (the same figures handed back), yet every view is on record.
    expect(again.actions).toBe(first.actions);
    expect(await successfulViews()).toBe(views + 1);

    // A change made straight in the database, as another instance of the service would make it.
    const [open] = await rowsOf<{ id: string; status: string; agency: string }>(
      sql`select a.id, a.status, g.code as agency from review_actions a join agencies g on g.id = a.owning_agency_id
          join reviews r on r.id = a.review_id
          where r.partnership_id = ${board.partnershipId} and a.status in ('not_started', 'in_progress')
          order by a.id limit 1`,
    );
    const rowOf = (f: typeof first) => f.actions.find((a) => a.agencyCode === open!.agency)!;
    await t.database.db.execute(sql`update review_actions set status = 'cancelled' where id = ${open!.id}`);
    const changed = await t.services.dashboard.view(board, {});
    expect(rowOf(changed).cancelled).toBe(rowOf(first).cancelled + 1);
    expect(rowOf(changed).total).toBe(rowOf(first).total);
    expect(rowOf(changed).overdue + rowOf(changed).dueSoon + rowOf(changed).onTrack).toBe(
      rowOf(first).overdue + rowOf(first).dueSoon + rowOf(first).onTrack - 1,
    );
    // The API's download reads the same kept figures: it shows the change too.
    const overApi = (await api('/api/v1/dashboard/actions')).json() as { items: Row[] };
    expect(overApi.items.find((r) => r.agency === rowOf(changed).agencyName)?.cancelled).toBe(
      rowOf(changed).cancelled,
    );

    // Learning tagged with a theme more shows in themes over time and in recurrence at once.
    const [statement] = await rowsOf<{ id: string; reference: string }>(
      sql`select s.id, r.reference from learning_statements s join reviews r on r.id = s.review_id
          where r.reference = 'LOS-2021-002' order by s.position limit 1`,
    );
    const [theme] = await rowsOf<{ id: string; key: string }>(
      sql`select t.id, t.key from learning_themes t where t.partnership_id = ${board.partnershipId}
          and t.retired_at is null and not exists (
            select 1 from learning_statement_themes lst join learning_statements s on s.id = lst.statement_id
            join reviews r on r.id = s.review_id where lst.theme_id = t.id and r.reference = 'LOS-2021-002')
          order by t.key limit 1`,
    );
    const reviewsUnder = async () =>
      (await t.services.recurrence.list(board, {})).items
        .find((i) => i.theme.key === theme!.key)!
        .reviews.map((r) => r.reference);
    const in2021 = (f: typeof first) => {
      const row = f.themes.rows.find((r) => r.key === theme!.key);
      const i = f.themes.years.indexOf(2021);
      return row && i >= 0 ? (row.counts[i] ?? 0) : 0;
    };
    const reviewsBefore = await reviewsUnder();
    expect(reviewsBefore).not.toContain('LOS-2021-002');
    expect(await reviewsUnder()).toEqual(reviewsBefore); // kept
    await t.database.db.execute(
      sql`insert into learning_statement_themes (statement_id, theme_id) values (${statement!.id}, ${theme!.id})`,
    );
    expect((await reviewsUnder()).sort()).toEqual([...reviewsBefore, 'LOS-2021-002'].sort());
    expect(in2021(await t.services.dashboard.view(board, {}))).toBe(in2021(changed) + 1);

    // And undoing both shows the figures as they were.
    await t.database.db.execute(
      sql`delete from learning_statement_themes where statement_id = ${statement!.id} and theme_id = ${theme!.id}`,
    );
    await t.database.db.execute(
      sql`update review_actions set status = ${open!.status} where id = ${open!.id}`,
    );
    expect(await reviewsUnder()).toEqual(reviewsBefore);
    const undone = await t.services.dashboard.view(board, {});
    expect(undone.actions).toEqual(first.actions);
    expect(undone.themes).toEqual(first.themes);
  });

  it('gives each reader only the reviews they may see, whoever asked first, and a new member theirs at once', async () => {
    const board = await actorOf(t, 'board@demo.example');
    const chair = await actorOf(t, 'chair@demo.example'); // a member of Child 2's review only
    const references = async (actor: typeof board) =>
      [
        ...new Set(
          (await t.services.recurrence.list(actor, {})).items.flatMap((i) =>
            i.reviews.map((r) => r.reference),
          ),
        ),
      ].sort();
    const boardSees = await references(board);
    expect(boardSees).toEqual(
      expect.arrayContaining(['LOS-2021-002', 'LOS-2022-001', 'LOS-2023-001', 'LOS-2024-001']),
    );
    expect(await references(chair)).toEqual(['LOS-2021-002']);

    const [child3] = await rowsOf<{ id: string }>(
      sql`select id from reviews where reference = 'LOS-2022-001'`,
    );
    await t.database.db.execute(
      sql`insert into review_members (review_id, user_id) values (${child3!.id}, ${chair.userId})`,
    );
    try {
      expect(await references(chair)).toEqual(['LOS-2021-002', 'LOS-2022-001']);
    } finally {
      await t.database.db.execute(
        sql`delete from review_members where review_id = ${child3!.id} and user_id = ${chair.userId}`,
      );
    }
    expect(await references(chair)).toEqual(['LOS-2021-002']);
    expect(await references(board)).toEqual(boardSees);
  });

  it("counts a review past the partnership's own target as soon as the partnership sets one", async () => {
    const board = await actorOf(t, 'board@demo.example');
    const [review] = await rowsOf<{ reference: string; stage: string; decided_on: string }>(
      sql`select r.reference, r.stage, s.decided_on::text from reviews r join screening_decisions s on s.review_id = r.id
          where r.partnership_id = ${board.partnershipId} and r.type = 'line_of_sight' and r.status = 'active'
          and r.stage in ('terms_of_reference', 'information_gathering', 'analysis', 'event', 'learning_and_actions', 'briefing')
          order by s.decided_on limit 1`,
    );
    expect(review).toBeDefined();
    const [partnership] = await rowsOf<{ weeks: number | null }>(
      sql`select line_of_sight_target_weeks as weeks from partnerships where id = ${board.partnershipId}`,
    );
    const lateFor = async () =>
      (await t.services.dashboard.view(board, {})).pipeline.late.filter(
        (l) =>
          l.reference === review!.reference && l.deadline.what === 'Briefing published (partnership target)',
      );
    const stageRow = async () =>
      (await t.services.dashboard.view(board, {})).pipeline.stages.find((s) => s.stage === review!.stage)!;
    expect(await lateFor()).toEqual([]);
    const before = await stageRow();

    // A week from its screening decision, long past: the review is late against the partnership's target.
    await t.database.db.execute(
      sql`update partnerships set line_of_sight_target_weeks = 1 where id = ${board.partnershipId}`,
    );
    try {
      const late = await lateFor();
      const due = new Date(`${review!.decided_on}T12:00:00Z`);
      due.setUTCDate(due.getUTCDate() + 7);
      expect(late.map((l) => [l.stage, l.deadline.due])).toEqual([
        [review!.stage, due.toISOString().slice(0, 10)],
      ]);
      // Counted past a deadline in its stage (nothing else made it late before).
      const after = await stageRow();
      expect(after.reviews).toBe(before.reviews);
      expect(after.pastDeadline).toBe(before.pastDeadline + 1);
    } finally {
      await t.database.db.execute(
        sql`update partnerships set line_of_sight_target_weeks = ${partnership!.weeks} where id = ${board.partnershipId}`,
      );
    }
    expect(await lateFor()).toEqual([]);
    expect(await stageRow()).toEqual(before);
  });

  it('gives a new version on a change to every table recurrence and the dashboard read, from any process', async () => {
    // The tables the two repositories and the visible-reviews condition read: their schema imports
    // and the tables named in their SQL. Every one must carry the three triggers of drizzle/0023.
    const sources = [
      'src/db/repositories/dashboard-repository.ts',
      'src/db/repositories/recurrence-repository.ts',
      'src/db/repositories/review-access.ts',
    ].map((f) => readFileSync(f, 'utf8'));
    const tables = await rowsOf<{ name: string }>(
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const known = new Set(tables.map((r) => r.name));
    const read = new Set<string>();
    for (const source of sources) {
      const imported = /import \{([^}]*)\} from '\.\.\/schema\.ts'/.exec(source)?.[1] ?? '';
      for (const name of imported
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)) {
        const table = (schema as Record<string, unknown>)[name];
        if (isTable(table)) read.add(getTableName(table));
      }
      for (const m of source.matchAll(/\b(?:from|join)\s+([a-z_]+)\b/g))
        if (known.has(m[1]!)) read.add(m[1]!);
    }
    read.add('agencies'); // the filter's agencies, read with the figures (directory-repository.ts)
    // Read on each request after the kept answer (the repeat warning's audits), never kept.
    read.delete('action_audits');
    expect(read.size).toBeGreaterThanOrEqual(20);
    const triggered = await rowsOf<{ table: string; n: number }>(
      sql`select c.relname as table, count(*)::int as n from pg_trigger g join pg_class c on c.oid = g.tgrelid
          where g.tgname in ('learning_figures_inserted', 'learning_figures_updated', 'learning_figures_deleted')
          group by c.relname`,
    );
    const withAll = new Set(triggered.filter((r) => r.n === 3).map((r) => r.table));
    expect([...read].filter((name) => !withAll.has(name)).sort()).toEqual([]);
  });

  it('refuses the dashboard to a practitioner, on the page and over the API, on record', async () => {
    const practitioner = new WebClient(t.app);
    await practitioner.signIn('practitioner@demo.example');
    const before = await count(
      t,
      sql`select count(*)::int as n from audit_events where action = 'dashboard.view' and outcome = 'denied'`,
    );
    expect((await practitioner.get('/dashboard')).statusCode).toBe(403);
    const theirs = (await t.services.auth.createApiToken('practitioner@demo.example', 'dashboard')).token;
    expect((await api('/api/v1/dashboard', theirs)).statusCode).toBe(403);
    expect(
      await count(
        t,
        sql`select count(*)::int as n from audit_events where action = 'dashboard.view' and outcome = 'denied'`,
      ),
    ).toBe(before + 2);
  });
});
