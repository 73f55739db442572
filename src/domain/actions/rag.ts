import type { IsoDate } from '../calendar/iso-date.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import { isOpen, type ActionStatus } from './status.ts';

export type Rag = 'red' | 'amber' | 'green' | 'none';

/** Amber when open work is due within this many working days (England's working days). */
export const AMBER_WORKING_DAYS = 10;

/**
 * The RAG rating of an action, derived, never stored:
 * - completed or assured: green (done);
 * - cancelled: none (no longer tracked);
 * - open (not started, in progress) and the due date has passed: red (overdue);
 * - open and due today or within 10 working days: amber;
 * - otherwise green (on track).
 */
export function ragFor(action: { status: ActionStatus; dueDate: IsoDate }, today: IsoDate): Rag {
  if (action.status === 'cancelled') return 'none';
  if (!isOpen(action.status)) return 'green';
  if (action.dueDate < today) return 'red';
  if (workingDaysBetween(today, action.dueDate) <= AMBER_WORKING_DAYS) return 'amber';
  return 'green';
}

export function isOverdue(action: { status: ActionStatus; dueDate: IsoDate }, today: IsoDate): boolean {
  return isOpen(action.status) && action.dueDate < today;
}

export const RAG_LABELS: Record<Rag, string> = {
  red: 'Overdue',
  amber: 'Due soon',
  green: 'On track',
  none: 'Cancelled',
};

/** The words of a RAG tag: done work says "Done" rather than "On track". */
export function ragText(action: { status: ActionStatus }, rag: Rag): string {
  if (rag === 'green' && !isOpen(action.status)) return 'Done';
  return RAG_LABELS[rag];
}
