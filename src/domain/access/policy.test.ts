import { describe, expect, it } from 'vitest';
import {
  can,
  granted,
  POLICY,
  rolesActingForAnAgency,
  rolesThat,
  type Capability,
} from './policy.ts';
import { ROLES, type Role } from './roles.ts';

const person = (role: Role, agencyId: string | null = 'police') => ({ roles: [role], agencyId });

describe('the access policy', () => {
  it('denies by default: a capability granted to no role of the person is refused, in words', () => {
    expect(can(person('practitioner'), 'review.stage.move')).toEqual({
      allowed: false,
      because: 'role',
      message: 'You cannot move a review on, pause, resume or stop it here.',
    });
    expect(can({ roles: [] }, 'library.read').allowed).toBe(false);
  });

  it('reaches as far as each grant says: partnership, membership, own agency', () => {
    expect(granted(person('review_coordinator'), 'review.identifiable.view', { isMember: false })).toBe(true);
    expect(granted(person('independent_reviewer'), 'review.identifiable.view', { isMember: false })).toBe(
      false,
    );
    expect(granted(person('independent_reviewer'), 'review.identifiable.view', { isMember: true })).toBe(
      true,
    );
    expect(granted(person('board_member'), 'review.identifiable.view', { isMember: true })).toBe(false);
    expect(
      granted(person('agency_lead', 'police'), 'action.update', { isMember: true, agencyId: 'police' }),
    ).toBe(true);
    expect(
      granted(person('agency_lead', 'police'), 'action.update', { isMember: true, agencyId: 'csc' }),
    ).toBe(false);
    expect(
      granted(person('agency_lead', 'police'), 'action.update', { isMember: false, agencyId: 'police' }),
    ).toBe(false);
    expect(granted(person('agency_lead', null), 'practice-audit.record', { agencyId: null })).toBe(false);
  });

  it("refuses a change outside its part's stages, and on a closed or stopped review, saying why", () => {
    const coordinator = person('review_coordinator');
    expect(can(coordinator, 'learning.record', { review: { stage: 'event', status: 'active' } })).toEqual({
      allowed: true,
    });
    expect(can(coordinator, 'learning.record', { review: { stage: 'briefing', status: 'active' } })).toEqual({
      allowed: false,
      because: 'stage',
      message: 'The learning cannot change once the review is in briefing.',
    });
    expect(
      can(coordinator, 'briefing.edit', { review: { stage: 'impact', status: 'stopped' } }),
    ).toMatchObject({
      because: 'stage',
      message: 'The review has been stopped: nothing in it can change.',
    });
  });

  it('names whom to tell and who needs an agency from the grants themselves', () => {
    expect(rolesThat('return.write')).toEqual(['agency_lead']);
    expect(rolesThat('audit-log.read')).toEqual(['partnership_admin']);
    expect(rolesActingForAnAgency()).toEqual(['agency_lead']);
  });

  it('grants only roles that exist, and every capability to someone', () => {
    for (const [capability, rule] of Object.entries(POLICY) as [Capability, (typeof POLICY)[Capability]][]) {
      const roles = Object.keys(rule.grants);
      expect(roles.length, capability).toBeGreaterThan(0);
      for (const role of roles) expect(ROLES, capability).toContain(role);
    }
  });
});
