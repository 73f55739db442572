import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveImportedBriefing } from '../../src/cli/commands/briefing-export.ts';
import type { Actor } from '../../src/domain/lifecycle/roles.ts';
import { toBriefingJson } from '../../src/domain/briefing/model.ts';
import { importBriefingBuffer } from '../../src/files/briefing-import.ts';
import { ConflictError, ForbiddenError } from '../../src/services/errors.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { actorOf } from '../chronology/setup.ts';
import { CHILD_2, CHILD_2_FILE } from './child-2.ts';
import { commandLineDatabase } from './command-line-database.ts';

const REF = 'LOS-2021-002';

async function rows<T>(t: TestApp, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe.each(DATABASE_KINDS)(
  'briefing versions, accepted findings and the API (%s)',
  { timeout: 90_000 },
  (kind) => {
    let t: TestApp;
    let coordinator: Actor;
    let chair: Actor;
    let practitioner: Actor;
    let briefingId: string;

    beforeAll(async () => {
      t = await buildTestApp(kind);
      [coordinator, chair, practitioner] = [
        await actorOf(t, 'coordinator@demo.example'),
        await actorOf(t, 'chair@demo.example'),
        await actorOf(t, 'practitioner@demo.example'),
      ];
      briefingId = (await t.services.briefings.view(coordinator, REF)).current!.briefingId;
    });
    afterAll(async () => t?.close());

    async function publishNewVersion(note: string) {
      const b = t.services.briefings;
      await b.reissue(coordinator, REF, { note });
      // Acceptances belong to the version they were given on: take out what an earlier one accepted.
      const background = (await b.view(coordinator, REF)).current!.content.sections[0]!;
      await b.updateSection(coordinator, REF, 0, {
        heading: background.heading,
        text: background.paragraphs.filter((p) => !p.includes('Nursery')).join('\n\n'),
      });
      await b.check(coordinator, REF);
      await b.submit(coordinator, REF);
      await b.approve(chair, REF);
      await b.publish(coordinator, REF);
    }

    it('publishes the demo as the seed briefing: version 2 holds every section of the example', async () => {
      const out = await t.services.briefings.export(coordinator, REF, 'json');
      expect(out.version.version).toBe(2);
      expect('json' in out && out.json).toEqual({
        title: 'Child 2',
        sections: {
          background: CHILD_2.background,
          purpose: CHILD_2.purpose,
          linesOfEnquiry: CHILD_2.linesOfEnquiry,
          practiceEpisodes: {
            goodPractice: CHILD_2.goodPractice,
            areasForImprovement: CHILD_2.areasForImprovement,
          },
          learning: CHILD_2.learning,
          progressImpact: CHILD_2.progressImpact,
          // The seed lists titles; the demo's resource library gives each a (fictional) address.
          furtherInformation: CHILD_2.furtherInformation.map((title) =>
            expect.stringMatching(
              new RegExp(
                `^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(https://northshire-scp\\.example/`,
              ),
            ),
          ),
        },
        warnings: [],
      });
    });

    it('keeps each version; a reader sees which version they read, and a reissue is a new version', async () => {
      // The demo recorded the practitioner's read of version 1; version 2 is the latest.
      const before = await t.services.library.briefing(practitioner, briefingId);
      expect(before.version.version).toBe(2);
      expect(before.readThisVersion).toBe(false);
      expect(before.readVersions).toEqual([1]);
      const first = before.versions.find((v) => v.version === 1)!;
      expect((await t.services.library.briefing(practitioner, briefingId, first.id)).readThisVersion).toBe(
        true,
      );

      // A reissue is a draft: the library still shows version 2 until version 3 is published.
      await t.services.briefings.reissue(coordinator, REF, { note: 'New audit evidence' });
      expect((await t.services.library.briefing(practitioner, briefingId)).version.version).toBe(2);
      await expect(t.services.briefings.reissue(coordinator, REF, { note: 'Again' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      const b = t.services.briefings;
      await b.check(coordinator, REF);
      await b.submit(coordinator, REF);
      await b.approve(chair, REF);
      await b.publish(coordinator, REF);

      const after = await t.services.library.briefing(practitioner, briefingId);
      expect(after.version.version).toBe(3);
      expect(after.version.note).toBe('New audit evidence');
      expect(after.versions.map((v) => v.version)).toEqual([3, 2, 1]);
      expect(after.readVersions).toEqual([1]);
      expect((await t.services.library.markRead(practitioner, briefingId, undefined)).version).toBe(3);
      const read = await t.services.library.briefing(practitioner, briefingId);
      expect(read.readThisVersion).toBe(true);
      expect(read.readVersions).toEqual([3, 1]);
      const [state] = await rows<{ n: number }>(
        t,
        sql`select count(*)::int as n from briefing_versions where briefing_id = ${briefingId} and state = 'published'`,
      );
      expect(state!.n).toBe(3);
    });

    it('lets only the approver accept a finding, with a reason that is audited; then approval passes', async () => {
      const b = t.services.briefings;
      await b.reissue(coordinator, REF, { note: 'Adds the health visiting team' });
      const current = (await b.view(coordinator, REF)).current!;
      await b.updateSection(coordinator, REF, 0, {
        heading: 'Background and Concerns',
        text: `${current.content.sections[0]!.paragraphs.join('\n\n')}\n\nExample Lane Nursery raised the concern.`,
      });
      expect((await b.check(coordinator, REF)).findings.length).toBeGreaterThan(0);
      const findings = (await b.view(coordinator, REF)).findings;
      const nursery = findings.find((f) => f.text.includes('Example Lane Nursery'))!;
      expect(nursery.location).toContain('Section 1');
      // Not yet sent for approval: findings are accepted by the approver only once it is.
      await expect(
        b.acceptFinding(chair, REF, { finding: nursery.id, reason: 'Named with consent' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await b.submit(coordinator, REF);
      await expect(b.approve(chair, REF)).rejects.toBeInstanceOf(ConflictError);
      // An agency lead on the review may not accept, nor a reason be left out.
      await expect(
        b.acceptFinding(await actorOf(t, 'police.lead@demo.example'), REF, {
          finding: nursery.id,
          reason: 'x',
        }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(b.acceptFinding(chair, REF, { finding: nursery.id, reason: ' ' })).rejects.toThrow();

      for (const f of (await b.view(chair, REF)).findings)
        await b.acceptFinding(chair, REF, {
          finding: f.id,
          reason: 'The nursery agreed to be named; it does not identify the child',
        });
      const accepted = await rows<{ reason: string; actor: string }>(
        t,
        sql`select detail->>'reason' as reason, user_id::text as actor from audit_events
          where action = 'briefing.finding.accept' and review_reference = ${REF}`,
      );
      expect(accepted.length).toBe(findings.length);
      expect(accepted[0]!.reason).toBe('The nursery agreed to be named; it does not identify the child');
      expect(accepted[0]!.actor).toBe(chair.userId);
      expect((await b.view(chair, REF)).findings.every((f) => f.accepted)).toBe(true);
      await b.approve(chair, REF);
      await b.publish(coordinator, REF);
      expect((await b.view(coordinator, REF)).current!.state).toBe('published');
    });

    it('answers GET /api/v1/reviews/{ref}/briefing?format=json with exactly the interfaces.md shape; md re-imports the same', async () => {
      await publishNewVersion('Checked through the API');
      const { token } = await t.services.auth.createApiToken('board@demo.example', 'briefing test');
      const get = (format: string) =>
        t.app.inject({
          method: 'GET',
          url: `/api/v1/reviews/${REF}/briefing?format=${format}`,
          headers: { authorization: `Bearer ${token}` },
        });
      const json = await get('json');
      expect(json.statusCode).toBe(200);
      const latest = (await t.services.briefings.view(coordinator, REF)).current!;
      expect(json.headers['x-briefing-version']).toBe(String(latest.version));
      expect(json.headers['x-briefing-state']).toBe('published');
      const body = json.json() as Record<string, unknown> & { sections: Record<string, unknown> };
      expect(Object.keys(body).sort()).toEqual(['sections', 'title', 'warnings']);
      expect(Object.keys(body.sections).sort()).toEqual(
        [
          'background',
          'furtherInformation',
          'learning',
          'linesOfEnquiry',
          'practiceEpisodes',
          'progressImpact',
          'purpose',
        ].sort(),
      );
      expect(body.title).toBe('Child 2');
      expect(typeof body.sections.background).toBe('string');
      expect(body.sections.practiceEpisodes).toEqual({
        goodPractice: CHILD_2.goodPractice,
        areasForImprovement: CHILD_2.areasForImprovement,
      });
      expect(body.sections.linesOfEnquiry).toEqual(CHILD_2.linesOfEnquiry);
      expect(body.warnings).toEqual([]);

      const md = await get('md');
      expect(md.statusCode).toBe(200);
      const again = await importBriefingBuffer(md.rawPayload, 'child-2.md');
      expect(toBriefingJson(again.briefing, [])).toEqual(body);

      // Not a member and not partnership-wide: the review is not there.
      const outsider = await t.services.auth.createApiToken('practitioner@demo.example', 'briefing test');
      const refused = await t.app.inject({
        method: 'GET',
        url: `/api/v1/reviews/${REF}/briefing?format=json`,
        headers: { authorization: `Bearer ${outsider.token}` },
      });
      expect(refused.statusCode).toBe(404);
    });
  },
);

describe.each(DATABASE_KINDS)(
  'briefing import --save on the command line, through the check (%s)',
  { timeout: 120_000 },
  (kind) => {
    it('checks the seed and, finding nothing, publishes it in the library, audited as the user; an unknown user saves nothing', async () => {
      const target = await commandLineDatabase(kind);
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = target.url;
      try {
        const program = new Command().option('--data <dir>').exitOverride();
        program.parse(['node', 'line-of-sight', ...target.args]);
        await expect(
          saveImportedBriefing(program, CHILD_2_FILE.pathname, 'nobody@demo.example', 'if-clean'),
        ).rejects.toThrow('There is no active user nobody@demo.example.');
        const saved = await saveImportedBriefing(
          program,
          CHILD_2_FILE.pathname,
          'coordinator@demo.example',
          'if-clean',
        );
        expect(saved).toEqual({ outcome: 'published', id: expect.any(String), findings: [] });
        const id = saved.outcome === 'published' ? saved.id : '';

        const db = await target.open();
        try {
          const result = (await db.db.execute(sql`
          select b.source, b.review_id, v.version, v.state, v.content, v.checked_at is not null as checked
          from briefings b join briefing_versions v on v.briefing_id = b.id where b.source = 'imported' and b.id = ${id}`)) as unknown as {
            rows: {
              source: string;
              review_id: string | null;
              version: number;
              state: string;
              content: unknown;
              checked: boolean;
            }[];
          };
          expect(result.rows).toHaveLength(1);
          const row = result.rows[0]!;
          expect(row).toMatchObject({
            source: 'imported',
            review_id: null,
            version: 1,
            state: 'published',
            checked: true,
          });
          const { briefing } = await importBriefingBuffer(await readFile(CHILD_2_FILE), 'child-2.txt');
          expect(row.content).toEqual(briefing);
          const audit = (await db.db.execute(
            sql`select action from audit_events
              where subject_id = ${id} and user_id in (select id from users where email = 'coordinator@demo.example')`,
          )) as unknown as { rows: { action: string }[] };
          expect(audit.rows.map((r) => r.action).sort()).toEqual([
            'library.briefing.import',
            'library.briefing.publish',
          ]);
        } finally {
          await db.close();
        }
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = saved;
        await target.drop();
      }
    });
  },
);
