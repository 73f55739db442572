import type { Actor } from '../domain/lifecycle/roles.ts';
import type { SignInMethod } from '../domain/sign-in/strength.ts';

/** What a signed-in session records of how its person signed in. */
export interface SessionAuth {
  method: SignInMethod;
  /** The identity provider's `amr`, for single sign-on. */
  amr?: string[];
  /** When the person last proved who they are (ms): sign-in, then each re-authentication. */
  authenticatedAt: number;
  provider?: { id: string; key: string; name: string };
  /** For RP-initiated logout at the identity provider. */
  idToken?: string;
  address?: string;
  userAgent?: string;
}

/** The first factor passed; the second to come (an authenticator code, or setting one up). */
export interface PendingSignIn {
  userId: string;
  step: 'code' | 'enrol';
  first: 'password' | 'sso';
  /** When the first factor passed (ms): the rest must follow within 10 minutes. */
  at: number;
  returnTo: string;
  /** A re-authentication of a signed-in session rather than a new sign-in. */
  reauthenticating?: boolean;
  amr?: string[];
  provider?: { id: string; key: string; name: string };
  idToken?: string;
  /** The sealed secret of an authenticator being set up at sign-in. */
  sealed?: string;
}

/** Values and errors of a form that failed, carried over the redirect (Post/Redirect/Get). */
export interface FormState {
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null on public pages. */
    actor: Actor | null;
    /**
     * The id of the session this browser's cookie names when that session has ended (timed out,
     * or it is unknown): a form sent from it is checked against it and kept for its person.
     */
    endedSessionId: string | null;
  }
  interface FastifyReply {
    /** Merged into every view's context by @fastify/view. */
    locals: Record<string, unknown>;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (sign-in page, health checks, assets). */
    public?: boolean;
  }
}

declare module '@fastify/session' {
  interface FastifySessionObject {
    userId?: string;
    /** When this person signed in (ms since 1970): the session ends SESSION_MAX_HOURS after it. */
    signedInAt?: number;
    /** How the person proved who they are (src/domain/sign-in/strength.ts), set at sign-in. */
    auth?: SessionAuth;
    /** A sign-in half done: the password (or identity provider) passed, the second factor to come. */
    pending?: PendingSignIn;
    /** Where to go once a re-authentication asked for by a page is done. */
    stepUpReturn?: string;
    /** An authenticator being set up from the account page: its sealed secret until a code confirms it. */
    enrolment?: { sealed: string; at: number };
    /** When "Stay signed in" of the time-out warning was last pressed (ms): writes the session back. */
    keptAliveAt?: number;
    /**
     * Set by a new sign-in, used once by the home page: someone with exactly one thing waiting on
     * them is taken straight to it (src/web/routes/sign-in.ts).
     */
    justSignedIn?: boolean;
    /** One-shot messages for the next page. */
    flash?: { success?: string; forms?: Record<string, FormState> };
  }
}
