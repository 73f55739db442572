/**
 * The questions the rest of the code asks of the access policy, each answered from the one table
 * in src/domain/access/policy.ts. No role is named here: a change of who may do what is a change
 * of that table, and of nothing else.
 */
import { can, granted, POLICY, type Capability } from '../access/policy.ts';
import type { Actor, Role } from '../access/roles.ts';

export { ROLES, ROLE_LABELS, isRole, type Actor, type Role } from '../access/roles.ts';

type Roles = Pick<Actor, 'roles'>;
type RolesAndAgency = Pick<Actor, 'roles' | 'agencyId'>;

/** Whether any of the person's roles is granted the capability across the partnership. */
const partnershipWide = (actor: Roles, capability: Capability) =>
  actor.roles.some(
    (role: Role) => (POLICY[capability].grants as Partial<Record<Role, string>>)[role] === 'partnership',
  );

/**
 * Who sees which reviews (deny by default): those granted `review.read` across the partnership see
 * every review of it; everyone else only the reviews they are a member of. The repository turns
 * this into SQL (review-access.ts).
 */
export function seesAllReviews(actor: Roles): boolean {
  return partnershipWide(actor, 'review.read');
}

/** Who may see a visible review's identifiable details (the named view). */
export function mayViewIdentifiable(actor: Roles, isMember: boolean): boolean {
  return granted(actor, 'review.identifiable.view', { isMember });
}

/** Who may change a visible review's referral, screening, terms of reference and stage. */
export function mayManageReview(actor: Roles): boolean {
  return granted(actor, 'review.stage.move');
}

/** Who has the list of reviews in their navigation (practitioners reach a review by its link). */
export function mayListReviews(actor: Roles): boolean {
  return granted(actor, 'reviews.list', { isMember: true });
}

/** Who may refer a case. */
export function mayRefer(actor: Roles): boolean {
  return granted(actor, 'review.refer');
}

/** Who may write an agency's return (its draft chronology and self-analysis): that agency's leads. */
export function mayEditAgencyReturn(actor: RolesAndAgency, agencyId: string): boolean {
  // Membership is given with the request, so an agency's lead is a member wherever it has one.
  return granted(actor, 'return.write', { agencyId, isMember: true });
}

/** Who may hold an agency's return at all (their own agency's lead): "Waiting on me", the return pages. */
export function writesReturns(actor: RolesAndAgency): boolean {
  return actor.agencyId !== null && mayEditAgencyReturn(actor, actor.agencyId);
}

/** Who may read another agency's return once it is submitted: the coordinator and the chair. */
export function mayReadSubmittedReturns(actor: Roles): boolean {
  return granted(actor, 'return.read-submitted', { isMember: true });
}

/** Who may record a review's event, key practice episodes and learning. */
export function mayRecordLearning(actor: Roles): boolean {
  return granted(actor, 'learning.record', { isMember: true });
}

/** Who may confirm or dismiss a review's practice signals and link them to a KLOE. */
export function mayDecideSignals(actor: Roles): boolean {
  return granted(actor, 'signals.decide', { isMember: true });
}

/** Who works the front door lists of the monitoring dataset. */
export function mayReadFrontDoorLists(actor: Roles): boolean {
  return granted(actor, 'front-door.read');
}

/** Who may load the monitoring dataset. */
export function mayLoadMonitoringData(actor: Roles): boolean {
  return granted(actor, 'front-door.load');
}

export function mayAdminister(actor: Roles): boolean {
  return granted(actor, 'administer');
}

/** Who may read the partnership's signal thresholds. */
export function mayViewSignalThresholds(actor: Roles): boolean {
  return granted(actor, 'signal-thresholds.view');
}

/**
 * Who may update an action (progress, status, evidence): an action of any agency, or only of their
 * own agency in reviews they are a member of, as the policy says.
 */
export function mayUpdateAction(actor: RolesAndAgency, isMember: boolean, owningAgencyId: string): boolean {
  return granted(actor, 'action.update', { isMember, agencyId: owningAgencyId });
}

/** Whether the person may update every agency's actions (not only their own agency's). */
export function updatesEveryAction(actor: Roles): boolean {
  return partnershipWide(actor, 'action.update');
}

/** Who plans a review's actions: adds, changes, assures, cancels and reopens them. */
export function mayPlanActions(actor: Roles): boolean {
  return granted(actor, 'action.plan');
}

/** Who may define an audit or record its rounds. */
export function mayRecordAudit(actor: RolesAndAgency, agencyId: string): boolean {
  return granted(actor, 'practice-audit.record', { agencyId });
}

/** Who links practice audits to actions. */
export function mayLinkAudits(actor: Roles): boolean {
  return granted(actor, 'practice-audit.link');
}

/** Who sees the partnership's actions and audits pages (what they list still follows review access). */
export function mayViewActions(actor: Roles): boolean {
  return granted(actor, 'actions.view');
}

/** Who writes, sends for approval, publishes and reissues a review's 7-minute briefing. */
export function mayEditBriefing(actor: Roles): boolean {
  return granted(actor, 'briefing.edit');
}

/** Who approves a briefing (and accepts identifying-details findings with a reason). */
export function mayApproveBriefing(actor: Roles, isMember: boolean): boolean {
  return granted(actor, 'briefing.approve', { isMember });
}

/** Who sees who has read a briefing and which teams it was delivered to. */
export function maySeeBriefingDissemination(actor: Roles): boolean {
  return granted(actor, 'briefing.dissemination.view');
}

/** Who loads existing briefings into the library. */
export function mayImportBriefings(actor: Roles): boolean {
  return granted(actor, 'library.import');
}

/** Who sees the board's dashboard and downloads its figures: board members, coordinators, administrators. */
export function mayViewDashboard(actor: Roles): boolean {
  return granted(actor, 'dashboard.read');
}

export { can, granted, type Capability };
