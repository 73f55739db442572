import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { actorFor } from '../../services/auth-service.ts';
import { isBriefingFormat } from '../../files/briefing-export.ts';
import { importBriefingFile } from '../../files/briefing-import.ts';
import { systemRepository } from '../../db/repositories/system-repository.ts';
import { commandName, configFrom } from '../runtime-options.ts';
import type { ImportMode } from '../../services/library-service.ts';

/** Opens the database lazily: `briefing import` without `--save` never needs it. */
async function withRuntime<T>(
  command: Command,
  user: string,
  run: (r: Awaited<ReturnType<typeof open>>) => Promise<T>,
) {
  const runtime = await open(command);
  try {
    const row = await systemRepository(runtime.database.db).userByEmail(user);
    if (!row || row.disabledAt) throw new Error(`There is no active user ${user}.`);
    return await run({ ...runtime, actor: actorFor(row, 'command-line') });
  } finally {
    await runtime.database.close();
  }
}
async function open(command: Command) {
  const { openRuntime } = await import('../../runtime.ts');
  const runtime = await openRuntime(configFrom(command), { command: commandName(command) });
  return { ...runtime, actor: null as unknown as ReturnType<typeof actorFor> };
}

/**
 * `briefing export REF --format md|html|pdf|docx [--out FILE] --user EMAIL`: the latest published
 * version, or the latest draft (marked DRAFT) when none is published; as that user, audited.
 * `briefing save FILE --user EMAIL` is `import FILE --save`.
 */
export function registerBriefingDatabaseCommands(briefing: Command) {
  briefing
    .command('export')
    .description(
      "write a review's 7-minute briefing (latest published version, else the latest draft marked DRAFT)",
    )
    .argument('<ref>', 'review reference, e.g. LOS-2021-002')
    .requiredOption('--format <format>', 'md, html, pdf or docx')
    .option('--out <file>', 'where to write it (default: REF-briefing-vN.EXT)')
    .requiredOption('--user <email>', 'who exports it (recorded in the audit log)')
    .action(
      async (ref: string, options: { format: string; out?: string; user: string }, command: Command) => {
        if (!isBriefingFormat(options.format)) throw new Error('--format must be md, html, pdf or docx.');
        const format = options.format;
        await withRuntime(command, options.user, async (r) => {
          const out = await r.services.briefings.export(r.actor, ref, format);
          if (!('file' in out) || !out.file) throw new Error('Nothing to write.');
          const path = options.out ?? out.fileName;
          await writeFile(path, out.file.body);
          process.stderr.write(
            `Wrote ${path} (version ${out.version.version}${out.draft ? ', DRAFT: not published yet' : ''})\n`,
          );
        });
      },
    );
}

/**
 * `briefing import FILE --save|--publish --user EMAIL`: the imported briefing into the library
 * through the identifying-details check (libraryService.saveImport), as that user, audited.
 */
export async function saveImportedBriefing(
  command: Command,
  file: string,
  user: string,
  mode: Exclude<ImportMode, 'draft'>,
) {
  const { briefing, report } = await importBriefingFile(file);
  return withRuntime(command, user, async (r) => {
    // Filed under the document's own date, with the themes its words suggest (changed later on its page).
    const saved = await r.services.library.saveImport(r.actor, briefing, mode, {
      metadata: { partnership: report.partnership ?? undefined },
      documentDate: report.documentDate?.iso ?? null,
    });
    return saved.state === 'refused'
      ? ({ outcome: 'refused', findings: saved.findings } as const)
      : ({ outcome: saved.state, id: saved.id!, findings: saved.findings } as const);
  });
}
