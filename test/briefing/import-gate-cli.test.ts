import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandInProcess } from '../support/cli-process.ts';
import { DATABASE_KINDS } from '../support/database.ts';
import { commandLineDatabase } from './command-line-database.ts';
import { IDENTIFYING_DETAILS, identifyingBriefing, SEED_FILE } from './identifying-briefing.ts';

/**
 * `line-of-sight briefing import FILE --save|--publish` through the command line's entry point:
 * the identifying-details check gates the library on the command line too.
 */
describe.each(DATABASE_KINDS)(
  'briefing import through the check, on the command line (%s)',
  { timeout: 300_000 },
  (kind) => {
    let target: Awaited<ReturnType<typeof commandLineDatabase>>;
    let dir: string;
    let named: string;
    let demo: string[] = [];
    beforeAll(async () => {
      target = await commandLineDatabase(kind);
      dir = await mkdtemp(join(tmpdir(), 'los-import-gate-'));
      named = join(dir, 'child-2-named.txt');
      await writeFile(named, identifyingBriefing());
      // The demo's library already holds briefings imported from neighbouring partnerships.
      const db = await target.open();
      try {
        const result = (await db.db.execute(
          sql`select id from briefings where source = 'imported'`,
        )) as unknown as { rows: { id: string }[] };
        demo = result.rows.map((r) => r.id);
      } finally {
        await db.close();
      }
    });
    afterAll(async () => {
      await target?.drop();
      await rm(dir, { recursive: true, force: true });
    });

    const cli = (...args: string[]) =>
      commandInProcess([...target.args, ...args], target.url ? { DATABASE_URL: target.url } : {});

    async function imported() {
      const db = await target.open();
      try {
        const result = (await db.db.execute(sql`
        select v.state from briefings b join briefing_versions v on v.briefing_id = b.id
        where b.source = 'imported' and not (b.id = any(${sql.param(demo)}::uuid[])) order by b.created_at`)) as unknown as {
          rows: { state: string }[];
        };
        return result.rows.map((r) => r.state);
      } finally {
        await db.close();
      }
    }

    it('--publish prints each finding and exits 3, saving nothing', async () => {
      const run = await cli('briefing', 'import', named, '--publish', '--user', 'coordinator@demo.example');
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toContain(`${IDENTIFYING_DETAILS.length} identifying details found:`);
      for (const d of IDENTIFYING_DETAILS)
        expect(run.stdout).toContain(`found:  "${d.text}" (${d.label.toLowerCase()})`);
      expect(run.stdout).toContain('  - Section 1 (Background and Concerns), paragraph 1');
      expect(run.stdout).toContain('  - Section 3 (Key Lines of Enquiry), point 2');
      expect(run.stdout).toContain('advice: Name the type of setting, not the setting itself');
      expect(run.stderr).toContain('Nothing was published or saved');
      expect(await imported()).toEqual([]);
    });

    it('--save prints each finding and exits 3 with nothing published, keeping a draft', async () => {
      const run = await cli('briefing', 'import', named, '--save', '--user', 'coordinator@demo.example');
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toContain(`${IDENTIFYING_DETAILS.length} identifying details found:`);
      expect(run.stdout).toContain('why:    "Jane Testsmith" looks like a person\'s name');
      expect(run.stderr).toMatch(
        /Nothing was published\. Kept as an unpublished draft \(briefing [0-9a-f-]{36}\)/,
      );
      expect(await imported()).toEqual(['draft']);
    });

    it('--publish publishes a file the check finds nothing in', async () => {
      const run = await cli(
        'briefing',
        'import',
        SEED_FILE.pathname,
        '--publish',
        '--user',
        'coordinator@demo.example',
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(
        /No identifying details found\. Published to the library as briefing [0-9a-f-]{36}/,
      );
      expect(await imported()).toEqual(['draft', 'published']);
    });
  },
);
