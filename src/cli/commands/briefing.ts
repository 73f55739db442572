import type { Command } from 'commander';
import { toBriefingJson, type Briefing, type BriefingSection } from '../../domain/briefing/model.ts';
import { BriefingImportError, importBriefingFile } from '../../files/briefing-import.ts';
import type { FindingView } from '../../services/finding-views.ts';

interface Output {
  write(text: string): unknown;
}

export interface BriefingImportIo {
  /** Print the interfaces.md JSON instead of the readable summary. */
  json?: boolean;
  stdout: Output;
  stderr: Output;
}

/**
 * `line-of-sight briefing import FILE [--json]`: a 7-minute briefing (.txt, .md, .docx) read into
 * its sections. Returns the exit code: 0 when read (warnings included), 2 for input it cannot read
 * (3, with --save or --publish, when the identifying-details check finds something).
 */
export async function runBriefingImport(file: string, io: BriefingImportIo): Promise<number> {
  try {
    const { briefing, warnings } = await importBriefingFile(file);
    io.stdout.write(
      io.json
        ? `${JSON.stringify(toBriefingJson(briefing, warnings), null, 2)}\n`
        : summary(briefing, warnings),
    );
    return 0;
  } catch (error) {
    if (error instanceof BriefingImportError) {
      io.stderr.write(`line-of-sight briefing import: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * Adds `briefing import`. Returns the `briefing` command so that `briefing export` (which needs the
 * database) can be added to it where the database is.
 *
 * With `--save` or `--publish` the briefing goes to the library through the identifying-details
 * check, as every way in does: with no findings it is published; with findings each is printed
 * and the command exits 3 with nothing published (`--save` keeps a draft to accept findings on or
 * replace; `--publish` keeps nothing).
 */
export function registerBriefing(
  program: Command,
  io: { stdout: Output; stderr: Output } = { stdout: process.stdout, stderr: process.stderr },
): Command {
  const briefing = program.command('briefing').description('7-minute briefings: import existing ones');
  briefing
    .command('import')
    .description('read a 7-minute briefing (.txt, .md or .docx) into its sections')
    .argument('<file>', 'the briefing file')
    .option('--json', 'print the sections as JSON (see docs/interfaces.md)')
    .option(
      '--save',
      'store it in the library after the identifying-details check: published if it finds nothing, else kept as a draft (exit 3)',
    )
    .option(
      '--publish',
      'publish it only if the identifying-details check finds nothing; else save nothing (exit 3)',
    )
    .option('--user <email>', 'the review coordinator saving it (with --save or --publish)')
    .action(
      async (
        file: string,
        options: { json?: boolean; save?: boolean; publish?: boolean; user?: string },
        command: Command,
      ) => {
        process.exitCode = await runBriefingImport(file, { json: options.json, ...io });
        if ((!options.save && !options.publish) || process.exitCode !== 0) return;
        if (!options.user) throw new Error('--save and --publish need --user EMAIL (a review coordinator).');
        const { saveImportedBriefing } = await import('./briefing-export.ts');
        const saved = await saveImportedBriefing(
          command,
          file,
          options.user,
          options.publish ? 'only-if-clean' : 'if-clean',
        );
        process.exitCode = reportSaved(saved, io);
      },
    );
  return briefing;
}

/** What the check found and what became of the briefing; the exit code (0 published, 3 findings). */
export function reportSaved(
  saved:
    | { outcome: 'published' | 'draft'; id: string; findings: FindingView[] }
    | { outcome: 'refused'; findings: FindingView[] },
  io: { stdout: Output; stderr: Output },
): number {
  if (saved.outcome === 'published') {
    io.stderr.write(`No identifying details found. Published to the library as briefing ${saved.id}\n`);
    return 0;
  }
  const n = saved.findings.length;
  const lines = [`${plural(n, 'identifying detail')} found:`];
  for (const f of saved.findings)
    lines.push(
      `  - ${f.location}`,
      `    found:  "${f.text}" (${f.kindLabel.toLowerCase()})`,
      `    why:    ${f.reason}`,
      `    advice: ${f.advice}`,
    );
  io.stdout.write(`${lines.join('\n')}\n`);
  io.stderr.write(
    saved.outcome === 'draft'
      ? `Nothing was published. Kept as an unpublished draft (briefing ${saved.id}): a review coordinator accepts each finding with a reason at /library/import/drafts/${saved.id}, or imports a corrected file.\n`
      : 'Nothing was published or saved: fix the file and import it again.\n',
  );
  return 3;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function contents(section: BriefingSection): string {
  const parts: string[] = [];
  if (section.paragraphs.length > 0) parts.push(plural(section.paragraphs.length, 'paragraph'));
  if (section.kind === 'practiceEpisodes') {
    parts.push(`${section.goodPractice.length} good practice`);
    parts.push(plural(section.areasForImprovement.length, 'area for improvement', 'areas for improvement'));
    if (section.items.length > 0) parts.push(`${section.items.length} not marked either way`);
  } else if (section.items.length > 0) {
    parts.push(plural(section.items.length, 'item'));
  }
  return parts.length > 0 ? parts.join(', ') : 'empty';
}

/** Section headings (as the document has them, in its order) with what each holds, then the warnings. */
function summary(briefing: Briefing, warnings: string[]): string {
  const width = Math.min(
    40,
    briefing.sections.reduce((w, s) => Math.max(w, s.heading.length), 0),
  );
  const lines = [briefing.title, ''];
  for (const section of briefing.sections)
    lines.push(`  ${section.heading.padEnd(width)}  ${contents(section)}`);
  if (briefing.sections.length === 0) lines.push('  (no sections found)');
  lines.push('');
  if (warnings.length === 0) lines.push('No warnings.');
  else lines.push(`${plural(warnings.length, 'warning')}:`, ...warnings.map((w) => `  - ${w}`));
  return `${lines.join('\n')}\n`;
}
