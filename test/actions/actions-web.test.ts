import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { page, WebClient } from '../support/client.ts';
import { postMultipart } from './multipart.ts';

const REF = 'LOS-2021-002';

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function signedIn(t: TestApp, email: string) {
  const client = new WebClient(t.app);
  await client.signIn(email);
  return client;
}

describe.each(DATABASE_KINDS)('action plan, updates with evidence, and the actions list (%s)', (kind) => {
  let t: TestApp;
  let coordinator: WebClient;
  let police: WebClient;
  let hv: WebClient;
  let policeLeadId: string;
  let hvLeadId: string;
  let actionId: string;

  beforeAll(async () => {
    t = await buildTestApp(kind);
    coordinator = await signedIn(t, 'coordinator@demo.example');
    police = await signedIn(t, 'police.lead@demo.example');
    hv = await signedIn(t, 'hv.lead@demo.example');
    const users = await rows<{ id: string; email: string }>(t, sql`select id, email from users`);
    policeLeadId = users.find((u) => u.email === 'police.lead@demo.example')!.id;
    hvLeadId = users.find((u) => u.email === 'hv.lead@demo.example')!.id;
  });
  afterAll(async () => t?.close());

  const newAction = (over: Record<string, string> = {}) => ({
    what: 'Record every child in the household on each crime report',
    owningAgency: 'police',
    leadUserId: policeLeadId,
    'dueDate-day': '30',
    'dueDate-month': '9',
    'dueDate-year': '2021',
    successMeasure: '95% of crime reports in a dip-sample audit record the children in the household',
    ...over,
  });

  const actionCount = async () =>
    Number((await rows<{ n: number }>(t, sql`select count(*)::int as n from review_actions`))[0]!.n);

  it('refuses an incomplete action with a GOV.UK error summary, and saves nothing', async () => {
    const before = await actionCount();
    const token = await coordinator.csrfToken(`/reviews/${REF}/actions/new`);
    const res = await coordinator.post(`/reviews/${REF}/actions`, { what: '', owningAgency: '' }, token);
    expect(res.statusCode).toBe(303);
    const p = page(await coordinator.follow(res));
    expect(p.h1).toBe('Add an action');
    // In the order of the form's fields.
    expect(p.errorSummary).toEqual([
      'Enter what will be done',
      'Select the owning agency',
      'Select the named lead',
      'Enter the due date as a real date, with the day, month and year in numbers, for example 27 3 2026',
      'Enter the success measure: how you will know the action worked',
    ]);
    expect(await actionCount()).toBe(before);
  });

  it('refuses a due date before the review was opened, and a lead from another agency', async () => {
    const token = await coordinator.csrfToken(`/reviews/${REF}/actions/new`);
    const early = page(
      await coordinator.follow(
        await coordinator.post(`/reviews/${REF}/actions`, newAction({ 'dueDate-year': '2020' }), token),
      ),
    );
    expect(early.errorSummary).toEqual([
      'The due date must be on or after the date the review was opened (its referral)',
    ]);
    const wrongLead = page(
      await coordinator.follow(
        await coordinator.post(`/reviews/${REF}/actions`, newAction({ leadUserId: hvLeadId }), token),
      ),
    );
    expect(wrongLead.errorSummary[0]).toMatch(/^Select a named lead who works for /);
  });

  it('adds an action for police with a success measure, shown in the plan with its RAG', async () => {
    const token = await coordinator.csrfToken(`/reviews/${REF}/actions/new`);
    const res = await coordinator.post(`/reviews/${REF}/actions`, newAction(), token);
    expect(res.statusCode).toBe(303);
    actionId = String(res.headers.location).split('/').pop()!;
    const p = page(await coordinator.follow(res));
    expect(p.banner).toBe('Action added to the plan');
    expect(p.$('h1').text()).toContain('Record every child in the household');
    const plan = page(await coordinator.get(`/reviews/${REF}/actions`));
    const row = plan.$(`a[href="/actions/${actionId}"]`).closest('tr');
    expect(row.text()).toContain('Police');
    // Due in 2021, still not started: overdue.
    expect(row.find('.govuk-tag--red').text()).toBe('Overdue');
  });

  it('lets the police lead update it with a file of evidence, shown in the timeline', async () => {
    const token = await police.csrfToken(`/actions/${actionId}`);
    const res = await postMultipart(
      police,
      `/actions/${actionId}/updates`,
      {
        note: 'Guidance issued to all response officers',
        status: 'in_progress',
        evidenceText: 'Briefing note 14/21',
      },
      {
        field: 'evidenceFile',
        name: 'briefing-note.txt',
        type: 'text/plain',
        content: Buffer.from('Record every child.'),
      },
      token,
    );
    expect(res.statusCode).toBe(303);
    const p = page(await police.follow(res));
    expect(p.errorSummary).toEqual([]);
    expect(p.banner).toBe('Update recorded');
    const item = p.$('.moj-timeline__item').first();
    expect(item.find('.moj-timeline__title').text()).toBe('Not started to In progress');
    expect(item.find('.moj-timeline__byline').text()).toContain('by ');
    expect(item.text()).toContain('Guidance issued to all response officers');
    const link = item.find('a[download]');
    expect(link.text()).toBe('briefing-note.txt');
    const file = await police.get(link.attr('href')!);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('Record every child.');
    expect(file.headers['content-disposition']).toContain('attachment');
  });

  it('refuses an evidence file of the wrong type, naming it, and records nothing', async () => {
    const before = (await rows<{ n: number }>(t, sql`select count(*)::int as n from action_updates`))[0]!.n;
    const token = await police.csrfToken(`/actions/${actionId}`);
    const res = await postMultipart(
      police,
      `/actions/${actionId}/updates`,
      { note: 'Another note', status: 'in_progress' },
      {
        field: 'evidenceFile',
        name: 'tool.exe',
        type: 'application/octet-stream',
        content: Buffer.from('MZ'),
      },
      token,
    );
    const p = page(await police.follow(res));
    expect(p.errorSummary).toEqual([
      'tool.exe must be a PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or text (.txt) file',
    ]);
    expect((await rows<{ n: number }>(t, sql`select count(*)::int as n from action_updates`))[0]!.n).toBe(
      before,
    );
  });

  it('refuses a multipart update without the CSRF token', async () => {
    const res = await postMultipart(
      police,
      `/actions/${actionId}/updates`,
      { note: 'x' },
      null,
      'not-the-token',
    );
    expect(res.statusCode).toBe(403);
  });

  it("refuses the health visiting lead's update of the police action, with the reason, and records it", async () => {
    const hvPage = page(await hv.get(`/actions/${actionId}`));
    expect(hvPage.$('form[enctype="multipart/form-data"]').length).toBe(0);
    const token = await hv.csrfToken(`/reviews/${REF}/actions`);
    const res = await hv.post(
      `/actions/${actionId}/updates`,
      { note: 'Not ours', status: 'completed' },
      token,
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('You can only update your own agency&#39;s actions');
    const [status] = await rows<{ status: string }>(
      t,
      sql`select status from review_actions where id = ${actionId}`,
    );
    expect(status!.status).toBe('in_progress');
    const denied = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from audit_events where action = 'action.update' and outcome = 'denied' and subject_id = ${actionId}`,
    );
    expect(denied[0]!.n).toBe(1);
  });

  it('refuses assurance by the police lead, then lets the coordinator assure it with the evidence on record', async () => {
    let token = await police.csrfToken(`/actions/${actionId}`);
    let p = page(
      await police.follow(
        await police.post(
          `/actions/${actionId}/updates`,
          { note: 'All officers briefed', status: 'completed' },
          token,
        ),
      ),
    );
    expect(p.banner).toBe('Update recorded');
    p = page(
      await police.follow(
        await police.post(`/actions/${actionId}/updates`, { note: 'Done', status: 'assured' }, token),
      ),
    );
    expect(p.errorSummary).toEqual(['Only the review coordinator can assure an action.']);
    token = await coordinator.csrfToken(`/actions/${actionId}`);
    p = page(
      await coordinator.follow(
        await coordinator.post(
          `/actions/${actionId}/updates`,
          { note: 'Audit shows 96% compliance: measure met', status: 'assured' },
          token,
        ),
      ),
    );
    expect(p.banner).toBe('Update recorded');
    expect(p.$('.govuk-tag').text()).toContain('Assured');
    const [row] = await rows<{ status: string; assured_by: string | null }>(
      t,
      sql`select status, assured_by from review_actions where id = ${actionId}`,
    );
    expect(row!.status).toBe('assured');
    expect(row!.assured_by).not.toBeNull();
  });

  it('refuses assurance of an action with no evidence at all, with the reason', async () => {
    let token = await coordinator.csrfToken(`/reviews/${REF}/actions/new`);
    const res = await coordinator.post(
      `/reviews/${REF}/actions`,
      newAction({
        what: 'Re-referral clinics at the front door',
        owningAgency: 'csc',
        leadUserId: (
          await rows<{ id: string }>(t, sql`select id from users where email = 'csc.lead@demo.example'`)
        )[0]!.id,
      }),
      token,
    );
    const id = String(res.headers.location).split('/').pop()!;
    token = await coordinator.csrfToken(`/actions/${id}`);
    await coordinator.post(`/actions/${id}/updates`, { note: 'Clinics running', status: 'completed' }, token);
    const p = page(
      await coordinator.follow(
        await coordinator.post(`/actions/${id}/updates`, { note: 'Signed off', status: 'assured' }, token),
      ),
    );
    expect(p.errorSummary).toEqual([
      'An action can only be assured with evidence that its success measure was met: add the evidence (a note, a link or a file) with this update.',
    ]);
  });

  it('lists actions across the partnership with filters, and exports them to CSV and XLSX, audited', async () => {
    const all = page(await coordinator.get('/actions'));
    expect(all.h1).toBe('Actions');
    expect(all.$('.app-actions-table tbody tr').length).toBeGreaterThanOrEqual(2);
    const policeOnly = page(await coordinator.get('/actions?agency=police&status=assured'));
    const rowsShown = policeOnly.$('.app-actions-table tbody tr');
    expect(rowsShown.length).toBeGreaterThanOrEqual(1);
    expect(rowsShown.find(`a[href="/actions/${actionId}"]`).length).toBe(1);
    rowsShown.each((_, tr) => {
      expect(policeOnly.$(tr).text()).toContain('Northshire Police');
      expect(policeOnly.$(tr).text()).toContain('Assured');
    });
    const none = page(await coordinator.get('/actions?dueTo=2021-01-01'));
    expect(none.$('.app-actions-table').length).toBe(0);

    const csv = await coordinator.get('/actions/export.csv?agency=police');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('review,action,what,owning_agency,lead,due_date,success_measure,status,rag');
    expect(lines.slice(1).some((l) => l.startsWith(`${REF},A`) && l.includes(',Assured,Done'))).toBe(true);

    const xlsx = await coordinator.get('/actions/export.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Actions')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('review');
    expect(sheet.rowCount).toBeGreaterThanOrEqual(3);

    const audited = await rows<{ n: number }>(
      t,
      sql`select count(*)::int as n from audit_events where action = 'actions.export' and outcome = 'success'`,
    );
    expect(audited[0]!.n).toBe(2);
  });

  it('keeps formulas in exported cells from running', async () => {
    const token = await coordinator.csrfToken(`/reviews/${REF}/actions/new`);
    await coordinator.post(`/reviews/${REF}/actions`, newAction({ what: '=HYPERLINK("http://x")' }), token);
    const csv = await coordinator.get('/actions/export.csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('shows an agency lead only the actions of reviews they are a member of', async () => {
    const csc = await signedIn(t, 'csc.lead@demo.example');
    expect(page(await csc.get('/actions')).$('.app-actions-table tbody tr').length).toBeGreaterThan(0);
    // Once the children's social care lead is no longer a member of Child 2's review, nothing.
    const [cscUser] = await rows<{ id: string }>(
      t,
      sql`select id from users where email = 'csc.lead@demo.example'`,
    );
    const token = await coordinator.csrfToken(`/reviews/${REF}/agencies`);
    expect(
      (await coordinator.post(`/reviews/${REF}/members/${cscUser!.id}/remove`, {}, token)).statusCode,
    ).toBe(303);
    // (They remain a member of the demo's later reviews, whose actions they still see.)
    const p = page(await csc.get('/actions'));
    const rowsOf = p.$('.app-actions-table tbody tr').filter((_, tr) => p.$(tr).text().includes(REF));
    expect(rowsOf.length).toBe(0);
    const res = await csc.get(`/actions/${actionId}`);
    expect(res.statusCode).toBe(403);
  });
});
