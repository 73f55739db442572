import type { Executor } from '../db/client.ts';
import { requestRepository } from '../db/repositories/request-repository.ts';
import {
  prepareEntries,
  returnRepository,
  rowToEntry,
  type ReadableReturn,
} from '../db/repositories/return-repository.ts';
import { reviewRepository } from '../db/repositories/review-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import type { ChronologyEntry } from '../domain/chronology/entry.ts';
import { whyNotAllowed } from '../domain/chronology/requests.ts';
import { formatRowProblem, validateRecord, type RowProblem } from '../domain/chronology/validate.ts';
import { writesReturns, type Actor } from '../domain/lifecycle/roles.ts';
import { parseInput } from '../schemas/parse.ts';
import { amendmentReasonInput, entriesJsonInput, selfAnalysisInput } from '../schemas/chronology.ts';
import { countInWords, EventLoopTurns, LIMITS } from '../limits.ts';
import { audit, denial, inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError, NotFoundError, TooLargeError, ValidationError } from './errors.ts';
import { guard, loadReview } from './review-load.ts';
import type { AuditAction } from '../domain/audit/catalogue.ts';
import { returnUploadJobs } from './return-upload-jobs.ts';

/** How many entries go to the database in one statement while a file is read. */
export const INSERT_BATCH = 5000;

/** An entry as the form sends it: the CSV contract's column names, values as typed. */
export type EntryRecord = Record<string, string>;

/** Entries shown on one page of a return (check your answers, the coordinator's view). */
export const ENTRIES_PAGE_SIZE = 100;

/** What an upload may put into the return: its agency's rows, and no more rows than there is room for. */
export interface DraftRoom {
  agencyCode: string;
  /** The rows the file may have; the row past them is refused with `message`. */
  maxRows: { rows: number; message: string };
}

/** Entries read from an upload (the web or API layer builds it from the file's stream). */
export type EntrySource = (room: DraftRoom) => AsyncIterable<ChronologyEntry>;

/**
 * An uploaded file to add; from a queued upload's job (`job`), with the job's own steps in the
 * upload's transaction: `begin` once the return is open, `eachBatch` before each insert (a cancel
 * throws, and everything rolls back), `end` before the commit (the job is done with the entries).
 */
export interface UploadedFile {
  name: string;
  entries: EntrySource;
  job?: {
    id: string;
    begin: (tx: Executor, ret: ReadableReturn) => Promise<void>;
    eachBatch: (tx: Executor) => Promise<void>;
    end: (tx: Executor, count: number) => Promise<void>;
  };
}

export const AFTER_SUBMISSION = 'After submission, change entries one at a time and give a reason for each.';

/** The refusal of an entry that would take a return past its limit, for the person to act on. */
export function entryLimitMessage(limit: number, existing: number): string {
  const held = existing > 0 ? ` (it holds ${countInWords(existing)} already)` : '';
  return `this would take your agency's return past ${countInWords(limit)} entries, the most one return may hold${held}. Split the chronology, or remove entries first.`;
}

/** The page asked for (from 1), within the pages there are. */
function pageOf(total: number, asked: number | undefined) {
  const pages = Math.max(1, Math.ceil(total / ENTRIES_PAGE_SIZE));
  const number = Math.min(pages, Math.max(1, Math.floor(asked ?? 1) || 1));
  return { number, pages, size: ENTRIES_PAGE_SIZE, offset: (number - 1) * ENTRIES_PAGE_SIZE };
}

/** Invalid entries of a form or JSON body: each problem with its row (JSON) and column. */
export class EntryProblemsError extends ValidationError {
  constructor(readonly problems: RowProblem[]) {
    super(
      Object.fromEntries(problems.map((p, i) => [p.column ?? `_${i}`, sentence(p.message)])),
      problems.map(formatRowProblem).join(' '),
    );
  }
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * An agency's return: its own draft chronology and self-analysis, written only by that agency's
 * leads; submitted, then changed only as amendments with a reason.
 */
export function returnService(ctx: ServiceContext) {
  const limits = ctx.limits ?? LIMITS;

  /** The actor's own agency's return in this review, ready to change, or the reason not. */
  async function loadOwnForChange(tx: Executor, actor: Actor, reference: string) {
    const { handle, row } = await loadReview(tx, actor, reference);
    const ret = await ownReturn(tx, actor, handle);
    guard(row, 'agencyReturns');
    const why = whyNotAllowed(ret.status, 'edit');
    if (why) throw new ConflictError(why);
    return { handle, row, ret };
  }

  async function ownReturn(tx: Executor, actor: Actor, handle: VisibleReview): Promise<ReadableReturn> {
    const ret = writesReturns(actor) ? await returnRepository(tx, actor).openOwn(handle) : null;
    if (!ret)
      throw new ForbiddenError(
        'Your agency has not been asked for a return in this review.',
        denial(actor, { action: 'return.open', reviewId: handle.id, reviewReference: handle.reference }),
      );
    return ret;
  }

  /** After submission every change needs a reason and is kept as an amendment. */
  function amendmentReason(ret: ReadableReturn, input: unknown): string | null {
    if (!ret.submittedAt) return null;
    return parseInput(amendmentReasonInput, input ?? {}).reason;
  }

  function checkEntry(ret: ReadableReturn, record: EntryRecord): ChronologyEntry {
    const result = validateRecord({ ...record, agency: ret.agencyCode }, 0);
    if (!result.ok) throw new EntryProblemsError(result.problems);
    return result.entry;
  }

  async function track(
    tx: Executor,
    actor: Actor,
    handle: VisibleReview,
    action: AuditAction,
    ret: ReadableReturn,
    detail?: Record<string, unknown>,
  ) {
    await audit(tx, actor, {
      action,
      outcome: 'success',
      reviewId: handle.id,
      reviewReference: handle.reference,
      subjectType: 'agency_request',
      subjectId: ret.id,
      detail: detail ?? null,
    });
  }

  /** Whether the actor may upload to their return now (checked before the file is read). */
  async function checkUpload(actor: Actor, reference: string) {
    return inTransaction(ctx, async (tx) => {
      const { ret } = await loadOwnForChange(tx, actor, reference);
      if (ret.submittedAt) throw new ConflictError(AFTER_SUBMISSION);
      const existing = await returnRepository(tx, actor).entryCount(ret);
      const room: DraftRoom = {
        agencyCode: ret.agencyCode,
        maxRows: {
          rows: Math.max(0, limits.returnEntries - existing),
          message: entryLimitMessage(limits.returnEntries, existing),
        },
      };
      return room;
    });
  }

  /**
   * Adds every entry of an uploaded file inside one transaction, in batches as the file is
   * read: any problem in the file (the reader throws at its end) rolls all of it back.
   * While the database inserts one batch, the next is read, checked and made ready: the insert
   * is waiting on the server, so the reader has the process to itself. Only one statement is
   * ever in flight on the transaction.
   */
  async function upload(actor: Actor, reference: string, file: UploadedFile) {
    return inTransaction(ctx, async (tx) => {
      const { handle, ret } = await loadOwnForChange(tx, actor, reference);
      if (ret.submittedAt) throw new ConflictError(AFTER_SUBMISSION);
      await file.job?.begin(tx, ret);
      const repo = returnRepository(tx, actor);
      // Refused before a byte is read when the return is full; otherwise the reader stops at the
      // first row past the room left.
      const existing = await repo.lockedEntryCount(ret);
      const room = limits.returnEntries - existing;
      const message = entryLimitMessage(limits.returnEntries, existing);
      const refusal = (where: string) => {
        const text = `${file.name}: ${where}${message} Nothing was saved.`;
        return new TooLargeError({ file: text }, text);
      };
      if (room <= 0) throw refusal('');
      const turns = new EventLoopTurns();
      let batch: ChronologyEntry[] = [];
      let count = 0;
      let inserting: Promise<void> | null = null;
      const insert = async (entries: ChronologyEntry[]) => {
        const prepared = prepareEntries(entries);
        await inserting; // the previous batch first: one statement at a time on the transaction
        await file.job?.eachBatch(tx);
        const next = repo.insertEntries(ret, prepared);
        // Awaited before the next batch or at the end; until then a failure must not count as unhandled.
        next.catch(() => undefined);
        inserting = next;
        count += entries.length;
      };
      try {
        for await (const entry of file.entries({
          agencyCode: ret.agencyCode,
          maxRows: { rows: room, message },
        })) {
          // Whatever the source, the return never passes its limit.
          if (count + batch.length >= room) throw refusal(`row ${entry.row}: `);
          batch.push(entry);
          if (batch.length >= INSERT_BATCH) {
            await insert(batch);
            batch = [];
          }
          if (turns.due()) await turns.give();
        }
        await insert(batch);
        await inserting;
      } catch (error) {
        // A problem in the file wins over a failed insert, and the rollback waits for nothing.
        await (inserting as Promise<void> | null)?.catch(() => undefined);
        throw error;
      }
      if (count === 0) throw new ValidationError({ file: `${file.name} has a header row but no entries.` });
      await repo.markInProgress(ret);
      await file.job?.end(tx, count);
      await track(tx, actor, handle, 'return.upload', ret, {
        file: file.name,
        entries: count,
        ...(file.job ? { job: file.job.id } : {}),
      });
      return { count };
    });
  }

  const jobs = returnUploadJobs(ctx, {
    loadOwnForChange,
    loadOwn: async (tx, actor, reference) => {
      const { handle } = await loadReview(tx, actor, reference);
      return { handle, ret: await ownReturn(tx, actor, handle) };
    },
    checkUpload,
    upload,
  });

  return {
    /**
     * The agency lead's task list: their own agency's return in this review, with one page of its
     * entries (`page`, from 1) and their count, never the whole return. With `form`, for one of
     * the return's forms: refused with why while returns are not being written.
     */
    async workspace(actor: Actor, reference: string, options: { page?: number; form?: boolean } = {}) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const ret = await ownReturn(tx, actor, handle);
        // A form of the return (`form`) is open only while returns are written: outside that stage
        // it says why (409), as every closed part's form does; the task list and answers stay readable.
        if (options.form) guard(row, 'agencyReturns');
        const repo = returnRepository(tx, actor);
        const request = (await requestRepository(tx, actor).find(handle, ret.id))!;
        const entryCount = await repo.entryCount(ret);
        const page = pageOf(entryCount, options.page);
        const entries = await repo.entriesPage(ret, { limit: page.size, offset: page.offset });
        const answers = await repo.selfAnalysis(ret);
        const kloes = await reviewRepository(tx, actor).linesOfEnquiry(handle);
        const amendments = await repo.amendments(ret);
        await track(tx, actor, handle, 'return.view', ret);
        let editable = whyNotAllowed(ret.status, 'edit') === null;
        try {
          guard(row, 'agencyReturns');
        } catch {
          editable = false;
        }
        return {
          review: row,
          ret,
          request,
          entries,
          entryCount,
          page,
          answers,
          kloes,
          amendments,
          editable,
          amending: Boolean(ret.submittedAt),
        };
      });
    },

    /** A submitted or accepted return, for the coordinator and the chair (or the agency's own lead). */
    async view(actor: Actor, reference: string, requestId: string, options: { page?: number } = {}) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const request = await requestRepository(tx, actor).find(handle, requestId);
        if (!request) throw new NotFoundError('There is no such agency request in this review.');
        const repo = returnRepository(tx, actor);
        const ret = await repo.open(handle, requestId);
        const kloes = await reviewRepository(tx, actor).linesOfEnquiry(handle);
        if (!ret) {
          // The request's status is no secret; its content is, until it is submitted.
          await audit(tx, actor, {
            action: 'request.view',
            outcome: 'success',
            reviewId: handle.id,
            reviewReference: handle.reference,
            subjectType: 'agency_request',
            subjectId: requestId,
          });
          return {
            review: row,
            request,
            ret: null,
            entries: [],
            entryCount: 0,
            page: pageOf(0, 1),
            answers: [],
            amendments: [],
            kloes,
          };
        }
        const entryCount = await repo.entryCount(ret);
        const page = pageOf(entryCount, options.page);
        const [entries, answers, amendments] = [
          await repo.entriesPage(ret, { limit: page.size, offset: page.offset }),
          await repo.selfAnalysis(ret),
          await repo.amendments(ret),
        ];
        await track(tx, actor, handle, 'return.view', ret);
        return { review: row, request, ret, entries, entryCount, page, answers, amendments, kloes };
      });
    },

    async entry(actor: Actor, reference: string, id: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle } = await loadReview(tx, actor, reference);
        const ret = await ownReturn(tx, actor, handle);
        const entry = await returnRepository(tx, actor).entry(ret, id);
        if (!entry) throw new NotFoundError('There is no such entry in your return.');
        return { ret, entry };
      });
    },

    async addEntry(actor: Actor, reference: string, record: EntryRecord, input?: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle, ret } = await loadOwnForChange(tx, actor, reference);
        const entry = checkEntry(ret, record);
        const reason = amendmentReason(ret, input);
        const repo = returnRepository(tx, actor);
        const existing = await repo.lockedEntryCount(ret);
        if (existing + 1 > limits.returnEntries)
          throw new TooLargeError({
            entries: `${sentence(entryLimitMessage(limits.returnEntries, existing))} Nothing was saved.`,
          });
        const added = await repo.insertEntry(ret, entry);
        await repo.markInProgress(ret);
        if (reason !== null)
          await repo.recordAmendment(ret, {
            entryId: added.id,
            reason,
            before: null,
            after: entry,
            at: ctx.now(),
          });
        await track(tx, actor, handle, 'return.entry.add', ret, { amendment: reason !== null });
      });
    },

    async updateEntry(actor: Actor, reference: string, id: string, record: EntryRecord, input?: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle, ret } = await loadOwnForChange(tx, actor, reference);
        const repo = returnRepository(tx, actor);
        const before = await repo.entry(ret, id);
        if (!before) throw new NotFoundError('There is no such entry in your return.');
        const entry = checkEntry(ret, record);
        const reason = amendmentReason(ret, input);
        await repo.updateEntry(ret, id, entry);
        await repo.markInProgress(ret);
        if (reason !== null)
          await repo.recordAmendment(ret, {
            entryId: id,
            reason,
            before: rowToEntry(before, ret.agencyCode),
            after: entry,
            at: ctx.now(),
          });
        await track(tx, actor, handle, 'return.entry.update', ret, { entry: id, amendment: reason !== null });
      });
    },

    async removeEntry(actor: Actor, reference: string, id: string, input?: unknown) {
      return inTransaction(ctx, async (tx) => {
        const { handle, ret } = await loadOwnForChange(tx, actor, reference);
        const repo = returnRepository(tx, actor);
        const before = await repo.entry(ret, id);
        if (!before) throw new NotFoundError('There is no such entry in your return.');
        const reason = amendmentReason(ret, input);
        await repo.removeEntry(ret, id, ctx.now());
        await repo.markInProgress(ret);
        if (reason !== null)
          await repo.recordAmendment(ret, {
            entryId: id,
            reason,
            before: rowToEntry(before, ret.agencyCode),
            after: null,
            at: ctx.now(),
          });
        await track(tx, actor, handle, 'return.entry.remove', ret, { entry: id, amendment: reason !== null });
      });
    },

    /** Whether the actor may upload to their return now (checked before the file is read). */
    checkUpload,

    upload,
    ...jobs,

    /** The API's JSON entries: checked like CSV rows (row N is the Nth entry), all or nothing. */
    async addEntries(actor: Actor, reference: string, input: unknown) {
      return inTransaction(ctx, async (tx) => {
        // The return and its stage first: someone without one is refused, not told what their input lacks.
        const { handle, ret } = await loadOwnForChange(tx, actor, reference);
        const { entries } = parseInput(entriesJsonInput, input);
        if (ret.submittedAt) throw new ConflictError(AFTER_SUBMISSION);
        const repo = returnRepository(tx, actor);
        const existing = await repo.lockedEntryCount(ret);
        if (existing + entries.length > limits.returnEntries) {
          // Row N is the Nth entry, as in the checks below: name the first one past the limit.
          const row = Math.max(1, limits.returnEntries - existing + 1);
          const message = `row ${row}: ${entryLimitMessage(limits.returnEntries, existing)} Nothing was saved.`;
          throw new TooLargeError({ entries: sentence(message) }, sentence(message));
        }
        const turns = new EventLoopTurns();
        const problems: RowProblem[] = [];
        const valid: ChronologyEntry[] = [];
        for (const [i, e] of entries.entries()) {
          if (turns.due()) await turns.give();
          const result = validateRecord(
            {
              date: e.date,
              time: e.time ?? '',
              agency: ret.agencyCode,
              event_type: e.eventType,
              summary: e.summary,
              children_present: e.childrenPresent ?? '',
              child_seen: e.childSeen ?? '',
              child_voice: e.childVoice ?? '',
              concerns: e.concerns.join(';'),
              worker: e.worker ?? '',
              practitioner_role: e.practitionerRole ?? '',
              action_taken: e.actionTaken ?? '',
              outcome: e.outcome ?? '',
              significance: e.significance ?? '',
              source_ref: e.sourceRef ?? '',
            },
            i + 1,
          );
          if (result.ok) valid.push(result.entry);
          else problems.push(...result.problems);
        }
        if (problems.length) throw new EntryProblemsError(problems);
        await repo.insertEntries(ret, valid);
        await repo.markInProgress(ret);
        await track(tx, actor, handle, 'return.entries.add', ret, { entries: valid.length });
        return { count: valid.length };
      });
    },

    /** One key line of enquiry's self-analysis answer; says whether the return could be submitted now. */
    async saveSelfAnalysis(actor: Actor, reference: string, lineOfEnquiryId: string, input: unknown) {
      const data = parseInput(selfAnalysisInput, input);
      return inTransaction(ctx, async (tx) => {
        const { handle, ret } = await loadOwnForChange(tx, actor, reference);
        const kloes = await reviewRepository(tx, actor).linesOfEnquiry(handle);
        if (!kloes.some((k) => k.id === lineOfEnquiryId))
          throw new NotFoundError('There is no such key line of enquiry in this review.');
        const repo = returnRepository(tx, actor);
        await repo.saveSelfAnalysis(ret, lineOfEnquiryId, data);
        await repo.markInProgress(ret);
        await track(tx, actor, handle, 'return.self-analysis.save', ret, { lineOfEnquiryId });
        // Whether the return could be submitted now (it holds an entry): where the last Save goes on to.
        return { submittable: (await repo.entryCount(ret)) > 0 };
      });
    },

    /** Locks the return for the coordinator, recording who submitted it and when. */
    async submit(actor: Actor, reference: string) {
      return inTransaction(ctx, async (tx) => {
        const { handle, row } = await loadReview(tx, actor, reference);
        const ret = await ownReturn(tx, actor, handle);
        guard(row, 'agencyReturns');
        const why = whyNotAllowed(ret.status, 'submit');
        if (why) throw new ConflictError(why);
        if ((await returnRepository(tx, actor).entryCount(ret)) === 0)
          throw new ConflictError('Add at least one chronology entry before submitting the return.');
        await requestRepository(tx, actor).update(handle, ret.id, {
          status: 'submitted',
          submittedAt: ctx.now(),
          submittedBy: actor.userId,
        });
        await track(tx, actor, handle, 'return.submit', ret);
      });
    },
  };
}

export type ReturnService = ReturnType<typeof returnService>;
