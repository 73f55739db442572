import { POLICY, type Capability, type Reach, type Rule } from './policy.ts';
import { ROLE_LABELS, type Role } from './roles.ts';

/**
 * Who does a thing, in words, read from the policy table: "the review coordinator", "the review
 * coordinator or the independent reviewer / chair of the review". What a task list says it waits on.
 */
export function whoDoes(capability: Capability): string {
  const rule: Rule = POLICY[capability];
  const who = (Object.entries(rule.grants) as [Role, Reach][]).map(([role, reach]) => {
    const label = ROLE_LABELS[role].toLowerCase();
    if (reach === 'member') return `the ${label} of the review`;
    if (reach === 'own agency' || reach === 'own agency, member') return `the agency's ${label}`;
    return `the ${label}`;
  });
  return who.length > 1 ? `${who.slice(0, -1).join(', ')} or ${who.at(-1)}` : (who[0] ?? 'nobody');
}

/**
 * The roles appointed to a review one by one: those whose grant of the capability reaches only
 * the reviews they are a member of. For `briefing.approve` that is the review's chair, who is
 * appointed (given access) as a step of the terms of reference.
 */
export function appointedRoles(capability: Capability): Role[] {
  return (Object.entries(POLICY[capability].grants) as [Role, Reach][])
    .filter(([, reach]) => reach === 'member')
    .map(([role]) => role);
}

/** Whether someone holding these roles is appointed to a review for the capability. */
export function isAppointedFor(capability: Capability, roles: readonly string[]): boolean {
  const appointed = appointedRoles(capability) as string[];
  return roles.some((r) => appointed.includes(r));
}

/** The words of the appointed role ("independent reviewer / chair"), for a form's label. */
export function appointedRoleWords(capability: Capability): string {
  return appointedRoles(capability)
    .map((r) => ROLE_LABELS[r].toLowerCase())
    .join(' or ');
}
