import { eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { briefingFindingAcceptances, briefingVersions } from '../schema.ts';
import { findingFingerprint } from '../../domain/briefing/finding-location.ts';
import { ConflictError } from '../../services/errors.ts';

/**
 * The one rule every way into the library passes through, here in the data layer: a version is
 * approved or published only when the identifying-details check has run on its content as it is
 * now (any change clears the check) and every finding of that check is accepted with a reason.
 * The database holds the first half too (briefing_versions_checked_before_approval, drizzle/0013).
 */
export async function requireCleanCheck(db: Executor, versionId: string): Promise<void> {
  const [version] = await db
    .select({ checkedAt: briefingVersions.checkedAt, findings: briefingVersions.findings })
    .from(briefingVersions)
    .where(eq(briefingVersions.id, versionId));
  if (!version?.checkedAt)
    throw new ConflictError(
      'This version has not been checked for identifying details since it last changed: check it first.',
    );
  const accepted = new Set(
    (
      await db
        .select({ fingerprint: briefingFindingAcceptances.fingerprint })
        .from(briefingFindingAcceptances)
        .where(eq(briefingFindingAcceptances.versionId, versionId))
    ).map((a) => a.fingerprint),
  );
  const open = (version.findings ?? []).filter((f) => !accepted.has(findingFingerprint(f)));
  if (open.length > 0)
    throw new ConflictError(
      `${open.length} identifying detail${open.length === 1 ? '' : 's'} must be fixed or accepted with a reason first.`,
    );
}
