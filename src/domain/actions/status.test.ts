import { describe, expect, it } from 'vitest';
import { checkStatusChange, nextStatuses, type ActionStatus } from './status.ts';

const change = (
  from: ActionStatus,
  to: ActionStatus,
  more: Partial<Parameters<typeof checkStatusChange>[0]> = {},
) => checkStatusChange({ from, to, role: 'coordinator', hasEvidence: false, reason: null, ...more });

describe('action status machine', () => {
  it('moves forward: not started → in progress → completed → assured (with evidence)', () => {
    expect(change('not_started', 'in_progress', { role: 'owner' })).toEqual({ allowed: true });
    expect(change('in_progress', 'completed', { role: 'owner' })).toEqual({ allowed: true });
    expect(change('completed', 'assured', { hasEvidence: true })).toEqual({ allowed: true });
  });

  it('refuses assurance without evidence, with the reason', () => {
    const check = change('completed', 'assured');
    expect(check.allowed).toBe(false);
    expect(!check.allowed && check.reason).toMatch(/only be assured with evidence/);
  });

  it('keeps assurance, cancellation and reopening to the coordinator', () => {
    expect(change('completed', 'assured', { role: 'owner', hasEvidence: true })).toEqual({
      allowed: false,
      reason: 'Only the review coordinator can assure an action.',
    });
    expect(change('in_progress', 'cancelled', { role: 'owner', reason: 'x' }).allowed).toBe(false);
    expect(change('completed', 'in_progress', { role: 'owner' }).allowed).toBe(false);
    expect(change('completed', 'in_progress').allowed).toBe(true);
  });

  it('cancels only with a reason', () => {
    expect(change('in_progress', 'cancelled', { reason: '  ' }).allowed).toBe(false);
    expect(change('in_progress', 'cancelled', { reason: 'Superseded by the neglect strategy' }).allowed).toBe(
      true,
    );
  });

  it('refuses skipping to assured, going backwards to not started, and any move out of a final status', () => {
    expect(change('in_progress', 'assured', { hasEvidence: true }).allowed).toBe(false);
    expect(change('in_progress', 'not_started').allowed).toBe(false);
    for (const to of ['not_started', 'in_progress', 'completed', 'cancelled'] as const) {
      expect(change('assured', to).allowed).toBe(false);
      if (to !== 'cancelled') expect(change('cancelled', to).allowed).toBe(false);
    }
  });

  it('lets a note be added without changing the status', () => {
    expect(change('assured', 'assured')).toEqual({ allowed: true });
  });

  it('offers each role only the moves it may make', () => {
    expect(nextStatuses('not_started', 'owner')).toEqual(['not_started', 'in_progress', 'completed']);
    expect(nextStatuses('completed', 'owner')).toEqual(['completed']);
    expect(nextStatuses('completed', 'coordinator')).toEqual([
      'completed',
      'assured',
      'in_progress',
      'cancelled',
    ]);
    expect(nextStatuses('assured', 'coordinator')).toEqual(['assured']);
  });
});
