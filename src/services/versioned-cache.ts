/**
 * What a review's accepted chronology works out to (the merge, its practice signals) is costly to
 * compute and changes only when the accepted chronology does. This keeps the latest result per key
 * in this process and reuses it while the version read from the database is the same. Triggers in
 * the database give a review a new version on every change that can alter its accepted chronology,
 * from any process (drizzle/0009_chronology_versions.sql), and never reuse one, so a version seen
 * inside a transaction that later rolled back cannot be mistaken for a committed one.
 *
 * The least recently used key goes first once `limit` keys are held. Values are shared between
 * requests: callers treat them as read-only.
 */
export function versionedCache<T>(limit: number) {
  const held = new Map<string, { version: string; value: T }>();
  return {
    async get(key: string, version: string, compute: () => Promise<T>): Promise<T> {
      const found = held.get(key);
      if (found && found.version === version) {
        // Map keeps insertion order: re-inserting marks the key as most recently used.
        held.delete(key);
        held.set(key, found);
        return found.value;
      }
      const value = await compute();
      held.delete(key);
      held.set(key, { version, value });
      while (held.size > limit) held.delete(held.keys().next().value!);
      return value;
    },
    get size() {
      return held.size;
    },
  };
}

export type VersionedCache<T> = ReturnType<typeof versionedCache<T>>;

/**
 * Freezes a value kept in a versioned cache, all the way down, so a reader that changed what it
 * was handed (sorted a list in place, say) fails at once instead of changing every later reader's.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
