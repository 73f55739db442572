import type { Executor } from '../db/client.ts';
import { actionRepository } from '../db/repositories/action-repository.ts';
import { requestRepository } from '../db/repositories/request-repository.ts';
import type { VisibleReview } from '../db/repositories/review-access.ts';
import type { ReviewRow } from '../db/repositories/review-repository.ts';
import { stageWorkRepository } from '../db/repositories/stage-work-repository.ts';
import type { RequestStatus } from '../domain/chronology/requests.ts';
import type { Actor } from '../domain/lifecycle/roles.ts';
import type { ReviewFacts } from '../domain/lifecycle/moves.ts';
import { stageWork, type StageSnapshot } from '../domain/lifecycle/stage-tasks.ts';
import type { ReviewType } from '../domain/lifecycle/stages.ts';
import { inSequence } from '../db/sequential.ts';

const WITH_ACTIONS = new Set(['learning_and_actions', 'briefing', 'impact']);

/**
 * The overview's task list of a review the actor may see: a snapshot of what the current stage
 * holds (requests, actions, the event, the briefing's state), read in the caller's transaction,
 * and the policy's answer to what this person can do next.
 */
export async function reviewStageWork(
  tx: Executor,
  actor: Actor,
  handle: VisibleReview,
  row: ReviewRow,
  facts: ReviewFacts,
  inScope: { agencyId: string }[],
  today: string,
) {
  const [requests, counts, actions] = await inSequence(
    () => requestRepository(tx, actor).list(handle),
    () => stageWorkRepository(tx).counts(handle),
    () => (WITH_ACTIONS.has(row.stage) ? actionRepository(tx, actor).list(handle) : Promise.resolve([])),
  );
  const live = requests.filter((r) => !r.request.withdrawnAt);
  const asked = new Set(live.map((r) => r.request.agencyId));
  const snapshot: StageSnapshot = {
    reference: row.reference,
    type: row.type as ReviewType,
    facts,
    isMember: handle.isMember,
    chairAppointed: counts.chairAppointed,
    summary: { background: Boolean(row.background), purpose: Boolean(row.purpose) },
    requests: live.map((r) => ({
      id: r.request.id,
      agencyId: r.request.agencyId,
      agencyName: r.agencyName,
      status: r.request.status as RequestStatus,
      dueDate: r.request.dueDate,
    })),
    unrequested: inScope.filter((a) => !asked.has(a.agencyId)).length,
    event: {
      heldOn: counts.heldOn,
      invited: counts.invited,
      attendanceRecorded: counts.attendanceRecorded,
    },
    episodes: counts.episodes,
    learning: counts.learning,
    actions: actions.map((a) => ({
      id: a.id,
      number: a.number,
      what: a.what,
      agencyId: a.owningAgencyId,
      agencyName: a.agencyName,
      status: a.status,
      dueDate: a.dueDate,
    })),
    briefing: counts.briefing,
    progressWritten: counts.progressWritten,
  };
  return stageWork(snapshot, actor, today);
}
