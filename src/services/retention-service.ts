import type { Executor } from '../db/client.ts';
import { auditRepository } from '../db/repositories/audit-repository.ts';
import { retentionRepository, type EndedReview } from '../db/repositories/retention-repository.ts';
import { can } from '../domain/access/policy.ts';
import { prepareCheck, findInText, type Checker } from '../domain/anonymise/find.ts';
import type { IdentifiableData, KnownPerson } from '../domain/anonymise/types.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import { anonymisedForm, STAND_INS } from '../domain/retention/anonymised-form.ts';
import {
  DATA_CLASSES,
  DATA_CLASS_KEYS,
  ERASABLE_CLASSES,
  REVIEW_CLASSES,
  periodEnds,
  periodProblem,
  periodsInForce,
  type DataClassKey,
  type ErasableClass,
} from '../domain/retention/register.ts';
import type { PersonFound, PersonQuery } from '../domain/retention/person-search.ts';
import type { RequestBasis } from '../domain/retention/request-basis.ts';
import { normaliseEmail } from '../domain/sign-in/throttle.ts';
import { sha256 } from './auth-service.ts';
import { audit, denial, inRead, inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { auditPeopleListed, searchPeople } from './subject-access-service.ts';

/** One class of data erased (or, on a dry run, due), for one review or for the partnership. */
export interface ErasureItem {
  partnershipId: string;
  dataClass: ErasableClass;
  reviewReference: string | null;
  records: number;
}

export interface RunReport {
  dryRun: boolean;
  erased: ErasureItem[];
  /** Reviews with something due that a legal hold kept. */
  held: { partnershipId: string; reviewReference: string; dataClasses: ErasableClass[] }[];
}

/** What an erasure on request did (or would do) for one record of the person: a review's child or household member. */
export interface PersonErasureResult {
  reviewReference: string;
  as: 'child' | 'household member';
  held: boolean;
  erased: ErasureItem[];
}

type Repo = ReturnType<typeof retentionRepository>;

const present = (v: string | null | undefined): v is string => Boolean(v);

/** The review's identifiable data as the identifying-details check compares with it. */
function checkerFor(data: Awaited<ReturnType<Repo['identifiable']>>): Checker {
  const { subject, household, others, partnershipNames } = data;
  const people: KnownPerson[] = [
    ...(subject ? [{ name: subject.fullName, role: 'child' as const }] : []),
    ...household.map((m) => ({ name: m.fullName, role: 'household' as const })),
    ...others.filter((o) => present(o.name)),
  ];
  const identifiable: IdentifiableData = {
    people,
    datesOfBirth: [subject?.dateOfBirth, ...household.map((m) => m.dateOfBirth)].filter(
      present,
    ) as IdentifiableData['datesOfBirth'],
    addresses: [subject?.address].filter(present),
    postcodes: [subject?.postcode].filter(present),
    nhsNumbers: [subject?.nhsNumber].filter(present),
    institutions: [subject?.school].filter(present),
  };
  return prepareCheck(identifiable, { partnershipNames });
}

/** Only what matches the review's own record of these people: names, their dates of birth. */
function onlyRecorded(checker: Checker, text: string): string {
  const found = findInText(checker, text).filter((m) => m.source === 'review');
  let out = '';
  let at = 0;
  for (const m of found) {
    out += text.slice(at, m.start) + STAND_INS[m.kind];
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * Retention and erasure: the register's periods as each partnership set them, the run that erases
 * what is due (the scheduled job `retention`, and `line-of-sight retention run [--dry-run]`), legal
 * holds, and erasure on a person's request. Each erasure is one transaction per review, with its
 * record (class, review, when, how many: never the data) and a new audit row; no audit row is
 * ever rewritten, so the chain still verifies.
 */
export function retentionService(ctx: ServiceContext) {
  const requireManage = (actor: Actor) => {
    const decision = can(actor, 'retention.manage');
    if (!decision.allowed)
      throw new ForbiddenError(decision.message, denial(actor, { action: 'retention.manage' }));
  };
  /** The check on its own, its refusal on record. */
  const checkManage = (actor: Actor) => inRead(ctx, async () => requireManage(actor));

  const systemAudit = (
    tx: Executor,
    partnershipId: string,
    event: {
      action: 'retention.erase';
      reviewId?: string | null;
      reviewReference?: string | null;
      detail: Record<string, unknown>;
    },
  ) =>
    auditRepository(tx).write({
      action: event.action,
      outcome: 'success',
      partnershipId,
      reviewId: event.reviewId ?? null,
      reviewReference: event.reviewReference ?? null,
      subjectType: 'retention',
      detail: event.detail,
    });

  /**
   * Erases the given classes of one review, in one transaction: texts anonymised first (against
   * the details still recorded), then the details themselves. Returns what was erased.
   */
  async function eraseReview(
    tx: Executor,
    review: Pick<EndedReview, 'id' | 'reference' | 'partnershipId' | 'erased'>,
    classes: ErasableClass[],
    why: { reason: 'retention' | 'request'; actor?: Actor; detail?: Record<string, unknown> },
  ): Promise<ErasureItem[]> {
    const repo = retentionRepository(tx);
    if (await repo.held(review.id))
      throw new ConflictError(
        `${review.reference} has a legal hold: nothing of it is erased while the hold stands.`,
      );
    const checker = checkerFor(await repo.identifiable(review.id, review.partnershipId));
    const done: ErasureItem[] = [];
    const at = ctx.now();
    for (const dataClass of classes) {
      let records = await repo.countOf(dataClass, review.id);
      if (records === 0) continue;
      if (dataClass === 'case-narratives' || dataClass === 'agency-returns') {
        const texts = await repo.narratives(dataClass, review.id);
        await repo.replaceTexts(
          texts
            .map((t) => ({ ...t, text: anonymisedForm(checker, t.text) }))
            .filter((t, i) => t.text !== texts[i]!.text),
        );
        if (dataClass === 'case-narratives') await repo.stripChronology(review.id);
      } else if (dataClass === 'evidence-files') {
        records = await repo.eraseEvidenceFiles(review.id);
      } else if (dataClass === 'identifiable-details') {
        // A name is never left in a text once its record has gone: texts kept longer lose the
        // family's recorded details now, and the rest of their anonymisation when their own period ends.
        for (const kept of ['case-narratives', 'agency-returns'] as const) {
          if (classes.includes(kept) || review.erased.includes(kept)) continue;
          const texts = await repo.narratives(kept, review.id);
          await repo.replaceTexts(
            texts
              .map((t) => ({ ...t, text: onlyRecorded(checker, t.text) }))
              .filter((t, i) => t.text !== texts[i]!.text),
          );
        }
        records = await repo.eraseIdentifiable(review.id);
      }
      await repo.record({
        partnershipId: review.partnershipId,
        dataClass,
        reviewId: review.id,
        reviewReference: review.reference,
        reason: why.reason,
        records,
        byUserId: why.actor?.userId ?? null,
        at,
      });
      const detail = { dataClass, records, reason: why.reason, ...why.detail };
      if (why.actor)
        await audit(tx, why.actor, {
          action: 'retention.erase',
          outcome: 'success',
          reviewId: review.id,
          reviewReference: review.reference,
          subjectType: 'retention',
          detail,
        });
      else
        await systemAudit(tx, review.partnershipId, {
          action: 'retention.erase',
          reviewId: review.id,
          reviewReference: review.reference,
          detail,
        });
      done.push({
        partnershipId: review.partnershipId,
        dataClass,
        reviewReference: review.reference,
        records,
      });
    }
    return done;
  }

  /** What is due of each ended review of a partnership, with the periods in force. */
  async function dueReviews(repo: Repo, partnershipId: string, now: Date) {
    const periods = periodsInForce(await repo.periods(partnershipId));
    const due: { review: EndedReview; classes: ErasableClass[] }[] = [];
    for (const review of await repo.endedReviews(partnershipId)) {
      const classes = REVIEW_CLASSES.filter(
        (c) =>
          !review.erased.includes(c) &&
          periodEnds(review.endedAt, periods[c], DATA_CLASSES[c].unit).getTime() <= now.getTime(),
      );
      if (classes.length) due.push({ review, classes });
    }
    return { periods, due };
  }

  return {
    /**
     * Erases everything due in every partnership (or one): each ended review's classes whose
     * period has run out, unless a legal hold stands; sent e-mail and replaced monitoring datasets
     * past theirs. A dry run changes nothing and says what would go.
     */
    async run(options: { dryRun?: boolean; partnershipId?: string } = {}): Promise<RunReport> {
      const dryRun = options.dryRun ?? false;
      const now = ctx.now();
      const report: RunReport = { dryRun, erased: [], held: [] };
      const base = retentionRepository(ctx.system);
      const partnerships = options.partnershipId ? [options.partnershipId] : await base.partnershipIds();
      for (const partnershipId of partnerships) {
        const { periods, due } = await dueReviews(base, partnershipId, now);
        for (const { review, classes } of due) {
          if (review.held) {
            report.held.push({ partnershipId, reviewReference: review.reference, dataClasses: classes });
            continue;
          }
          if (dryRun) {
            for (const dataClass of classes) {
              const records = await base.countOf(dataClass, review.id);
              if (records)
                report.erased.push({ partnershipId, dataClass, reviewReference: review.reference, records });
            }
            continue;
          }
          const erased = await inTransaction(ctx, (tx) =>
            eraseReview(tx, review, classes, { reason: 'retention' }),
          ).catch((error: unknown) => {
            // A hold placed since the list was read: kept, and said so.
            if (error instanceof ConflictError) {
              report.held.push({ partnershipId, reviewReference: review.reference, dataClasses: classes });
              return [];
            }
            throw error;
          });
          report.erased.push(...erased);
        }
        for (const dataClass of ['email-outbox', 'monitoring-data'] as const) {
          const before = periodEnds(now, -periods[dataClass], DATA_CLASSES[dataClass].unit);
          const records = await inTransaction(ctx, async (tx) => {
            const repo = retentionRepository(tx);
            const n =
              dataClass === 'email-outbox'
                ? await repo.eraseSentEmail(partnershipId, before, dryRun)
                : await repo.eraseOldMonitoring(partnershipId, before, dryRun);
            if (n && !dryRun) {
              await repo.record({
                partnershipId,
                dataClass,
                reviewId: null,
                reviewReference: null,
                reason: 'retention',
                records: n,
                byUserId: null,
                at: now,
              });
              await systemAudit(tx, partnershipId, {
                action: 'retention.erase',
                detail: { dataClass, records: n, reason: 'retention' },
              });
            }
            return n;
          });
          if (records) report.erased.push({ partnershipId, dataClass, reviewReference: null, records });
        }
      }
      return report;
    },

    /** The register with this partnership's periods, for its administrator. */
    async register(actor: Actor) {
      await checkManage(actor);
      const own = await inRead(ctx, (db) => retentionRepository(db).periods(actor.partnershipId));
      return DATA_CLASS_KEYS.map((key) => {
        const c = DATA_CLASSES[key];
        return { key, ...c, amount: own.get(key) ?? c.defaultAmount, own: own.has(key) };
      });
    },

    async setPeriod(actor: Actor, key: string, amount: number) {
      return inTransaction(ctx, async (tx) => {
        requireManage(actor);
        if (!(DATA_CLASS_KEYS as string[]).includes(key))
          throw new ValidationError({ dataClass: 'Choose a class of data from the register.' });
        const problem = periodProblem(key as DataClassKey, amount);
        if (problem) throw new ValidationError({ [key]: problem });
        const repo = retentionRepository(tx);
        const before =
          (await repo.periods(actor.partnershipId)).get(key) ??
          DATA_CLASSES[key as DataClassKey].defaultAmount;
        await repo.setPeriod(actor.partnershipId, key, amount, actor.userId, ctx.now());
        await audit(tx, actor, {
          action: 'retention.period.change',
          outcome: 'success',
          subjectType: 'retention',
          subjectId: key,
          detail: { dataClass: key, from: before, to: amount },
        });
      });
    },

    /** Whether this person may manage retention at all (a form's page), the refusal on record. */
    async mayManage(actor: Actor): Promise<void> {
      await checkManage(actor);
    },

    async holds(actor: Actor) {
      await checkManage(actor);
      return inRead(ctx, (db) => retentionRepository(db).holds(actor.partnershipId));
    },

    async placeHold(actor: Actor, reference: string, reason: string) {
      return inTransaction(ctx, async (tx) => {
        requireManage(actor);
        if (!reason.trim()) throw new ValidationError({ reason: 'Say why the review is held.' });
        const repo = retentionRepository(tx);
        const review = await repo.reviewByReference(actor.partnershipId, reference);
        if (!review) throw new NotFoundError(`There is no review ${reference}.`);
        await repo.placeHold(review.id, reason.trim(), actor.userId, ctx.now());
        // The reason is the administrator's words about the hold; it stays in the hold, not the log.
        await audit(tx, actor, {
          action: 'retention.hold.place',
          outcome: 'success',
          reviewId: review.id,
          reviewReference: review.reference,
          subjectType: 'retention',
        });
      });
    },

    async releaseHold(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        requireManage(actor);
        const repo = retentionRepository(tx);
        const review = await repo.reviewByReference(actor.partnershipId, reference);
        if (!review) throw new NotFoundError(`There is no review ${reference}.`);
        if (!(await repo.releaseHold(review.id))) throw new ConflictError(`${reference} has no legal hold.`);
        await audit(tx, actor, {
          action: 'retention.hold.release',
          outcome: 'success',
          reviewId: review.id,
          reviewReference: review.reference,
          subjectType: 'retention',
        });
      });
    },

    /** What is due now (a dry run of this partnership), for its administrator's page. */
    async due(actor: Actor) {
      await checkManage(actor);
      return this.run({ dryRun: true, partnershipId: actor.partnershipId });
    },

    async recent(actor: Actor) {
      await checkManage(actor);
      return inRead(ctx, (db) => retentionRepository(db).recent(actor.partnershipId));
    },

    /**
     * Erasure on one person's request: a child or household member, found by what is recorded of
     * them (their full name in any case or spacing, date of birth, a child's NHS number and
     * postcode: every one given must match). When several people match, nothing is erased and
     * they are listed (on record) to choose from, unless `person` names one or `all` takes them
     * all. For a child, the review's identifiable details go and its texts are anonymised; for a
     * household member, their record goes and their name and date of birth are taken out of the
     * review's texts. A legal hold stops it for that review. A dry run says what would go.
     */
    async eraseOnRequest(
      actor: Actor,
      input: PersonQuery & {
        person?: string | undefined;
        all?: boolean | undefined;
        dryRun?: boolean | undefined;
        basis?: RequestBasis | undefined;
      },
    ): Promise<{ found: number; results: PersonErasureResult[]; choose?: PersonFound[] }> {
      await checkManage(actor);
      const search = await inTransaction(ctx, async (tx) => {
        requireManage(actor);
        const found = await searchPeople(tx, actor.partnershipId, input);
        if ('choose' in found) await auditPeopleListed(tx, actor, input, found.choose, 'erasure');
        return found;
      });
      const result: PersonErasureResult[] = [];
      if ('choose' in search) return { found: 0, results: result, choose: search.choose };
      // Erasing is retention's work, on the partnership's own connection (as the scheduled run).
      const repo = retentionRepository(ctx.system);
      const basis = input.basis ? { basis: input.basis } : {};
      for (const match of search.chosen) {
        const as = match.householdId ? ('household member' as const) : ('child' as const);
        const held = await repo.held(match.reviewId);
        if (held || input.dryRun) {
          const erased: ErasureItem[] = [];
          if (!held)
            for (const dataClass of as === 'child'
              ? (['case-narratives', 'agency-returns', 'identifiable-details'] as const)
              : (['identifiable-details'] as const)) {
              const records = as === 'child' ? await repo.countOf(dataClass, match.reviewId) : 1;
              if (records)
                erased.push({
                  partnershipId: actor.partnershipId,
                  dataClass,
                  reviewReference: match.reference,
                  records,
                });
            }
          result.push({ reviewReference: match.reference, as, held, erased });
          continue;
        }
        const erased = await inTransaction(ctx, async (tx) => {
          const review = {
            id: match.reviewId,
            reference: match.reference,
            partnershipId: actor.partnershipId,
            erased: [],
          };
          if (as === 'child')
            return eraseReview(tx, review, ['case-narratives', 'agency-returns', 'identifiable-details'], {
              reason: 'request',
              actor,
              detail: basis,
            });
          // A household member: their record, and their name and date of birth wherever the texts hold them.
          const txRepo = retentionRepository(tx);
          if (await txRepo.held(match.reviewId))
            throw new ConflictError(
              `${match.reference} has a legal hold: nothing of it is erased while the hold stands.`,
            );
          const data = await txRepo.identifiable(match.reviewId, actor.partnershipId);
          const member = data.household.find((m) => m.id === match.householdId);
          if (!member) return [];
          const checker = checkerFor({
            subject: null,
            household: [member],
            others: [],
            partnershipNames: data.partnershipNames,
          });
          for (const kept of ['case-narratives', 'agency-returns'] as const) {
            const texts = await txRepo.narratives(kept, match.reviewId);
            await txRepo.replaceTexts(
              texts
                .map((t) => ({ ...t, text: onlyRecorded(checker, t.text) }))
                .filter((t, i) => t.text !== texts[i]!.text),
            );
          }
          const records = await txRepo.eraseHouseholdMember(member.id);
          await txRepo.record({
            partnershipId: actor.partnershipId,
            dataClass: 'identifiable-details',
            reviewId: match.reviewId,
            reviewReference: match.reference,
            reason: 'request',
            records,
            byUserId: actor.userId,
            at: ctx.now(),
          });
          await audit(tx, actor, {
            action: 'retention.erase',
            outcome: 'success',
            reviewId: match.reviewId,
            reviewReference: match.reference,
            subjectType: 'retention',
            detail: { dataClass: 'identifiable-details', records, reason: 'request', ...basis },
          });
          return [
            {
              partnershipId: actor.partnershipId,
              dataClass: 'identifiable-details' as const,
              reviewReference: match.reference,
              records,
            },
          ];
        }).catch((error: unknown) => {
          // A hold placed since the search: kept, and said so.
          if (error instanceof ConflictError) return null;
          throw error;
        });
        result.push({ reviewReference: match.reference, as, held: erased === null, erased: erased ?? [] });
      }
      return { found: result.length, results: result };
    },

    /**
     * Erasure on a member of staff's request, by their e-mail address: the account keeps its id
     * (the record of who did what) as a former member of staff, disabled for good; their name,
     * e-mail address, job title, password, authenticator, sessions, tokens, sign-on links, failed
     * sign-ins and e-mail go; their name goes from the reviews that recorded it (the referrer, an
     * invitation, a chronology entry's worker) and from those reviews' texts. One transaction,
     * recorded and audited like any erasure. A legal hold on any review they are part of stops it
     * whole; an administrator cannot erase themselves. A dry run says what would go.
     */
    async eraseStaffOnRequest(
      actor: Actor,
      input: { email: string; dryRun?: boolean | undefined; basis?: RequestBasis | undefined },
    ) {
      const email = input.email.trim();
      await checkManage(actor);
      if (!/^[^@\s]+@[^@\s]+$/.test(email))
        throw new ValidationError({ email: 'Enter an e-mail address, like name@example.org.' });
      const run = async (tx: Executor) => {
        const repo = retentionRepository(tx);
        const person = await repo.staffByEmail(actor.partnershipId, email);
        if (!person) return null;
        if (person.id === actor.userId)
          throw new ConflictError('You cannot erase your own account: ask another administrator.');
        const reviews = await repo.staffReviews(actor.partnershipId, person);
        const held = reviews.filter((r) => r.held).map((r) => r.reference);
        const throttleKey = `account:${sha256(normaliseEmail(person.email))}`;
        if (held.length || input.dryRun) {
          const records = held.length
            ? {}
            : await repo.staffRecords(actor.partnershipId, person, { throttleKey });
          return { held, reviews: reviews.map((r) => r.reference), records };
        }
        // Their name out of the texts of every review that may hold it, before the name itself goes.
        const partnershipNames = await repo.partnershipNames(actor.partnershipId);
        const checker = prepareCheck(
          {
            people: [{ name: person.name, role: 'member' }],
            datesOfBirth: [],
            addresses: [],
            postcodes: [],
            nhsNumbers: [],
            institutions: [],
          },
          { partnershipNames },
        );
        let texts = 0;
        for (const review of reviews)
          for (const dataClass of ['case-narratives', 'agency-returns'] as const) {
            const before = await repo.narratives(dataClass, review.id);
            const changed = before
              .map((t) => ({ ...t, text: onlyRecorded(checker, t.text) }))
              .filter((t, i) => t.text !== before[i]!.text);
            await repo.replaceTexts(changed);
            texts += changed.length;
          }
        const records = await repo.staffRecords(actor.partnershipId, person, {
          throttleKey,
          erase: { at: ctx.now() },
        });
        if (texts) records.texts = texts;
        const total = Object.values(records).reduce((a, b) => a + b, 0);
        await repo.record({
          partnershipId: actor.partnershipId,
          dataClass: 'staff-accounts',
          reviewId: null,
          reviewReference: null,
          reason: 'request',
          records: total,
          byUserId: actor.userId,
          at: ctx.now(),
        });
        await audit(tx, actor, {
          action: 'retention.erase',
          outcome: 'success',
          subjectType: 'user',
          subjectId: person.id,
          detail: {
            dataClass: 'staff-accounts',
            records: total,
            reason: 'request',
            reviews: reviews.length,
            ...(input.basis ? { basis: input.basis } : {}),
          },
        });
        return { held, reviews: reviews.map((r) => r.reference), records };
      };
      const result = input.dryRun ? await inRead(ctx, run) : await inTransaction(ctx, run);
      return result
        ? { found: true as const, dryRun: input.dryRun === true, ...result }
        : { found: false as const };
    },
  };
}

export type RetentionService = ReturnType<typeof retentionService>;
export { ERASABLE_CLASSES };
