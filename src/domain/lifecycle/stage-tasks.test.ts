import { describe, expect, it } from 'vitest';
import type { Person } from '../access/policy.ts';
import type { ReviewFacts } from './moves.ts';
import { stageWork, type StageSnapshot } from './stage-tasks.ts';

const facts = (overrides: Partial<ReviewFacts> = {}): ReviewFacts => ({
  stage: 'referral',
  status: 'active',
  referralComplete: true,
  screeningOutcome: null,
  periodFrom: null,
  periodTo: null,
  agenciesInScope: 0,
  linesOfEnquiry: 0,
  outstandingRequests: 0,
  ...overrides,
});

const snapshot = (overrides: Partial<StageSnapshot> = {}): StageSnapshot => ({
  reference: 'LOS-2026-001',
  type: 'line_of_sight',
  facts: facts(),
  isMember: true,
  chairAppointed: false,
  summary: { background: true, purpose: true },
  requests: [],
  unrequested: 0,
  event: { heldOn: null, invited: 0, attendanceRecorded: 0 },
  episodes: 0,
  learning: 0,
  actions: [],
  briefing: null,
  progressWritten: false,
  ...overrides,
});

const coordinator: Person = { roles: ['review_coordinator'], agencyId: 'bu' };
const chair: Person = { roles: ['independent_reviewer'], agencyId: null };
const policeLead: Person = { roles: ['agency_lead'], agencyId: 'police' };
const today = '2026-12-07';

describe('the stage task list and the next thing to do', () => {
  it('never offers a move that would be refused, and says why it would be', () => {
    const work = stageWork(snapshot({ facts: facts({ stage: 'terms_of_reference' }) }), coordinator, today);
    expect(work.primary).toEqual(
      expect.objectContaining({ kind: 'task', text: 'Set the period under review' }),
    );
    expect(work.move).toBeNull();
    expect(work.blocked).toEqual({
      to: 'information_gathering',
      reasons: [
        'Set the period under review.',
        'Choose at least one agency in scope.',
        'Add at least one key line of enquiry.',
      ],
    });
  });

  it('makes the appointment of the independent reviewer a required step of an LCSPR only', () => {
    const ready = facts({
      stage: 'terms_of_reference',
      periodFrom: '2025-01-01',
      periodTo: '2025-12-31',
      agenciesInScope: 2,
      linesOfEnquiry: 1,
    });
    const los = stageWork(snapshot({ facts: ready }), coordinator, today);
    expect(los.primary).toEqual({
      kind: 'move',
      to: 'information_gathering',
      text: 'Move to information gathering',
    });
    const lcspr = stageWork(snapshot({ facts: ready, type: 'lcspr' }), coordinator, today);
    expect(lcspr.primary).toEqual(
      expect.objectContaining({ kind: 'task', text: 'Appoint the independent reviewer' }),
    );
  });

  it('keeps an unwritten background and purpose on the list until the briefing is written from them', () => {
    const ready = facts({
      stage: 'terms_of_reference',
      periodFrom: '2025-01-01',
      periodTo: '2025-12-31',
      agenciesInScope: 2,
      linesOfEnquiry: 1,
    });
    const empty = { background: false, purpose: false };
    const tor = stageWork(snapshot({ facts: ready, summary: empty }), coordinator, today);
    expect(tor.primary).toEqual(
      expect.objectContaining({ kind: 'task', text: 'Write the background and purpose' }),
    );
    expect(tor.primary?.kind === 'task' && tor.primary.task.place).toEqual({
      page: 'background-and-purpose',
    });
    expect(tor.move).toEqual({ to: 'information_gathering', text: 'Move to information gathering' });
    const half = stageWork(
      snapshot({ facts: ready, summary: { background: true, purpose: false } }),
      coordinator,
      today,
    );
    expect(half.tasks.find((t) => t.key === 'summary')?.state).toBe('in progress');
    // Later, only while unwritten: waiting on the coordinator for everyone else.
    const analysis = facts({ stage: 'analysis' });
    const lead = stageWork(snapshot({ facts: analysis, summary: empty }), policeLead, today);
    expect(lead.tasks.map((t) => [t.title, t.state, t.mine, t.waitingOn])).toContainEqual([
      'Write the background and purpose',
      'to do',
      false,
      'the review coordinator',
    ]);
    expect(
      stageWork(snapshot({ facts: analysis }), coordinator, today).tasks.map((t) => t.key),
    ).not.toContain('summary');
    expect(
      stageWork(
        snapshot({ facts: facts({ stage: 'briefing' }), summary: empty }),
        coordinator,
        today,
      ).tasks.map((t) => t.key),
    ).not.toContain('summary');
  });

  it("gives an agency lead their own agency's return, and the coordinator the chase of an overdue one", () => {
    const s = snapshot({
      facts: facts({ stage: 'information_gathering', outstandingRequests: 2 }),
      requests: [
        { id: 'r1', agencyId: 'police', agencyName: 'Police', status: 'sent', dueDate: '2026-12-01' },
        { id: 'r2', agencyId: 'gp', agencyName: 'GP', status: 'submitted', dueDate: '2026-12-01' },
      ],
    });
    const lead = stageWork(s, policeLead, today);
    expect(lead.primary).toEqual(
      expect.objectContaining({ kind: 'task', text: "Complete your agency's return" }),
    );
    expect(lead.mine.map((t) => t.key)).toEqual(['request-r1']);
    expect(lead.mayChase).toBe(false);
    expect(lead.mover).toBe('the review coordinator');

    const c = stageWork(s, coordinator, today);
    expect(c.primary).toEqual(expect.objectContaining({ kind: 'task', text: "Accept or query GP's return" }));
    expect(c.mayChase).toBe(true);
    expect(c.tasks.filter((t) => t.chase).map((t) => t.chase)).toEqual([
      { requestId: 'r1', agencyName: 'Police' },
    ]);
    expect(c.blocked?.reasons).toEqual(['2 agency requests are not yet accepted or withdrawn.']);
  });

  it("waits on the chair's approval while a briefing waits, and gives the chair the approval", () => {
    const s = snapshot({ facts: facts({ stage: 'briefing' }), briefing: 'in_review' });
    const forChair = stageWork(s, chair, today);
    expect(forChair.primary).toEqual(expect.objectContaining({ kind: 'task', text: 'Approve the briefing' }));
    const publish = stageWork(
      snapshot({ facts: facts({ stage: 'briefing' }), briefing: 'approved' }),
      coordinator,
      today,
    );
    expect(publish.primary).toEqual(expect.objectContaining({ kind: 'task', text: 'Publish the briefing' }));
    // Not a member: the chair of another review has nothing to do here.
    expect(stageWork({ ...s, isMember: false }, chair, today).primary).toBeNull();
  });

  it('lists the impact stage actions by RAG, the overdue one first for its agency', () => {
    const s = snapshot({
      facts: facts({ stage: 'impact' }),
      actions: [
        {
          id: 'a1',
          number: 1,
          what: 'Audit',
          agencyId: 'police',
          agencyName: 'Police',
          status: 'in_progress',
          dueDate: '2026-11-01',
        },
        {
          id: 'a2',
          number: 2,
          what: 'Train',
          agencyId: 'gp',
          agencyName: 'GP',
          status: 'completed',
          dueDate: '2026-10-01',
        },
      ],
    });
    const lead = stageWork(s, policeLead, today);
    expect(lead.tasks.map((t) => [t.title, t.rag, t.overdue])).toEqual([
      ['Action 1: Audit', 'red', true],
      ['Action 2: Train', 'green', false],
      ['Write the progress and impact statement', undefined, undefined],
    ]);
    expect(lead.primary).toEqual(expect.objectContaining({ text: 'Update action 1' }));
  });

  it('refuses every move of a paused review, saying so', () => {
    const work = stageWork(
      snapshot({ facts: facts({ stage: 'referral', status: 'paused' }) }),
      coordinator,
      today,
    );
    expect(work.primary).toBeNull();
    expect(work.blocked).toEqual({ to: 'screening', reasons: ['The review is paused. Resume it first.'] });
  });
});
