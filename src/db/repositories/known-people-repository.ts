import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  agencies,
  agencyRequests,
  chronologyEntries,
  eventAttendees,
  partnerships,
  referrals,
  reviewAgencies,
  reviewMembers,
  users,
} from '../schema.ts';
import type { KnownPerson, PersonRole } from '../../domain/anonymise/types.ts';
import { mayViewIdentifiable, type Actor } from '../../domain/lifecycle/roles.ts';
import { ForbiddenError } from '../../services/errors.ts';
import type { VisibleReview } from './review-access.ts';
import { rolesArray } from './roles-sql.ts';
import { rolesThat } from '../../domain/access/policy.ts';

/**
 * Everyone a review names besides the family, for the identifying-details check: the referrer,
 * the review's members, the leads of its agencies, the people invited to its event and the workers
 * named in its accepted chronology. One statement; refused to anyone who may not see the review's
 * identifiable details (the caller audits the view in the same transaction).
 */
export function knownPeopleRepository(db: Executor, actor: Actor) {
  return {
    async forCheck(review: VisibleReview): Promise<KnownPerson[]> {
      if (!mayViewIdentifiable(actor, review.isMember))
        throw new ForbiddenError('You do not have access to the identifiable details of this review.');
      const id = review.id;
      const result = await db.execute(sql`
        select 'referrer' as role, ${referrals.referrerName} as name, 1 as o
          from ${referrals} where ${referrals.reviewId} = ${id}
        union all
        select 'member', ${users.name}, 2 from ${reviewMembers}
          join ${users} on ${users.id} = ${reviewMembers.userId}
          where ${reviewMembers.reviewId} = ${id}
        union all
        select 'agency-lead', ${users.name}, 3 from ${users}
          join ${reviewAgencies} on ${reviewAgencies.agencyId} = ${users.agencyId}
          where ${reviewAgencies.reviewId} = ${id}
            and (${reviewAgencies.involved} or ${reviewAgencies.inScope})
            and ${users.roles} && ${rolesArray(rolesThat('return.write'))}
            and ${users.partnershipId} = ${review.partnershipId}
        union all
        select 'event', ${eventAttendees.name}, 4 from ${eventAttendees}
          where ${eventAttendees.reviewId} = ${id}
        union all
        select distinct 'chronology-worker', ${chronologyEntries.worker}, 5 from ${chronologyEntries}
          join ${agencyRequests} on ${agencyRequests.id} = ${chronologyEntries.requestId}
          where ${chronologyEntries.reviewId} = ${id}
            and ${agencyRequests.status} = 'accepted'
            and ${chronologyEntries.removedAt} is null
            and ${chronologyEntries.worker} is not null
        order by 3, 2`);
      const rows = (result as unknown as { rows: { role: PersonRole; name: string }[] }).rows;
      return rows.map((r) => ({ name: r.name, role: r.role }));
    },

    /**
     * The partnership's own names (its name and its agencies'), which name no family: the check
     * treats their words as ordinary words.
     */
    async partnershipNames(): Promise<string[]> {
      const result = await db.execute(sql`
        select ${partnerships.name} as name from ${partnerships} where ${partnerships.id} = ${actor.partnershipId}
        union all
        select ${agencies.name} from ${agencies} where ${agencies.partnershipId} = ${actor.partnershipId}`);
      return (result as unknown as { rows: { name: string }[] }).rows.map((r) => r.name);
    },
  };
}
