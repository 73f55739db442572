import { describe, expect, it } from 'vitest';
import { currentDeadlines, type DeadlineFacts } from './deadlines.ts';

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
