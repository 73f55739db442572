import { POLICY, type Capability } from '../access/policy.ts';

/**
 * Every kind of event the audit log records, stated once: what it is called in the log, what sort
 * of event it is, and what it says in people's words on the audit page and in its export. An audit
 * row can only be written for an event named here (the type of `AuditEvent.action`), so the log has
 * one vocabulary; a refusal is recorded under the capability the policy names (policy.ts), so every
 * refusal is in the catalogue too.
 *
 * Rows hold ids, never personal data: who acted is a user id (names are looked up when the log is
 * read), where the request came from is its own column, and no detail holds an e-mail address or a
 * name of a person (`PERSONAL_DETAIL_KEYS` are refused by the repository).
 */

export type AuditEventKind =
  'view' | 'identifiable view' | 'export' | 'change' | 'sign-in' | 'administration' | 'system';

export const AUDIT_EVENT_KIND_LABELS: Record<AuditEventKind, string> = {
  view: 'Viewed',
  'identifiable view': "Viewed a child's identifiable details",
  export: 'Exported or downloaded',
  change: 'Changed',
  'sign-in': 'Signing in and accounts',
  administration: 'Administration',
  system: 'The system',
};

interface AuditEventDefinition {
  kind: AuditEventKind;
  words: string;
}

const view = (words: string): AuditEventDefinition => ({ kind: 'view', words });
const change = (words: string): AuditEventDefinition => ({ kind: 'change', words });
const exported = (words: string): AuditEventDefinition => ({ kind: 'export', words });
const signIn = (words: string): AuditEventDefinition => ({ kind: 'sign-in', words });
const admin = (words: string): AuditEventDefinition => ({ kind: 'administration', words });
const system = (words: string): AuditEventDefinition => ({ kind: 'system', words });

export const AUDIT_EVENTS = {
  // Reviews
  'review.view': view('Opened a review'),
  'review.identifiable.view': { kind: 'identifiable view', words: "Opened the child's identifiable details" },
  'chronology.named.view': { kind: 'identifiable view', words: 'Opened the named chronology' },
  'review.refer': change('Referred a case for review'),
  'review.refer.same-child': view('Was told the child referred already has a review'),
  'review.screening.record': change('Recorded the screening decision'),
  'review.summary.update': change("Changed the review's summary"),
  'review.terms-of-reference.update': change('Changed the terms of reference'),
  'review.line-of-enquiry.add': change('Added a key line of enquiry'),
  'review.line-of-enquiry.update': change('Changed a key line of enquiry'),
  'review.line-of-enquiry.remove': change('Removed a key line of enquiry'),
  'review.line-of-enquiry.reorder': change('Reordered the key lines of enquiry'),
  'review.member.add': change('Gave someone access to a review'),
  'review.member.remove': change("Removed someone's access to a review"),
  'review.stage.move': change('Moved a review to another stage'),
  'review.pause': change('Paused a review'),
  'review.resume': change('Resumed a review'),
  'review.stop': change('Stopped a review'),
  'review.progress.update': change('Recorded progress'),
  // Agency requests and returns
  'request.send': change('Sent an agency request'),
  'request.view': view('Opened an agency request'),
  'request.accept': change("Accepted an agency's return"),
  'request.return': change("Returned an agency's return with a query"),
  'request.reissue': change('Reissued an agency request'),
  'request.withdraw': change('Withdrew an agency request'),
  'request.chase': change('Chased an agency request'),
  'return.open': view("Opened an agency's return"),
  'return.view': view("Opened an agency's return"),
  'return.entry.add': change('Added a chronology entry'),
  'return.entries.add': change('Added chronology entries'),
  'return.entry.update': change('Changed a chronology entry'),
  'return.entry.remove': change('Removed a chronology entry'),
  'return.upload': change('Uploaded a chronology'),
  'return.upload.queue': change('Uploaded a large chronology to be added to the return'),
  'return.upload.cancel': change('Cancelled an upload to the return'),
  'return.upload.resume': system('Started an upload to the return again after a restart'),
  'return.upload.view': view('Opened the progress of an upload to the return'),
  'return.self-analysis.save': change('Wrote a self-analysis'),
  'return.submit': change("Submitted an agency's return"),
  // Chronology and signals
  'chronology.export': exported('Exported the merged chronology'),
  'chronology.link': change('Linked chronology entries as one event'),
  'chronology.unlink': change('Unlinked chronology entries'),
  'signal.confirm': change('Confirmed a practice signal'),
  'signal.dismiss': change('Dismissed a practice signal'),
  'signal.decide': change('Decided a practice signal'),
  'signal.link-line-of-enquiry': change('Linked a practice signal to a key line of enquiry'),
  'signal-thresholds.view': view('Opened the signal thresholds'),
  'signal-thresholds.change': admin('Changed the signal thresholds'),
  // The practitioner event, episodes and learning
  'review.event.update': change('Changed the practitioner event'),
  'review.event.notes.update': change("Changed the event's notes"),
  'review.event.attendee.add': change('Added someone to the event'),
  'review.event.attendee.remove': change('Removed someone from the event'),
  'review.event.attendance.record': change('Recorded who attended the event'),
  'review.event.invitations.send': change('Sent the event invitations'),
  'review.episode.add': change('Added an episode of practice'),
  'review.episode.update': change('Changed an episode of practice'),
  'review.episode.remove': change('Removed an episode of practice'),
  'review.learning.add': change('Added learning'),
  'review.learning.update': change('Changed learning'),
  'review.learning.remove': change('Removed learning'),
  // Actions and audits of practice
  'action.view': view('Opened an action'),
  'actions.export': exported('Exported the actions'),
  'action.add': change('Added an action'),
  'action.change': change("Changed an action's details"),
  'action.update': change('Updated an action'),
  'action.evidence.download': exported('Downloaded evidence for an action'),
  'practice-audit.define': change('Defined an audit of practice'),
  'practice-audit.round': change('Recorded an audit round'),
  'practice-audit.link': change('Linked an audit to an action'),
  'practice-audit.unlink': change('Unlinked an audit from an action'),
  // The 7-minute briefing and the library
  'briefing.generate': change('Drafted the 7-minute briefing'),
  'briefing.section.add': change('Added a section to the briefing'),
  'briefing.section.update': change('Changed a section of the briefing'),
  'briefing.section.remove': change('Removed a section of the briefing'),
  'briefing.section.move': change('Moved a section of the briefing'),
  'briefing.check': change('Checked the briefing for identifying details'),
  'briefing.finding.accept': change('Accepted a finding of the identifying-details check'),
  'briefing.submit': change('Sent the briefing for approval'),
  'briefing.return': change('Returned the briefing for changes'),
  'briefing.approve': change('Approved the briefing'),
  'briefing.publish': change('Published the briefing'),
  'briefing.reissue': change('Reissued the briefing'),
  'briefing.export': exported('Downloaded the briefing'),
  'library.briefing.view': view('Opened a briefing in the library'),
  'library.briefing.read': change('Recorded reading a briefing'),
  'library.briefing.delivery': change('Recorded a briefing delivered to a team'),
  'library.briefing.download': exported('Downloaded a briefing from the library'),
  'library.briefing.import': change('Imported a briefing'),
  'library.briefing.details': change("Changed an imported briefing's details"),
  'library.briefing.finding.accept': change('Accepted a finding on an imported briefing'),
  'library.briefing.publish': change('Published an imported briefing'),
  'library.briefing.discard': change('Discarded an imported briefing'),
  'library.draft.view': view('Opened an imported briefing not yet published'),
  // Learning across reviews
  'themes.recurrence.view': view('Looked at learning across reviews'),
  'dashboard.view': view('Opened the dashboard'),
  'dashboard.export': exported('Downloaded a figure of the dashboard'),
  'theme.list': view('Opened the learning themes'),
  'theme.add': admin('Added a theme'),
  'theme.rename': admin('Renamed a theme'),
  'theme.retire': admin('Retired a theme'),
  'theme.restore': admin('Restored a theme'),
  'theme.keywords': admin("Changed a theme's keywords"),
  // The front door
  'monitoring.import': change('Loaded the monitoring dataset'),
  'monitoring.import.queue': change('Uploaded a file to load as the monitoring dataset'),
  'monitoring.import.cancel': change('Cancelled a load of the monitoring dataset'),
  'monitoring.import.resume': system('Started a load of the monitoring dataset again after a restart'),
  'monitoring.imports.view': view('Opened the monitoring datasets'),
  'front-door.re-referrals.view': view('Opened the re-referral clinic'),
  'front-door.re-referrals.export': exported('Exported the re-referral clinic'),
  'front-door.check-and-challenge.view': view('Opened the check-and-challenge list'),
  'front-door.check-and-challenge.export': exported('Exported the check-and-challenge list'),
  'front-door.child.view': { kind: 'identifiable view', words: "Opened a child's front-door record" },
  // Signing in and accounts
  'user.sign-in': signIn('Signed in'),
  'user.sign-out': signIn('Signed out'),
  'user.reauthenticate': signIn('Confirmed who they are'),
  'user.sso.link': signIn('Linked an account to single sign-on'),
  'user.mfa.enrol': signIn('Set up an authenticator'),
  'user.mfa.recovery-codes': signIn('Made new recovery codes'),
  'user.mfa.reset': admin("Removed someone's authenticator"),
  'user.mfa.reseal': system('Sealed the authenticator secrets under a new key'),
  'user.password.change': signIn('Changed their password'),
  'user.password.reset-request': signIn('Asked for a password reset link'),
  'user.password.reset': signIn('Reset their password'),
  'user.session.end': signIn('Ended a session'),
  'user.session.end-others': signIn('Ended their other sessions'),
  'user.session.end-all': admin('Signed someone out everywhere'),
  'kept-form.keep': signIn('Sent a form after their session had ended: kept for them'),
  'kept-form.view': signIn('Opened a form kept for them after their session ended'),
  'kept-form.send': signIn('Sent a kept form again after signing in'),
  'kept-form.discard': signIn('Discarded a kept form'),
  'api-token.create': signIn('Made an API token'),
  'api-token.revoke': signIn('Revoked an API token'),
  'api-token.list': admin("Looked at other people's API tokens"),
  // Administration
  'user.list': admin('Opened people and roles'),
  'user.view': admin("Opened someone's sign-in and roles"),
  'user.add': admin('Added a person'),
  'user.roles.change': admin("Changed someone's roles or agency"),
  'user.disable': admin('Disabled an account'),
  'user.enable': admin('Enabled an account'),
  'agency.add': admin('Added an agency'),
  'partnership.logo.view': admin("Opened the partnership's logo"),
  'partnership.logo.set': admin("Set the partnership's logo"),
  'partnership.logo.remove': admin("Removed the partnership's logo"),
  'partnership.review-targets.view': admin("Opened the partnership's review targets"),
  'partnership.review-targets.change': admin("Changed the partnership's review targets"),
  'resource.add': admin('Added a further-information link'),
  'resource.remove': admin('Removed a further-information link'),
  'sign-in.settings.view': admin('Opened the sign-in rules'),
  'sign-in.settings.change': admin('Changed the sign-in rules'),
  'identity-provider.list': admin('Looked at the identity providers'),
  'identity-provider.view': admin('Opened an identity provider'),
  'identity-provider.add': admin('Added an identity provider'),
  'identity-provider.change': admin('Changed an identity provider'),
  'audit.view': admin('Opened the audit log'),
  'audit.export': exported('Exported the audit log'),
  'audit.verify': system('Checked the audit log'),
  'audit.break': system('Found a break in the audit log'),
  'database.backup': system('Backed up the database'),
  'database.restore': system('Restored the database'),
  // Retention and subject access (issue 15)
  'retention.erase': system('Erased data whose retention period ran out, or on a request'),
  'retention.period.change': admin('Changed a retention period'),
  'retention.hold.place': admin('Placed a legal hold on a review'),
  'retention.hold.release': admin('Released a legal hold'),
  'subject-access.export': exported('Gathered everything held about a person'),
  'person.search': {
    kind: 'identifiable view',
    words: 'Listed the children or household members a search found, to choose one',
  },
  // A refusal that reached a route no capability names.
  request: view('Asked for a page or an answer'),
} as const satisfies Record<string, AuditEventDefinition>;

export type CataloguedEvent = keyof typeof AUDIT_EVENTS;
/** What an audit row may record: an event of the catalogue, or a refusal under the policy's name. */
export type AuditAction = CataloguedEvent | Capability;

const CAPABILITY_KIND = {
  read: 'view',
  'named view': 'identifiable view',
  export: 'export',
  change: 'change',
  approve: 'change',
  publish: 'change',
  administer: 'administration',
} as const satisfies Record<(typeof POLICY)[Capability]['kind'], AuditEventKind>;

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(AUDIT_EVENTS, action) || Object.hasOwn(POLICY, action);
}

/** An event's definition: the catalogue's, or a capability's (a refusal) in the policy's words. */
export function auditEventDefinition(action: string): AuditEventDefinition | undefined {
  if (Object.hasOwn(AUDIT_EVENTS, action)) return AUDIT_EVENTS[action as CataloguedEvent];
  if (Object.hasOwn(POLICY, action)) {
    const rule = POLICY[action as Capability];
    return { kind: CAPABILITY_KIND[rule.kind], words: rule.words };
  }
  return undefined;
}

/** The events of one kind: the audit page's "type of event" filter. */
export function auditActionsOfKind(kind: AuditEventKind): AuditAction[] {
  return [...Object.keys(AUDIT_EVENTS), ...Object.keys(POLICY)].filter(
    (action) => auditEventDefinition(action)?.kind === kind,
  ) as AuditAction[];
}

/** The events that open a child's identifiable details: "who has seen this child's details". */
export const IDENTIFIABLE_VIEWS: readonly AuditAction[] = auditActionsOfKind('identifiable view');

/**
 * Keys a row's detail never holds: a person's e-mail address or name, a typed address. An audit
 * row names people by id; the repository refuses these.
 */
export const PERSONAL_DETAIL_KEYS: ReadonlySet<string> = new Set([
  'email',
  'owner',
  'ownerEmail',
  'userEmail',
  'fullName',
  'dateOfBirth',
  'address',
]);
