import { createHash } from 'node:crypto';
import type { Signal } from './types.ts';

/**
 * A signal's stable key: its rule, period and the evidence it cites (sorted), hashed short for
 * URLs. Signals are recomputed on every read; a decision follows the key, so it stays with the
 * same finding and lapses when the chronology no longer shows it.
 */
export function signalKey(signal: Pick<Signal, 'rule' | 'from' | 'to' | 'evidence'>): string {
  const text = [signal.rule, signal.from, signal.to, ...[...signal.evidence].sort()].join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}
