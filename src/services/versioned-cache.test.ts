import { describe, expect, it } from 'vitest';
import { deepFreeze, versionedCache } from './versioned-cache.ts';

describe('versionedCache', () => {
  it('reuses a value while its version is unchanged, and works it out again when it changes', async () => {
    const cache = versionedCache<string>(4);
    let computed = 0;
    const compute = (value: string) => async () => {
      computed++;
      return value;
    };
    expect(await cache.get('review-a', '1', compute('first'))).toBe('first');
    expect(await cache.get('review-a', '1', compute('ignored'))).toBe('first');
    expect(computed).toBe(1);
    expect(await cache.get('review-a', '2', compute('second'))).toBe('second');
    expect(computed).toBe(2);
    // A version is compared for equality, not order: going back still recomputes.
    expect(await cache.get('review-a', '1', compute('third'))).toBe('third');
  });

  it('holds at most its limit, dropping the least recently used key first', async () => {
    const cache = versionedCache<number>(2);
    await cache.get('a', '1', async () => 1);
    await cache.get('b', '1', async () => 2);
    await cache.get('a', '1', async () => -1); // a is now the most recently used
    await cache.get('c', '1', async () => 3);
    expect(cache.size).toBe(2);
    expect(await cache.get('a', '1', async () => -1)).toBe(1);
    expect(await cache.get('b', '1', async () => 20)).toBe(20);
  });

  it('keeps nothing when working it out fails', async () => {
    const cache = versionedCache<number>(2);
    await expect(cache.get('a', '1', () => Promise.reject(new Error('database gone')))).rejects.toThrow();
    expect(cache.size).toBe(0);
  });

  it('freezes a kept value all the way down, so a reader cannot change what the next one is handed', () => {
    const kept = deepFreeze({ actions: [{ agency: 'police', done: 2 }], years: [2021, 2022] });
    expect(() => kept.years.push(2023)).toThrow(TypeError);
    expect(() => kept.years.sort((a, b) => b - a)).toThrow(TypeError);
    expect(() => {
      kept.actions[0]!.done = 3;
    }).toThrow(TypeError);
    expect(kept).toEqual({ actions: [{ agency: 'police', done: 2 }], years: [2021, 2022] });
  });
});
