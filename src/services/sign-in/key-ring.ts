import { secretBox, type SecretBox } from './secret-box.ts';

/**
 * The authenticator secrets' keys while MFA_KEY is being changed: the current key seals, and the
 * current or the previous one (MFA_KEY_PREVIOUS) opens, so every instance keeps working whichever
 * key a secret is sealed under until `line-of-sight mfa reseal` has sealed them all under the new
 * one. AES-GCM tells a wrong key from the right one: a secret opened is a secret whose key it was.
 */
export function keyRing(current: string, previous: string | null | undefined, purpose?: string) {
  const now: SecretBox = secretBox(current, purpose);
  const before: SecretBox | null = previous && previous !== current ? secretBox(previous, purpose) : null;
  const tryOpen = (box: SecretBox, sealed: string) => {
    try {
      return box.open(sealed);
    } catch {
      return null;
    }
  };
  /** The secret and which key it is sealed under, or null when neither key opens it. */
  const which = (sealed: string): { plain: string; under: 'current' | 'previous' } | null => {
    const plain = tryOpen(now, sealed);
    if (plain !== null) return { plain, under: 'current' };
    const old = before ? tryOpen(before, sealed) : null;
    return old === null ? null : { plain: old, under: 'previous' };
  };
  return {
    seal: (plain: string) => now.seal(plain),
    /** The secret, under whichever key opens it; an error when neither does. */
    open(sealed: string): string {
      const found = which(sealed);
      if (!found) throw new Error('The secret is sealed under a key this instance does not hold.');
      return found.plain;
    },
    which,
    hasPrevious: before !== null,
  };
}

export type KeyRing = ReturnType<typeof keyRing>;
