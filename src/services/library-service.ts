import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { libraryRepository } from '../db/repositories/library-repository.ts';
import { partnershipLogoRepository } from '../db/repositories/partnership-logo-repository.ts';

import { formatDate } from '../domain/calendar/format.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { mayImportBriefings, maySeeBriefingDissemination, type Actor } from '../domain/lifecycle/roles.ts';
import { renderBriefingFile, type BriefingFormat } from '../files/briefing-export.ts';
import { importBriefingBuffer } from '../files/briefing-import.ts';
import { knownPeopleRepository } from '../db/repositories/known-people-repository.ts';
import type { Executor } from '../db/client.ts';
import { briefingTexts } from '../domain/anonymise/briefing-texts.ts';
import { findIdentifyingDetails, NOTHING_RECORDED } from '../domain/anonymise/find.ts';
import type { Briefing } from '../domain/briefing/model.ts';
import { acceptFindingInput, briefingContent, deliveryInput, libraryQuery } from '../schemas/briefing.ts';
import { parseInput } from '../schemas/parse.ts';
import { searchTextOf } from './briefing-service.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { findingById, findingViews, requireNoOpenFindings, type FindingView } from './finding-views.ts';

/** How an import is saved: see saveImport. */
export type ImportMode = 'draft' | 'if-clean' | 'only-if-clean';

/** The identifying-details check of an imported briefing: general patterns only. */
function checkImported(briefing: Briefing, partnershipNames: string[]): FindingView[] {
  return findingViews(
    briefing,
    findIdentifyingDetails(briefingTexts(briefing), NOTHING_RECORDED, { partnershipNames }),
    [],
  );
}

/** Refused, and the refusal recorded, to anyone who may not load briefings into the library. */
function requireImporter(actor: Actor) {
  if (!mayImportBriefings(actor))
    throw new ForbiddenError(
      'Only the review coordinator can load briefings into the library.',
      denial(actor, { action: 'library.briefing.import', subjectType: 'briefing' }),
    );
}

/** The partnership's library of published briefings: search, read, deliver, import. */
export function libraryService(ctx: ServiceContext) {
  async function loadDraft(tx: Executor, actor: Actor, id: string) {
    requireImporter(actor);
    const found = await libraryRepository(tx, actor).importedDraft(id);
    if (!found) throw new NotFoundError('There is no such imported draft.');
    return {
      briefing: found.briefing,
      version: found.version,
      acceptances: found.acceptances,
      findings: findingViews(found.version.content, found.version.findings, found.acceptances),
    };
  }

  async function publishVersion(
    tx: Executor,
    actor: Actor,
    id: string,
    versionId: string,
    content: Briefing,
  ) {
    await libraryRepository(tx, actor).publishImported(versionId, searchTextOf(content), ctx.now());
    await audit(tx, actor, {
      action: 'library.briefing.publish',
      outcome: 'success',
      subjectType: 'briefing',
      subjectId: id,
      detail: { title: content.title, version: 1 },
    });
  }

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

    /**
     * Reads an uploaded briefing and checks it against the general patterns (there is no review to
     * compare with), saving nothing: the preview shows the findings before anything is kept.
     */
    async previewImport(actor: Actor, buffer: Uint8Array, fileName: string) {
      const parsed = await inTransaction(ctx, async (tx) => {
        requireImporter(actor);
        return { partnershipNames: await knownPeopleRepository(tx, actor).partnershipNames() };
      });
      const imported = await importBriefingBuffer(buffer, fileName);
      return { ...imported, findings: checkImported(imported.briefing, parsed.partnershipNames) };
    },

    /**
     * Saves an imported briefing (the model from the preview, the command line or the API) as a
     * draft in the library, checked on exactly this content, then:
     * - 'draft': keeps it as a draft, to accept findings and publish from its page;
     * - 'if-clean': publishes it when the check finds nothing, else keeps the draft;
     * - 'only-if-clean': publishes it when the check finds nothing, else saves nothing at all
     *   (state 'refused', with the findings).
     */
    async saveImport(actor: Actor, content: unknown, mode: ImportMode = 'draft') {
      return inTransaction(ctx, async (tx) => {
        requireImporter(actor);
        const briefing = parseInput(briefingContent, content);
        const repo = libraryRepository(tx, actor);
        const partnershipNames = await knownPeopleRepository(tx, actor).partnershipNames();
        const findings = findIdentifyingDetails(briefingTexts(briefing), NOTHING_RECORDED, {
          partnershipNames,
        });
        const views = findingViews(briefing, findings, []);
        if (mode === 'only-if-clean' && findings.length > 0)
          return { id: null, state: 'refused' as const, briefing, findings: views };
        const saved = await repo.saveImported(briefing, findings, ctx.now());
        await audit(tx, actor, {
          action: 'library.briefing.import',
          outcome: 'success',
          subjectType: 'briefing',
          subjectId: saved.briefing.id,
          detail: { title: briefing.title, sections: briefing.sections.length, findings: findings.length },
        });
        const publish = mode !== 'draft' && findings.length === 0;
        if (publish) await publishVersion(tx, actor, saved.briefing.id, saved.version.id, briefing);
        return {
          id: saved.briefing.id,
          state: publish ? ('published' as const) : ('draft' as const),
          briefing,
          findings: views,
        };
      });
    },

    /** The imported briefings not published yet. */
    async importedDrafts(actor: Actor) {
      return inTransaction(ctx, async (tx) => {
        requireImporter(actor);
        return libraryRepository(tx, actor).importedDrafts();
      });
    },

    /** An imported draft: its content and the findings of its check, accepted or not. */
    async importedDraft(actor: Actor, id: string) {
      return inTransaction(ctx, async (tx) => {
        const draft = await loadDraft(tx, actor, id);
        await audit(tx, actor, {
          action: 'library.draft.view',
          outcome: 'success',
          subjectType: 'briefing_version',
          subjectId: draft.version.id,
        });
        return draft;
      });
    },

    /** Accepts a finding of an imported draft with the importer's reason (they approve it), audited. */
    async acceptImportFinding(actor: Actor, id: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        const draft = await loadDraft(tx, actor, id);
        const { finding: findingId, reason } = parseInput(acceptFindingInput, input);
        const finding = findingById(draft.findings, findingId);
        await libraryRepository(tx, actor).acceptImported(draft.version.id, finding.fingerprint, reason);
        await audit(tx, actor, {
          action: 'library.briefing.finding.accept',
          outcome: 'success',
          subjectType: 'briefing_version',
          subjectId: draft.version.id,
          detail: { reason, kind: finding.kind, finding: finding.id },
        });
        return { ...finding, accepted: { reason } };
      });
    },

    /**
     * Publishes an imported draft: the check runs again on the stored content, and every finding
     * must be accepted with a reason; the data layer refuses it otherwise, whoever asks.
     */
    async publishImport(actor: Actor, id: string) {
      return inTransaction(ctx, async (tx) => {
        const draft = await loadDraft(tx, actor, id);
        const repo = libraryRepository(tx, actor);
        const partnershipNames = await knownPeopleRepository(tx, actor).partnershipNames();
        const content = draft.version.content;
        const findings = findIdentifyingDetails(briefingTexts(content), NOTHING_RECORDED, {
          partnershipNames,
        });
        await repo.saveImportedCheck(draft.version.id, findings, ctx.now());
        requireNoOpenFindings(
          findingViews(content, findings, draft.acceptances),
          'The briefing cannot be published',
        );
        await publishVersion(tx, actor, id, draft.version.id, content);
        return { id };
      });
    },

    /** Deletes an imported draft that was never published. */
    async discardImport(actor: Actor, id: string) {
      return inTransaction(ctx, async (tx) => {
        const draft = await loadDraft(tx, actor, id);
        await libraryRepository(tx, actor).discardImported(id);
        await audit(tx, actor, {
          action: 'library.briefing.discard',
          outcome: 'success',
          subjectType: 'briefing',
          subjectId: id,
          detail: { title: draft.version.content.title },
        });
        return { title: draft.version.content.title };
      });
    },
  };
}

export type LibraryService = ReturnType<typeof libraryService>;
