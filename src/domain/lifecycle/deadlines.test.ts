import { describe, expect, it } from 'vitest';
import { currentDeadlines, deadlineRag, type DeadlineFacts } from './deadlines.ts';

const base: DeadlineFacts = {
  stage: 'referral',
  type: 'line_of_sight',
  referredOn: '2026-11-02',
  screening: { outcome: 'line_of_sight', decidedOn: '2026-11-09' },
};

describe('the next deadline of each stage', () => {
  it('is the agency returns while information is gathered', () => {
    const [next] = currentDeadlines({ ...base, stage: 'information_gathering', returnsDue: '2026-12-14' });
    expect(next).toEqual(expect.objectContaining({ what: 'Agency returns', due: '2026-12-14' }));
  });

  it("is the chair's approval while a briefing waits for it, counted past Christmas", () => {
    // Sent for approval on Friday 18 December 2026: 25 and 28 December and 1 January are bank holidays.
    const [next] = currentDeadlines({ ...base, stage: 'briefing', approvalAskedOn: '2026-12-18' });
    expect(next).toEqual(
      expect.objectContaining({ what: "The chair's approval of the briefing", due: '2027-01-06' }),
    );
  });

  it('is the earliest open action in the impact stage, and nothing once no action is open', () => {
    expect(currentDeadlines({ ...base, stage: 'impact', actionDue: '2027-02-01' })[0]?.due).toBe(
      '2027-02-01',
    );
    expect(currentDeadlines({ ...base, stage: 'impact', actionDue: null })).toEqual([]);
  });

  it('keeps the statutory deadline first when it is sooner', () => {
    const deadlines = currentDeadlines({
      ...base,
      stage: 'information_gathering',
      type: 'rapid_review',
      screening: { outcome: 'rapid_review', decidedOn: '2026-11-27' },
      returnsDue: '2027-01-20',
    });
    expect(deadlines.map((d) => d.what)).toEqual(['Rapid review complete', 'Agency returns']);
  });
});

describe('the local child safeguarding practice review and the partnership target', () => {
  it('runs six months from the decision to publication, the report to the panel 7 working days before', () => {
    const deadlines = currentDeadlines({
      ...base,
      stage: 'terms_of_reference',
      type: 'lcspr',
      lcsprDecidedOn: '2026-06-29',
    });
    // Publication on Tuesday 29 December 2026; counting back past 28 and 25 December (bank holidays).
    expect(deadlines.map((d) => [d.what, d.due])).toEqual([
      ['Send the final report to the national panel and the Secretary of State', '2026-12-16'],
      ['Publish the local child safeguarding practice review', '2026-12-29'],
    ]);
    expect(
      currentDeadlines({ ...base, stage: 'impact', type: 'lcspr', lcsprDecidedOn: '2026-06-29' }),
    ).toEqual([]);
  });

  it("shows the partnership's own target from screening to the briefing, rated like the statutory ones", () => {
    const [target] = currentDeadlines({
      ...base,
      stage: 'information_gathering',
      screening: { outcome: 'line_of_sight', decidedOn: '2026-01-05' },
      targetWeeks: 12,
    });
    expect(target).toEqual(
      expect.objectContaining({ what: 'Briefing published (partnership target)', due: '2026-03-30' }),
    );
    expect(deadlineRag(target!, '2026-03-31')).toBe('red');
    expect(deadlineRag(target!, '2026-03-20')).toBe('amber');
    expect(deadlineRag(target!, '2026-01-20')).toBe('green');
    // Not for a rapid review, whose clock is statutory.
    expect(
      currentDeadlines({
        ...base,
        stage: 'information_gathering',
        type: 'rapid_review',
        targetWeeks: 12,
      }).map((d) => d.what),
    ).not.toContain('Briefing published (partnership target)');
  });
});
