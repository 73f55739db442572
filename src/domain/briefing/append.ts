/** `target.push(...items)` overflows the call stack past ~100,000 items; a 5 MB briefing can hold that many. */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
