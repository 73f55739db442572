import { auditFinding, type AuditRound } from './audit-results.ts';
import { isOverdue } from './rag.ts';
import type { ActionStatus } from './status.ts';

/**
 * Suggested progress/impact items compiled from a review's actions and the audits evidencing
 * them, in a briefing's words. The coordinator edits them into the statement; nothing here is
 * published by itself.
 */
export function compileProgress(
  actions: readonly { status: ActionStatus; dueDate: string; what: string; agencyName: string }[],
  audits: readonly { sampleDescription: string; compliantMeans: string | null; rounds: AuditRound[] }[],
  today: string,
): string[] {
  const items: string[] = [];
  const live = actions.filter((a) => a.status !== 'cancelled');
  if (live.length) {
    const done = live.filter((a) => a.status === 'completed' || a.status === 'assured').length;
    const overdue = live.filter((a) => isOverdue(a, today)).length;
    items.push(
      `An action plan of ${live.length} action${live.length === 1 ? '' : 's'} has been agreed: ${done} completed${overdue ? `, ${overdue} overdue` : ''}`,
    );
  }
  for (const a of live.filter((x) => x.status === 'assured'))
    items.push(`${a.agencyName}: ${lowerFirst(a.what)} — completed, with evidence that it worked`);
  for (const audit of audits) {
    const finding = auditFinding(audit, audit.rounds);
    if (finding) items.push(finding);
  }
  return items;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
