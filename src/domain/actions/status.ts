/**
 * An action's status: not started → in progress → completed → assured (the coordinator's
 * sign-off that the success measure was met, with evidence), or cancelled with a reason.
 */
export const ACTION_STATUSES = ['not_started', 'in_progress', 'completed', 'assured', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
  assured: 'Assured',
  cancelled: 'Cancelled',
};

export function isActionStatus(value: unknown): value is ActionStatus {
  return typeof value === 'string' && (ACTION_STATUSES as readonly string[]).includes(value);
}

/** Who is asking: the coordinator signs off and cancels; an agency lead moves their own work on. */
export type ActionRole = 'coordinator' | 'owner';

const MOVES: Record<ActionStatus, readonly ActionStatus[]> = {
  not_started: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  // The coordinator may reopen completed work that does not meet its success measure.
  completed: ['assured', 'in_progress', 'cancelled'],
  assured: [],
  cancelled: [],
};

const COORDINATOR_ONLY: readonly ActionStatus[] = ['assured', 'cancelled'];

export interface StatusChangeFacts {
  from: ActionStatus;
  to: ActionStatus;
  role: ActionRole;
  /** True when this update, or an earlier one, records evidence (a note of evidence, a link or a file). */
  hasEvidence: boolean;
  /** The reason given with the update (required to cancel). */
  reason: string | null;
}

export type StatusCheck = { allowed: true } | { allowed: false; reason: string };

/** Whether the status may change as asked, and if not, the reason in the user's words. */
export function checkStatusChange(f: StatusChangeFacts): StatusCheck {
  if (f.from === f.to) return { allowed: true };
  if (f.from === 'assured' || f.from === 'cancelled')
    return {
      allowed: false,
      reason: `This action is ${ACTION_STATUS_LABELS[f.from].toLowerCase()}: its status cannot change.`,
    };
  if (!MOVES[f.from].includes(f.to))
    return {
      allowed: false,
      reason: `An action that is ${ACTION_STATUS_LABELS[f.from].toLowerCase()} cannot move to ${ACTION_STATUS_LABELS[f.to].toLowerCase()}.`,
    };
  if (COORDINATOR_ONLY.includes(f.to) && f.role !== 'coordinator')
    return {
      allowed: false,
      reason:
        f.to === 'assured'
          ? 'Only the review coordinator can assure an action.'
          : 'Only the review coordinator can cancel an action.',
    };
  if (f.from === 'completed' && f.to === 'in_progress' && f.role !== 'coordinator')
    return { allowed: false, reason: 'Only the review coordinator can reopen a completed action.' };
  if (f.to === 'assured' && !f.hasEvidence)
    return {
      allowed: false,
      reason:
        'An action can only be assured with evidence that its success measure was met: add the evidence (a note, a link or a file) with this update.',
    };
  if (f.to === 'cancelled' && !f.reason?.trim())
    return { allowed: false, reason: 'Give the reason the action is cancelled.' };
  return { allowed: true };
}

/** The statuses someone in this role may choose next (the current one included, for a note). */
export function nextStatuses(from: ActionStatus, role: ActionRole): ActionStatus[] {
  return [from, ...MOVES[from]].filter(
    (to) => to === from || checkStatusChange({ from, to, role, hasEvidence: true, reason: 'x' }).allowed,
  );
}

/** Work still to do: the statuses that can be overdue and get reminders. */
export function isOpen(status: ActionStatus): boolean {
  return status === 'not_started' || status === 'in_progress';
}
