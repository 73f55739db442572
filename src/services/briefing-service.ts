import { briefingRepository, type BriefingVersionRow } from '../db/repositories/briefing-repository.ts';
import { directoryRepository } from '../db/repositories/directory-repository.ts';
import { episodeRepository } from '../db/repositories/episode-repository.ts';
import { learningRepository } from '../db/repositories/learning-repository.ts';
import { partnershipLogoRepository } from '../db/repositories/partnership-logo-repository.ts';
import { resourceRepository } from '../db/repositories/resource-repository.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import type { Executor } from '../db/client.ts';
import { inSequence } from '../db/sequential.ts';
import { knownPeopleRepository } from '../db/repositories/known-people-repository.ts';
import { briefingTexts } from '../domain/anonymise/briefing-texts.ts';
import { findIdentifyingDetails } from '../domain/anonymise/find.ts';
import type { IdentifiableData, KnownPerson } from '../domain/anonymise/types.ts';
import { generateBriefing } from '../domain/briefing/generate.ts';
import { toBriefingJson, type Briefing } from '../domain/briefing/model.ts';
import { renderBriefingMarkdown } from '../domain/briefing/render-markdown.ts';
import { sectionFromForm } from '../domain/briefing/section-form.ts';
import {
  addCustomSection,
  moveSection,
  removeCustomSection,
  type SectionChange,
} from '../domain/briefing/sections.ts';
import {
  briefingMove,
  isEditableState,
  type BriefingMove,
  type BriefingState,
} from '../domain/briefing/states.ts';
import { formatDate } from '../domain/calendar/format.ts';
import { londonDate } from '../domain/calendar/iso-date.ts';
import { whyNotEditable } from '../domain/lifecycle/guards.ts';
import {
  mayApproveBriefing,
  mayEditBriefing,
  mayViewIdentifiable,
  type Actor,
} from '../domain/lifecycle/roles.ts';
import type { Stage } from '../domain/lifecycle/stages.ts';
import { renderBriefingFile, type BriefingFormat } from '../files/briefing-export.ts';
import { parseInput } from '../schemas/parse.ts';
import {
  acceptFindingInput,
  briefingSectionInput,
  newSectionInput,
  reissueInput,
  sectionMoveInput,
} from '../schemas/briefing.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { findingById, findingViews, requireNoOpenFindings, type FindingView } from './finding-views.ts';
import { guard, loadReview } from './review-load.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';

export type { FindingView };

/** All the text of a version, for the library's full-text search. */
export const searchTextOf = (content: Briefing) => renderBriefingMarkdown(content);

/** The review's identifiable data in the shape the check compares with: the family first. */
export function identifiableData(
  subject: Awaited<ReturnType<ReturnType<typeof reviewRepository>['subject']>>,
  others: KnownPerson[],
): IdentifiableData {
  const family: KnownPerson[] = subject
    ? [
        { name: subject.fullName, role: 'child' },
        ...subject.household.map((m): KnownPerson => ({ name: m.fullName, role: 'household' })),
      ]
    : [];
  const dates = subject
    ? [subject.dateOfBirth, ...subject.household.map((m) => m.dateOfBirth)].filter((d): d is string =>
        Boolean(d),
      )
    : [];
  const present = (v: string | null | undefined): v is string => Boolean(v);
  return {
    people: [...family, ...others],
    datesOfBirth: dates as IdentifiableData['datesOfBirth'],
    addresses: [subject?.address].filter(present),
    postcodes: [subject?.postcode].filter(present),
    nhsNumbers: [subject?.nhsNumber].filter(present),
    institutions: [subject?.school].filter(present),
  };
}

/** A review's 7-minute briefing: generated, edited, checked, approved, published and reissued. */
export function briefingService(ctx: ServiceContext) {
  const loadForBriefing = async (tx: Executor, actor: Actor, ref: string) => {
    const found = await loadReview(tx, actor, ref);
    if (!mayEditBriefing(actor))
      throw new ForbiddenError('Only the review coordinator can change the 7-minute briefing.');
    guard(found.row, 'briefing');
    return found;
  };

  async function latest(tx: Executor, actor: Actor, handle: VisibleReview) {
    const versions = await briefingRepository(tx, actor).versions(handle);
    return { versions, current: versions[0] ?? null };
  }

  function requireCurrent(current: BriefingVersionRow | null): BriefingVersionRow {
    if (!current) throw new NotFoundError('This review has no briefing yet.');
    return current;
  }

  /**
   * Runs the identifying-details check on a version: reads the review's identifiable data (refused
   * to anyone who may not see it) and audits that view in the same transaction.
   */
  async function runCheck(tx: Executor, actor: Actor, handle: VisibleReview, version: BriefingVersionRow) {
    const { data, partnershipNames } = await readCheckData(tx, actor, handle, {
      purpose: 'briefing identifying-details check',
      briefingVersion: version.version,
    });
    const findings = findIdentifyingDetails(briefingTexts(version.content), data, { partnershipNames });
    await briefingRepository(tx, actor).saveCheck(handle, version.id, findings, ctx.now());
    return findings;
  }

  /**
   * What the check compares with: the review's identifiable data (refused to anyone who may not
   * see it) and the partnership's own names; the view is audited in the same transaction.
   */
  async function readCheckData(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    detail: Record<string, unknown>,
  ) {
    if (!mayViewIdentifiable(actor, handle.isMember))
      throw new ForbiddenError(
        'You do not have access to the identifiable details this check compares with.',
        denial(actor, {
          action: 'review.identifiable.view',
          reviewId: handle.id,
          reviewReference: handle.reference,
        }),
      );
    const known = knownPeopleRepository(tx, actor);
    const [subject, others, partnershipNames] = await inSequence(
      () => reviewRepository(tx, actor).subject(handle),
      () => known.forCheck(handle),
      () => known.partnershipNames(),
    );
    await audit(tx, actor, {
      action: 'review.identifiable.view',
      outcome: 'success',
      reviewId: handle.id,
      reviewReference: handle.reference,
      subjectType: 'review_subject',
      detail,
    });
    return { data: identifiableData(subject, others), partnershipNames };
  }

  async function viewsOf(tx: Executor, actor: Actor, handle: VisibleReview, version: BriefingVersionRow) {
    const acceptances = await briefingRepository(tx, actor).acceptances(handle, version.id);
    return findingViews(version.content, version.findings, acceptances);
  }

  async function source(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    row: { pseudonym: string; background: string | null; purpose: string | null },
  ) {
    const [kloes, episodes, learning, progress, resources] = await inSequence(
      () => reviewRepository(tx, actor).linesOfEnquiry(handle),
      () => episodeRepository(tx, actor).list(handle),
      () => learningRepository(tx, actor).list(handle),
      () => briefingRepository(tx, actor).progressItems(handle),
      () => resourceRepository(tx, actor).list(),
    );
    return {
      content: generateBriefing({
        title: row.pseudonym,
        background: row.background,
        purpose: row.purpose,
        linesOfEnquiry: kloes.map((k) => k.question),
        episodes: episodes.map((e) => ({ title: e.title, kind: e.kind })),
        learning: learning.map((l) => l.statement),
        progressImpact: progress,
        resources: resources.map((r) => ({ title: r.title, url: r.url })),
      }),
      themes: [...new Set(learning.flatMap((l) => l.themes.map((t) => t.name)))],
      themeIds: [...new Set(learning.flatMap((l) => l.themes.map((t) => t.id)))],
    };
  }

  /**
   * Adds, removes or moves a section as a section edit does: the coordinator, in the briefing's
   * stages, on a version still open to change; the last check is cleared and the change audited.
   * Access, role and stage are checked before the input is read.
   */
  async function changeSections(
    actor: Actor,
    ref: string,
    action: AuditAction,
    plan: (content: BriefingVersionRow['content']) => {
      change: SectionChange;
      detail: Record<string, unknown>;
      /** Where the section is afterwards (where it was, for a removal). */
      index: number;
      heading: string | null;
    },
  ) {
    return inTransaction(ctx, async (tx) => {
      const { handle } = await loadForBriefing(tx, actor, ref);
      const current = requireCurrent((await latest(tx, actor, handle)).current);
      if (!isEditableState(current.state as BriefingState))
        throw new ConflictError(
          'An approved or published briefing cannot change: reissue it as a new version.',
        );
      const { change, detail, index, heading } = plan(current.content);
      if (!change.ok)
        throw change.field
          ? new ValidationError({ [change.field]: change.reason })
          : new ConflictError(change.reason);
      await briefingRepository(tx, actor).setContent(handle, current.id, change.briefing);
      await audit(tx, actor, {
        action,
        outcome: 'success',
        reviewId: handle.id,
        reviewReference: handle.reference,
        subjectType: 'briefing_version',
        subjectId: current.id,
        detail: { version: current.version, ...detail },
      });
      return { index, heading };
    });
  }

  async function move(actor: Actor, ref: string, m: BriefingMove) {
    return inTransaction(ctx, async (tx) => {
      const { handle, row } = await loadReview(tx, actor, ref);
      const approving = m === 'approve';
      // Sending a version back for changes is the approver's as much as approving it (the policy's
      // briefing.approve, as the route says): the chair may return what they will not approve.
      const approver = approving || m === 'return';
      if (approver ? !mayApproveBriefing(actor, handle.isMember) : !mayEditBriefing(actor))
        throw new ForbiddenError(
          approving
            ? "Only the review's chair or the review coordinator can approve the briefing."
            : approver
              ? "Only the review's chair or the review coordinator can send the briefing back to draft."
              : 'Only the review coordinator can change the 7-minute briefing.',
        );
      guard(row, 'briefing');
      const current = requireCurrent((await latest(tx, actor, handle)).current);
      const next = briefingMove(current.state as BriefingState, m);
      if (!next.ok) throw new ConflictError(next.reason);
      if (approving) {
        if (!current.checkedAt)
          throw new ConflictError('Check the briefing for identifying details before approving it.');
        // Checked again now, on the content being approved: a stale check cannot let a name through.
        const findings = await runCheck(tx, actor, handle, current);
        requireNoOpenFindings(
          await viewsOf(tx, actor, handle, { ...current, findings }),
          'The briefing cannot be approved',
        );
      }
      const repo = briefingRepository(tx, actor);
      await repo.setState(handle, current.id, next.to, ctx.now(), {
        searchText: next.to === 'published' ? searchTextOf(current.content) : undefined,
      });
      if (next.to === 'published') {
        const [{ themes, themeIds }, agencies] = await inSequence(
          () => source(tx, actor, handle, row),
          () => reviewRepository(tx, actor).agencies(handle),
        );
        const briefing = (await repo.briefing(handle))!;
        await repo.setFacets(handle, briefing.id, {
          reviewType: row.type,
          themes,
          themeIds,
          agencyCodes: agencies.filter((a) => a.inScope || a.involved).map((a) => a.code),
        });
      }
      await audit(tx, actor, {
        action: `briefing.${m}` as const,
        outcome: 'success',
        reviewId: handle.id,
        reviewReference: handle.reference,
        subjectType: 'briefing_version',
        subjectId: current.id,
        detail: { version: current.version, to: next.to },
      });
      return { version: current.version, state: next.to };
    });
  }

  return {
    /** The briefing tab: the current version, its findings, and what this person may do. */
    async view(actor: Actor, ref: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, ref);
        const { versions, current } = await latest(tx, actor, handle);
        const findings = current ? await viewsOf(tx, actor, handle, current) : [];
        await audit(tx, actor, {
          action: 'review.view',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { page: 'briefing' },
        });
        const stageOpen = whyNotEditable(row as { stage: Stage; status: 'active' }, 'briefing');
        const state = (current?.state ?? null) as BriefingState | null;
        const hasLogo = (await partnershipLogoRepository(tx, actor).info()) !== null;
        const edit = mayEditBriefing(actor) && stageOpen === null;
        return {
          review: row,
          versions,
          current,
          published: versions.find((v) => v.state === 'published') ?? null,
          findings,
          stageOpen,
          hasLogo,
          permissions: {
            generate: edit && (state === null || state === 'draft'),
            edit: edit && state !== null && isEditableState(state),
            submit: edit && state === 'draft',
            check:
              (mayEditBriefing(actor) || mayApproveBriefing(actor, handle.isMember)) &&
              state !== null &&
              isEditableState(state) &&
              stageOpen === null,
            approve:
              mayApproveBriefing(actor, handle.isMember) && state === 'in_review' && stageOpen === null,
            accept: mayApproveBriefing(actor, handle.isMember) && state === 'in_review' && stageOpen === null,
            publish: edit && state === 'approved',
            reissue: edit && state === 'published',
            returnToDraft:
              mayApproveBriefing(actor, handle.isMember) &&
              (state === 'in_review' || state === 'approved') &&
              stageOpen === null,
          },
        };
      });
    },

    /** The first draft from the review's data, or a fresh one over the current draft. */
    async generate(actor: Actor, ref: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadForBriefing(tx, actor, ref);
        const repo = briefingRepository(tx, actor);
        const { current } = await latest(tx, actor, handle);
        if (current && current.state !== 'draft')
          throw new ConflictError('The briefing can be generated again only while it is a draft.');
        const { content } = await source(tx, actor, handle, row);
        if (current) await repo.setContent(handle, current.id, content);
        else await repo.create(handle, { reviewType: row.type, content });
        await audit(tx, actor, {
          action: 'briefing.generate',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          detail: { version: current?.version ?? 1 },
        });
      });
    },

    async updateSection(actor: Actor, ref: string, index: number, input: unknown) {
      const form = parseInput(briefingSectionInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForBriefing(tx, actor, ref);
        const current = requireCurrent((await latest(tx, actor, handle)).current);
        if (!isEditableState(current.state as BriefingState))
          throw new ConflictError(
            'An approved or published briefing cannot change: reissue it as a new version.',
          );
        const section = current.content.sections[index];
        if (!section) throw new NotFoundError('There is no such section in this briefing.');
        const sections = [...current.content.sections];
        sections[index] = sectionFromForm(section, form);
        await briefingRepository(tx, actor).setContent(handle, current.id, { ...current.content, sections });
        await audit(tx, actor, {
          action: 'briefing.section.update',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'briefing_version',
          subjectId: current.id,
          detail: { section: index + 1, kind: section.kind },
        });
      });
    },

    /** A custom section, added after the section given (or at the end). */
    async addSection(actor: Actor, ref: string, input: unknown) {
      return changeSections(actor, ref, 'briefing.section.add', (content) => {
        const form = parseInput(newSectionInput, input);
        const change = addCustomSection(
          content,
          { ...form, goodPractice: '', areasForImprovement: '' },
          form.after,
        );
        const index = change.ok
          ? form.after === null
            ? change.briefing.sections.length - 1
            : form.after + 1
          : -1;
        const heading = form.heading.trim();
        return { change, detail: { section: index + 1, heading }, index, heading };
      });
    },

    /** Removes a custom section; the standard sections stay. */
    async removeSection(actor: Actor, ref: string, index: number) {
      return changeSections(actor, ref, 'briefing.section.remove', (content) => {
        const heading = content.sections[index]?.heading ?? null;
        return {
          change: removeCustomSection(content, index),
          detail: { section: index + 1, heading },
          index,
          heading,
        };
      });
    },

    async moveSection(actor: Actor, ref: string, index: number, input: unknown) {
      return changeSections(actor, ref, 'briefing.section.move', (content) => {
        const { direction } = parseInput(sectionMoveInput, input);
        const heading = content.sections[index]?.heading ?? null;
        return {
          change: moveSection(content, index, direction),
          detail: { section: index + 1, heading, direction },
          index: direction === 'up' ? index - 1 : index + 1,
          heading,
        };
      });
    },

    async check(actor: Actor, ref: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, ref);
        // The check writes its findings: only those who write or approve the briefing run it.
        if (!mayEditBriefing(actor) && !mayApproveBriefing(actor, handle.isMember))
          throw new ForbiddenError(
            "Only the review coordinator or the review's chair can check the briefing.",
          );
        guard(row, 'briefing');
        const current = requireCurrent((await latest(tx, actor, handle)).current);
        if (!isEditableState(current.state as BriefingState))
          throw new ConflictError('Only a draft or a briefing waiting for approval is checked.');
        const findings = await runCheck(tx, actor, handle, current);
        await audit(tx, actor, {
          action: 'briefing.check',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'briefing_version',
          subjectId: current.id,
          detail: { findings: findings.length, version: current.version },
        });
        return {
          version: current.version,
          findings: await viewsOf(tx, actor, handle, { ...current, findings }),
        };
      });
    },

    /** Accepts a finding of the last check (by its id) with the approver's reason, audited. */
    async acceptFinding(actor: Actor, ref: string, input: unknown) {
      const { finding: id, reason } = parseInput(acceptFindingInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, ref);
        if (!mayApproveBriefing(actor, handle.isMember))
          throw new ForbiddenError("Only the review's chair or the review coordinator can accept a finding.");
        guard(row, 'briefing');
        const current = requireCurrent((await latest(tx, actor, handle)).current);
        if (current.state !== 'in_review')
          throw new ConflictError(
            'Findings are accepted by the approver once the briefing is sent for approval.',
          );
        const finding = findingById(await viewsOf(tx, actor, handle, current), id);
        await briefingRepository(tx, actor).accept(handle, current.id, finding.fingerprint, reason);
        await audit(tx, actor, {
          action: 'briefing.finding.accept',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'briefing_version',
          subjectId: current.id,
          detail: { reason, kind: finding.kind, finding: finding.id, version: current.version },
        });
        return { ...finding, accepted: { reason } };
      });
    },

    /**
     * What the identifying-details check of this review compares with, for measuring the check
     * (bench/identifying-details-probe.ts): the same data, permission and audit as a check.
     */
    async checkData(actor: Actor, ref: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadReview(tx, actor, ref);
        return readCheckData(tx, actor, handle, { purpose: 'measuring the identifying-details check' });
      });
    },

    submit: (actor: Actor, ref: string) => move(actor, ref, 'submit'),
    approve: (actor: Actor, ref: string) => move(actor, ref, 'approve'),
    publish: (actor: Actor, ref: string) => move(actor, ref, 'publish'),
    returnToDraft: (actor: Actor, ref: string) => move(actor, ref, 'return'),

    /** A new draft version from the published one, e.g. when impact evidence arrives. */
    async reissue(actor: Actor, ref: string, input: unknown) {
      const { note } = parseInput(reissueInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadForBriefing(tx, actor, ref);
        const repo = briefingRepository(tx, actor);
        const current = requireCurrent((await latest(tx, actor, handle)).current);
        if (current.state !== 'published')
          throw new ConflictError(
            'Only a published briefing can be reissued; this version is not published yet.',
          );
        const v = await repo.addVersion(handle, current.briefingId, {
          version: current.version + 1,
          content: current.content,
          note,
        });
        await audit(tx, actor, {
          action: 'briefing.reissue',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'briefing_version',
          subjectId: v.id,
          detail: { version: v.version, note },
        });
        return { version: v.version };
      });
    },

    /**
     * The briefing as a file or JSON: the latest published version; when none is published yet,
     * the latest draft, labelled as not approved for publication.
     */
    async export(actor: Actor, ref: string, format: BriefingFormat | 'json') {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadReview(tx, actor, ref);
        const { versions } = await latest(tx, actor, handle);
        const published = versions.find((v) => v.state === 'published');
        const chosen = published ?? versions[0];
        if (!chosen) throw new NotFoundError(`Review ${ref} has no briefing yet.`);
        const partnership = await directoryRepository(tx, actor).partnership();
        const logo = format === 'json' ? null : await partnershipLogoRepository(tx, actor).logo();
        await audit(tx, actor, {
          action: 'briefing.export',
          outcome: 'success',
          reviewId: handle.id,
          reviewReference: handle.reference,
          subjectType: 'briefing_version',
          subjectId: chosen.id,
          detail: { format, version: chosen.version },
        });
        const draft = chosen.state !== 'published';
        const versionLabel = draft
          ? `Version ${chosen.version}, DRAFT – not approved for publication`
          : `Version ${chosen.version}, published ${formatDate(londonDate(chosen.publishedAt!))}`;
        const warnings = draft ? ['This briefing is not published yet: this is its latest draft.'] : [];
        if (format === 'json')
          return { json: toBriefingJson(chosen.content, warnings), version: chosen, draft };
        const file = await renderBriefingFile(chosen.content, format, {
          partnershipName: partnership.name,
          versionLabel,
          ...(logo ? { logo: logo.content } : {}),
        });
        return {
          file,
          version: chosen,
          draft,
          fileName: `${ref}-briefing-v${chosen.version}${file.extension}`,
        };
      });
    },
  };
}

export type BriefingService = ReturnType<typeof briefingService>;
