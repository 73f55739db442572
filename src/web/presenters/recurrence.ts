import { ACTION_STATUS_LABELS } from '../../domain/actions/status.ts';
import { formatDate } from '../../domain/calendar/format.ts';
import type { DoneActionView, ThemeLearningHistory } from '../../services/recurrence-service.ts';
import { paths } from '../paths.ts';

export interface Link {
  text: string;
  href: string;
}

export interface ThemeHistoryView {
  key: string;
  name: string;
  /** "Appeared in 4 other reviews since 2021 and 1 library briefing." */
  sentence: string;
  links: Link[];
}

export interface RepeatWarningView {
  theme: string;
  actions: {
    link: Link;
    what: string;
    done: string;
    audits: { text: string; href: string }[];
  }[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Where a theme appeared before, in words and links; null when it never did. */
export function themeHistory(history: ThemeLearningHistory | undefined): ThemeHistoryView | null {
  if (!history || history.reviews.length + history.briefings.length === 0) return null;
  const dates = [...history.reviews.map((r) => r.date), ...history.briefings.map((b) => b.date)].sort();
  const parts = [
    ...(history.reviews.length ? [plural(history.reviews.length, 'other review')] : []),
    ...(history.briefings.length ? [plural(history.briefings.length, 'library briefing')] : []),
  ];
  return {
    key: history.theme.key,
    name: history.theme.name,
    sentence: `This learning appeared in ${parts.join(' and ')} since ${dates[0]!.slice(0, 4)}:`,
    links: [
      ...history.reviews.map((r) => ({
        text: r.reference,
        href: paths.reviews.learning({ ref: r.reference }),
      })),
      ...history.briefings.map((b) => ({
        text: b.title,
        href: paths.library.briefing({ id: b.briefingId }),
      })),
    ],
  };
}

function isView(a: ThemeLearningHistory['earlierActions'][number]): a is DoneActionView {
  return 'audits' in a;
}

/** The repeat-learning warning for one theme: the earlier actions done on it, with their audits. */
export function repeatWarning(history: ThemeLearningHistory | undefined): RepeatWarningView | null {
  if (!history || history.earlierActions.length === 0) return null;
  return {
    theme: history.theme.name,
    actions: history.earlierActions.map((a) => ({
      link: { text: `${a.reference} action A${a.number}`, href: paths.actions.action({ id: a.actionId }) },
      what: a.what,
      // The day it became done; an assured action may have been assured later.
      done:
        a.status === 'assured'
          ? `completed on ${formatDate(a.doneOn)}, since ${ACTION_STATUS_LABELS.assured.toLowerCase()}`
          : `${ACTION_STATUS_LABELS.completed.toLowerCase()} on ${formatDate(a.doneOn)}`,
      audits: isView(a)
        ? a.audits.map((x) => ({
            text: `${x.agencyName} audit, “${x.question}”: ${
              x.rounds.length
                ? x.rounds
                    .map(
                      (r) =>
                        `${r.percentage}% (${r.compliant} of ${r.sampled}) on ${formatDate(r.roundDate)}`,
                    )
                    .join(', ')
                : 'no rounds recorded'
            }`,
            href: paths.audits.audit({ id: x.auditId }),
          }))
        : [],
    })),
  };
}

/** A theme's hint on the learning form: where it appeared and whether earlier actions on it were done. */
export function themeHint(history: ThemeLearningHistory | undefined): string | null {
  const seen = themeHistory(history);
  if (!seen) return null;
  const done = history!.earlierActions.length;
  return `${seen.sentence.replace(/:$/, '.')}${done ? ` ${plural(done, 'earlier action')} on it ${done === 1 ? 'was' : 'were'} completed or assured.` : ''}`;
}
