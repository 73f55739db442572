import { sql } from 'drizzle-orm';
import type { TestApp } from './app.ts';

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * Puts a review at the stage given (test setup: the moves themselves are tested elsewhere) and
 * makes sure its merged chronology has an accepted police entry to link; returns that entry's id.
 */
export async function reviewAtStage(t: TestApp, reference: string, stage: string) {
  await t.database.db.execute(
    sql`update reviews set stage = ${stage}, status = 'active' where reference = ${reference}`,
  );
  const [review] = await rows<{ id: string; partnership_id: string }>(
    t,
    sql`select id, partnership_id from reviews where reference = ${reference}`,
  );
  const existing = await rows<{ id: string }>(
    t,
    sql`select e.id from chronology_entries e join agency_requests r on r.id = e.request_id
        where e.review_id = ${review!.id} and r.status = 'accepted' and e.removed_at is null order by e.sort_key limit 1`,
  );
  if (existing[0]) return { reviewId: review!.id, entryId: existing[0].id };
  const [police] = await rows<{ id: string }>(
    t,
    sql`select id from agencies where partnership_id = ${review!.partnership_id} and code = 'police'`,
  );
  let [request] = await rows<{ id: string }>(
    t,
    sql`select id from agency_requests where review_id = ${review!.id} and agency_id = ${police!.id} and withdrawn_at is null`,
  );
  if (!request)
    [request] = await rows<{ id: string }>(
      t,
      sql`insert into agency_requests (review_id, agency_id, status, due_date) values (${review!.id}, ${police!.id}, 'accepted', '2021-03-01') returning id`,
    );
  else
    await t.database.db.execute(sql`update agency_requests set status = 'accepted' where id = ${request.id}`);
  const [entry] = await rows<{ id: string }>(
    t,
    sql`insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary, children_present, source_ref)
        values (${review!.id}, ${request!.id}, ${police!.id}, '2019-06-02', '2019-06-02', 'police_incident',
                'Police attended a disturbance at the home; children present not recorded.', 'not_recorded', 'POL-TEST-1')
        returning id`,
  );
  return { reviewId: review!.id, entryId: entry!.id };
}

export async function count(t: TestApp, query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await rows<{ n: number }>(t, query);
  return Number(row?.n ?? 0);
}
