import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { APPLICATION_ROLE, scopeTransaction, type ActorScope } from './actor-scope.ts';
import type { Executor, Transaction } from './client.ts';

/**
 * A person's transaction starts with their settings (db/actor-scope.ts). Sent as a statement of
 * its own they cost a round trip on every transaction, about a third of what the database's own
 * policies add to a page (docs/benchmarks.md, "The database's own policies"). So they go with the
 * `BEGIN`, in one simple-protocol message: the pool's connections send them when the transaction
 * that begins is a person's (`sendScopeWithBegin`), and the transaction sends them on its own only
 * when they did not go (a savepoint inside another transaction, a connection not patched).
 */
interface PendingScope {
  actor: ActorScope;
  sent: boolean;
}

const pending = new AsyncLocalStorage<PendingScope>();

/** Runs `fn` in a transaction scoped to `actor`: the application's role and the person's settings. */
export async function scopedTransaction<T>(
  db: Executor,
  actor: ActorScope,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const scope: PendingScope = { actor, sent: false };
  return pending.run(scope, () =>
    db.transaction(async (tx) => {
      if (!scope.sent) await scopeTransaction(tx, actor);
      // Another transaction begun inside this one's work is not this one's to scope.
      return pending.exit(() => fn(tx));
    }),
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The settings as literals (they are ids: anything else is sent as a parameter instead). A
 * connection signed in as the application's role has it already; the owner's takes it.
 */
function settingsStatement(client: pg.ClientBase, actor: ActorScope, inRole: boolean): string | null {
  if (!UUID.test(actor.partnershipId) || !UUID.test(actor.userId)) return null;
  if (actor.agencyId !== null && !UUID.test(actor.agencyId)) return null;
  const literal = (value: string) => client.escapeLiteral(value);
  return (
    'select ' +
    (inRole ? '' : `set_config('role', ${literal(APPLICATION_ROLE)}, true), `) +
    `set_config('los.partnership_id', ${literal(actor.partnershipId)}, true), ` +
    `set_config('los.user_id', ${literal(actor.userId)}, true), ` +
    `set_config('los.agency_id', ${literal(actor.agencyId ?? '')}, true)`
  );
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Makes a pool's connection send a person's settings with the `BEGIN` of their transaction.
 * `inRole`: the connection is the application's (signed in as its role), so the role is not set.
 */
export function sendScopeWithBegin(client: pg.ClientBase, options: { inRole?: boolean } = {}): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (config, values, callback) => {
    const scope = pending.getStore();
    if (
      scope &&
      !scope.sent &&
      typeof config === 'object' &&
      config !== null &&
      (config as { text?: unknown }).text === 'begin' &&
      !(config as { name?: unknown }).name
    ) {
      const settings = settingsStatement(client, scope.actor, options.inRole ?? false);
      if (settings) {
        scope.sent = true;
        // No parameters: one simple-protocol message, two statements, one round trip.
        return query({ ...config, text: `begin; ${settings}` }, [], callback);
      }
    }
    return query(config, values, callback);
  };
}
