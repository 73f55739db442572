/**
 * Runs queries one after another and returns their results in order, like Promise.all.
 * A transaction holds one connection; pg refuses (from version 9) several queries at once on it.
 */
export async function inSequence<T extends readonly (() => Promise<unknown>)[]>(
  ...steps: T
): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  const results: unknown[] = [];
  for (const step of steps) results.push(await step());
  return results as { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
