import { eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { learningFiguresVersions } from '../schema.ts';
import type { Actor } from '../../domain/lifecycle/roles.ts';

/**
 * The version of the actor's partnership's learning across reviews (drizzle/0023): a new one on
 * every committed change to what recurrence and the dashboard are worked out from, never reused.
 * Read first in a transaction, before the figures: a change committed in between then only makes
 * the figures kept under it newer than it, never older. "0" before the first change.
 */
export async function learningFiguresVersion(db: Executor, actor: Actor): Promise<string> {
  const [row] = await db
    .select({ version: learningFiguresVersions.version })
    .from(learningFiguresVersions)
    .where(eq(learningFiguresVersions.partnershipId, actor.partnershipId));
  return String(row?.version ?? 0);
}
