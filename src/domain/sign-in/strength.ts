/**
 * How strongly someone has proved who they are, and what that allows: which roles must use a
 * second factor, what a sign-in counts as, and which actions need a recent strong sign-in. The
 * one statement of these rules (pure: the session and the time are passed in), for the access
 * policy to take in.
 */
import { POLICY, type Kind } from '../access/policy.ts';
import type { Role } from '../lifecycle/roles.ts';

/** The kinds of capability whose holders must use a second factor unless the administrator chooses. */
const SECOND_FACTOR_KINDS: readonly Kind[] = ['named view', 'administer'];

/**
 * The roles that must use a second factor unless the partnership's administrator chooses others:
 * everyone the access policy lets open a named view of a child's identifiable details, and
 * everyone it lets administer. Derived from the policy, so a role given either later is included.
 */
export const DEFAULT_SECOND_FACTOR_ROLES: readonly Role[] = [
  ...new Set(
    Object.values(POLICY)
      .filter((rule) => SECOND_FACTOR_KINDS.includes(rule.kind))
      .flatMap((rule) => Object.keys(rule.grants) as Role[]),
  ),
];

/** How a session's person proved who they are. */
export type SignInMethod =
  'password' | 'password+totp' | 'password+recovery-code' | 'sso' | 'sso+totp' | 'sso+recovery-code';

export const SIGN_IN_METHOD_WORDS: Record<SignInMethod, string> = {
  password: 'Password',
  'password+totp': 'Password and authenticator app',
  'password+recovery-code': 'Password and recovery code',
  sso: 'Single sign-on',
  'sso+totp': 'Single sign-on and authenticator app',
  'sso+recovery-code': 'Single sign-on and recovery code',
};

/** What a session records of its sign-in. */
export interface SignInRecord {
  method: SignInMethod;
  /** The identity provider's `amr` (authentication methods, RFC 8176), for single sign-on. */
  amr?: readonly string[] | undefined;
  /** When the person last proved who they are (ms): at sign-in, then at each re-authentication. */
  authenticatedAt: number;
}

/** RFC 8176 methods by kind of factor: something known, held, or that the person is. */
const KNOWN = new Set(['pwd', 'pin', 'kba']);
const HELD = new Set(['otp', 'hwk', 'swk', 'sc', 'sms', 'tel', 'pop']);
const INHERENT = new Set(['fpt', 'face', 'iris', 'retina', 'vbm']);

/**
 * Whether an identity provider's `amr` shows two factors: `mfa` said outright, or methods of two
 * different kinds (a password and a one-time code, a key and a fingerprint).
 */
export function amrIsTwoFactor(amr: readonly string[] | undefined): boolean {
  if (!amr?.length) return false;
  if (amr.includes('mfa')) return true;
  const kinds = [KNOWN, HELD, INHERENT].filter((kind) => amr.some((m) => kind.has(m)));
  return kinds.length >= 2;
}

export function isTwoFactor(record: Pick<SignInRecord, 'method' | 'amr'>): boolean {
  if (record.method === 'sso') return amrIsTwoFactor(record.amr);
  return record.method !== 'password';
}

/** Whether someone holding these roles must use a second factor. */
export function mustUseSecondFactor(roles: readonly string[], requiredRoles: readonly string[]): boolean {
  return roles.some((role) => requiredRoles.includes(role));
}

/**
 * What sign-in asks for after the password (or the identity provider): the code of an enrolled
 * authenticator; enrolment for someone who must use a second factor and has none; or nothing. A
 * provider whose `amr` shows two factors has asked for the second one already.
 */
export function secondFactorAtSignIn(input: {
  roles: readonly string[];
  requiredRoles: readonly string[];
  enrolled: boolean;
  providerTwoFactor?: boolean;
}): 'none' | 'code' | 'enrol' {
  if (input.providerTwoFactor) return 'none';
  if (input.enrolled) return 'code';
  return mustUseSecondFactor(input.roles, input.requiredRoles) ? 'enrol' : 'none';
}

/**
 * The actions that ask for a recent sign-in, and whether it must have used a second factor (when
 * the person holds one or must): the named view of identifiable details, exports, administration,
 * and making an API token (a credential that outlives the session). Changing one's own second
 * factor asks only for a recent sign-in: a lost phone cannot be a reason to be shut out of it.
 */
export const STEP_UP_ACTIONS = {
  'named-view': { secondFactor: true },
  export: { secondFactor: true },
  administer: { secondFactor: true },
  'api-token': { secondFactor: true },
  'account-security': { secondFactor: false },
} as const;
export type StepUpAction = keyof typeof STEP_UP_ACTIONS;

/** A sign-in is recent for this long unless the installation says otherwise (REAUTHENTICATE_AFTER_MINUTES). */
export const DEFAULT_REAUTHENTICATE_AFTER_MINUTES = 30;

/**
 * Whether the session is strong enough for the action: null when it is; otherwise what the person
 * must do first. `enrol`: they must use a second factor and have none yet; `second-factor`: the
 * sign-in used one factor and they hold a second; `reauthenticate`: the sign-in is too old.
 */
export function stepUpNeeded(input: {
  action: StepUpAction;
  roles: readonly string[];
  requiredRoles: readonly string[];
  enrolled: boolean;
  signIn: SignInRecord;
  now: Date;
  maxAgeMs: number;
}): null | 'enrol' | 'second-factor' | 'reauthenticate' {
  const { secondFactor } = STEP_UP_ACTIONS[input.action];
  if (secondFactor) {
    const must = mustUseSecondFactor(input.roles, input.requiredRoles);
    if (must && !input.enrolled && !isTwoFactor(input.signIn)) return 'enrol';
    if ((must || input.enrolled) && !isTwoFactor(input.signIn)) return 'second-factor';
  }
  if (input.now.getTime() - input.signIn.authenticatedAt > input.maxAgeMs) return 'reauthenticate';
  return null;
}
