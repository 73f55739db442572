import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';

/**
 * The database enforces the access policy too (defence in depth, drizzle/0020). A use case run for
 * a person runs its transaction as the role `line_of_sight_app`, which owns nothing and is under
 * row-level security, with the person's partnership, id and agency set for that transaction only:
 * a query that forgot its partnership still reads only that partnership's rows, and one run with
 * no actor reads nothing. Migrations, scheduled jobs and the commands that work for everyone
 * (backup, restore, retention, the population scan) keep the owner's role.
 */
export const APPLICATION_ROLE = 'line_of_sight_app';

export interface ActorScope {
  userId: string;
  partnershipId: string;
  agencyId: string | null;
}

const storage = new AsyncLocalStorage<ActorScope>();

/** Whether a value is a signed-in person a use case acts for (the first argument of most). */
export function isActorScope(value: unknown): value is ActorScope {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.userId === 'string' &&
    v.userId !== '' &&
    typeof v.partnershipId === 'string' &&
    v.partnershipId !== '' &&
    Array.isArray(v.roles)
  );
}

/** Runs `fn` as the use case of this person: its transactions are scoped to them. */
export function withActorScope<T>(actor: ActorScope, fn: () => T): T {
  return storage.run(actor, fn);
}

/** Runs `fn` for no one (a job started from a person's request works for the partnership). */
export function withoutActorScope<T>(fn: () => T): T {
  return storage.exit(fn);
}

/** The person the current use case acts for, if any. */
export function currentActorScope(): ActorScope | undefined {
  return storage.getStore();
}

/** The first statement of an actor's transaction: the application's role and who it acts for. */
export async function scopeTransaction(tx: Executor, actor: ActorScope): Promise<void> {
  await tx.execute(
    sql`select set_config('role', ${APPLICATION_ROLE}, true), set_config('los.partnership_id', ${actor.partnershipId}, true), set_config('los.user_id', ${actor.userId}, true), set_config('los.agency_id', ${actor.agencyId ?? ''}, true)`,
  );
}

/**
 * Each method of each service, when called for a person (its first argument), runs in that
 * person's scope, however it is reached (page, API, command line). Called otherwise it runs as
 * before.
 */
export function scopedToActors<S extends Record<string, unknown>>(services: S): S {
  const wrap = (service: object) =>
    new Proxy(service, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return function scoped(this: unknown, ...args: unknown[]) {
          const [first] = args;
          return isActorScope(first)
            ? withActorScope(first, () => (value as (...a: unknown[]) => unknown).apply(target, args))
            : (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return Object.fromEntries(
    Object.entries(services).map(([name, service]) => [
      name,
      typeof service === 'object' && service !== null ? wrap(service) : service,
    ]),
  ) as S;
}
