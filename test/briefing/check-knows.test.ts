import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf } from '../chronology/setup.ts';

const REF = 'LOS-2021-002';

/**
 * The check of a review's briefing, through the service and the real database, knows everyone and
 * everywhere the review records: Child 2's family, referrer, members, agency leads, the people at
 * its learning event, a worker named in its chronology, every part of its address and its nursery.
 */
describe.each(DATABASE_KINDS)('the check knows what the review knows (%s)', { timeout: 120_000 }, (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    // A lead of an agency in scope who is not a member, and a worker named in an accepted return.
    await t.database.db.execute(sql`
      insert into users (partnership_id, email, name, roles, agency_id)
      select partnership_id, 'gp.lead@demo.example', 'Robin Testgplead (demo)', array['agency_lead'], id
      from agencies where code = 'gp'`);
    await t.database.db.execute(sql`
      insert into chronology_entries (review_id, request_id, agency_id, date, sort_key, event_type, summary, worker)
      select e.review_id, e.request_id, e.agency_id, e.date, e.sort_key, e.event_type, e.summary, 'Morgan Testworker'
      from chronology_entries e join agency_requests r on r.id = e.request_id
      join reviews v on v.id = e.review_id
      where v.reference = ${REF} and r.status = 'accepted' limit 1`);
  });
  afterAll(async () => t?.close());

  it('finds each of them in a draft, says what kind of detail it is and whose, and leaves ordinary phrases alone', async () => {
    const coordinator = await actorOf(t, 'coordinator@demo.example');
    const b = t.services.briefings;
    await b.reissue(coordinator, REF, { note: 'Checking what the check knows' });
    const planted: [string, string, string, string][] = [
      // [item, text found, kind, part of the reason]
      ['The team had not met testchild two example before.', 'testchild two example', 'person', 'the child'],
      ['Staff said Testmother had moved.', 'Testmother', 'person', 'a household member'],
      ['The referral was written by Sam.', 'Sam', 'person', 'the referrer'],
      ['The chair, Chris, asked for the plan.', 'Chris', 'person', 'a member of the review'],
      ['Robin Testgplead reviewed the GP records.', 'Robin Testgplead', 'person', 'an agency lead'],
      [
        'As Parker said at the event, visits were missed.',
        'Parker',
        'person',
        'invited to the learning event',
      ],
      [
        'Visits by Testworker stopped in the spring.',
        'Testworker',
        'person',
        'a worker named in the chronology',
      ],
      ['The family lived at 1 example street.', '1 example street', 'address', 'an address recorded'],
      ['The family moved to sampletown.', 'sampletown', 'place', 'the town or area'],
      ['Housing in ZZ99 was overcrowded.', 'ZZ99', 'place', 'the postcode district'],
      ['She went to example lane nursery.', 'example lane nursery', 'institution', 'a school, nursery'],
      ['She was born on 14th September 2017.', '14th September 2017', 'date', 'a date of birth'],
    ];
    const ordinary = [
      'For example, the Front Door did not hear of the incident.',
      'Operation Encompass and Signs of Safety were used.',
      'The Designated Safeguarding Lead will share the learning.',
      'Police Lead and Health Visiting Lead attended the Line of Sight event.',
    ];
    const learning = (await b.view(coordinator, REF)).current!.content.sections[4]!;
    await b.updateSection(coordinator, REF, 4, {
      heading: learning.heading,
      items: [...ordinary, ...planted.map(([item]) => item)].join('\n'),
    });
    const { findings } = await b.check(coordinator, REF);
    const inLearning = findings.filter((f) => f.sectionKey === 'learning.items');
    // Nothing in the ordinary phrases, and nothing anywhere else in the generated briefing.
    expect(findings.filter((f) => f.sectionKey !== 'learning.items')).toEqual([]);
    expect(inLearning.filter((f) => f.itemIndex! < ordinary.length)).toEqual([]);
    expect(inLearning.map((f) => [planted[f.itemIndex! - ordinary.length]?.[0], f.text, f.kind])).toEqual(
      planted.map(([item, text, kind]) => [item, text, kind]),
    );
    inLearning.forEach((f, i) => expect(f.reason).toContain(planted[i]![3]));
  });
});
