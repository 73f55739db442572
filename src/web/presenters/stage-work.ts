import { formatDate, describeDeadline } from '../../domain/calendar/format.ts';
import type { StageTask, StageWork, TaskPlace, TaskState } from '../../domain/lifecycle/stage-tasks.ts';
import { STAGE_LABELS } from '../../domain/lifecycle/stages.ts';
import { paths } from '../paths.ts';

/** Where a task is done, as an address. */
export function placeHref(ref: string, place: TaskPlace): string {
  switch (place.page) {
    case 'referral':
      return paths.reviews.referral({ ref });
    case 'screening':
      return paths.reviews.screening({ ref });
    case 'terms-of-reference':
      return paths.reviews.termsOfReference({ ref });
    case 'chair':
      return `${paths.reviews.termsOfReference({ ref })}#chair`;
    case 'background-and-purpose':
      return `${paths.reviews.termsOfReference({ ref })}#background-and-purpose`;
    case 'agencies':
      return paths.reviews.agencies({ ref });
    case 'requests':
      return paths.reviews.requests({ ref });
    case 'return':
      return paths.reviews.return({ ref });
    case 'request':
      return paths.reviews.request({ ref, id: place.id });
    case 'signals':
      return paths.reviews.signals({ ref });
    case 'event':
      return paths.reviews.event({ ref });
    case 'episodes':
      return paths.reviews.episodes({ ref });
    case 'learning':
      return paths.reviews.learning({ ref });
    case 'actions':
      return paths.reviews.actions({ ref });
    case 'action':
      return paths.actions.action({ id: place.id });
    case 'briefing':
      return paths.reviews.briefing({ ref });
    case 'progress':
      return paths.reviews.progress({ ref });
  }
}

const TAG_CLASSES: Record<TaskState, string> = {
  done: '',
  'to do': 'govuk-tag--blue',
  'in progress': 'govuk-tag--light-blue',
  waiting: 'govuk-tag--grey',
  'cannot start': '',
  optional: 'govuk-tag--grey',
};

const RAG_CLASSES = {
  red: 'govuk-tag--red',
  amber: 'govuk-tag--yellow',
  green: 'govuk-tag--green',
  none: '',
};

/** One task as a govukTaskList item: its hint says whom it waits on and by when. */
function taskItem(ref: string, t: StageTask, today: string) {
  const hint = [
    t.waitingOn ? `Waiting on ${t.waitingOn}` : null,
    t.due && t.state !== 'done' ? `due ${formatDate(t.due)} (${describeDeadline(today, t.due)})` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const classes = t.overdue ? 'govuk-tag--red' : t.rag ? RAG_CLASSES[t.rag] : TAG_CLASSES[t.state];
  const status =
    t.state === 'done' && !t.rag
      ? { text: t.stateText }
      : t.state === 'cannot start'
        ? { text: t.stateText, classes: 'govuk-task-list__status--cannot-start-yet' }
        : { tag: { text: t.stateText, classes } };
  // A link only where this person can act or read: a task they cannot start is plain text.
  const linked = t.state !== 'cannot start';
  return {
    title: { text: t.title },
    ...(linked ? { href: placeHref(ref, t.place) } : {}),
    ...(hint ? { hint: { text: hint.charAt(0).toUpperCase() + hint.slice(1) } } : {}),
    status,
  };
}

/** The overview's task list, primary button, chase buttons and the reasons a move would be refused. */
export function stageWorkView(ref: string, work: StageWork, today: string) {
  const primary = work.primary;
  return {
    stageLabel: STAGE_LABELS[work.stage],
    items: work.tasks.map((t) => taskItem(ref, t, today)),
    mine: work.mine
      .filter((t) => t.state !== 'optional')
      .map((t) => ({ text: t.verb ?? t.title, href: placeHref(ref, t.place) })),
    primary:
      primary?.kind === 'task'
        ? { kind: 'link' as const, text: primary.text, href: placeHref(ref, primary.task.place) }
        : primary
          ? {
              kind: 'move' as const,
              text: primary.text,
              to: primary.kind === 'close' ? 'closed' : primary.to,
            }
          : null,
    move: work.move,
    blocked: work.blocked
      ? { to: STAGE_LABELS[work.blocked.to].toLowerCase(), reasons: work.blocked.reasons }
      : null,
    mover: work.mover,
    chasable: work.mayChase
      ? work.tasks.filter((t) => t.chase).map((t) => ({ ...t.chase!, due: formatDate(t.due) }))
      : [],
  };
}
