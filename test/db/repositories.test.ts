import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { reviewRepository } from '../../src/db/repositories/review-repository.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import { ForbiddenError } from '../../src/services/errors.ts';
import { DATABASE_KINDS, openTestDatabase } from '../support/database.ts';

describe.each(DATABASE_KINDS)('repositories (%s)', (kind) => {
  let database: DatabaseHandle;
  const actor = async (email: string) =>
    actorFor((await systemRepository(database.db).userByEmail(email))!, 'test');

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => database?.close());

  it('migrations can run again on a migrated database without change', async () => {
    const tables = async () =>
      (
        (await database.db.execute(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        )) as unknown as { rows: { table_name: string }[] }
      ).rows.map((r) => r.table_name);
    const before = await tables();
    expect(before).toEqual(
      expect.arrayContaining(['reviews', 'audit_events', 'sessions', 'outbound_emails']),
    );
    await database.migrate();
    expect(await tables()).toEqual(before);
  });

  it('finds a review only for those who may see it', async () => {
    const coordinator = reviewRepository(database.db, await actor('coordinator@demo.example'));
    const chair = reviewRepository(database.db, await actor('chair@demo.example'));
    const practitioner = reviewRepository(database.db, await actor('practitioner@demo.example'));
    expect((await coordinator.find('LOS-2021-002'))?.handle.isMember).toBe(false);
    expect((await chair.find('LOS-2021-002'))?.handle.isMember).toBe(true);
    expect(await practitioner.find('LOS-2021-002')).toBeNull();
    expect((await practitioner.list({ limit: 50, offset: 0 })).total).toBe(0);
    expect((await coordinator.list({ limit: 50, offset: 0 })).total).toBe(8);
  });

  it('finds a review with the dates its deadlines run from, as the referral and screening rows hold them', async () => {
    const coordinator = reviewRepository(database.db, await actor('coordinator@demo.example'));
    const references = (
      (await database.db.execute(sql`select reference from reviews order by reference`)) as unknown as {
        rows: { reference: string }[];
      }
    ).rows.map((r) => r.reference);
    let screened = 0;
    for (const reference of references) {
      const { handle, deadlineDates } = (await coordinator.find(reference))!;
      const referral = await coordinator.referral(handle);
      const screening = await coordinator.screening(handle);
      if (screening) screened += 1;
      expect({ referredOn: deadlineDates.referredOn, screening: deadlineDates.screening }).toEqual({
        referredOn: referral?.referral.referredOn ?? null,
        screening: screening ? { outcome: screening.outcome, decidedOn: screening.decidedOn } : null,
      });
      // The one review's dates are the list's dates for it (the reviews list reads them in bulk).
      expect((await coordinator.deadlineDatesFor([handle.id])).get(handle.id)).toEqual(deadlineDates);
    }
    // The demonstration holds reviews with and without a screening decision.
    expect(screened).toBeGreaterThan(0);
    expect(screened).toBeLessThan(references.length);
  });

  it('refuses identifiable details in the data layer to those not permitted', async () => {
    const board = reviewRepository(database.db, await actor('board@demo.example'));
    const found = await board.find('LOS-2021-002');
    await expect(board.subject(found!.handle)).rejects.toBeInstanceOf(ForbiddenError);
    const chair = reviewRepository(database.db, await actor('chair@demo.example'));
    const subject = await chair.subject((await chair.find('LOS-2021-002'))!.handle);
    expect(subject).toMatchObject({
      fullName: 'Testchild Two Example',
      postcode: 'ZZ99 9ZZ',
      household: [{ relationship: 'Mother' }],
    });
  });

  it('keeps the audit log append-only at the database', async () => {
    const refusal = (statement: ReturnType<typeof sql>) =>
      database.db.execute(statement).then(
        () => 'no error',
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(await refusal(sql`update audit_events set action = 'x'`)).toContain('audit_events is append-only');
    expect(await refusal(sql`delete from audit_events`)).toContain('audit_events is append-only');
    const rows = (await database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'x'`,
    )) as unknown as {
      rows: { n: number }[];
    };
    expect(rows.rows[0]!.n).toBe(0);
  });

  it('numbers references per year, after the highest already used', async () => {
    const coordinator = reviewRepository(database.db, await actor('coordinator@demo.example'));
    expect(await coordinator.lastReferenceNumber('LOS-2021-')).toBe(2);
    expect(await coordinator.lastReferenceNumber('LOS-1999-')).toBe(0);
  });
});
