import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { cleanQuery, type PersonQuery, type PersonRecord } from '../../domain/retention/person-search.ts';

type Row = Record<string, unknown>;
const rowsOf = async <R = Row>(db: Executor, query: SQL) =>
  ((await db.execute(query)) as unknown as { rows: R[] }).rows;

const normalised = (col: SQL) => sql`lower(regexp_replace(trim(${col}), '\\s+', ' ', 'g'))`;
const wantedName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The children and household members of a partnership's reviews whose recorded details match every
 * identifier given (src/domain/retention/person-search.ts): the name in any case or spacing, the
 * date of birth, and a child's NHS number and postcode ignoring spaces and case.
 */
export async function findPeople(
  db: Executor,
  partnershipId: string,
  query: PersonQuery,
): Promise<PersonRecord[]> {
  const q = cleanQuery(query);
  const childOnly = Boolean(q.nhsNumber || q.postcode);
  const common = (name: SQL, dob: SQL) => sql`
    ${q.name ? sql`and ${normalised(name)} = ${wantedName(q.name)}` : sql``}
    ${q.dateOfBirth ? sql`and ${dob} = ${q.dateOfBirth}::date` : sql``}`;
  const children = sql`select 'child:' || r.id as key, r.id as "reviewId", r.reference, null::uuid as "householdId",
          null::text as relationship, s.full_name as "fullName", s.date_of_birth::text as "dateOfBirth", 0 as position
     from review_subjects s join reviews r on r.id = s.review_id
    where r.partnership_id = ${partnershipId} ${common(sql`s.full_name`, sql`s.date_of_birth`)}
      ${q.nhsNumber ? sql`and regexp_replace(coalesce(s.nhs_number, ''), '[[:space:]-]', '', 'g') = ${q.nhsNumber}` : sql``}
      ${q.postcode ? sql`and upper(regexp_replace(coalesce(s.postcode, ''), '[[:space:]]', '', 'g')) = ${q.postcode}` : sql``}`;
  const household = sql`select 'household:' || h.id, r.id, r.reference, h.id, h.relationship, h.full_name,
          h.date_of_birth::text, h.position + 1
     from household_members h join reviews r on r.id = h.review_id
    where r.partnership_id = ${partnershipId} ${common(sql`h.full_name`, sql`h.date_of_birth`)}`;
  return rowsOf<PersonRecord>(
    db,
    childOnly
      ? sql`${children} order by 3, 8`
      : sql`select * from (${children} union all ${household}) p order by 3, 8`,
  ).then((rows) => rows.map(({ position: _p, ...r }: PersonRecord & { position?: number }) => r));
}

/**
 * Everything a partnership holds about one person, for a subject access request: as a member of
 * staff (by e-mail address), or as a child or household member (by name as recorded). Reads only;
 * what it leaves out (secrets, hashes, other people's records) is said in the file's readme.
 */
export function subjectAccessRepository(db: Executor, partnershipId: string) {
  return {
    async staff(email: string) {
      const [person] = await rowsOf<Row & { id: string }>(
        db,
        sql`select u.id, u.name, u.email, u.job_title as "jobTitle", u.roles, a.name as agency,
                   u.created_at as "createdAt", u.last_signed_in_at as "lastSignedInAt", u.disabled_at as "disabledAt",
                   exists (select 1 from totp_enrolments t where t.user_id = u.id) as "hasAuthenticator"
              from users u left join agencies a on a.id = u.agency_id
             where u.partnership_id = ${partnershipId} and lower(u.email) = lower(${email.trim()})`,
      );
      if (!person) return null;
      const id = person.id;
      const [sessions, tokens, identities, reviews, invitations, emails, activity] = [
        await rowsOf(
          db,
          sql`select created_at as "createdAt", expires_at as "expiresAt" from sessions where user_id = ${id} order by created_at`,
        ),
        await rowsOf(
          db,
          sql`select name, created_at as "createdAt", last_used_at as "lastUsedAt", expires_at as "expiresAt", revoked_at as "revokedAt"
                from api_tokens where user_id = ${id} order by created_at`,
        ),
        await rowsOf(
          db,
          sql`select p.name as provider, i.linked_at as "linkedAt", i.last_used_at as "lastUsedAt"
                from user_identities i join identity_providers p on p.id = i.provider_id where i.user_id = ${id}`,
        ),
        await rowsOf(
          db,
          sql`select r.reference, r.pseudonym, m.created_at as "since" from review_members m join reviews r on r.id = m.review_id
               where m.user_id = ${id} order by r.reference`,
        ),
        await rowsOf(
          db,
          sql`select r.reference, e.name, e.job_title as "jobTitle", e.tier, e.attendance, e.created_at as "invitedAt"
                from event_attendees e join reviews r on r.id = e.review_id
               where r.partnership_id = ${partnershipId} and (e.user_id = ${id} or lower(e.email) = lower(${person.email as string}))
               order by r.reference`,
        ),
        await rowsOf(
          db,
          sql`select kind, subject, created_at as "createdAt", sent_at as "sentAt" from outbound_emails
               where lower("to") = lower(${person.email as string}) order by created_at`,
        ),
        await rowsOf(
          db,
          sql`select at, action, outcome, review_reference as "reviewReference", source_address as "sourceAddress"
                from audit_events where user_id = ${id} order by id`,
        ),
      ];
      return { person, sessions, tokens, identities, reviews, invitations, emails, activity };
    },

    /** Reviews naming this person as the child or a household member. */
    async named(name: string) {
      const wanted = wantedName(name);
      return rowsOf<{ reviewId: string; reference: string; householdId: string | null }>(
        db,
        sql`select r.id as "reviewId", r.reference, null as "householdId"
              from review_subjects s join reviews r on r.id = s.review_id
             where r.partnership_id = ${partnershipId} and ${normalised(sql`s.full_name`)} = ${wanted}
            union all
            select r.id, r.reference, h.id
              from household_members h join reviews r on r.id = h.review_id
             where r.partnership_id = ${partnershipId} and ${normalised(sql`h.full_name`)} = ${wanted}
            order by 2`,
      );
    },

    async review(reviewId: string) {
      const [review] = await rowsOf(
        db,
        sql`select reference, pseudonym, type, stage, status, created_at as "openedAt" from reviews where id = ${reviewId}`,
      );
      const [referral] = await rowsOf(
        db,
        sql`select referred_on::text as "referredOn", what_happened as "whatHappened", why_learning as "whyLearning"
              from referrals where review_id = ${reviewId}`,
      );
      return { review: review ?? null, referral: referral ?? null };
    },

    async child(reviewId: string) {
      const [subject] = await rowsOf(
        db,
        sql`select full_name as "fullName", date_of_birth::text as "dateOfBirth", address, postcode, nhs_number as "nhsNumber", school
              from review_subjects where review_id = ${reviewId}`,
      );
      const household = await rowsOf(
        db,
        sql`select relationship, full_name as "fullName", date_of_birth::text as "dateOfBirth"
              from household_members where review_id = ${reviewId} order by position`,
      );
      return { subject: subject ?? null, household };
    },

    async householdMember(id: string) {
      const [member] = await rowsOf(
        db,
        sql`select relationship, full_name as "fullName", date_of_birth::text as "dateOfBirth" from household_members where id = ${id}`,
      );
      return member ?? null;
    },

    /** The review's chronology entries; only those whose text names the person, when a name is given. */
    async chronology(reviewId: string, naming?: string) {
      const mentions = naming
        ? sql`and concat_ws(' ', e.summary, e.child_voice, e.action_taken, e.outcome, e.significance) ilike ${`%${naming.trim()}%`}`
        : sql``;
      return rowsOf(
        db,
        sql`select e.date, e.time, a.name as agency, e.event_type as "eventType", e.summary, e.children_present as "childrenPresent",
                   e.child_seen as "childSeen", e.child_voice as "childVoice", array_to_string(e.concerns, ';') as concerns,
                   e.action_taken as "actionTaken", e.outcome, e.significance, q.status as "returnStatus"
              from chronology_entries e join agencies a on a.id = e.agency_id join agency_requests q on q.id = e.request_id
             where e.review_id = ${reviewId} and e.removed_at is null ${mentions}
             order by e.sort_key, e.id`,
      );
    },
  };
}
