import { subjectAccessRepository } from '../db/repositories/subject-access-repository.ts';
import { can } from '../domain/access/policy.ts';
import { ROLE_LABELS, isRole, type Actor } from '../domain/lifecycle/roles.ts';
import { REVIEW_TYPE_LABELS, STAGE_LABELS, type ReviewType, type Stage } from '../domain/lifecycle/stages.ts';
import { formatDateTime } from '../domain/calendar/format.ts';
import { subjectAccessZip, type SubjectAccessFile } from '../files/subject-access-zip.ts';
import { audit, denial, inRead, inTransaction, type ServiceContext } from './context.ts';
import { ForbiddenError, ValidationError } from './errors.ts';

export type SubjectAccessQuery = { email: string } | { name: string };

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

/**
 * A subject access request answered: everything the partnership holds about one person, as a
 * member of staff (by e-mail address) or as a child or household member (by full name, as
 * recorded), in a ZIP of JSON and CSV with a readme. Administrators only; each answer is on record,
 * for each review it draws on, without the name or address searched for.
 */
export function subjectAccessService(ctx: ServiceContext) {
  const check = (actor: Actor) => {
    const decision = can(actor, 'subject-access.export');
    if (!decision.allowed)
      throw new ForbiddenError(decision.message, denial(actor, { action: 'subject-access.export' }));
  };
  return {
    /** Whether this person may answer a request at all (the form's page), the refusal on record. */
    async mayGather(actor: Actor): Promise<void> {
      await inRead(ctx, async () => check(actor));
    },

    async gather(actor: Actor, query: SubjectAccessQuery): Promise<SubjectAccessAnswer> {
      return inTransaction(ctx, async (tx) => {
        check(actor);
        const byEmail = 'email' in query;
        const searched = (byEmail ? query.email : query.name).trim();
        if (byEmail ? !/^[^@\s]+@[^@\s]+$/.test(searched) : searched.length < 3)
          throw new ValidationError(
            byEmail
              ? { email: 'Enter an e-mail address, like name@example.org.' }
              : { name: "Enter the person's full name, as recorded." },
          );
        const repo = subjectAccessRepository(tx, actor.partnershipId);
        const files: SubjectAccessFile[] = [];
        const summary: string[] = [];
        const reviewsDrawnOn: { id: string; reference: string }[] = [];

        if (byEmail) {
          const staff = await repo.staff(searched);
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
              [
                'staff/single-sign-on.csv',
                staff.identities,
                'the identity providers their account is linked to',
              ],
              ['staff/review-access.csv', staff.reviews, 'the reviews they were given access to'],
              [
                'staff/event-invitations.csv',
                staff.invitations.map((i) => ({
                  ...i,
                  tier: words(i.tier),
                  attendance: words(i.attendance),
                })),
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
          for (const match of await repo.named(searched)) {
            const { review, referral } = await repo.review(match.reviewId);
            if (!review) continue;
            reviewsDrawnOn.push({ id: match.reviewId, reference: match.reference });
            const folder = `reviews/${match.reference}`;
            const shown = {
              ...review,
              type: REVIEW_TYPE_LABELS[review.type as ReviewType] ?? review.type,
              stage: STAGE_LABELS[review.stage as Stage] ?? review.stage,
              status: words(review.status),
            };
            if (match.householdId) {
              const member = await repo.householdMember(match.householdId);
              const entries = await repo.chronology(match.reviewId, searched);
              files.push({
                path: `${folder}/household-member.json`,
                kind: 'json',
                about: `the review (${match.reference}) and their record as a member of the child's household`,
                value: { review: shown, householdMember: member },
              });
              files.push({
                path: `${folder}/chronology-naming-them.csv`,
                kind: 'csv',
                about: `chronology entries of ${match.reference} whose text names them`,
                rows: entries.map((e) => ({
                  ...e,
                  eventType: words(e.eventType),
                  returnStatus: words(e.returnStatus),
                })),
              });
              summary.push(
                `${match.reference}: a household member; ${entries.length} chronology entries name them.`,
              );
            } else {
              const child = await repo.child(match.reviewId);
              const entries = await repo.chronology(match.reviewId);
              files.push({
                path: `${folder}/child.json`,
                kind: 'json',
                about: `the review (${match.reference}), the child's identifiable details, household and the referral`,
                value: { review: shown, child: child.subject, household: child.household, referral },
              });
              files.push({
                path: `${folder}/chronology.csv`,
                kind: 'csv',
                about: `every agency's chronology entries of ${match.reference}`,
                rows: entries.map((e) => ({
                  ...e,
                  eventType: words(e.eventType),
                  returnStatus: words(e.returnStatus),
                })),
              });
              summary.push(`${match.reference}: the child; ${entries.length} chronology entries.`);
            }
          }
        }
        if (!files.length) summary.push('Nothing is held about this person.');

        const at = ctx.now();
        const readme = `Subject access request: everything ${
          byEmail
            ? `held about the member of staff with the e-mail address ${searched}`
            : `held about "${searched}" as a child or household member`
        }
Gathered by ${actor.name} on ${formatDateTime(at)}.

Records are JSON; lists are CSV (UTF-8, one row a record, dates and times in ISO 8601, UTC).

${summary.join('\n')}

${README_LEFT_OUT}`;
        const zip = await subjectAccessZip(readme, files);

        // On record without what was searched for: one row, and one for each review drawn on.
        const detail = { searchedBy: byEmail ? 'e-mail address' : 'name', files: files.length };
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
        return { zip, fileName: `subject-access-${stamp}.zip`, summary };
      });
    },
  };
}

export type SubjectAccessService = ReturnType<typeof subjectAccessService>;
