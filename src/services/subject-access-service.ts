import { findPeople, subjectAccessRepository } from '../db/repositories/subject-access-repository.ts';
import { can } from '../domain/access/policy.ts';
import { ROLE_LABELS, isRole, type Actor } from '../domain/lifecycle/roles.ts';
import { REVIEW_TYPE_LABELS, STAGE_LABELS, type ReviewType, type Stage } from '../domain/lifecycle/stages.ts';
import { formatDate, formatDateTime } from '../domain/calendar/format.ts';
import { subjectAccessZip, type SubjectAccessFile } from '../files/subject-access-zip.ts';
import { audit, denial, inRead, inTransaction, type ServiceContext } from './context.ts';
import { ConflictError, ForbiddenError, ValidationError } from './errors.ts';
import type { Executor } from '../db/client.ts';
import {
  cleanQuery,
  groupPeople,
  personQueryProblems,
  searchedBy,
  type PersonFound,
  type PersonQuery,
  type PersonRecord,
} from '../domain/retention/person-search.ts';

/**
 * Whose data: a member of staff by e-mail address, or a child or household member by what is
 * recorded of them (person-search.ts). When the search finds several people, `person` (the key
 * of one of them, as listed) chooses one, or `all` takes every one of them.
 */
export type SubjectAccessQuery =
  { email: string } | (PersonQuery & { person?: string | undefined; all?: boolean | undefined });

export interface SubjectAccessAnswer {
  zip: Buffer;
  fileName: string;
  /** What was found, in words, for the page and the command line. */
  summary: string[];
}

/** A code in people's words ("home_visit" → "Home visit"), as the merged chronology shows it. */
const words = (code: unknown) =>
  typeof code === 'string' && code ? code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ') : code;

const README_LEFT_OUT = `What is not included, and why
-----------------------------
- Passwords, authenticator secrets, recovery codes and API tokens: only their hashes or sealed forms are
  held, and they are secrets, not information about the person.
- Other people's records: a chronology entry is included for a household member only where its text
  names them; audit rows are included only for what the person did themselves.
- Published 7-minute briefings and learning: they pass the identifying-details check before publication
  and identify no one.
- Anything already erased under the retention policy or on request: it is no longer held. The record of
  an erasure keeps no personal data.`;

/** What a search for a child or household member found: the records to answer from, or people to choose between. */
export type PeopleSearch = { chosen: PersonRecord[]; people: PersonFound[] } | { choose: PersonFound[] };

/**
 * The people a search finds, and which records to act on: the one person found, the one chosen
 * (`person`: the key of any of their records, as listed), or all of them (`all`). Several people
 * and no choice: the list, for the administrator to choose from. Bad input is a ValidationError
 * naming the field. Shared by subject access and erasure on request.
 */
export async function searchPeople(
  tx: Executor,
  partnershipId: string,
  query: PersonQuery & { person?: string | undefined; all?: boolean | undefined },
): Promise<PeopleSearch> {
  const problems = personQueryProblems(query);
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const records = await findPeople(tx, partnershipId, query);
  const people = groupPeople(records);
  if (query.person) {
    const chosen = people.find((p) => p.records.some((r) => r.key === query.person));
    if (!chosen) throw new ValidationError({ person: 'Choose one of the people found, or search again.' });
    return { chosen: chosen.records, people: [chosen] };
  }
  if (people.length > 1 && !query.all) return { choose: people };
  return { chosen: records, people };
}

/**
 * A list of people shown to choose from is a view of identifiable details: on record, one row and
 * one for each review it drew on, with which identifiers were searched by and how many people were
 * found, never the values.
 */
export async function auditPeopleListed(
  tx: Executor,
  actor: Actor,
  query: PersonQuery,
  people: PersonFound[],
  purpose: 'subject access' | 'erasure',
) {
  const detail = { searchedBy: searchedBy(query).join(' and '), people: people.length, purpose };
  await audit(tx, actor, {
    action: 'person.search',
    outcome: 'success',
    subjectType: purpose,
    detail,
  });
  const reviews = new Map<string, string>();
  for (const p of people) for (const r of p.records) reviews.set(r.reviewId, r.reference);
  for (const [reviewId, reference] of reviews)
    await audit(tx, actor, {
      action: 'person.search',
      outcome: 'success',
      reviewId,
      reviewReference: reference,
      subjectType: purpose,
      detail,
    });
}

/** The search in the readme's words (the requester's own file: the values are theirs). */
function searchInWords(query: PersonQuery): string {
  const q = cleanQuery(query);
  return [
    q.name ? `named "${q.name}"` : null,
    q.dateOfBirth ? `born ${formatDate(q.dateOfBirth)}` : null,
    q.nhsNumber ? `with the NHS number ${q.nhsNumber}` : null,
    q.postcode ? `at the postcode ${q.postcode}` : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * A subject access request answered: everything the partnership holds about one person, as a
 * member of staff (by e-mail address) or as a child or household member (by what is recorded of
 * them: name, date of birth, NHS number, postcode), in a ZIP of JSON and CSV with a readme.
 * Administrators only; each answer is on record, for each review it draws on, without what was
 * searched for. A search finding several people answers nothing until one (or all) is chosen.
 */
export function subjectAccessService(ctx: ServiceContext) {
  const check = (actor: Actor) => {
    const decision = can(actor, 'subject-access.export');
    if (!decision.allowed)
      throw new ForbiddenError(decision.message, denial(actor, { action: 'subject-access.export' }));
  };

  async function answer(
    tx: Executor,
    actor: Actor,
    query: SubjectAccessQuery,
  ): Promise<{ answer: SubjectAccessAnswer } | { choose: PersonFound[] }> {
    check(actor);
    const byEmail = 'email' in query;
    const email = byEmail ? query.email.trim() : '';
    if (byEmail && !/^[^@\s]+@[^@\s]+$/.test(email))
      throw new ValidationError({ email: 'Enter an e-mail address, like name@example.org.' });
    const repo = subjectAccessRepository(tx, actor.partnershipId);
    const files: SubjectAccessFile[] = [];
    const summary: string[] = [];
    const reviewsDrawnOn: { id: string; reference: string }[] = [];
    const taken = new Set<string>();
    /** A path no other file has (two people of one review, when all are asked for). */
    const unique = (path: string) => {
      let out = path;
      for (let n = 2; taken.has(out); n++) out = path.replace(/(\.[a-z]+)$/, `-${n}$1`);
      taken.add(out);
      return out;
    };

    if (byEmail) {
      const staff = await repo.staff(email);
      if (staff) {
        const { id: _id, roles, ...person } = staff.person;
        files.push({
          path: 'staff/person.json',
          kind: 'json',
          about:
            'their account: name, e-mail address, job title, roles, agency, when it was made and last used',
          value: { ...person, roles: (roles as string[]).filter(isRole).map((r) => ROLE_LABELS[r]) },
        });
        const lists: [string, Record<string, unknown>[], string][] = [
          ['staff/sessions.csv', staff.sessions, 'their sign-in sessions still held'],
          ['staff/api-tokens.csv', staff.tokens, 'their API tokens (names and dates; never the token)'],
          ['staff/single-sign-on.csv', staff.identities, 'the identity providers their account is linked to'],
          ['staff/review-access.csv', staff.reviews, 'the reviews they were given access to'],
          [
            'staff/event-invitations.csv',
            staff.invitations.map((i) => ({ ...i, tier: words(i.tier), attendance: words(i.attendance) })),
            'learning events they were invited to',
          ],
          [
            'staff/e-mail.csv',
            staff.emails,
            'e-mail the service sent them (subjects: messages carry a link, never case detail)',
          ],
          ['staff/activity.csv', staff.activity, 'what they did, from the audit log'],
        ];
        for (const [path, rows, about] of lists) files.push({ path, kind: 'csv', rows, about });
        summary.push(
          `A member of staff: ${staff.activity.length} audit events, ${staff.reviews.length} reviews they were given access to.`,
        );
      }
    } else {
      const found = await searchPeople(tx, actor.partnershipId, query);
      if ('choose' in found) {
        await auditPeopleListed(tx, actor, query, found.choose, 'subject access');
        return { choose: found.choose };
      }
      for (const match of found.chosen) {
        const { review, referral } = await repo.review(match.reviewId);
        if (!review) continue;
        if (!reviewsDrawnOn.some((r) => r.id === match.reviewId))
          reviewsDrawnOn.push({ id: match.reviewId, reference: match.reference });
        const folder = `reviews/${match.reference}`;
        const shown = {
          ...review,
          type: REVIEW_TYPE_LABELS[review.type as ReviewType] ?? review.type,
          stage: STAGE_LABELS[review.stage as Stage] ?? review.stage,
          status: words(review.status),
        };
        const entryRows = (entries: Record<string, unknown>[]) =>
          entries.map((e) => ({ ...e, eventType: words(e.eventType), returnStatus: words(e.returnStatus) }));
        if (match.householdId) {
          const member = await repo.householdMember(match.householdId);
          const entries = await repo.chronology(match.reviewId, match.fullName);
          files.push({
            path: unique(`${folder}/household-member.json`),
            kind: 'json',
            about: `the review (${match.reference}) and their record as a member of the child's household`,
            value: { review: shown, householdMember: member },
          });
          files.push({
            path: unique(`${folder}/chronology-naming-them.csv`),
            kind: 'csv',
            about: `chronology entries of ${match.reference} whose text names them`,
            rows: entryRows(entries),
          });
          summary.push(
            `${match.reference}: a household member; ${entries.length} chronology entries name them.`,
          );
        } else {
          const child = await repo.child(match.reviewId);
          const entries = await repo.chronology(match.reviewId);
          files.push({
            path: unique(`${folder}/child.json`),
            kind: 'json',
            about: `the review (${match.reference}), the child's identifiable details, household and the referral`,
            value: { review: shown, child: child.subject, household: child.household, referral },
          });
          files.push({
            path: unique(`${folder}/chronology.csv`),
            kind: 'csv',
            about: `every agency's chronology entries of ${match.reference}`,
            rows: entryRows(entries),
          });
          summary.push(`${match.reference}: the child; ${entries.length} chronology entries.`);
        }
      }
    }
    if (!files.length) summary.push('Nothing is held about this person.');

    const at = ctx.now();
    const readme = `Subject access request: everything ${
      byEmail
        ? `held about the member of staff with the e-mail address ${email}`
        : `held about the child or household member ${searchInWords(query)}`
    }
Gathered by ${actor.name} on ${formatDateTime(at)}.

Records are JSON; lists are CSV (UTF-8, one row a record, dates and times in ISO 8601, UTC).

${summary.join('\n')}

${README_LEFT_OUT}`;
    const zip = await subjectAccessZip(readme, files);

    // On record without what was searched for: one row, and one for each review drawn on.
    const detail = {
      searchedBy: byEmail ? 'e-mail address' : searchedBy(query).join(' and '),
      files: files.length,
    };
    await audit(tx, actor, {
      action: 'subject-access.export',
      outcome: 'success',
      subjectType: 'subject access',
      detail,
    });
    for (const r of reviewsDrawnOn)
      await audit(tx, actor, {
        action: 'subject-access.export',
        outcome: 'success',
        reviewId: r.id,
        reviewReference: r.reference,
        subjectType: 'subject access',
        detail,
      });
    const stamp = at.toISOString().slice(0, 10);
    return { answer: { zip, fileName: `subject-access-${stamp}.zip`, summary } };
  }

  return {
    /** Whether this person may answer a request at all (the form's page), the refusal on record. */
    async mayGather(actor: Actor): Promise<void> {
      await inRead(ctx, async () => check(actor));
    },

    /**
     * The answer, or (a search finding several people, none chosen) the people to choose from,
     * their listing on record.
     */
    async request(
      actor: Actor,
      query: SubjectAccessQuery,
    ): Promise<{ answer: SubjectAccessAnswer } | { choose: PersonFound[] }> {
      return inTransaction(ctx, (tx) => answer(tx, actor, query));
    },

    /** The answer; a search finding several people, none chosen, is refused with how many. */
    async gather(actor: Actor, query: SubjectAccessQuery): Promise<SubjectAccessAnswer> {
      const result = await this.request(actor, query);
      if ('choose' in result)
        throw new ConflictError(
          `${result.choose.length} people match this search: narrow it, or choose one of them.`,
        );
      return result.answer;
    },
  };
}

export type SubjectAccessService = ReturnType<typeof subjectAccessService>;
