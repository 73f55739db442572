/** The roles a person holds in a partnership. What each may do is in policy.ts, and nowhere else. */
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
  /** Where the request came from (the client's address as the configured proxies report it). */
  sourceAddress?: string | null;
}
