export const ROLES = [
  'partnership_admin',
  'review_coordinator',
  'independent_reviewer',
  'agency_lead',
  'practitioner',
  'board_member',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  partnership_admin: 'Partnership administrator',
  review_coordinator: 'Review coordinator',
  independent_reviewer: 'Independent reviewer / chair',
  agency_lead: 'Agency safeguarding lead',
  practitioner: 'Practitioner',
  board_member: 'Board member',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The signed-in person a request acts for. Built by the web or API layer, trusted below it. */
export interface Actor {
  userId: string;
  partnershipId: string;
  agencyId: string | null;
  roles: readonly Role[];
  email: string;
  name: string;
  requestId: string;
}

export const has = (actor: Pick<Actor, 'roles'>, ...roles: Role[]) =>
  roles.some((r) => actor.roles.includes(r));

/**
 * Who sees which reviews (deny by default). Partnership-wide roles see every review of their
 * partnership; everyone else sees only reviews they are a member of. The repository turns this
 * into SQL; this is the one statement of it.
 */
export function seesAllReviews(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'partnership_admin', 'board_member');
}

/** Who may see a visible review's identifiable details (the named view). */
export function mayViewIdentifiable(actor: Pick<Actor, 'roles'>, isMember: boolean): boolean {
  if (has(actor, 'review_coordinator')) return true;
  return isMember && has(actor, 'independent_reviewer', 'agency_lead');
}

/** Who may change a visible review's referral, screening, terms of reference and stage. */
export function mayManageReview(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator');
}

/** Who may refer a case. */
export function mayRefer(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'agency_lead');
}

/** Who may write an agency's return (its draft chronology and self-analysis): that agency's leads. */
export function mayEditAgencyReturn(actor: Pick<Actor, 'roles' | 'agencyId'>, agencyId: string): boolean {
  return has(actor, 'agency_lead') && actor.agencyId !== null && actor.agencyId === agencyId;
}

/** Who may read another agency's return once it is submitted: the coordinator and the chair. */
export function mayReadSubmittedReturns(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'independent_reviewer');
}

/**
 * Who may record a review's event, key practice episodes and learning: the coordinator and the
 * chair (a chair sees only the reviews they are a member of). Agency leads read them.
 */
export function mayRecordLearning(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'independent_reviewer');
}

/** Who may confirm or dismiss a review's practice signals and link them to a KLOE: coordinator and chair. */
export function mayDecideSignals(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'independent_reviewer');
}

/** Who works the front door lists of the monitoring dataset; board members read them only. */
export function mayReadFrontDoorLists(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'partnership_admin', 'board_member');
}

/** Who may load the monitoring dataset. */
export function mayLoadMonitoringData(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'partnership_admin');
}

export function mayAdminister(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'partnership_admin');
}

/**
 * Who may update an action (progress, status, evidence): the coordinator any action; an agency
 * lead only their own agency's actions in reviews they are a member of. Deny by default.
 */
export function mayUpdateAction(
  actor: Pick<Actor, 'roles' | 'agencyId'>,
  isMember: boolean,
  owningAgencyId: string,
): boolean {
  if (has(actor, 'review_coordinator')) return true;
  return has(actor, 'agency_lead') && isMember && actor.agencyId !== null && actor.agencyId === owningAgencyId;
}

/** Who may define an audit or record its rounds: the coordinator, or a lead for their own agency. */
export function mayRecordAudit(actor: Pick<Actor, 'roles' | 'agencyId'>, agencyId: string): boolean {
  if (has(actor, 'review_coordinator')) return true;
  return has(actor, 'agency_lead') && actor.agencyId === agencyId;
}

/** Who sees the partnership's actions and audits pages (what they list still follows review access). */
export function mayViewActions(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'partnership_admin', 'board_member', 'independent_reviewer', 'agency_lead');
}

/** Who writes, sends for approval, publishes and reissues a review's 7-minute briefing: the coordinator. */
export function mayEditBriefing(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator');
}

/**
 * Who approves a briefing (and accepts identifying-details findings with a reason): the review's
 * chair, or the coordinator where a partnership has no independent chair. Both must be able to
 * see the identifiable data the check compares with.
 */
export function mayApproveBriefing(actor: Pick<Actor, 'roles'>, isMember: boolean): boolean {
  if (has(actor, 'review_coordinator')) return true;
  return isMember && has(actor, 'independent_reviewer');
}

/** Who sees who has read a briefing and which teams it was delivered to. */
export function maySeeBriefingDissemination(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator', 'partnership_admin', 'board_member');
}

/** Who loads existing briefings into the library. */
export function mayImportBriefings(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'review_coordinator');
}
