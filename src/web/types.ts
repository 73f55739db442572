import type { Actor } from '../domain/lifecycle/roles.ts';

/** Values and errors of a form that failed, carried over the redirect (Post/Redirect/Get). */
export interface FormState {
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null on public pages. */
    actor: Actor | null;
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
    /** One-shot messages for the next page. */
    flash?: { success?: string; forms?: Record<string, FormState> };
  }
}
