import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { page, signedInClients } from '../support/client.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf, reviewInInformationGathering } from '../chronology/setup.ts';

const ENTRIES = 250;

describe.each(DATABASE_KINDS)("a return's entries are shown a page at a time (%s)", (kind) => {
  let t: TestApp;
  let ref: string;
  const as = signedInClients(() => t.app);

  /** The table's rows on a page: each entry's summary. */
  const summaries = (shown: ReturnType<typeof page>) =>
    shown
      .$('.app-chronology-table tbody tr')
      .map((_, tr) => shown.$(tr).find('td').eq(2).text().trim())
      .get();
  const pagination = (shown: ReturnType<typeof page>) => ({
    pages: shown
      .$('.govuk-pagination__item')
      .map((_, li) => shown.$(li).text().trim())
      .get(),
    current: shown.$('.govuk-pagination__item--current').text().trim(),
    next: shown.$('.govuk-pagination__next a').attr('href') ?? null,
    previous: shown.$('.govuk-pagination__prev a').attr('href') ?? null,
  });

  beforeAll(async () => {
    t = await buildTestApp(kind);
    ref = await reviewInInformationGathering(t);
    await t.services.requests.send(await actorOf(t, 'coordinator@demo.example'), ref, {
      agencies: ['police'],
      workingDays: 15,
    });
    // 250 entries a day apart, entry N on day N: the date order is the number order.
    await t.database.db.execute(sql`
      insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary, source_row)
      select q.review_id, q.id, q.agency_id, d, d, 'contact', 'Testchild Example entry ' || g, g + 1
      from agency_requests q
      join reviews r on r.id = q.review_id
      join agencies a on a.id = q.agency_id
      cross join generate_series(1, ${ENTRIES}::int) g
      cross join lateral (select to_char(date '2018-03-01' + g, 'YYYY-MM-DD') as d) day
      where r.reference = ${ref} and a.code = 'police'`);
  });
  afterAll(async () => t?.close());

  it('"check your answers" shows 100 entries, the total from the database, and GOV.UK pagination', async () => {
    const police = await as('police.lead@demo.example');
    const base = `/reviews/${ref}/return/check`;
    const first = page(await police.get(base));
    expect(first.$('#entries').text()).toBe('Chronology entries (250)');
    expect(first.$('#entries-showing').text()).toBe('Showing 1 to 100 of 250 entries');
    const rows = summaries(first);
    expect(rows).toHaveLength(100);
    expect(rows[0]).toBe('Testchild Example entry 1');
    expect(rows[99]).toBe('Testchild Example entry 100');
    expect(pagination(first)).toEqual({
      pages: ['1', '2', '3'],
      current: '1',
      next: `${base}?page=2#entries`,
      previous: null,
    });

    const last = page(await police.get(`${base}?page=3`));
    expect(last.$('#entries-showing').text()).toBe('Showing 201 to 250 of 250 entries');
    expect(summaries(last)).toEqual(
      Array.from({ length: 50 }, (_, i) => `Testchild Example entry ${201 + i}`),
    );
    expect(pagination(last)).toMatchObject({ current: '3', next: null, previous: `${base}?page=2#entries` });
    // A page past the end shows the last; a page that is no number, the first.
    expect(
      page(await police.get(`${base}?page=99`))
        .$('#entries-showing')
        .text(),
    ).toBe('Showing 201 to 250 of 250 entries');
    expect(
      page(await police.get(`${base}?page=x`))
        .$('#entries-showing')
        .text(),
    ).toBe('Showing 1 to 100 of 250 entries');
    // The task list counts them without showing them.
    const tasks = page(await police.get(`/reviews/${ref}/return`));
    expect(tasks.$('.govuk-task-list__hint').first().text().trim()).toBe(
      '250 entries: add them one by one or upload a CSV or Excel file',
    );
  });

  it("the self-analysis's last Save goes on to check your answers once the return holds an entry; else the task list", async () => {
    const police = await as('police.lead@demo.example');
    const { kloes } = await t.services.returns.workspace(await actorOf(t, 'police.lead@demo.example'), ref, {
      form: true,
    });
    expect(kloes.length).toBeGreaterThan(0);
    const save = (client: typeof police, id: string, next?: string) =>
      client.post(`/reviews/${ref}/return/self-analysis/${id}`, {
        wentWell: 'Recorded the same day.',
        ...(next ? { next } : {}),
      });
    for (const [i, k] of kloes.entries()) {
      const next = kloes[i + 1];
      const saved = await save(police, k.id, next?.id);
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(
        next ? `/reviews/${ref}/return/self-analysis/${next.id}` : `/reviews/${ref}/return/check`,
      );
    }
    // A return with no entry yet cannot be submitted: the last Save goes back to its task list.
    await t.services.requests.send(await actorOf(t, 'coordinator@demo.example'), ref, {
      agencies: ['health-visiting'],
      workingDays: 15,
    });
    const hv = await as('hv.lead@demo.example');
    const last = kloes[kloes.length - 1]!;
    const empty = await save(hv, last.id);
    expect(empty.statusCode).toBe(303);
    expect(empty.headers.location).toBe(`/reviews/${ref}/return`);
  });

  it("the coordinator's view of the submitted return is paged the same way", async () => {
    const lead = await actorOf(t, 'police.lead@demo.example');
    await t.services.returns.submit(lead, ref);
    const { request } = await t.services.returns.workspace(lead, ref);
    const coordinator = await as('coordinator@demo.example');
    const url = `/reviews/${ref}/requests/${request.request.id}`;
    const second = page(await coordinator.get(`${url}?page=2`));
    expect(second.$('#entries').text()).toBe('Chronology entries (250)');
    expect(second.$('#entries-showing').text()).toBe('Showing 101 to 200 of 250 entries');
    expect(summaries(second)[0]).toBe('Testchild Example entry 101');
    expect(pagination(second)).toEqual({
      pages: ['1', '2', '3'],
      current: '2',
      next: `${url}?page=3#entries`,
      previous: `${url}#entries`,
    });
  });
});
