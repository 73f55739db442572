import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { CHILD_2 } from './setup.ts';

describe.each(DATABASE_KINDS)('audits of practice and the progress statement in the web (%s)', (kind) => {
  let t: TestApp;
  let coordinator: WebClient;
  let auditId: string;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = new WebClient(t.app);
    await coordinator.signIn('coordinator@demo.example');
    const result = (await t.database.db.execute(
      sql`select id from practice_audits where sample_description = 'police crime reports'`,
    )) as unknown as { rows: { id: string }[] };
    auditId = result.rows[0]!.id;
  });
  afterAll(async () => t?.close());

  it('shows the audit with its chart, a text alternative and the table beside it', async () => {
    const p = page(await coordinator.get(`/audits/${auditId}`));
    expect(p.h1).toBe('Were the children in the household recorded on the crime report?');
    const svg = p.$('svg[role="img"]');
    expect(svg.attr('aria-labelledby')).toBe('chart-title chart-desc');
    expect(p.$('#chart-desc').text()).toBe(
      'Were the children in the household recorded on the crime report?: 30 July 2021 62% (31 of 50); 30 November 2021 96% (48 of 50). Trend: improving.',
    );
    expect(svg.find('circle').length).toBe(2);
    const cells = p
      .$('table tbody tr')
      .map((_, tr) =>
        p
          .$(tr)
          .find('td')
          .map((__, td) => p.$(td).text().trim())
          .get()
          .join('|'),
      )
      .get();
    expect(cells).toEqual([
      '30 July 2021Before the new template was in use by every team.|31|50|62%',
      '30 November 2021|48|50|96%',
    ]);
    expect(p.$(`a[href^="/actions/"]`).text()).toContain(`${CHILD_2} A1`);
  });

  it('refuses an impossible round with an error summary and records nothing', async () => {
    const token = await coordinator.csrfToken(`/audits/${auditId}`);
    const res = await coordinator.post(
      `/audits/${auditId}/rounds`,
      {
        'roundDate-day': '31',
        'roundDate-month': '2',
        'roundDate-year': '2022',
        sampled: '10',
        compliant: '11',
      },
      token,
    );
    const p = page(await coordinator.follow(res));
    expect(p.errorSummary).toEqual([
      'Enter the date of the round as a real date, with the day, month and year in numbers, for example 27 3 2026',
      'The number compliant cannot be more than the number sampled',
    ]);
    const n = (await t.database.db.execute(
      sql`select count(*)::int as n from practice_audit_rounds where audit_id = ${auditId}`,
    )) as unknown as { rows: { n: number }[] };
    expect(n.rows[0]!.n).toBe(2);
  });

  it("keeps an agency lead to their own agency's audits", async () => {
    const hv = new WebClient(t.app);
    await hv.signIn('hv.lead@demo.example');
    const p = page(await hv.get(`/audits/${auditId}`));
    expect(p.$('#round').length).toBe(0);
    const res = await hv.post(
      `/audits/${auditId}/rounds`,
      {
        'roundDate-day': '1',
        'roundDate-month': '2',
        'roundDate-year': '2022',
        sampled: '10',
        compliant: '9',
      },
      await hv.csrfToken('/audits'),
    );
    expect(res.statusCode).toBe(403);
    const options = page(await hv.get('/audits'))
      .$('#agency option')
      .map((_, o) => p.$(o).attr('value'))
      .get();
    expect(options).toEqual(['', 'health-visiting']);
  });

  it('unlinks an audit from an action, on record, and lets it be linked again', async () => {
    const linkRows = async () =>
      (
        (await t.database.db.execute(
          sql`select action_id from action_audits where audit_id = ${auditId}`,
        )) as unknown as { rows: { action_id: string }[] }
      ).rows.map((r) => r.action_id);
    const [actionId] = await linkRows();
    expect(actionId).toBeDefined();
    let p = page(await coordinator.get(`/audits/${auditId}`));
    const form = p.$(`form[action="/audits/${auditId}/actions/unlink"]`);
    expect(form.find('input[name="_csrf"]').val()).toBeTruthy();
    expect(form.find('input[name="actionId"]').val()).toBe(actionId);
    expect(form.find('button').text()).toBe(`Unlink ${CHILD_2} A1`);

    const token = await coordinator.csrfToken(`/audits/${auditId}`);
    const res = await coordinator.post(`/audits/${auditId}/actions/unlink`, { actionId: actionId! }, token);
    expect(res.statusCode).toBe(303);
    p = page(await coordinator.follow(res));
    expect(p.banner).toBe('Audit unlinked from the action');
    expect(p.$('#linked + p').text()).toBe('Not linked to any action you can see.');
    expect(await linkRows()).toEqual([]);
    const audited = (await t.database.db.execute(
      sql`select review_reference, detail from audit_events where action = 'practice-audit.unlink'
          and outcome = 'success' and subject_id = ${auditId}`,
    )) as unknown as { rows: { review_reference: string; detail: { actionId: string } }[] };
    expect(audited.rows).toEqual([{ review_reference: CHILD_2, detail: { actionId } }]);
    // The action is on offer again, and the action's page no longer names the audit.
    expect(p.$(`#actionId option[value="${actionId}"]`).length).toBe(1);
    expect(page(await coordinator.get(`/actions/${actionId}`)).$(`a[href="/audits/${auditId}"]`).length).toBe(
      0,
    );

    // Unlinking what is not linked is simply not there.
    const again = await coordinator.post(`/audits/${auditId}/actions/unlink`, { actionId: actionId! }, token);
    expect(again.statusCode).toBe(404);

    p = page(
      await coordinator.follow(
        await coordinator.post(`/audits/${auditId}/actions`, { actionId: actionId! }, token),
      ),
    );
    expect(p.banner).toBe('Audit linked to the action');
    expect(await linkRows()).toEqual([actionId]);
  });

  it('refuses the unlink to agency leads, without a button, on record', async () => {
    const [actionId] = (
      (await t.database.db.execute(
        sql`select action_id from action_audits where audit_id = ${auditId}`,
      )) as unknown as { rows: { action_id: string }[] }
    ).rows.map((r) => r.action_id);
    // The police lead records this audit's rounds, but linking is the coordinator's.
    for (const email of ['police.lead@demo.example', 'hv.lead@demo.example']) {
      const lead = new WebClient(t.app);
      await lead.signIn(email);
      const p = page(await lead.get(`/audits/${auditId}`));
      expect(p.$(`form[action="/audits/${auditId}/actions/unlink"]`).length).toBe(0);
      const res = await lead.post(
        `/audits/${auditId}/actions/unlink`,
        { actionId: actionId! },
        await lead.csrfToken('/audits'),
      );
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(
        'Only the review coordinator can link a practice audit to an action, or unlink it.',
      );
    }
    const denied = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'practice-audit.link'
          and outcome = 'denied' and detail->>'route' = 'POST /audits/:id/actions/unlink'`,
    )) as unknown as { rows: { n: number }[] };
    expect(denied.rows[0]!.n).toBe(2);
    const still = (await t.database.db.execute(
      sql`select count(*)::int as n from action_audits where audit_id = ${auditId}`,
    )) as unknown as { rows: { n: number }[] };
    expect(still.rows[0]!.n).toBe(1);
    // Without the CSRF token, nothing happens.
    expect(
      (await coordinator.post(`/audits/${auditId}/actions/unlink`, { actionId: actionId! }, 'not-the-token'))
        .statusCode,
    ).toBe(403);
  });

  it('edits the progress statement one item per line, and refuses an empty one', async () => {
    const token = await coordinator.csrfToken(`/reviews/${CHILD_2}/progress`);
    let p = page(
      await coordinator.follow(
        await coordinator.post(`/reviews/${CHILD_2}/progress`, { items: ' \r\n ' }, token),
      ),
    );
    expect(p.errorSummary).toEqual(['Enter at least one progress or impact item']);
    p = page(
      await coordinator.follow(
        await coordinator.post(
          `/reviews/${CHILD_2}/progress`,
          { items: 'First item\r\n\r\nSecond item' },
          token,
        ),
      ),
    );
    expect(p.banner).toBe('Progress and impact statement saved');
    expect(
      p
        .$('ul.govuk-list--bullet')
        .first()
        .find('li')
        .map((_, li) => p.$(li).text())
        .get(),
    ).toEqual(['First item', 'Second item']);
  });
});
