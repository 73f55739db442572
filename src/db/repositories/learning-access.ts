import { mayRecordLearning, type Actor } from '../../domain/lifecycle/roles.ts';
import { ForbiddenError } from '../../services/errors.ts';

/**
 * The one check, in the data layer, before any write to a review's event, episodes or learning:
 * the coordinator or the chair. Everyone who can see the review may read them.
 */
export function requireRecorder(actor: Actor): void {
  if (!mayRecordLearning(actor))
    throw new ForbiddenError(
      'Only the review coordinator or the chair can change the event, episodes and learning.',
    );
}
