import { can, type Capability, type Context, type Person } from '../access/policy.ts';
import { whoDoes } from '../access/who.ts';
import { ragFor, type Rag } from '../actions/rag.ts';
import { isOpen, type ActionStatus } from '../actions/status.ts';
import type { BriefingState } from '../briefing/states.ts';
import type { IsoDate } from '../calendar/iso-date.ts';
import { isWaitingOnAgency, REQUEST_STATUS_LABELS, type RequestStatus } from '../chronology/requests.ts';
import { canCloseAfterScreening, checkMove, type ReviewFacts } from './moves.ts';
import { nextStage, STAGE_LABELS, type ReviewType, type Stage } from './stages.ts';

/**
 * The overview's task list for the stage a review is in (the GOV.UK task list pattern): what is
 * done, what waits and on whom, and the one next thing this person can do. Pure: the service
 * gathers a snapshot of the review, the policy decides who may do each task.
 */

/** Where a task is done: the web layer turns this into an address. */
export type TaskPlace =
  | { page: 'referral' | 'screening' | 'terms-of-reference' | 'chair' | 'agencies' | 'requests' | 'return' }
  | { page: 'background-and-purpose' }
  | { page: 'signals' | 'event' | 'episodes' | 'learning' | 'actions' | 'briefing' | 'progress' }
  | { page: 'request'; id: string }
  | { page: 'action'; id: string };

export type TaskState = 'done' | 'to do' | 'in progress' | 'waiting' | 'cannot start' | 'optional';

export interface StageTask {
  key: string;
  title: string;
  state: TaskState;
  /** The words of the state's tag ("Submitted", "Waiting for approval", "Overdue"). */
  stateText: string;
  place: TaskPlace;
  /** The capability the work needs, and on which record. */
  capability: Capability;
  context?: Omit<Context, 'review' | 'isMember'>;
  /** Whom it waits on, in words, while it is not done. */
  waitingOn?: string;
  due?: IsoDate;
  overdue?: boolean;
  rag?: Rag;
  /** An agency request that may be chased now (waiting on its agency, past its due date). */
  chase?: { requestId: string; agencyName: string };
  /** The words of the button that starts it ("Approve the briefing"); the title when absent. */
  verb?: string;
  /** Whether this person may do it now (the policy, on this record, in this stage). */
  mine: boolean;
}

export interface StageSnapshot {
  reference: string;
  type: ReviewType;
  facts: ReviewFacts;
  isMember: boolean;
  chairAppointed: boolean;
  /** Whether the review's background and purpose (the briefing's first two sections) are written. */
  summary: { background: boolean; purpose: boolean };
  /** Live (not withdrawn) agency requests. */
  requests: { id: string; agencyId: string; agencyName: string; status: RequestStatus; dueDate: IsoDate }[];
  /** Agencies in scope not yet sent a request. */
  unrequested: number;
  event: { heldOn: IsoDate | null; attendanceRecorded: number; invited: number };
  episodes: number;
  learning: number;
  actions: {
    id: string;
    number: number;
    what: string;
    agencyId: string;
    agencyName: string;
    status: ActionStatus;
    dueDate: IsoDate;
  }[];
  briefing: BriefingState | null;
  progressWritten: boolean;
}

export type PrimaryAction =
  | { kind: 'task'; task: StageTask; text: string }
  | { kind: 'move'; to: Stage; text: string }
  | { kind: 'close'; text: string };

export interface StageWork {
  stage: Stage;
  tasks: StageTask[];
  /** This person's own tasks not yet done, first: agency leads and practitioners see theirs first. */
  mine: StageTask[];
  primary: PrimaryAction | null;
  /** The move to the next stage when it would be allowed now and this person may make it. */
  move: { to: Stage; text: string } | null;
  /** When the next move would be refused now: where to, and every reason, before anyone presses. */
  blocked: { to: Stage; reasons: string[] } | null;
  /** Who moves the review on, for someone who may not. */
  mover: string | null;
  mayMove: boolean;
  /** Whether this person may chase an overdue agency request now. */
  mayChase: boolean;
}

const TAGS: Record<TaskState, string> = {
  done: 'Completed',
  'to do': 'Not yet started',
  'in progress': 'In progress',
  waiting: 'Waiting',
  'cannot start': 'Cannot start yet',
  optional: 'Optional',
};

type Draft = Omit<StageTask, 'mine' | 'stateText'> & { stateText?: string; optional?: boolean };

function task(d: Draft): Draft {
  return d;
}

/** Writing the background and purpose: done when both are written. */
function summaryTask(s: StageSnapshot): Draft {
  const { background, purpose } = s.summary;
  return task({
    key: 'summary',
    title: 'Write the background and purpose',
    state: background && purpose ? 'done' : background || purpose ? 'in progress' : 'to do',
    place: { page: 'background-and-purpose' },
    capability: 'review.summary.change',
  });
}

/** The stages after the terms of reference in which an unwritten background and purpose is a task. */
const SUMMARY_STILL_DUE: readonly Stage[] = [
  'information_gathering',
  'analysis',
  'event',
  'learning_and_actions',
];

/** The tasks of each stage, from the snapshot. */
function stageTasks(s: StageSnapshot, today: IsoDate): Draft[] {
  const tasks = tasksOfStage(s, today);
  // Not written with the terms of reference: still to do before the briefing is written from them.
  if (SUMMARY_STILL_DUE.includes(s.facts.stage) && !(s.summary.background && s.summary.purpose))
    tasks.push(summaryTask(s));
  // An LCSPR decided after the terms of reference still needs its independent reviewer appointed.
  const later: readonly string[] = ['information_gathering', 'analysis', 'event', 'learning_and_actions'];
  if (s.type === 'lcspr' && !s.chairAppointed && later.includes(s.facts.stage))
    tasks.unshift(
      task({
        key: 'chair',
        title: 'Appoint the independent reviewer',
        state: 'to do',
        // The terms of reference may still change while information is gathered; later, give access.
        place: { page: s.facts.stage === 'information_gathering' ? 'chair' : 'agencies' },
        capability: 'review.members.change',
      }),
    );
  return tasks;
}

function tasksOfStage(s: StageSnapshot, today: IsoDate): Draft[] {
  const f = s.facts;
  const done = (yes: boolean): TaskState => (yes ? 'done' : 'to do');
  switch (f.stage) {
    case 'referral':
      return [
        task({
          key: 'referral',
          title: 'Complete the referral',
          state: done(f.referralComplete),
          place: { page: 'referral' },
          capability: 'review.referral.change',
        }),
      ];
    case 'screening':
      return [
        task({
          key: 'screening',
          title: 'Record the decision on the referral',
          state: done(f.screeningOutcome !== null),
          place: { page: 'screening' },
          capability: 'review.screening.record',
        }),
      ];
    case 'terms_of_reference': {
      // The independent reviewer of a local child safeguarding practice review must be appointed.
      const chairRequired = s.type === 'lcspr';
      return [
        task({
          key: 'period',
          title: 'Set the period under review',
          state: done(Boolean(f.periodFrom && f.periodTo)),
          place: { page: 'terms-of-reference' },
          capability: 'review.terms-of-reference.change',
        }),
        task({
          key: 'agencies',
          title: 'Choose the agencies in scope',
          state: done(f.agenciesInScope > 0),
          place: { page: 'terms-of-reference' },
          capability: 'review.terms-of-reference.change',
        }),
        task({
          key: 'kloes',
          title: 'Add the key lines of enquiry',
          state: done(f.linesOfEnquiry > 0),
          place: { page: 'terms-of-reference' },
          capability: 'review.lines-of-enquiry.change',
        }),
        summaryTask(s),
        task({
          key: 'chair',
          title: chairRequired ? 'Appoint the independent reviewer' : 'Appoint the chair',
          state: s.chairAppointed ? 'done' : chairRequired ? 'to do' : 'optional',
          place: { page: 'chair' },
          capability: 'review.members.change',
          optional: !chairRequired,
        }),
      ];
    }
    case 'information_gathering': {
      const out: Draft[] = [
        task({
          key: 'send',
          title: 'Send the agency requests',
          state: s.unrequested === 0 && s.requests.length > 0 ? 'done' : 'to do',
          stateText:
            s.unrequested === 0 && s.requests.length > 0
              ? 'Completed'
              : `${s.unrequested} agenc${s.unrequested === 1 ? 'y' : 'ies'} not yet asked`,
          place: { page: 'requests' },
          capability: 'request.manage',
        }),
      ];
      for (const r of s.requests) out.push(requestTask(r, today));
      return out;
    }
    case 'analysis':
      return [
        task({
          key: 'signals',
          title: 'Weigh the practice signals',
          state: 'optional',
          place: { page: 'signals' },
          capability: 'signals.decide',
          optional: true,
        }),
        task({
          key: 'event',
          title: 'Plan the Line of Sight event',
          state: s.event.heldOn ? 'done' : 'to do',
          place: { page: 'event' },
          capability: 'event.record',
        }),
      ];
    case 'event':
      return [
        task({
          key: 'attendance',
          title: 'Record who attended the event',
          state:
            s.event.invited === 0
              ? 'to do'
              : s.event.attendanceRecorded === s.event.invited
                ? 'done'
                : 'in progress',
          place: { page: 'event' },
          capability: 'event.record',
        }),
        task({
          key: 'episodes',
          title: 'Record the key practice episodes',
          state: s.episodes > 0 ? 'done' : 'to do',
          place: { page: 'episodes' },
          capability: 'episodes.record',
        }),
      ];
    case 'learning_and_actions':
      return [
        task({
          key: 'learning',
          title: 'Record the learning',
          state: s.learning > 0 ? 'done' : 'to do',
          place: { page: 'learning' },
          capability: 'learning.record',
        }),
        task({
          key: 'actions',
          title: 'Agree the action plan',
          state: s.actions.length > 0 ? 'done' : 'to do',
          place: { page: 'actions' },
          capability: 'action.plan',
        }),
      ];
    case 'briefing': {
      const b = s.briefing;
      const written = b !== null && b !== 'draft';
      return [
        task({
          key: 'write',
          title: 'Write the 7-minute briefing and send it for approval',
          state: written ? 'done' : b === 'draft' ? 'in progress' : 'to do',
          place: { page: 'briefing' },
          capability: 'briefing.edit',
        }),
        task({
          key: 'approve',
          title: "The chair's approval",
          verb: 'Approve the briefing',
          state:
            b === 'approved' || b === 'published' ? 'done' : b === 'in_review' ? 'waiting' : 'cannot start',
          stateText: b === 'in_review' ? 'Waiting for approval' : undefined,
          place: { page: 'briefing' },
          capability: 'briefing.approve',
        }),
        task({
          key: 'publish',
          title: 'Publish the briefing to the library',
          verb: 'Publish the briefing',
          state: b === 'published' ? 'done' : b === 'approved' ? 'to do' : 'cannot start',
          place: { page: 'briefing' },
          capability: 'briefing.edit',
        }),
      ];
    }
    case 'impact':
      return [
        ...s.actions.filter((a) => a.status !== 'cancelled').map((a) => actionTask(a, today)),
        task({
          key: 'progress',
          title: 'Write the progress and impact statement',
          state: s.progressWritten ? 'done' : 'to do',
          place: { page: 'progress' },
          capability: 'progress.write',
        }),
      ];
    case 'closed':
      return [];
  }
}

function requestTask(r: StageSnapshot['requests'][number], today: IsoDate): Draft {
  const onAgency = isWaitingOnAgency(r.status);
  const overdue = onAgency && r.dueDate < today;
  const base = {
    key: `request-${r.id}`,
    due: r.dueDate,
    overdue,
    stateText: overdue ? 'Overdue' : REQUEST_STATUS_LABELS[r.status],
  };
  if (onAgency)
    return task({
      ...base,
      title: `${r.agencyName}'s chronology and self-analysis`,
      verb: "Complete your agency's return",
      state: r.status === 'sent' ? 'waiting' : 'in progress',
      place: { page: 'return' },
      capability: 'return.write',
      context: { agencyId: r.agencyId },
      waitingOn: r.agencyName,
      ...(overdue ? { chase: { requestId: r.id, agencyName: r.agencyName } } : {}),
    });
  return task({
    ...base,
    title: `Accept or query ${r.agencyName}'s return`,
    state: r.status === 'accepted' ? 'done' : 'to do',
    stateText: REQUEST_STATUS_LABELS[r.status],
    place: { page: 'request', id: r.id },
    capability: 'request.manage',
    overdue: false,
  });
}

function actionTask(a: StageSnapshot['actions'][number], today: IsoDate): Draft {
  const rag = ragFor(a, today);
  return task({
    key: `action-${a.id}`,
    title: `Action ${a.number}: ${a.what}`,
    verb: `Update action ${a.number}`,
    state: isOpen(a.status) ? (rag === 'red' ? 'to do' : 'in progress') : 'done',
    stateText: isOpen(a.status) ? undefined : 'Completed',
    place: { page: 'action', id: a.id },
    capability: 'action.update',
    context: { agencyId: a.agencyId },
    waitingOn: isOpen(a.status) ? a.agencyName : undefined,
    due: a.dueDate,
    overdue: rag === 'red',
    rag,
  });
}

/** The stage's task list and the one next thing this person can do. */
export function stageWork(s: StageSnapshot, person: Person, today: IsoDate): StageWork {
  const f = s.facts;
  const review = { stage: f.stage, status: f.status };
  const tasks: StageTask[] = stageTasks(s, today).map(({ optional: _optional, ...d }) => {
    const allowed = can(person, d.capability, { ...d.context, isMember: s.isMember, review }).allowed;
    const open = d.state !== 'done' && d.state !== 'cannot start';
    return {
      ...d,
      stateText: d.stateText ?? TAGS[d.state],
      waitingOn: d.state === 'done' ? undefined : (d.waitingOn ?? (open ? whoDoes(d.capability) : undefined)),
      mine: allowed && open,
    };
  });
  const mine = tasks.filter((t) => t.mine);
  const mover = can(person, 'review.stage.move', { isMember: s.isMember });
  const mayMove = mover.allowed;
  const to = nextStage(f.stage);
  const closing = canCloseAfterScreening(f);
  const check = to && !closing ? checkMove(f, to) : null;
  const blocked = check && !check.allowed && to ? { to, reasons: check.reasons } : null;

  // The primary button: the first required task this person can do, else the move if it would be allowed.
  const first = mine.find((t) => t.state !== 'optional');
  const move =
    mayMove && to && check?.allowed ? { to, text: `Move to ${STAGE_LABELS[to].toLowerCase()}` } : null;
  let primary: PrimaryAction | null = null;
  if (first) primary = { kind: 'task', task: first, text: first.verb ?? first.title };
  else if (mayMove && closing) primary = { kind: 'close', text: 'Close the review' };
  else if (move) primary = { kind: 'move', ...move };

  return {
    stage: f.stage,
    tasks,
    mine,
    primary,
    move: primary?.kind === 'move' ? null : move,
    blocked,
    mover: mayMove ? null : whoDoes('review.stage.move'),
    mayMove,
    mayChase: can(person, 'request.manage', { isMember: s.isMember, review }).allowed,
  };
}
