import { EDITABLE_IN, whyNotEditable, type ReviewPart } from '../lifecycle/guards.ts';
import { STAGE_LABELS, type ReviewStatus, type Stage } from '../lifecycle/stages.ts';
import { ROLE_LABELS, type Role } from './roles.ts';

/**
 * The access policy of Line of Sight, stated once: who (a role, and how far it reaches) may do what
 * (read, change, open the named view, export, approve, publish, administer) to which kind of
 * record, and in which stages of a review. Everything else is derived from this table: the data
 * layer's checks (`can`), what pages offer, the API's answers, the route × role × stage test
 * matrix, the database's row-level security, and the table in docs/security.md.
 */

export type Kind = 'read' | 'change' | 'named view' | 'export' | 'approve' | 'publish' | 'administer';

/**
 * How far a role's grant reaches:
 * - `partnership`: every such record of the person's partnership;
 * - `member`: only reviews the person is a member of (given access to);
 * - `own agency`: only records of the person's own agency;
 * - `own agency, member`: records of their own agency in reviews they are a member of.
 */
export type Reach = 'partnership' | 'member' | 'own agency' | 'own agency, member';

export interface Rule {
  /** What the person does, in their words. */
  words: string;
  kind: Kind;
  record: string;
  grants: Partial<Record<Role, Reach>>;
  /** The part of a review this changes: it may change only in that part's stages (EDITABLE_IN). */
  part?: ReviewPart;
}

const everyone: Record<Role, Reach> = {
  partnership_admin: 'partnership',
  review_coordinator: 'partnership',
  independent_reviewer: 'partnership',
  agency_lead: 'partnership',
  practitioner: 'partnership',
  board_member: 'partnership',
};
const coordinator = { review_coordinator: 'partnership' } as const;
const coordinatorAndChair = { review_coordinator: 'partnership', independent_reviewer: 'member' } as const;
const partnershipWide = {
  review_coordinator: 'partnership',
  partnership_admin: 'partnership',
  board_member: 'partnership',
} as const;
const administrator = { partnership_admin: 'partnership' } as const;

export const POLICY = {
  // Reviews -------------------------------------------------------------------------------------
  'review.read': {
    words: 'See a review: its hub, tabs, merged chronology (anonymised) and signals',
    kind: 'read',
    record: 'review',
    grants: {
      ...partnershipWide,
      independent_reviewer: 'member',
      agency_lead: 'member',
      practitioner: 'member',
    },
  },
  'reviews.list': {
    words: 'See the list of reviews',
    kind: 'read',
    record: 'review',
    grants: { ...partnershipWide, independent_reviewer: 'member', agency_lead: 'member' },
  },
  'review.refer': {
    words: 'Refer a case for a review',
    kind: 'change',
    record: 'review',
    grants: { review_coordinator: 'partnership', agency_lead: 'partnership' },
  },
  'review.identifiable.view': {
    words: "Open the named view: the child's and household's identifiable details",
    kind: 'named view',
    record: 'review',
    grants: { review_coordinator: 'partnership', independent_reviewer: 'member', agency_lead: 'member' },
  },
  'review.referral.change': {
    words: 'Change the referral',
    kind: 'change',
    record: 'review',
    grants: coordinator,
    part: 'referral',
  },
  'review.screening.record': {
    words: 'Record the screening decision',
    kind: 'change',
    record: 'review',
    grants: coordinator,
    part: 'screening',
  },
  'review.terms-of-reference.change': {
    words: 'Set the terms of reference',
    kind: 'change',
    record: 'review',
    grants: coordinator,
    part: 'termsOfReference',
  },
  'review.lines-of-enquiry.change': {
    words: 'Add, change, reorder and remove key lines of enquiry',
    kind: 'change',
    record: 'review',
    grants: coordinator,
    part: 'linesOfEnquiry',
  },
  'review.summary.change': {
    words: 'Write the background and purpose of the review',
    kind: 'change',
    record: 'review',
    grants: coordinator,
    part: 'summary',
  },
  'review.stage.move': {
    words: 'Move a review on, pause, resume or stop it',
    kind: 'change',
    record: 'review',
    grants: coordinator,
  },
  'review.members.change': {
    words: 'Give and remove access to a review',
    kind: 'change',
    record: 'review',
    grants: coordinator,
    part: 'membership',
  },
  'review.chronology.export': {
    words: 'Download the merged chronology, anonymised',
    kind: 'export',
    record: 'review',
    grants: {
      ...partnershipWide,
      independent_reviewer: 'member',
      agency_lead: 'member',
      practitioner: 'member',
    },
  },
  'review.chronology.link': {
    words: 'Link chronology entries as one event, or unlink them',
    kind: 'change',
    record: 'review',
    grants: coordinatorAndChair,
    part: 'chronologyLinks',
  },
  // Agency requests and returns ----------------------------------------------------------------------
  'request.manage': {
    words: 'Send, withdraw and reissue agency requests; accept or query returns',
    kind: 'change',
    record: 'agency request',
    grants: coordinator,
    part: 'agencyRequests',
  },
  'return.read-own': {
    words: "Read one's own agency's return (its task list and answers), in any stage once asked for it",
    kind: 'read',
    record: 'agency return',
    grants: { agency_lead: 'own agency, member' },
  },
  'return.write': {
    words: "Write an agency's return: its chronology entries and self-analysis, and submit it",
    kind: 'change',
    record: 'agency return',
    grants: { agency_lead: 'own agency, member' },
    part: 'agencyReturns',
  },
  'return.read-submitted': {
    words: "Read another agency's return once it is submitted",
    kind: 'read',
    record: 'agency return',
    grants: coordinatorAndChair,
  },
  // Practice signals, the event, episodes and learning ------------------------------------------------
  'signals.decide': {
    words: 'Confirm or dismiss a practice signal, and link it to a key line of enquiry',
    kind: 'change',
    record: 'practice signal',
    grants: coordinatorAndChair,
    part: 'signalDecisions',
  },
  'event.record': {
    words: 'Plan and record the Line of Sight event',
    kind: 'change',
    record: 'review',
    grants: coordinatorAndChair,
    part: 'event',
  },
  'episodes.record': {
    words: 'Record key practice episodes',
    kind: 'change',
    record: 'review',
    grants: coordinatorAndChair,
    part: 'episodes',
  },
  'learning.record': {
    words: 'Record learning statements',
    kind: 'change',
    record: 'review',
    grants: coordinatorAndChair,
    part: 'learning',
  },
  // Actions, progress and practice audits --------------------------------------------------------
  'actions.view': {
    words: "See the partnership's actions and practice audits (what they list follows review access)",
    kind: 'read',
    record: 'action',
    grants: { ...partnershipWide, independent_reviewer: 'partnership', agency_lead: 'partnership' },
  },
  'action.plan': {
    words: 'Add and change actions; assure, cancel or reopen them',
    kind: 'change',
    record: 'action',
    grants: coordinator,
    part: 'actions',
  },
  'action.update': {
    words: 'Record an update, status or evidence on an action',
    kind: 'change',
    record: 'action',
    grants: { review_coordinator: 'partnership', agency_lead: 'own agency, member' },
    part: 'actionUpdates',
  },
  'progress.write': {
    words: 'Write the progress and impact statement',
    kind: 'change',
    record: 'review',
    grants: coordinator,
    part: 'progress',
  },
  'practice-audit.record': {
    words: 'Define a practice audit and record its rounds',
    kind: 'change',
    record: 'practice audit',
    grants: { review_coordinator: 'partnership', agency_lead: 'own agency' },
  },
  'practice-audit.link': {
    words: 'Link a practice audit to an action, or unlink it',
    kind: 'change',
    record: 'practice audit',
    grants: coordinator,
  },
  // The 7-minute briefing and the library ---------------------------------------------------------
  'briefing.edit': {
    words: 'Write, send for approval, publish and reissue the 7-minute briefing',
    kind: 'publish',
    record: 'briefing',
    grants: coordinator,
    part: 'briefing',
  },
  'briefing.approve': {
    words: 'Run the identifying-details check, accept its findings and approve the briefing',
    kind: 'approve',
    record: 'briefing',
    grants: coordinatorAndChair,
    part: 'briefing',
  },
  'briefing.dissemination.view': {
    words: 'See who has read a briefing and which teams it was delivered to',
    kind: 'read',
    record: 'library briefing',
    grants: partnershipWide,
  },
  'library.read': {
    words: 'Read the library of published briefings and record reading one',
    kind: 'read',
    record: 'library briefing',
    grants: everyone,
  },
  'library.deliver': {
    words: "Record a team's delivery of a briefing",
    kind: 'change',
    record: 'library briefing',
    grants: everyone,
  },
  'library.import': {
    words: "Load other partnerships' briefings into the library, accept their findings and publish them",
    kind: 'publish',
    record: 'library briefing',
    grants: coordinator,
  },
  // Learning across reviews ----------------------------------------------------------------------
  'themes.recurrence.read': {
    words: 'See how often learning themes recur across the reviews one may see and the library',
    kind: 'read',
    record: 'learning theme',
    grants: everyone,
  },
  'dashboard.read': {
    words:
      "See the board's dashboard (reviews by stage, returns, actions, themes over time, audits, re-referrals) and download its figures",
    kind: 'read',
    record: 'partnership figures',
    grants: partnershipWide,
  },
  // The front door -------------------------------------------------------------------------------
  'front-door.read': {
    words: 'See and download the front door lists of the monitoring dataset, and follow its loads',
    kind: 'read',
    record: 'monitoring data',
    grants: partnershipWide,
  },
  'front-door.load': {
    words: 'Load the monitoring dataset (upload a file to load, cancel a load under way)',
    kind: 'change',
    record: 'monitoring data',
    grants: { review_coordinator: 'partnership', partnership_admin: 'partnership' },
  },
  'signal-thresholds.view': {
    words: "See the partnership's signal thresholds",
    kind: 'read',
    record: 'partnership settings',
    grants: partnershipWide,
  },
  'signal-thresholds.change': {
    words: "Change the partnership's signal thresholds",
    kind: 'administer',
    record: 'partnership settings',
    grants: administrator,
  },
  // Administration -------------------------------------------------------------------------------
  administer: {
    words:
      'Administer the partnership: people and roles, agencies, learning themes, resource links, the logo, review targets',
    kind: 'administer',
    record: 'partnership settings',
    grants: administrator,
  },
  'audit-log.read': {
    words: 'Read and export the audit log',
    kind: 'administer',
    record: 'audit log',
    grants: administrator,
  },
  'retention.manage': {
    words:
      "Set the partnership's retention periods and legal holds, see what is due, and erase a person's details on request",
    kind: 'administer',
    record: 'retention',
    grants: administrator,
  },
  'subject-access.export': {
    words: 'Gather and download everything held about a person (a subject access request)',
    kind: 'export',
    record: 'retention',
    grants: administrator,
  },
} satisfies Record<string, Rule>;

export type Capability = keyof typeof POLICY;

/** What a decision is about: the review's stage and status, membership, and whose agency. */
export interface Context {
  isMember?: boolean;
  /** The agency the record belongs to (a return's, an action's owning agency, an audit's). */
  agencyId?: string | null;
  review?: { stage: Stage; status: ReviewStatus } | null;
}

export interface Person {
  roles: readonly Role[];
  agencyId?: string | null;
}

export type Decision =
  | { allowed: true }
  | { allowed: false; because: 'role'; message: string }
  | { allowed: false; because: 'stage'; message: string };

function reaches(reach: Reach, person: Person, on: Context): boolean {
  const ownAgency = Boolean(person.agencyId) && person.agencyId === on.agencyId;
  switch (reach) {
    case 'partnership':
      return true;
    case 'member':
      return on.isMember === true;
    case 'own agency':
      return ownAgency;
    case 'own agency, member':
      return ownAgency && on.isMember === true;
  }
}

/** Whether the person's roles grant the capability on this record (stage aside). */
export function granted(person: Person, capability: Capability, on: Context = {}): boolean {
  const grants: Partial<Record<Role, Reach>> = POLICY[capability].grants;
  return person.roles.some((role) => {
    const reach = grants[role];
    return reach !== undefined && reaches(reach, person, on);
  });
}

/**
 * The one decision: may this person do this to this record now? Deny by default: a capability
 * no role of theirs is granted is refused; one that changes a part of a review is refused outside
 * that part's stages (and on a closed or stopped review).
 */
export function can(person: Person, capability: Capability, on: Context = {}): Decision {
  const rule: Rule = POLICY[capability];
  if (!granted(person, capability, on))
    return { allowed: false, because: 'role', message: `You cannot ${rule.words.toLowerCase()} here.` };
  if (rule.part && on.review) {
    const why = whyNotEditable(on.review, rule.part);
    if (why) return { allowed: false, because: 'stage', message: why };
  }
  return { allowed: true };
}

/**
 * Whether the person could do this at all, before the record is known: what is checked before a
 * form or request body is read, so someone who may not act never learns what was wrong with their
 * input. A grant to the person's own agency needs them to have one; a grant to members needs
 * membership when the review is known. The record itself is checked later, in the data layer.
 */
export function mayAttempt(person: Person, capability: Capability, on: { isMember?: boolean } = {}): boolean {
  const grants: Partial<Record<Role, Reach>> = POLICY[capability].grants;
  return person.roles.some((role) => {
    const reach = grants[role];
    if (reach === undefined) return false;
    const member = on.isMember ?? true;
    if (reach === 'member') return member;
    if (reach === 'own agency') return Boolean(person.agencyId);
    if (reach === 'own agency, member') return Boolean(person.agencyId) && member;
    return true;
  });
}

const REACH_QUALIFIER: Record<Reach, string> = {
  partnership: '',
  member: ' of the review',
  'own agency': ' of the agency',
  'own agency, member': ' of the agency',
};

/** Why a capability is refused, in words: who may do it. "Only the review coordinator can …". */
export function whoMay(capability: Capability): string {
  const rule: Rule = POLICY[capability];
  const who = (Object.entries(rule.grants) as [Role, Reach][]).map(
    ([role, reach]) => `${ROLE_LABELS[role].toLowerCase()}${REACH_QUALIFIER[reach]}`,
  );
  const list = who.length > 1 ? `${who.slice(0, -1).join(', ')} or ${who.at(-1)}` : who[0];
  const words = rule.words.charAt(0).toLowerCase() + rule.words.slice(1);
  return `Only the ${list} can ${words}.`;
}

/** The roles whose grant of a capability reaches only their own agency's records: they need an agency. */
export function rolesActingForAnAgency(): Role[] {
  const roles = new Set<Role>();
  for (const rule of Object.values(POLICY) as Rule[])
    for (const [role, reach] of Object.entries(rule.grants) as [Role, Reach][])
      if (reach === 'own agency' || reach === 'own agency, member') roles.add(role);
  return [...roles];
}

/** The roles a capability is granted to (anywhere): whom to tell, whom to list. */
export function rolesThat(capability: Capability): Role[] {
  return Object.keys(POLICY[capability].grants) as Role[];
}

const REACH_WORDS: Record<Reach, string> = {
  partnership: 'all',
  member: 'reviews they are a member of',
  'own agency': 'their own agency’s',
  'own agency, member': 'their own agency’s, in reviews they are a member of',
};

/** The policy as a Markdown table, for docs/security.md (generated, never retyped). */
export function policyTable(): string {
  const lines = ['| what | kind | record | who (and how far) | stages |', '|---|---|---|---|---|'];
  for (const rule of Object.values(POLICY) as Rule[]) {
    const who = (Object.entries(rule.grants) as [Role, Reach][])
      .map(
        ([role, reach]) => `${ROLE_LABELS[role]}${reach === 'partnership' ? '' : ` (${REACH_WORDS[reach]})`}`,
      )
      .join('; ');
    lines.push(
      `| ${rule.words} | ${rule.kind} | ${rule.record} | ${who} | ${rule.part ? stagesOf(rule.part) : 'any'} |`,
    );
  }
  return lines.join('\n');
}

function stagesOf(part: ReviewPart): string {
  return (EDITABLE_IN[part] as readonly Stage[]).map((s) => STAGE_LABELS[s]).join(', ');
}
