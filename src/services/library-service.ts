import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { libraryRepository } from '../db/repositories/library-repository.ts';
import { partnershipLogoRepository } from '../db/repositories/partnership-logo-repository.ts';

import { formatDate } from '../domain/calendar/format.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { mayImportBriefings, maySeeBriefingDissemination, type Actor } from '../domain/lifecycle/roles.ts';
import { renderBriefingFile, type BriefingFormat } from '../files/briefing-export.ts';
import { importBriefingBuffer, type ImportedBriefing } from '../files/briefing-import.ts';
import { briefingContent, deliveryInput, libraryQuery } from '../schemas/briefing.ts';
import { parseInput } from '../schemas/parse.ts';
import { searchTextOf } from './briefing-service.ts';
import { audit, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';

/** The partnership's library of published briefings: search, read, deliver, import. */
export function libraryService(ctx: ServiceContext) {
  async function load(tx: Parameters<Parameters<typeof inTransaction>[1]>[0], actor: Actor, id: string) {
    const found = await libraryRepository(tx, actor).briefing(id);
    if (!found) throw new NotFoundError('There is no such briefing in the library.');
    return found;
  }

  const pickVersion = (
    found: NonNullable<Awaited<ReturnType<ReturnType<typeof libraryRepository>['briefing']>>>,
    versionId?: string,
  ) => {
    const v = versionId ? found.versions.find((x) => x.id === versionId) : found.versions[0];
    if (!v) throw new NotFoundError('There is no such published version of this briefing.');
    return v;
  };

  return {
    async search(actor: Actor, query: unknown) {
      const q = parseInput(libraryQuery, query ?? {});
      return inTransaction(ctx, async (tx) => {
        const repo = libraryRepository(tx, actor);
        const [result, facets, agencies] = [
          await repo.search(q),
          await repo.facets(),
          await directoryRepository(tx, actor).agencies({ includeRetired: true }),
        ];
        return { ...result, facets, agencies, query: q };
      });
    },

    /** A published briefing as every partnership user reads it: content only, never the review's data. */
    async briefing(actor: Actor, id: string, versionId?: string) {
      return inTransaction(ctx, async (tx) => {
        const found = await load(tx, actor, id);
        const version = pickVersion(found, versionId);
        const repo = libraryRepository(tx, actor);
        const reads = await repo.myReads(id);
        const dissemination = maySeeBriefingDissemination(actor) ? await repo.dissemination(id) : null;
        const hasLogo = (await partnershipLogoRepository(tx, actor).info()) !== null;
        await audit(tx, actor, {
          action: 'library.briefing.view',
          outcome: 'success',
          subjectType: 'briefing_version',
          subjectId: version.id,
          detail: { version: version.version },
        });
        return {
          briefing: found.briefing,
          versions: found.versions.map((v) => ({
            id: v.id,
            version: v.version,
            publishedAt: v.publishedAt,
            note: v.note,
          })),
          version,
          latest: found.versions[0]!,
          readThisVersion: reads.some((r) => r.versionId === version.id),
          readVersions: found.versions
            .filter((v) => reads.some((r) => r.versionId === v.id))
            .map((v) => v.version),
          dissemination,
          hasLogo,
        };
      });
    },

    async markRead(actor: Actor, id: string, versionId: string | undefined) {
      return inTransaction(ctx, async (tx) => {
        const found = await load(tx, actor, id);
        const version = pickVersion(found, versionId);
        const recorded = await libraryRepository(tx, actor).markRead(id, version.id, ctx.now());
        if (recorded)
          await audit(tx, actor, {
            action: 'library.briefing.read',
            outcome: 'success',
            subjectType: 'briefing_version',
            subjectId: version.id,
            detail: { version: version.version },
          });
        return { version: version.version };
      });
    },

    async recordDelivery(actor: Actor, id: string, input: unknown) {
      const data = parseInput(deliveryInput, input);
      return inTransaction(ctx, async (tx) => {
        const found = await load(tx, actor, id);
        const version = found.versions[0]!;
        if (data.deliveredOn > londonDate(ctx.now()))
          throw new ValidationError({ deliveredOn: 'The date of the delivery must be today or in the past' });
        const row = await libraryRepository(tx, actor).recordDelivery({
          ...data,
          briefingId: id,
          versionId: version.id,
        });
        await audit(tx, actor, {
          action: 'library.briefing.delivery',
          outcome: 'success',
          subjectType: 'briefing_delivery',
          subjectId: row.id,
          detail: { version: version.version, team: data.team, numberPresent: data.numberPresent },
        });
        return row;
      });
    },

    async file(actor: Actor, id: string, format: BriefingFormat, versionId?: string) {
      return inTransaction(ctx, async (tx) => {
        const found = await load(tx, actor, id);
        const version = pickVersion(found, versionId);
        const partnership = await directoryRepository(tx, actor).partnership();
        const logo = await partnershipLogoRepository(tx, actor).logo();
        await audit(tx, actor, {
          action: 'library.briefing.download',
          outcome: 'success',
          subjectType: 'briefing_version',
          subjectId: version.id,
          detail: { format, version: version.version },
        });
        const file = await renderBriefingFile(version.content, format, {
          partnershipName: partnership.name,
          versionLabel: `Version ${version.version}, published ${formatDate(londonDate(version.publishedAt!))}`,
          ...(logo ? { logo: logo.content } : {}),
        });
        const slug = version.content.title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'briefing';
        return { file, fileName: `${slug}-briefing-v${version.version}${file.extension}` };
      });
    },

    /** Reads an uploaded briefing without saving anything (the preview). */
    async previewImport(actor: Actor, buffer: Uint8Array, fileName: string): Promise<ImportedBriefing> {
      if (!mayImportBriefings(actor))
        throw new ForbiddenError('Only the review coordinator can load briefings into the library.');
      return importBriefingBuffer(buffer, fileName);
    },

    /** Saves an imported briefing (the model from the preview) as a published library briefing. */
    async saveImport(actor: Actor, content: unknown) {
      if (!mayImportBriefings(actor))
        throw new ForbiddenError('Only the review coordinator can load briefings into the library.');
      const briefing = parseInput(briefingContent, content);
      return inTransaction(ctx, async (tx) => {
        const saved = await libraryRepository(tx, actor).saveImported(
          briefing,
          searchTextOf(briefing),
          ctx.now(),
        );
        await audit(tx, actor, {
          action: 'library.briefing.import',
          outcome: 'success',
          subjectType: 'briefing',
          subjectId: saved.briefing.id,
          detail: { title: briefing.title, sections: briefing.sections.length },
        });
        return { id: saved.briefing.id };
      });
    },
  };
}

export type LibraryService = ReturnType<typeof libraryService>;
