import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerBriefing, runBriefingImport } from '../../src/cli/commands/briefing.ts';
import { CHILD_2, CHILD_2_FILE } from './child-2.ts';

const capture = () => {
  let text = '';
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
};

async function run(file: string, json = false) {
  const stdout = capture();
  const stderr = capture();
  const code = await runBriefingImport(file, { json, stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'briefing-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('briefing import', () => {
  it('--json prints the documented structure of the Child 2 briefing', async () => {
    const { code, out, err } = await run(CHILD_2_FILE.pathname, true);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out)).toEqual({
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
        furtherInformation: CHILD_2.furtherInformation,
      },
      warnings: [],
    });
  });

  it('prints a readable summary: headings in the document’s order with what each holds', async () => {
    const { code, out } = await run(CHILD_2_FILE.pathname);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'Child 2',
        '',
        '  Background and Concerns  1 paragraph',
        '  Purpose of the Review?   1 paragraph',
        '  Key Lines of Enquiry     5 items',
        '  Further information      7 items',
        '  Progress/Impact          5 items',
        '  Key Practice Episodes    2 good practice, 5 areas for improvement',
        '  Learning                 5 items',
        '',
        'No warnings.',
        '',
      ].join('\n'),
    );
  });

  it('lists the warnings after the sections', async () => {
    const path = join(dir, 'partial.md');
    await writeFile(path, '# Child 9\n\n## Learning\n- Be curious\n\n## Reflective questions\n- What now?\n');
    const { code, out } = await run(path);
    expect(code).toBe(0);
    expect(out).toContain('  Learning              1 item\n  Reflective questions  1 item\n');
    expect(out).toContain(
      '7 warnings:\n  - No "Background and Concerns" section was found; it is left empty.\n',
    );
    expect(out).toContain(
      '  - "Reflective questions" is not one of the seven briefing sections; it is kept as it is.\n',
    );
  });

  it.each([
    ['briefing.pdf', 'a briefing must be a text (.txt), Markdown (.md) or Word (.docx) file.'],
    ['missing.txt', 'there is no such file.'],
  ])('exits 2 with one line for %s', async (name, reason) => {
    const { code, out, err } = await run(join(dir, name));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(`line-of-sight briefing import: Cannot import ${join(dir, name)}: ${reason}\n`);
  });

  it('exits 2 for an empty file', async () => {
    const path = join(dir, 'empty.txt');
    await writeFile(path, '');
    const { code, err } = await run(path);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('it is empty.');
  });

  it('is wired into the command line as "briefing import FILE --json"', async () => {
    const stdout = capture();
    const stderr = capture();
    const program = new Command('line-of-sight').exitOverride();
    const briefing = registerBriefing(program, { stdout, stderr });
    expect(briefing.name()).toBe('briefing');
    const before = process.exitCode;
    try {
      await program.parseAsync([
        'node',
        'line-of-sight',
        'briefing',
        'import',
        CHILD_2_FILE.pathname,
        '--json',
      ]);
      expect(process.exitCode).toBe(0);
    } finally {
      process.exitCode = before;
    }
    expect(JSON.parse(stdout.text).sections.learning).toEqual(CHILD_2.learning);
  });
});
