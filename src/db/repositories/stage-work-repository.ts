import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import {
  briefings,
  briefingVersions,
  eventAttendees,
  learningStatements,
  practiceEpisodes,
  reviewEvents,
  reviewMembers,
  reviewProgressStatements,
  users,
} from '../schema.ts';
import { appointedRoles } from '../../domain/access/who.ts';
import type { BriefingState } from '../../domain/briefing/states.ts';
import type { VisibleReview } from './review-access.ts';
import { rolesArray } from './roles-sql.ts';

export interface StageCounts {
  chairAppointed: boolean;
  heldOn: string | null;
  invited: number;
  attendanceRecorded: number;
  episodes: number;
  learning: number;
  briefing: BriefingState | null;
  progressWritten: boolean;
}

/**
 * What the overview's task list counts of a visible review's later parts, in one statement: the
 * chair appointed (a member holding a role appointed per review to approve the briefing), the
 * event, episodes, learning, the newest briefing version's state and the progress statement. No
 * case detail: counts and states only.
 */
export function stageWorkRepository(db: Executor) {
  return {
    async counts(review: VisibleReview): Promise<StageCounts> {
      const chairRoles = rolesArray(appointedRoles('briefing.approve'));
      const result = (await db.execute(sql`
        select
          exists (select 1 from ${reviewMembers} m join ${users} u on u.id = m.user_id
                   where m.review_id = ${review.id} and u.disabled_at is null and u.roles && ${chairRoles}) as "chairAppointed",
          (select ${reviewEvents.heldOn}::text from ${reviewEvents} where ${reviewEvents.reviewId} = ${review.id}) as "heldOn",
          (select count(*)::int from ${eventAttendees} where ${eventAttendees.reviewId} = ${review.id}) as "invited",
          (select count(*)::int from ${eventAttendees} where ${eventAttendees.reviewId} = ${review.id}
             and ${eventAttendees.attendance} <> 'invited') as "attendanceRecorded",
          (select count(*)::int from ${practiceEpisodes} where ${practiceEpisodes.reviewId} = ${review.id}) as "episodes",
          (select count(*)::int from ${learningStatements} where ${learningStatements.reviewId} = ${review.id}) as "learning",
          (select v.state from ${briefingVersions} v join ${briefings} b on b.id = v.briefing_id
            where b.review_id = ${review.id} order by v.version desc limit 1) as "briefing",
          exists (select 1 from ${reviewProgressStatements} where ${reviewProgressStatements.reviewId} = ${review.id}) as "progressWritten"
      `)) as unknown as { rows: StageCounts[] };
      const row = result.rows[0]!;
      return {
        chairAppointed: Boolean(row.chairAppointed),
        heldOn: row.heldOn,
        invited: Number(row.invited),
        attendanceRecorded: Number(row.attendanceRecorded),
        episodes: Number(row.episodes),
        learning: Number(row.learning),
        briefing: row.briefing,
        progressWritten: Boolean(row.progressWritten),
      };
    },
  };
}
