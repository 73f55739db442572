import { describe, expect, it } from 'vitest';
import { checkMove, checkStatusChange, isReadOnly, type ReviewFacts } from './moves.ts';
import { currentDeadlines } from './deadlines.ts';
import { mayViewIdentifiable, seesAllReviews } from './roles.ts';

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

describe('review lifecycle moves', () => {
  it('moves only to the next stage', () => {
    expect(checkMove(facts(), 'screening')).toEqual({ allowed: true, to: 'screening' });
    const skip = checkMove(facts(), 'terms_of_reference');
    expect(skip.allowed).toBe(false);
    if (!skip.allowed) expect(skip.reasons[0]).toContain('can only move to screening');
  });

  it('needs a screening decision, and not "no further action", to leave screening', () => {
    expect(checkMove(facts({ stage: 'screening' }), 'terms_of_reference')).toEqual({
      allowed: false,
      reasons: ['Record the screening decision first.'],
    });
    const nfa = checkMove(
      facts({ stage: 'screening', screeningOutcome: 'no_further_action' }),
      'terms_of_reference',
    );
    expect(nfa.allowed).toBe(false);
    expect(
      checkMove(facts({ stage: 'screening', screeningOutcome: 'rapid_review' }), 'terms_of_reference')
        .allowed,
    ).toBe(true);
  });

  it('lists every missing part of the terms of reference at once', () => {
    const result = checkMove(facts({ stage: 'terms_of_reference' }), 'information_gathering');
    expect(result).toEqual({
      allowed: false,
      reasons: [
        'Set the period under review.',
        'Choose at least one agency in scope.',
        'Add at least one key line of enquiry.',
      ],
    });
    const ready = facts({
      stage: 'terms_of_reference',
      periodFrom: '2019-01-01',
      periodTo: '2021-03-31',
      agenciesInScope: 3,
      linesOfEnquiry: 5,
    });
    expect(checkMove(ready, 'information_gathering').allowed).toBe(true);
  });

  it('waits for every agency request before analysis', () => {
    const result = checkMove(facts({ stage: 'information_gathering', outstandingRequests: 2 }), 'analysis');
    expect(result).toEqual({
      allowed: false,
      reasons: ['2 agency requests are not yet accepted or withdrawn.'],
    });
  });

  it('refuses every move while paused, stopped or closed', () => {
    expect(checkMove(facts({ status: 'paused' }), 'screening').allowed).toBe(false);
    expect(checkMove(facts({ status: 'stopped' }), 'screening').allowed).toBe(false);
    expect(checkMove(facts({ stage: 'closed' }), 'referral').allowed).toBe(false);
  });

  it('treats closed and stopped reviews as read-only, paused ones as writable', () => {
    expect(isReadOnly({ stage: 'closed', status: 'active' })).toBe(true);
    expect(isReadOnly({ stage: 'analysis', status: 'stopped' })).toBe(true);
    expect(isReadOnly({ stage: 'analysis', status: 'paused' })).toBe(false);
  });

  it('pauses, resumes and stops in a sensible order', () => {
    expect(checkStatusChange({ stage: 'analysis', status: 'active' }, 'pause')).toEqual({
      allowed: true,
      to: 'paused',
    });
    expect(checkStatusChange({ stage: 'analysis', status: 'active' }, 'resume').allowed).toBe(false);
    expect(checkStatusChange({ stage: 'analysis', status: 'paused' }, 'resume')).toEqual({
      allowed: true,
      to: 'active',
    });
    expect(checkStatusChange({ stage: 'closed', status: 'active' }, 'stop').allowed).toBe(false);
  });
});

describe('deadlines', () => {
  it('gives a rapid review the national panel notification in 5 working days, then 15 for the review', () => {
    const deadlines = currentDeadlines({
      stage: 'terms_of_reference',
      type: 'rapid_review',
      referredOn: '2026-11-20',
      // Friday 27 November 2026: 5 working days later is Friday 4 December.
      screening: { outcome: 'rapid_review', decidedOn: '2026-11-27' },
    });
    expect(deadlines.map((d) => [d.what, d.due])).toEqual([
      ['Notify the Child Safeguarding Practice Review Panel', '2026-12-04'],
      // 15 working days after 4 December cross Christmas: 25 and 28 (substitute) December are holidays.
      ['Rapid review complete', '2026-12-29'],
    ]);
  });

  it('gives a new referral its screening deadline', () => {
    const [deadline] = currentDeadlines({
      stage: 'referral',
      type: 'line_of_sight',
      referredOn: '2026-03-02',
      screening: null,
    });
    expect(deadline?.due).toBe('2026-03-16');
  });
});

describe('access policy', () => {
  it('shows every review only to partnership-wide roles', () => {
    expect(seesAllReviews({ roles: ['review_coordinator'] })).toBe(true);
    expect(seesAllReviews({ roles: ['agency_lead'] })).toBe(false);
    expect(seesAllReviews({ roles: ['independent_reviewer'] })).toBe(false);
  });

  it('shows identifiable details to the coordinator and to members who lead or chair', () => {
    expect(mayViewIdentifiable({ roles: ['review_coordinator'] }, false)).toBe(true);
    expect(mayViewIdentifiable({ roles: ['agency_lead'] }, true)).toBe(true);
    expect(mayViewIdentifiable({ roles: ['agency_lead'] }, false)).toBe(false);
    expect(mayViewIdentifiable({ roles: ['board_member'] }, false)).toBe(false);
    expect(mayViewIdentifiable({ roles: ['practitioner'] }, true)).toBe(false);
  });
});

describe('edit guards', () => {
  it('lets each part change only in its stages, and nothing in a closed or stopped review', async () => {
    const { whyNotEditable } = await import('./guards.ts');
    expect(whyNotEditable({ stage: 'terms_of_reference', status: 'active' }, 'linesOfEnquiry')).toBeNull();
    expect(whyNotEditable({ stage: 'terms_of_reference', status: 'paused' }, 'linesOfEnquiry')).toBeNull();
    expect(whyNotEditable({ stage: 'event', status: 'active' }, 'linesOfEnquiry')).toBe(
      'The key lines of enquiry cannot change once the review is in line of sight event.',
    );
    expect(whyNotEditable({ stage: 'closed', status: 'active' }, 'membership')).toContain('closed');
    expect(whyNotEditable({ stage: 'analysis', status: 'stopped' }, 'membership')).toContain('stopped');
  });
});
