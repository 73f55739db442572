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

export function mayAdminister(actor: Pick<Actor, 'roles'>): boolean {
  return has(actor, 'partnership_admin');
}
