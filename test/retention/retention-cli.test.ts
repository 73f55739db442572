import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLineDatabase } from '../briefing/command-line-database.ts';
import { sql } from 'drizzle-orm';
import { commandInProcess, startCommand, startServe, type ServeProcess } from '../support/cli-process.ts';
import { DATABASE_KINDS } from '../support/database.ts';

/**
 * The retention and subject access commands while the service runs on the same embedded database:
 * each goes through the running service, which holds the directory. The first runs as a process of
 * its own, as a person runs it; the rest through the command line's entry point in this process,
 * which reaches the service the same way and saves starting Node and the application each time.
 */
describe(
  'retention and subject access on the command line, while the service runs',
  { timeout: 600_000 },
  () => {
    let db: Awaited<ReturnType<typeof commandLineDatabase>>;
    let serve: ServeProcess;
    const folder = mkdtempSync(join(tmpdir(), 'los-retention-'));
    // The service runs as a process of its own; each command goes through it from this process.
    const run = (...args: string[]) => commandInProcess([...db.args, ...args]);

    beforeAll(async () => {
      db = await commandLineDatabase('pglite');
      serve = await startServe(db.args);
    }, 300_000);
    afterAll(async () => {
      await serve?.stop();
      await db?.drop();
    });

    it('holds, erases on request and runs, through the service; then nothing is due', async () => {
      const hold = await startCommand([
        ...db.args,
        'retention',
        'hold',
        'LOS-2021-002',
        '--reason',
        'Inquest pending',
        '--user',
        'admin@demo.example',
      ]);
      expect(hold.stderr).toBe('');
      expect(hold.stdout).toBe(
        'LOS-2021-002 is held: nothing of it will be erased until the hold is released.\n',
      );
      const held = await run(
        'retention',
        'erase',
        '--name',
        'Testmother Example',
        '--user',
        'admin@demo.example',
      );
      expect(held.code).toBe(3);
      expect(held.stdout).toBe(
        'LOS-2021-002: recorded as a household member; kept by a legal hold, nothing erased.\n',
      );
      expect((await run('retention', 'release', 'LOS-2021-002', '--user', 'admin@demo.example')).code).toBe(
        0,
      );
      const dry = await run(
        'retention',
        'erase',
        '--name',
        'Testmother Example',
        '--user',
        'admin@demo.example',
        '--dry-run',
      );
      expect(dry.stdout).toBe(
        "LOS-2021-002: recorded as a household member; would erase: The child's and household's identifiable details (1 record).\n",
      );
      const erased = await run(
        'retention',
        'erase',
        '--name',
        'Testmother Example',
        '--user',
        'admin@demo.example',
      );
      expect(erased.code).toBe(0);
      expect(erased.stdout).toContain('erased: ');
      // The service's own run at start may have erased the closed reviews already; either way, after
      // this run nothing is due.
      expect((await run('retention', 'run')).code).toBe(0);
      const after = await run('retention', 'run', '--dry-run');
      expect(after.stdout).toBe('Nothing is due.\n');
      const refused = await run(
        'retention',
        'erase',
        '--name',
        'Testchild Two Example',
        '--user',
        'coordinator@demo.example',
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('line-of-sight: You cannot set the partnership');
      // A member of staff, by the address of their account.
      const staff = await run(
        'retention',
        'erase',
        '--email',
        'practitioner@demo.example',
        '--user',
        'admin@demo.example',
      );
      expect(staff.stderr).toBe('');
      expect(staff.stdout).toBe(
        'A member of staff; erased: learning event invitations (1); account (1).\n' +
          'The texts of LOS-2021-002, LOS-2022-001 were cleared of their name.\n',
      );
      // Re-sealing the authenticators needs the key they were sealed under before.
      const reseal = await run('mfa', 'reseal');
      expect(reseal.code).toBe(1);
      expect(reseal.stderr).toBe(
        'line-of-sight: There is a problem with what was entered. MFA_KEY_PREVIOUS: Set MFA_KEY_PREVIOUS to the key the secrets were sealed under before, and MFA_KEY to the new one.\n',
      );
    });

    it('writes a subject access ZIP, through the service', async () => {
      const file = join(folder, 'request.zip');
      const result = await run(
        'subject-access',
        '--name',
        'Testchild Two Example',
        '--user',
        'admin@demo.example',
        '--out',
        file,
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('LOS-2021-002: the child;');
      const zip = await JSZip.loadAsync(readFileSync(file));
      expect(
        Object.keys(zip.files)
          .filter((f) => !zip.files[f]!.dir)
          .sort(),
      ).toEqual(['README.txt', 'reviews/LOS-2021-002/child.json', 'reviews/LOS-2021-002/chronology.csv']);
      const both = await run('subject-access', '--user', 'admin@demo.example');
      expect(both.code).toBe(1);
      expect(both.stderr).toContain('say whose data to gather');
    });
  },
);

/**
 * Finding a child or household member by their identifiers on the command line, on both databases:
 * a search finding several people says how many and does nothing (exit 3) unless `--all`.
 */
describe.each(DATABASE_KINDS)(
  'subject access and erasure by identifiers on the command line (%s)',
  { timeout: 300_000 },
  (kind) => {
    let db: Awaited<ReturnType<typeof commandLineDatabase>>;
    const folder = mkdtempSync(join(tmpdir(), 'los-subject-'));
    const run = (...args: string[]) =>
      commandInProcess([...db.args, ...args], db.url ? { DATABASE_URL: db.url } : {});

    beforeAll(async () => {
      db = await commandLineDatabase(kind);
      // A second "Testmother Example", born on another day, in Child 7's review.
      const handle = await db.open();
      await handle.db.execute(sql`
        insert into household_members (review_id, relationship, full_name, date_of_birth, position)
        select id, 'Aunt', 'Testmother Example', '1988-07-01', 5 from reviews where pseudonym = 'Child 7'`);
      await handle.close();
    }, 240_000);
    afterAll(async () => db?.drop());

    it('says how many match and asks for a narrower search; narrowed, or with --all, it answers', async () => {
      const several = await run(
        'subject-access',
        '--name',
        'Testmother Example',
        '--user',
        'admin@demo.example',
      );
      expect(several).toEqual({
        code: 3,
        stdout:
          '2 people match this search; nothing was gathered. Narrow it (--date-of-birth, --nhs-number, --postcode), or add --all to take all 2.\n',
        stderr: '',
      });
      const file = join(folder, `${kind}.zip`);
      const narrowed = await run(
        'subject-access',
        '--name',
        'testmother  example',
        '--date-of-birth',
        '3/2/1996',
        '--user',
        'admin@demo.example',
        '--out',
        file,
      );
      expect(narrowed.stderr).toBe('');
      expect(narrowed.stdout).toBe(
        `LOS-2021-002: a household member; ${/(\d+) chronology entries/.exec(narrowed.stdout)![1]} chronology entries name them.\nWritten to ${file}. The request is on record.\n`,
      );
      const zip = await JSZip.loadAsync(readFileSync(file));
      expect(Object.keys(zip.files).sort()).toEqual([
        'README.txt',
        'reviews/',
        'reviews/LOS-2021-002/',
        'reviews/LOS-2021-002/chronology-naming-them.csv',
        'reviews/LOS-2021-002/household-member.json',
      ]);
      const child = await run(
        'subject-access',
        '--nhs-number',
        '999 000 0018',
        '--user',
        'admin@demo.example',
        '--out',
        join(folder, `${kind}-child.zip`),
      );
      expect(child.stdout).toMatch(/^LOS-2021-002: the child; \d+ chronology entries\.\n/);
      const bad = await run(
        'subject-access',
        '--date-of-birth',
        '1996-02-03',
        '--user',
        'admin@demo.example',
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain(
        "name: Enter the person's full name or the child's NHS number; a date of birth or a postcode alone is not enough.",
      );

      // Erasure on request finds people the same way: several, and nothing is erased without --all.
      const erase = (...more: string[]) =>
        run('retention', 'erase', '--name', 'Testmother Example', '--user', 'admin@demo.example', ...more);
      expect((await erase('--dry-run')).stdout).toBe(
        '2 people match this search; nothing was erased. Narrow it (--date-of-birth, --nhs-number, --postcode), or add --all to take all 2.\n',
      );
      const all = await erase('--dry-run', '--all');
      expect(all.code).toBe(0);
      expect(
        all.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.replace(/^LOS-\d{4}-\d{3}/, 'REF')),
      ).toEqual([
        "REF: recorded as a household member; would erase: The child's and household's identifiable details (1 record).",
        "REF: recorded as a household member; would erase: The child's and household's identifiable details (1 record).",
      ]);
      const one = await erase('--date-of-birth', '1988-07-01');
      expect(one.code).toBe(0);
      expect(one.stdout).toMatch(
        /^LOS-\d{4}-\d{3}: recorded as a household member; erased: The child's and household's identifiable details \(1 record\)\.\n$/,
      );
      expect((await erase('--dry-run')).stdout).toBe(
        "LOS-2021-002: recorded as a household member; would erase: The child's and household's identifiable details (1 record).\n",
      );
    });
  },
);
