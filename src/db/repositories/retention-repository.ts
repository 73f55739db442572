import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { erasures, legalHolds, retentionPeriods, reviews } from '../schema.ts';
import type { ErasableClass } from '../../domain/retention/register.ts';
import { ERASED_STAFF_NAME, erasedStaffEmail } from '../../domain/retention/staff-erasure.ts';

const rowsOf = async <R>(db: Executor, query: SQL) =>
  ((await db.execute(query)) as unknown as { rows: R[] }).rows;

/** A review that has ended (closed, or stopped), with what the retention run needs of it. */
export interface EndedReview {
  id: string;
  reference: string;
  partnershipId: string;
  endedAt: Date;
  held: boolean;
  /** The classes already erased from it. */
  erased: string[];
}

/** A text column of one row, to be replaced by its anonymised form. */
export interface NarrativeText {
  table: 'chronology_entries' | 'referrals' | 'self_analysis_answers' | 'agency_requests';
  id: string;
  column: string;
  text: string;
}

const CHRONOLOGY_TEXTS = ['summary', 'child_voice', 'action_taken', 'outcome', 'significance'] as const;
const ANSWER_TEXTS = ['went_well', 'could_be_better', 'why'] as const;

/**
 * The retention run's reads and erasures, outside any one person's access: the periods a
 * partnership set, its legal holds, its ended reviews, and the statements that erase or anonymise
 * one class of one review. The service decides what is due and records each erasure.
 */
export function retentionRepository(db: Executor) {
  return {
    async periods(partnershipId: string): Promise<Map<string, number>> {
      const rows = await db
        .select({ dataClass: retentionPeriods.dataClass, amount: retentionPeriods.amount })
        .from(retentionPeriods)
        .where(eq(retentionPeriods.partnershipId, partnershipId));
      return new Map(rows.map((r) => [r.dataClass, r.amount]));
    },

    async setPeriod(
      partnershipId: string,
      dataClass: string,
      amount: number,
      userId: string | null,
      at: Date,
    ) {
      await db
        .insert(retentionPeriods)
        .values({ partnershipId, dataClass, amount, changedBy: userId, changedAt: at })
        .onConflictDoUpdate({
          target: [retentionPeriods.partnershipId, retentionPeriods.dataClass],
          set: { amount, changedBy: userId, changedAt: at },
        });
    },

    async partnershipIds(): Promise<string[]> {
      return (await rowsOf<{ id: string }>(db, sql`select id from partnerships order by created_at, id`)).map(
        (r) => r.id,
      );
    },

    async reviewByReference(partnershipId: string, reference: string) {
      const [row] = await db
        .select({ id: reviews.id, reference: reviews.reference })
        .from(reviews)
        .where(and(eq(reviews.partnershipId, partnershipId), eq(reviews.reference, reference)));
      return row ?? null;
    },

    async holds(partnershipId: string) {
      return rowsOf<{
        reviewId: string;
        reference: string;
        pseudonym: string;
        reason: string;
        placedAt: Date;
        placedBy: string | null;
      }>(
        db,
        sql`select h.review_id as "reviewId", r.reference, r.pseudonym, h.reason, h.placed_at as "placedAt", u.name as "placedBy"
              from legal_holds h join reviews r on r.id = h.review_id left join users u on u.id = h.placed_by
             where r.partnership_id = ${partnershipId} order by r.reference`,
      );
    },

    async placeHold(reviewId: string, reason: string, userId: string | null, at: Date) {
      await db
        .insert(legalHolds)
        .values({ reviewId, reason, placedBy: userId, placedAt: at })
        .onConflictDoUpdate({ target: legalHolds.reviewId, set: { reason, placedBy: userId, placedAt: at } });
    },

    async releaseHold(reviewId: string): Promise<boolean> {
      const gone = await db.delete(legalHolds).where(eq(legalHolds.reviewId, reviewId)).returning();
      return gone.length > 0;
    },

    /**
     * Reviews that have ended: closed (since they entered the closed stage) or stopped (since the
     * stop). Reviews still running are never erased by the retention run.
     */
    async endedReviews(partnershipId: string, reviewId?: string): Promise<EndedReview[]> {
      const rows = await rowsOf<EndedReview & { endedAt: Date | string }>(
        db,
        sql`select r.id, r.reference, r.partnership_id as "partnershipId",
                   case when r.stage = 'closed' then r.stage_entered_at
                        else (select max(at) from stage_history s where s.review_id = r.id and s.kind = 'stop') end as "endedAt",
                   exists (select 1 from legal_holds h where h.review_id = r.id) as held,
                   coalesce((select array_agg(distinct e.data_class) from erasures e where e.review_id = r.id), '{}') as erased
              from reviews r
             where r.partnership_id = ${partnershipId} and (r.stage = 'closed' or r.status = 'stopped')
               ${reviewId ? sql`and r.id = ${reviewId}` : sql``}
             order by r.reference`,
      );
      return rows.map((r) => ({ ...r, endedAt: new Date(r.endedAt) }));
    },

    /** Whether a review has a legal hold. */
    async held(reviewId: string): Promise<boolean> {
      const [row] = await db
        .select({ id: legalHolds.reviewId })
        .from(legalHolds)
        .where(eq(legalHolds.reviewId, reviewId));
      return Boolean(row);
    },

    /** What the run would touch of one class of one review: how many records. */
    async countOf(dataClass: ErasableClass, reviewId: string): Promise<number> {
      const query: Record<string, SQL> = {
        'identifiable-details': sql`select (select count(*) from review_subjects where review_id = ${reviewId})
                                         + (select count(*) from household_members where review_id = ${reviewId}) as n`,
        'case-narratives': sql`select (select count(*) from chronology_entries where review_id = ${reviewId})
                                    + (select count(*) from referrals where review_id = ${reviewId}) as n`,
        'agency-returns': sql`select (select count(*) from self_analysis_answers a join agency_requests q on q.id = a.request_id where q.review_id = ${reviewId})
                                   + (select count(*) from agency_requests where review_id = ${reviewId} and query is not null) as n`,
        'evidence-files': sql`select count(*) as n from action_updates u join review_actions a on a.id = u.action_id
                                where a.review_id = ${reviewId} and u.file_content is not null`,
      };
      const q = query[dataClass];
      if (!q) return 0;
      const [row] = await rowsOf<{ n: number | string }>(db, q);
      return Number(row?.n ?? 0);
    },

    /**
     * What the review's texts are anonymised against: the family's identifiable details, the
     * referrer, the people invited to its event and the workers named in its chronology, and the
     * partnership's own names (ordinary words to the check).
     */
    async identifiable(reviewId: string, partnershipId: string) {
      const [subject] = await rowsOf<{
        fullName: string;
        dateOfBirth: string | null;
        address: string | null;
        postcode: string | null;
        nhsNumber: string | null;
        school: string | null;
      }>(
        db,
        sql`select full_name as "fullName", date_of_birth::text as "dateOfBirth", address, postcode, nhs_number as "nhsNumber", school
              from review_subjects where review_id = ${reviewId}`,
      );
      const household = await rowsOf<{ id: string; fullName: string; dateOfBirth: string | null }>(
        db,
        sql`select id, full_name as "fullName", date_of_birth::text as "dateOfBirth" from household_members
             where review_id = ${reviewId} order by position`,
      );
      const others = await rowsOf<{ name: string; role: 'referrer' | 'event' | 'chronology-worker' }>(
        db,
        sql`select referrer_name as name, 'referrer' as role from referrals where review_id = ${reviewId}
            union all select name, 'event' from event_attendees where review_id = ${reviewId}
            union all select distinct worker, 'chronology-worker' from chronology_entries where review_id = ${reviewId} and worker is not null`,
      );
      const partnershipNames = await this.partnershipNames(partnershipId);
      return { subject: subject ?? null, household, others, partnershipNames };
    },

    /** The partnership's and its agencies' names: ordinary words to the identifying-details check. */
    async partnershipNames(partnershipId: string): Promise<string[]> {
      return (
        await rowsOf<{ name: string }>(
          db,
          sql`select name from partnerships where id = ${partnershipId} union all select name from agencies where partnership_id = ${partnershipId}`,
        )
      ).map((r) => r.name);
    },

    /** The texts of one class of a review that have anything in them. */
    async narratives(
      dataClass: 'case-narratives' | 'agency-returns',
      reviewId: string,
    ): Promise<NarrativeText[]> {
      const out: NarrativeText[] = [];
      if (dataClass === 'case-narratives') {
        const entries = await rowsOf<Record<string, string | null> & { id: string }>(
          db,
          sql`select id, ${sql.raw(CHRONOLOGY_TEXTS.join(', '))} from chronology_entries where review_id = ${reviewId}`,
        );
        for (const e of entries)
          for (const column of CHRONOLOGY_TEXTS)
            if (e[column]) out.push({ table: 'chronology_entries', id: e.id, column, text: e[column] });
        const [referral] = await rowsOf<{ what: string; why: string }>(
          db,
          sql`select what_happened as what, why_learning as why from referrals where review_id = ${reviewId}`,
        );
        if (referral) {
          out.push({ table: 'referrals', id: reviewId, column: 'what_happened', text: referral.what });
          out.push({ table: 'referrals', id: reviewId, column: 'why_learning', text: referral.why });
        }
      } else {
        const answers = await rowsOf<Record<string, string | null> & { id: string }>(
          db,
          sql`select a.id, ${sql.raw(ANSWER_TEXTS.map((c) => `a.${c}`).join(', '))} from self_analysis_answers a
                join agency_requests q on q.id = a.request_id where q.review_id = ${reviewId}`,
        );
        for (const a of answers)
          for (const column of ANSWER_TEXTS)
            if (a[column]) out.push({ table: 'self_analysis_answers', id: a.id, column, text: a[column] });
        const queries = await rowsOf<{ id: string; query: string }>(
          db,
          sql`select id, query from agency_requests where review_id = ${reviewId} and query is not null`,
        );
        for (const q of queries)
          out.push({ table: 'agency_requests', id: q.id, column: 'query', text: q.query });
      }
      return out;
    },

    /** Writes anonymised texts back, one statement per column that changed. */
    async replaceTexts(texts: NarrativeText[]) {
      const key = (t: NarrativeText) => (t.table === 'referrals' ? 'review_id' : 'id');
      for (const t of texts)
        await db.execute(
          sql`update ${sql.identifier(t.table)} set ${sql.identifier(t.column)} = ${t.text} where ${sql.identifier(key(t))} = ${t.id}`,
        );
    },

    /** What no anonymised form can keep: the worker, source reference, extra columns and amendment history. */
    async stripChronology(reviewId: string) {
      await db.execute(
        sql`update chronology_entries set worker = null, source_ref = null, extra = '{}'::jsonb where review_id = ${reviewId}`,
      );
      await db.execute(
        sql`update chronology_amendments set before = null, after = null
             where entry_id in (select id from chronology_entries where review_id = ${reviewId})`,
      );
    },

    async eraseIdentifiable(reviewId: string): Promise<number> {
      const household = await db.execute(
        sql`delete from household_members where review_id = ${reviewId} returning id`,
      );
      const subject = await db.execute(
        sql`delete from review_subjects where review_id = ${reviewId} returning review_id`,
      );
      const n = (r: unknown) => (r as { rows: unknown[] }).rows.length;
      return n(household) + n(subject);
    },

    /** One household member, by id (erasure on request). */
    async eraseHouseholdMember(id: string): Promise<number> {
      const gone = await db.execute(sql`delete from household_members where id = ${id} returning id`);
      return (gone as unknown as { rows: unknown[] }).rows.length;
    },

    async eraseEvidenceFiles(reviewId: string): Promise<number> {
      const gone = await rowsOf<{ id: string }>(
        db,
        sql`update action_updates set file_content = null,
                   evidence_text = concat_ws(' ', nullif(evidence_text, ''), '(A file was attached and erased under the retention policy.)')
             where file_content is not null
               and action_id in (select id from review_actions where review_id = ${reviewId}) returning id`,
      );
      return gone.length;
    },

    /** Sent e-mail older than `before`. */
    async eraseSentEmail(partnershipId: string, before: Date, dryRun: boolean): Promise<number> {
      const where = sql`partnership_id = ${partnershipId} and sent_at is not null and sent_at < ${before.toISOString()}`;
      if (dryRun)
        return Number(
          (await rowsOf<{ n: string }>(db, sql`select count(*) as n from outbound_emails where ${where}`))[0]
            ?.n ?? 0,
        );
      return (await rowsOf(db, sql`delete from outbound_emails where ${where} returning id`)).length;
    },

    /**
     * Monitoring datasets replaced (or failed) before `before`: a replaced one counts from the time
     * the next dataset was made current.
     */
    async eraseOldMonitoring(partnershipId: string, before: Date, dryRun: boolean): Promise<number> {
      const where = sql`m.partnership_id = ${partnershipId} and (
          (m.status = 'failed' and coalesce(m.finished_at, m.started_at) < ${before.toISOString()})
          or (m.status = 'replaced' and coalesce((select min(n.finished_at) from monitoring_imports n
                where n.partnership_id = m.partnership_id and n.status in ('current', 'replaced') and n.finished_at > m.finished_at), now())
              < ${before.toISOString()}))`;
      if (dryRun)
        return Number(
          (
            await rowsOf<{ n: string }>(
              db,
              sql`select count(*) as n from monitoring_imports m where ${where}`,
            )
          )[0]?.n ?? 0,
        );
      return (await rowsOf(db, sql`delete from monitoring_imports m where ${where} returning id`)).length;
    },

    /** A member of staff of the partnership, by e-mail address (any case). */
    async staffByEmail(partnershipId: string, email: string) {
      const [row] = await rowsOf<{ id: string; name: string; email: string }>(
        db,
        sql`select id, name, email from users
             where partnership_id = ${partnershipId} and lower(email) = lower(${email.trim()})`,
      );
      return row ?? null;
    },

    /**
     * The reviews a member of staff is part of (a member, the referrer, invited to the learning
     * event, the lead of an agency's return or of an action, a chronology entry's worker) or whose
     * texts may name them (their surname in a narrative, a self-analysis or a query), and whether
     * each is held.
     */
    async staffReviews(partnershipId: string, person: { id: string; name: string; email: string }) {
      const name = person.name.trim().replace(/\s+/g, ' ').toLowerCase();
      // Their surname, found in any text that might name them ("(demo)"-like notes set aside).
      const surname =
        name
          .replace(/\([^)]*\)/g, ' ')
          .trim()
          .split(/\s+/)
          .at(-1) ?? '';
      const like = `%${(surname.length >= 3 ? surname : name).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const norm = (col: SQL) => sql`lower(regexp_replace(trim(${col}), '\\s+', ' ', 'g'))`;
      return rowsOf<{ id: string; reference: string; held: boolean }>(
        db,
        sql`select r.id, r.reference, exists (select 1 from legal_holds h where h.review_id = r.id) as held
              from reviews r
             where r.partnership_id = ${partnershipId} and (
                   exists (select 1 from review_members m where m.review_id = r.id and m.user_id = ${person.id})
                or exists (select 1 from referrals f where f.review_id = r.id
                            and (f.referrer_user_id = ${person.id} or concat_ws(' ', f.what_happened, f.why_learning) ilike ${like}))
                or exists (select 1 from event_attendees e where e.review_id = r.id
                            and (e.user_id = ${person.id} or lower(e.email) = lower(${person.email}) or ${norm(sql`e.name`)} = ${name}))
                or exists (select 1 from agency_requests q where q.review_id = r.id
                            and (q.lead_user_id = ${person.id} or q.query ilike ${like}))
                or exists (select 1 from review_actions a where a.review_id = r.id and a.lead_user_id = ${person.id})
                or exists (select 1 from chronology_entries c where c.review_id = r.id
                            and (${norm(sql`c.worker`)} = ${name}
                                 or concat_ws(' ', c.summary, c.child_voice, c.action_taken, c.outcome, c.significance) ilike ${like}))
                or exists (select 1 from self_analysis_answers s join agency_requests q on q.id = s.request_id
                            where q.review_id = r.id and concat_ws(' ', s.went_well, s.could_be_better, s.why) ilike ${like}))
             order by r.reference`,
      );
    },

    /**
     * Everything held about a member of staff, by kind, as the erasure removes or rewrites it:
     * counted for a dry run, and erased (returning the same counts) when `erase` is set.
     */
    async staffRecords(
      partnershipId: string,
      person: { id: string; name: string; email: string },
      options: { throttleKey: string; erase?: { at: Date } },
    ): Promise<Record<string, number>> {
      const name = person.name.trim().replace(/\s+/g, ' ').toLowerCase();
      const norm = (col: SQL) => sql`lower(regexp_replace(trim(${col}), '\\s+', ' ', 'g'))`;
      const id = person.id;
      const inPartnership = sql`review_id in (select id from reviews where partnership_id = ${partnershipId})`;
      const statements: [kind: string, table: string, where: SQL, set: SQL | null][] = [
        ['sessions', 'sessions', sql`user_id = ${id}`, null],
        ['API tokens', 'api_tokens', sql`user_id = ${id}`, null],
        ['single sign-on links', 'user_identities', sql`user_id = ${id}`, null],
        ['authenticator', 'totp_enrolments', sql`user_id = ${id}`, null],
        ['recovery codes', 'recovery_codes', sql`user_id = ${id}`, null],
        ['password resets', 'password_resets', sql`user_id = ${id}`, null],
        ['failed sign-ins', 'sign_in_throttles', sql`key = ${options.throttleKey}`, null],
        [
          'e-mail',
          'outbound_emails',
          sql`partnership_id = ${partnershipId} and lower("to") = lower(${person.email})`,
          null,
        ],
        [
          'referrals',
          'referrals',
          sql`referrer_user_id = ${id} and ${inPartnership}`,
          sql`referrer_name = ${ERASED_STAFF_NAME}`,
        ],
        [
          'learning event invitations',
          'event_attendees',
          sql`${inPartnership} and (user_id = ${id} or lower(email) = lower(${person.email}) or ${norm(sql`name`)} = ${name})`,
          sql`name = ${ERASED_STAFF_NAME}, email = null, job_title = null`,
        ],
        [
          'chronology entries',
          'chronology_entries',
          sql`${inPartnership} and ${norm(sql`worker`)} = ${name}`,
          sql`worker = null`,
        ],
        [
          'monitoring entries',
          'monitoring_entries',
          sql`child_id in (select id from monitored_children where partnership_id = ${partnershipId})
                and ${norm(sql`worker`)} = ${name}`,
          sql`worker = null`,
        ],
      ];
      const counts: Record<string, number> = {};
      for (const [kind, table, where, set] of statements) {
        const t = sql.identifier(table);
        const n = options.erase
          ? (
              await rowsOf(
                db,
                set
                  ? sql`update ${t} set ${set} where ${where} returning 1`
                  : sql`delete from ${t} where ${where} returning 1`,
              )
            ).length
          : Number(
              (await rowsOf<{ n: string }>(db, sql`select count(*) as n from ${t} where ${where}`))[0]?.n ??
                0,
            );
        if (n) counts[kind] = n;
      }
      if (options.erase)
        await db.execute(
          sql`update users set name = ${ERASED_STAFF_NAME}, email = ${erasedStaffEmail(id)}, job_title = null,
                     password_hash = null, disabled_at = coalesce(disabled_at, ${options.erase.at.toISOString()})
               where id = ${id}`,
        );
      counts.account = 1;
      return counts;
    },

    async record(entry: {
      partnershipId: string;
      dataClass: string;
      reviewId: string | null;
      reviewReference: string | null;
      reason: 'retention' | 'request';
      records: number;
      byUserId: string | null;
      at: Date;
    }) {
      await db.insert(erasures).values(entry);
    },

    async recent(partnershipId: string, limit = 50) {
      return db
        .select({
          dataClass: erasures.dataClass,
          reviewReference: erasures.reviewReference,
          reason: erasures.reason,
          records: erasures.records,
          at: erasures.at,
        })
        .from(erasures)
        .where(eq(erasures.partnershipId, partnershipId))
        .orderBy(desc(erasures.at), desc(erasures.id))
        .limit(limit);
    },
  };
}
