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
import { libraryMetadataInput } from '../schemas/library-metadata.ts';
import { themeRepository } from '../db/repositories/theme-repository.ts';
import { suggestThemes } from '../domain/learning/theme-suggestions.ts';
import type { LibraryMetadata } from '../db/repositories/library-repository.ts';
import { isoDate } from '../schemas/common.ts';
import { parseInput } from '../schemas/parse.ts';
import { searchTextOf } from './briefing-service.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { findingById, findingViews, requireNoOpenFindings, type FindingView } from './finding-views.ts';

/** How an import is saved: see saveImport. */
export type ImportMode = 'draft' | 'if-clean' | 'only-if-clean';

/** What an import is saved with besides its content: the coordinator's details, and what the document said. */
export interface ImportDetails {
  /** libraryMetadataInput; themes absent means "the suggested themes". */
  metadata?: unknown;
  /** The document's own date (from the parse's report): the year when none is given. */
  documentDate?: string | null;
}

/** All the text of a briefing, and its learning alone, for suggesting themes. */
function suggestionText(briefing: Briefing) {
  const learning = briefing.sections
    .filter((s) => s.kind === 'learning')
    .flatMap((s) => [...s.paragraphs, ...s.items]);
  return {
    all: briefingTexts(briefing)
      .map((t) => t.text)
      .join('\n'),
    learning: learning.join('\n'),
  };
}

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

/**
 * The coordinator's details resolved against the taxonomy: theme keys to ids (retired themes and
 * unknown keys refused), the year from the document when none is given, a new title checked for
 * identifying details like the content was (the library's gate: a title is published too).
 */
async function resolveMetadata(
  tx: Executor,
  actor: Actor,
  briefing: Briefing,
  input: unknown,
  fallback: { documentDate: string | null; suggested: string[]; keepThemeIds?: string[] },
): Promise<LibraryMetadata> {
  const raw = (input ?? {}) as Record<string, unknown>;
  const data = parseInput(libraryMetadataInput, raw);
  const themes = themeRepository(tx, actor);
  await themes.seedIfEmpty();
  const keys = raw.themes === undefined ? fallback.suggested : data.themes;
  const found = await themes.byKeys([...new Set(keys)]);
  const missing = keys.filter((k) => !found.some((t) => t.key === k));
  if (missing.length) throw new ValidationError({ themes: `Unknown theme: ${missing.join(', ')}` });
  const retired = found.filter((t) => t.retiredAt && !(fallback.keepThemeIds ?? []).includes(t.id));
  if (retired.length)
    throw new ValidationError({
      themes: `This theme has been retired and cannot be chosen: ${retired.map((t) => t.name).join(', ')}`,
    });
  const title = data.title && data.title !== briefing.title ? data.title : null;
  if (title) {
    const partnershipNames = await knownPeopleRepository(tx, actor).partnershipNames();
    const [finding] = findIdentifyingDetails([{ sectionKey: 'title', text: title }], NOTHING_RECORDED, {
      partnershipNames,
    });
    if (finding)
      throw new ValidationError({
        title: `The title may identify someone (“${finding.text}” ${finding.reason}): ${finding.advice}`,
      });
  }
  const documentYear = fallback.documentDate ? Number(fallback.documentDate.slice(0, 4)) : null;
  const year = data.year ?? documentYear;
  return {
    title,
    sourcePartnership: data.partnership,
    year,
    // The document's date stays only while the year agrees with it.
    documentDate: fallback.documentDate && year === documentYear ? fallback.documentDate : null,
    reviewType: data.reviewType ?? 'line_of_sight',
    themeIds: found.map((t) => t.id),
    taxonomyVersion: await themes.version(),
  };
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
          await repo.facets(q),
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
        const themes = await repo.themesOf(id);
        const related = await repo.related(id);
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
          themes,
          related,
          year: found.briefing.year ?? Number(londonDate(found.versions.at(-1)!.publishedAt!).slice(0, 4)),
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
        const content = { ...version.content, title: found.briefing.title ?? version.content.title };
        const file = await renderBriefingFile(content, format, {
          partnershipName: partnership.name,
          versionLabel: `Version ${version.version}, published ${formatDate(londonDate(version.publishedAt!))}`,
          ...(logo ? { logo: logo.content } : {}),
        });
        const slug = content.title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'briefing';
        return { file, fileName: `${slug}-briefing-v${version.version}${file.extension}` };
      });
    },

    /**
     * Reads an uploaded briefing and checks it against the general patterns (there is no review to
     * compare with), saving nothing: the preview shows the findings before anything is kept.
     */
    async previewImport(actor: Actor, buffer: Uint8Array, fileName: string) {
      const known = await inTransaction(ctx, async (tx) => {
        requireImporter(actor);
        const themes = themeRepository(tx, actor);
        await themes.seedIfEmpty();
        return {
          partnershipNames: await knownPeopleRepository(tx, actor).partnershipNames(),
          themes: await themes.all(),
          taxonomyVersion: await themes.version(),
        };
      });
      const imported = await importBriefingBuffer(buffer, fileName);
      const suggestions = suggestThemes(
        suggestionText(imported.briefing),
        known.themes.map((t) => ({
          key: t.key,
          name: t.name,
          keywords: t.keywords,
          retired: Boolean(t.retiredAt),
        })),
      );
      return {
        ...imported,
        findings: checkImported(imported.briefing, known.partnershipNames),
        suggestions,
        themes: known.themes.filter((t) => !t.retiredAt),
        taxonomyVersion: known.taxonomyVersion,
      };
    },

    /**
     * Saves an imported briefing (the model from the preview, the command line or the API) as a
     * draft in the library, checked on exactly this content, then:
     * - 'draft': keeps it as a draft, to accept findings and publish from its page;
     * - 'if-clean': publishes it when the check finds nothing, else keeps the draft;
     * - 'only-if-clean': publishes it when the check finds nothing, else saves nothing at all
     *   (state 'refused', with the findings).
     */
    async saveImport(
      actor: Actor,
      content: unknown,
      mode: ImportMode = 'draft',
      details: ImportDetails = {},
    ) {
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
          return { id: null, state: 'refused' as const, briefing, findings: views, themes: [] as string[] };
        const themeRows = await themeRepository(tx, actor).all();
        const suggested = suggestThemes(
          suggestionText(briefing),
          themeRows.map((t) => ({
            key: t.key,
            name: t.name,
            keywords: t.keywords,
            retired: Boolean(t.retiredAt),
          })),
        ).map((t) => t.key);
        const documentDate =
          details.documentDate && isoDate('').safeParse(details.documentDate).success
            ? details.documentDate
            : null;
        const meta = await resolveMetadata(tx, actor, briefing, details.metadata, {
          documentDate,
          suggested,
        });
        const saved = await repo.saveImported(briefing, findings, ctx.now(), meta);
        await audit(tx, actor, {
          action: 'library.briefing.import',
          outcome: 'success',
          subjectType: 'briefing',
          subjectId: saved.briefing.id,
          detail: {
            title: briefing.title,
            sections: briefing.sections.length,
            findings: findings.length,
            themes: meta.themeIds.length,
            taxonomyVersion: meta.taxonomyVersion,
          },
        });
        const publish = mode !== 'draft' && findings.length === 0;
        if (publish) await publishVersion(tx, actor, saved.briefing.id, saved.version.id, briefing);
        const keys = new Map(themeRows.map((t) => [t.id, t.key]));
        return {
          id: saved.briefing.id,
          state: publish ? ('published' as const) : ('draft' as const),
          briefing,
          findings: views,
          themes: meta.themeIds.map((id) => keys.get(id)!),
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

    /** An imported briefing's details and the themes to choose from, for its "Change details" page. */
    async importedDetails(actor: Actor, id: string) {
      return inTransaction(ctx, async (tx) => {
        requireImporter(actor);
        const repo = libraryRepository(tx, actor);
        const found = await repo.imported(id);
        if (!found) throw new NotFoundError('There is no such briefing loaded into the library.');
        const themes = themeRepository(tx, actor);
        await themes.seedIfEmpty();
        const chosen = await repo.themesOf(id);
        return {
          briefing: found.briefing,
          documentTitle: found.title,
          published: found.published,
          year: found.year,
          chosen,
          themes: (await themes.all()).filter((t) => !t.retiredAt || chosen.some((c) => c.id === t.id)),
        };
      });
    },

    /** Changes an imported briefing's details (title, partnership, year, review type, themes), audited. */
    async updateImportedDetails(actor: Actor, id: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        requireImporter(actor);
        const repo = libraryRepository(tx, actor);
        const found = await repo.imported(id);
        if (!found) throw new NotFoundError('There is no such briefing loaded into the library.');
        const current = await repo.themesOf(id);
        const meta = await resolveMetadata(tx, actor, { title: found.title, sections: [] }, input, {
          documentDate: found.briefing.documentDate,
          suggested: current.map((t) => t.key),
          keepThemeIds: current.map((t) => t.id),
        });
        await repo.updateMetadata(id, meta);
        await audit(tx, actor, {
          action: 'library.briefing.details',
          outcome: 'success',
          subjectType: 'briefing',
          subjectId: id,
          detail: { themes: meta.themeIds.length, year: meta.year, reviewType: meta.reviewType },
        });
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
