import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.ts';
import { learningRepository } from '../../src/db/repositories/learning-repository.ts';
import { reviewRepository } from '../../src/db/repositories/review-repository.ts';
import { systemRepository } from '../../src/db/repositories/system-repository.ts';
import { themeRepository } from '../../src/db/repositories/theme-repository.ts';
import { eventRepository } from '../../src/db/repositories/event-repository.ts';
import { episodeRepository } from '../../src/db/repositories/episode-repository.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { actorFor } from '../../src/services/auth-service.ts';
import { ForbiddenError } from '../../src/services/errors.ts';
import { DATABASE_KINDS, openTestDatabase } from '../support/database.ts';

describe.each(DATABASE_KINDS)('learning repositories (%s)', (kind) => {
  let database: DatabaseHandle;
  const actors: Record<string, Actor> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    for (const who of ['admin', 'coordinator', 'chair', 'police.lead', 'board'])
      actors[who] = actorFor(
        (await systemRepository(database.db).userByEmail(`${who}@demo.example`))!,
        'test',
      );
  });
  afterAll(async () => database?.close());

  it('refuses writes to the event, episodes and learning in the data layer to anyone but the coordinator and chair', async () => {
    for (const who of ['police.lead', 'board', 'admin']) {
      const actor = actors[who]!;
      const found = await reviewRepository(database.db, actor).find('LOS-2021-002');
      expect(found, `${who} sees the review`).not.toBeNull();
      await expect(eventRepository(database.db, actor).saveNotes(found!.handle, 'x')).rejects.toBeInstanceOf(
        ForbiddenError,
      );
      await expect(
        episodeRepository(database.db, actor).remove(found!.handle, '00000000-0000-0000-0000-000000000000'),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        learningRepository(database.db, actor).insert(found!.handle, {
          statement: 'x',
          themeIds: [],
          episodeIds: [],
          lineOfEnquiryIds: [],
        }),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    const chair = await reviewRepository(database.db, actors.chair!).find('LOS-2021-002');
    expect((await learningRepository(database.db, actors.chair!).list(chair!.handle)).length).toBe(5);
  });

  it('seeds the taxonomy once even when two requests race, and versions every change', async () => {
    // A partnership with no themes yet; two transactions seed it at once (on a server they run
    // concurrently: the unique key lets one insert and the other insert nothing).
    const fresh = await systemRepository(database.db).insertPartnership('Race test partnership', 'RTP');
    const admin = { ...actors.admin!, partnershipId: fresh.id };
    await Promise.all([
      database.db.transaction((tx) => themeRepository(tx, admin).seedIfEmpty()),
      database.db.transaction((tx) => themeRepository(tx, admin).seedIfEmpty()),
    ]);
    const themes = themeRepository(database.db, admin);
    expect((await themes.all()).length).toBe(19);
    expect(await themes.version()).toBe(1);
    const [neglect] = await themes.byKeys(['neglect']);
    await themes.rename(neglect!, 'Neglect (including Graded Care Profile 2)', null);
    const [renamed] = await themes.byIds([neglect!.id]);
    await themes.setRetired(renamed!, new Date());
    expect(await themes.version()).toBe(3);
    const [after] = await themes.byIds([neglect!.id]);
    expect(after).toMatchObject({
      id: neglect!.id,
      key: 'neglect',
      name: 'Neglect (including Graded Care Profile 2)',
    });
    expect(after!.retiredAt).not.toBeNull();
    expect((await themes.history(neglect!.id)).map((h) => [h.kind, h.oldName, h.newName])).toEqual([
      ['seeded', null, 'Neglect'],
      ['renamed', 'Neglect', 'Neglect (including Graded Care Profile 2)'],
      ['retired', 'Neglect (including Graded Care Profile 2)', 'Neglect (including Graded Care Profile 2)'],
    ]);
  });
});
